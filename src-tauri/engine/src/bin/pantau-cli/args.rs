//! The command line: every command, flag and environment variable `pantau-cli` takes.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "pantau-cli",
    version,
    about = "Pantau: kontan.co.id markets and news, from the command line"
)]
pub struct Cli {
    #[command(flatten)]
    pub common: Common,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Clone)]
pub struct Common {
    /// The cache file (default: the platform data dir; env PANTAU_DB).
    #[arg(long, global = true, env = "PANTAU_DB")]
    pub db: Option<PathBuf>,
    /// Send every kontan request to this origin instead, as ORIGIN/HOST/PATH (env PANTAU_KONTAN_ORIGIN).
    #[arg(long, global = true)]
    pub origin: Option<String>,
    /// Print JSON.
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Subcommand)]
pub enum Command {
    /// Parse saved kontan pages and print JSON, one document per line per file.
    Parse {
        /// What to read from the page.
        what: ParseKind,
        /// Saved pages (HTML, or RSS for headlines).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The pages' address, for resolving links.
        #[arg(long)]
        url: Option<String>,
    },
    /// The indicator bar as kontan shows it now (revalidated on every call).
    Indicators,
    /// The latest headlines (revalidated on every call).
    Headlines {
        /// Only this channel (keuangan, investasi, nasional, ...).
        #[arg(long)]
        channel: Option<String>,
        /// How many.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// A full article (multi-page stories joined), from the cache when offline.
    Article {
        /// The article's address.
        url: String,
        /// Fetch again even when cached.
        #[arg(long)]
        refresh: bool,
    },
    /// Search cached headlines and article text.
    Search {
        /// Words to find (diacritics ignored; the last word may be a prefix).
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Alerts: replay past readings to tune thresholds, or read the inbox.
    Alerts {
        #[command(subcommand)]
        command: AlertsCommand,
    },
    /// Run the refresh loop and print each update as it happens, until Ctrl-C.
    Watch {
        /// Seconds between bar refreshes (at least 30 against the real site).
        #[arg(long)]
        bar_interval: Option<f64>,
        /// Seconds between channel and feed refreshes (at least 60 against the real site).
        #[arg(long)]
        list_interval: Option<f64>,
        /// Show alerts as desktop notifications.
        #[arg(long)]
        notify: bool,
    },
}

#[derive(Subcommand)]
pub enum AlertsCommand {
    /// Run rows `observed_at,symbol,value,change,change_pct` through the alert engine and print
    /// one JSON line per notification shown.
    Replay {
        /// The readings (RFC 3339 times).
        file: PathBuf,
        /// A price level to watch, e.g. `USD/IDR=17000` (repeatable).
        #[arg(long = "level", value_name = "SYMBOL=VALUE")]
        levels: Vec<String>,
        /// Alert settings as JSON (default rules otherwise).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Also print the alerts that went only to the inbox, with "shown": false.
        #[arg(long)]
        all: bool,
    },
    /// Run headlines (CSV `observed_at,published_at,url,title`) through word alerts and print
    /// one JSON line per notification shown.
    ReplayNews {
        /// The headlines as Pantau saw them (RFC 3339 times).
        file: PathBuf,
        /// A word or phrase to watch (repeatable).
        #[arg(long = "word", value_name = "WORD", required = true)]
        words: Vec<String>,
        /// Quiet hours in WIB, e.g. 22:00-06:00.
        #[arg(long, value_name = "HH:MM-HH:MM")]
        quiet: Option<String>,
        /// Also print the stories that went only to the inbox, with "shown": false.
        #[arg(long)]
        all: bool,
    },
    /// The words and phrases a new headline is watched for.
    Words {
        #[command(subcommand)]
        command: Option<WordsCommand>,
    },
    /// The alert inbox, newest first.
    Inbox {
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

#[derive(Subcommand)]
pub enum WordsCommand {
    /// Print the words (the default).
    List,
    /// Watch these words or phrases too.
    Add {
        #[arg(required = true)]
        words: Vec<String>,
    },
    /// Stop watching these.
    Remove {
        #[arg(required = true)]
        words: Vec<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ParseKind {
    Indicators,
    Headlines,
    Article,
}
