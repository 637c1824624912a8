//! `alerts words`: the words and phrases a new headline is watched for, kept in the cache with
//! the other alert settings (the app's settings show the same list).

use crate::args::WordsCommand;
use crate::fail;
use crate::output::{self, out};
use pantau_engine::alerts::config::AlertConfig;
use pantau_engine::alerts::words::{add_words, remove_words};
use pantau_engine::engine::Engine;
use pantau_engine::store::keys;
use std::process::ExitCode;

pub fn words(engine: &Engine, command: Option<WordsCommand>, json: bool) -> ExitCode {
    let store = engine.store();
    let mut config: AlertConfig = store.get_json(keys::ALERTS).unwrap_or_default();
    let changed = match command.unwrap_or(WordsCommand::List) {
        WordsCommand::List => None,
        WordsCommand::Add { words } => {
            let added = add_words(&config.words, &words);
            if added.len() == config.words.len() {
                return fail("nothing to add: each word is already watched or has no letters");
            }
            Some(added)
        }
        WordsCommand::Remove { words } => {
            let kept = remove_words(&config.words, &words);
            if kept.len() == config.words.len() {
                return fail("none of those words is watched");
            }
            Some(kept)
        }
    };
    if let Some(list) = changed {
        config.words = list;
        if let Err(e) = store.set_json(keys::ALERTS, &config) {
            return fail(&e.to_string());
        }
    }
    if json {
        output::json(&config.words, false);
    } else {
        for word in &config.words {
            out!("{word}");
        }
    }
    ExitCode::SUCCESS
}
