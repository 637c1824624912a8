//! Everything the CLI prints goes through here: steering characters in any text are written as
//! visible escapes (a terminal never receives one from a page), and a closed stdout (`… | head`)
//! ends the command quietly with status 0, as Unix tools do.

use pantau_engine::parse::escape_steering;
use pantau_engine::parse::number::{arrow, change_decimals, format_id, shown_decimals};
use pantau_engine::ReadingView;
use std::io::{ErrorKind, Write};

/// `println!` for the CLI: one line on stdout, escaped.
macro_rules! out {
    () => { $crate::output::stdout_line("") };
    ($($arg:tt)*) => { $crate::output::stdout_line(&format!($($arg)*)) };
}

/// `eprintln!` for the CLI: one line on stderr, escaped.
macro_rules! say {
    ($($arg:tt)*) => { $crate::output::stderr_line(&format!($($arg)*)) };
}

pub(crate) use {out, say};

/// Writes `text` and a line break on stdout, escaped and flushed.
pub fn try_stdout_line(text: &str) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", escape_steering(text)).and_then(|()| stdout.flush())
}

/// Writes `text` and a line break on stdout; a reader that has gone ends the program quietly.
pub fn stdout_line(text: &str) {
    if let Err(e) = try_stdout_line(text) {
        if reader_gone(&e) {
            std::process::exit(0);
        }
        let _ = writeln!(
            std::io::stderr(),
            "pantau-cli: cannot write the output: {e}"
        );
        std::process::exit(1);
    }
}

/// Whether a write failed because the reading end of the pipe was closed. Windows says so with
/// its own codes (232 "the pipe is being closed", 233 "no process is on the other end").
fn reader_gone(e: &std::io::Error) -> bool {
    e.kind() == ErrorKind::BrokenPipe
        || (cfg!(windows) && matches!(e.raw_os_error(), Some(232 | 233)))
}

/// Writes `text` and a line break on stderr; a closed stderr is not worth dying for.
pub fn stderr_line(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{}", escape_steering(text));
}

/// A value as indented JSON on stdout. serde_json escapes C0; DEL, C1 and the bidi controls
/// become `\uXXXX` escapes too, so the JSON means the same and shows safely.
pub fn json<T: serde::Serialize>(value: &T, pretty: bool) {
    let text = if pretty {
        serde_json::to_string_pretty(value).unwrap_or_default()
    } else {
        json_line(value)
    };
    stdout_line(&json_escape(&text));
}

/// A value as JSON on one line, every steering character escaped.
pub fn json_line<T: serde::Serialize>(value: &T) -> String {
    json_escape(&serde_json::to_string(value).unwrap_or_default())
}

fn json_escape(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c != '\n' && pantau_engine::parse::is_steering(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// One reading as a line of the `indicators` table (and of `watch`).
pub fn reading_line(r: &ReadingView) -> String {
    let arrow = arrow(r.change);
    let decimals = shown_decimals(r.value);
    let change_decimals = change_decimals(r.change);
    format!(
        "{:<11} {:>12} {} {:>9} {:>7}%  {} {}{}",
        r.symbol,
        format_id(r.value, decimals),
        arrow,
        format_id(r.change, change_decimals),
        format_id(r.change_pct, 2),
        r.observed_at.format("%H:%M WIB"),
        r.source,
        if r.stale { "  [basi]" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::json_escape;

    #[test]
    fn json_keeps_its_meaning_with_steering_characters_escaped() {
        let raw = serde_json::to_string(&"a\u{1b}b\u{7f}c\u{9b}d\u{202e}e").unwrap();
        let escaped = json_escape(&raw);
        assert_eq!(escaped, r#""a\u001bb\u007fc\u009bd\u202ee""#);
        let back: String = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back, "a\u{1b}b\u{7f}c\u{9b}d\u{202e}e");
    }
}
