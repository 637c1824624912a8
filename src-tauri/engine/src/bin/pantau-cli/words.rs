//! `alerts words`: the words and phrases a new headline is watched for, kept in the cache with
//! the other alert settings (the app's settings show the same list). Only the list is changed:
//! every other alert setting is written back as it was read, and settings that cannot be read
//! are never replaced.

use crate::args::WordsCommand;
use crate::fail;
use crate::output::{self, out};
use pantau_engine::alerts::config::AlertConfig;
use pantau_engine::alerts::words::{new_words, remove_words, MAX_WORDS};
use pantau_engine::store::{keys, Store};
use pantau_engine::Engine;
use serde_json::Value;
use std::process::ExitCode;

pub fn words(engine: &Engine, command: Option<WordsCommand>, json: bool) -> ExitCode {
    let store = engine.store();
    let (mut stored, config) = match read_alert_settings(&store) {
        Ok(read) => read,
        Err(e) => return fail(&e),
    };
    let changed = match command.unwrap_or(WordsCommand::List) {
        WordsCommand::List => None,
        WordsCommand::Add { words } => {
            let new = new_words(&config.words, &words);
            if new.is_empty() {
                return fail("nothing to add: each word is already watched or has no letters");
            }
            if config.words.len() + new.len() > MAX_WORDS {
                return fail(&format!(
                    "the word list is full: at most {MAX_WORDS} words are watched ({} now); \
                     remove some first",
                    config.words.len()
                ));
            }
            Some([config.words.clone(), new].concat())
        }
        WordsCommand::Remove { words } => {
            let kept = remove_words(&config.words, &words);
            if kept.len() == config.words.len() {
                return fail("none of those words is watched");
            }
            Some(kept)
        }
    };
    let list = match changed {
        Some(list) => {
            stored.insert("words".into(), Value::from(list.clone()));
            if let Err(e) = store.set_json(keys::ALERTS, &stored) {
                return fail(&e.to_string());
            }
            list
        }
        None => config.words,
    };
    if json {
        output::json(&list, false);
    } else {
        for word in &list {
            out!("{word}");
        }
    }
    ExitCode::SUCCESS
}

/// The stored alert settings as they are (to write back with only the list changed) and as
/// Pantau reads them; an error when they are there but cannot be read.
fn read_alert_settings(
    store: &Store,
) -> Result<(serde_json::Map<String, Value>, AlertConfig), String> {
    let unreadable = |e: &dyn std::fmt::Display| {
        format!(
            "the alert settings in the cache cannot be read ({e}); nothing was changed \
             (set them again in Pantau's settings)"
        )
    };
    let Some(raw) = store.setting(keys::ALERTS).map_err(|e| unreadable(&e))? else {
        return Ok((serde_json::Map::new(), AlertConfig::default()));
    };
    let config: AlertConfig = serde_json::from_str(&raw).map_err(|e| unreadable(&e))?;
    match serde_json::from_str(&raw).map_err(|e| unreadable(&e))? {
        Value::Object(stored) => Ok((stored, config)),
        _ => Err(unreadable(&"not a JSON object")),
    }
}
