//! `pantau-cli`: Pantau's engine from the command line.

use clap::{Parser, Subcommand, ValueEnum};
use pantau_engine::parse::{self, DEFAULT_PAGE_URL};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "pantau-cli",
    version,
    about = "Pantau: kontan.co.id markets and news, from the command line"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
}

#[derive(Clone, Copy, ValueEnum)]
enum ParseKind {
    Indicators,
    Headlines,
    Article,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Parse { what, files, url } => run_parse(what, &files, url.as_deref()),
    }
}

fn run_parse(what: ParseKind, files: &[PathBuf], url: Option<&str>) -> ExitCode {
    let page_url = match parse::page_url(url.unwrap_or(DEFAULT_PAGE_URL)) {
        Ok(u) => u,
        Err(e) => {
            eprintln!("pantau-cli: {e}");
            return ExitCode::from(2);
        }
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = false;
    for file in files {
        let result =
            std::fs::read(file)
                .map_err(pantau_engine::Error::from)
                .and_then(|bytes| {
                    let body = String::from_utf8_lossy(&bytes);
                    match what {
                        ParseKind::Indicators => parse::parse_indicators(&body).map(|bar| {
                            for r in &bar.rejected {
                                eprintln!(
                                    "pantau-cli: {}: {} rejected: {}",
                                    file.display(),
                                    r.symbol,
                                    r.reason
                                );
                            }
                            serde_json::to_string(&bar.readings)
                        }),
                        ParseKind::Headlines => parse::parse_headlines(&body, &page_url)
                            .map(|h| serde_json::to_string(&h)),
                        ParseKind::Article => parse::parse_article(&body, &page_url)
                            .map(|a| serde_json::to_string(&a)),
                    }
                });
        match result {
            Ok(Ok(json)) => {
                if writeln!(out, "{json}").is_err() {
                    return ExitCode::FAILURE;
                }
            }
            Ok(Err(e)) => {
                eprintln!("pantau-cli: {}: {e}", file.display());
                failed = true;
            }
            Err(e) => {
                eprintln!("pantau-cli: {}: {e}", file.display());
                failed = true;
            }
        }
    }
    if out.flush().is_err() {
        return ExitCode::FAILURE;
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
