//! Numbers as kontan prints them: `.` groups thousands, `,` is the decimal mark.

/// A number read from the page, with what the text said about its sign and precision.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShownNumber {
    /// The value, with the sign applied.
    pub value: f64,
    /// Whether the text carried a sign (`+`, `-`, `−`, `▲`, `▼`).
    pub signed: bool,
    /// Whether the text ended with `%`.
    pub percent: bool,
    /// Digits after the decimal mark (for rounding tolerance).
    pub decimals: u32,
}

/// Why a piece of text is not a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotANumber(pub String);

impl std::fmt::Display for NotANumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "'{}' is not a number", self.0)
    }
}

const UP_MARKS: &[char] = &['▲', '△', '↑', '⬆', '+'];
const DOWN_MARKS: &[char] = &['▼', '▽', '↓', '⬇', '-', '−', '–'];

/// Parses an Indonesian-format number such as `1.965.000`, `79,00`, `-0,05%`,
/// `(▲0,47%)` or `−1.000`. English format (`16,689.50`) is accepted when unambiguous.
pub fn parse_shown_number(text: &str) -> Result<ShownNumber, NotANumber> {
    let fail = || NotANumber(text.trim().to_string());
    let mut s: &str = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{200b}');
    if let Some(inner) = s.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        s = inner.trim();
    }
    let mut negative = false;
    let mut signed = false;
    while let Some(c) = s
        .chars()
        .next()
        .filter(|c| UP_MARKS.contains(c) || DOWN_MARKS.contains(c))
    {
        let down = DOWN_MARKS.contains(&c);
        if signed && down != negative {
            return Err(fail());
        }
        negative = down;
        signed = true;
        s = s[c.len_utf8()..].trim_start();
    }
    let percent = s.ends_with('%');
    if percent {
        s = s[..s.len() - 1].trim_end();
    }
    let (digits, decimals) = canonical_digits(s).ok_or_else(fail)?;
    let magnitude: f64 = digits.parse().map_err(|_| fail())?;
    if !magnitude.is_finite() {
        return Err(fail());
    }
    Ok(ShownNumber {
        value: if negative { -magnitude } else { magnitude },
        signed,
        percent,
        decimals,
    })
}

/// Parses a number and returns only its value.
pub fn parse_number(text: &str) -> Option<f64> {
    parse_shown_number(text).ok().map(|n| n.value)
}

/// Turns `1.965.000,50` into `1965000.50` (and the count of decimals), or `None`.
fn canonical_digits(s: &str) -> Option<(String, u32)> {
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return None;
    }
    let last_dot = s.rfind('.');
    let last_comma = s.rfind(',');
    let decimal_mark = match (last_dot, last_comma) {
        (None, None) => None,
        (Some(d), Some(c)) => Some(if d > c { '.' } else { ',' }),
        // "79,00" and "1,965" are decimals the Indonesian way; "16,689,000" is English grouping.
        (None, Some(_)) => (s.matches(',').count() == 1).then_some(','),
        (Some(_), None) => {
            if is_grouped(s, '.') {
                None
            } else if s.matches('.').count() == 1 {
                Some('.')
            } else {
                return None;
            }
        }
    };
    let (int_part, frac_part) = match decimal_mark {
        Some(mark) => {
            let at = s.rfind(mark)?;
            (&s[..at], &s[at + 1..])
        }
        None => (s, ""),
    };
    if frac_part.contains(['.', ',']) || (decimal_mark.is_some() && frac_part.is_empty()) {
        return None;
    }
    let group = match decimal_mark {
        Some(',') => '.',
        Some(_) => ',',
        None => {
            if int_part.contains('.') {
                '.'
            } else {
                ','
            }
        }
    };
    if int_part.contains(['.', ',']) && !is_grouped(int_part, group) {
        return None;
    }
    let int_digits: String = int_part.chars().filter(char::is_ascii_digit).collect();
    if int_digits.is_empty() {
        return None;
    }
    let mut out = int_digits;
    if !frac_part.is_empty() {
        out.push('.');
        out.push_str(frac_part);
    }
    Some((out, frac_part.len() as u32))
}

/// True when `s` is digits grouped by threes with `sep` ("1.965.000").
fn is_grouped(s: &str, sep: char) -> bool {
    let mut groups = s.split(sep);
    let first = groups.next().unwrap_or("");
    let mut any = false;
    let ok_first =
        !first.is_empty() && first.len() <= 3 && first.chars().all(|c| c.is_ascii_digit());
    for g in groups {
        any = true;
        if g.len() != 3 || !g.chars().all(|c| c.is_ascii_digit()) {
            return false;
        }
    }
    any && ok_first
}

/// Formats a number the Indonesian way with a fixed number of decimals:
/// `format_id(16689.0, 0)` is `16.689`, `format_id(-0.05, 2)` is `-0,05`.
pub fn format_id(value: f64, decimals: usize) -> String {
    let fixed = format!("{:.*}", decimals, value.abs());
    let (int_part, frac_part) = fixed.split_once('.').unwrap_or((&fixed, ""));
    let mut grouped = String::with_capacity(int_part.len() + int_part.len() / 3);
    for (i, c) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(c);
    }
    let is_zero = fixed.chars().all(|c| c == '0' || c == '.');
    let mut out = String::new();
    if value < 0.0 && !is_zero {
        out.push('-');
    }
    out.push_str(&grouped);
    if !frac_part.is_empty() {
        out.push(',');
        out.push_str(frac_part);
    }
    out
}

/// The arrow a move is shown with: ▲ up, ▼ down, = unchanged.
pub fn arrow(change: f64) -> &'static str {
    if change > 0.0 {
        "▲"
    } else if change < 0.0 {
        "▼"
    } else {
        "="
    }
}

/// Decimals to show a value with, as the bar does: none for whole numbers, else two.
/// A whole change this large or larger is shown without decimals ("-1.000"); smaller ones keep
/// two ("+79,00").
pub const WHOLE_CHANGE_FROM: f64 = 100.0;

/// The decimals a change is shown with (the UI learns the rule from `meta`).
pub fn change_decimals(change: f64) -> usize {
    if change.fract() == 0.0 && change.abs() >= WHOLE_CHANGE_FROM {
        0
    } else {
        2
    }
}

/// The decimals a value is shown with: whole numbers without.
pub fn shown_decimals(value: f64) -> usize {
    if value.fract() == 0.0 {
        0
    } else {
        2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> f64 {
        parse_number(s).unwrap_or_else(|| panic!("{s} should parse"))
    }

    #[test]
    fn indonesian_format() {
        assert_eq!(v("1.965.000"), 1_965_000.0);
        assert_eq!(v("16.689"), 16_689.0);
        assert_eq!(v("79,00"), 79.0);
        assert_eq!(v("-0,05%"), -0.05);
        assert_eq!(v("−1.000"), -1000.0);
        assert_eq!(v("+28,63"), 28.63);
        assert_eq!(v("1.234,56"), 1234.56);
        assert_eq!(v("979"), 979.0);
    }

    #[test]
    fn decorations_are_tolerated() {
        assert_eq!(v("(0,47%)"), 0.47);
        assert_eq!(v("▲79,00"), 79.0);
        assert_eq!(v("▼ 1.000"), -1000.0);
        assert_eq!(v("\u{a0}0,47 %\u{a0}"), 0.47);
        assert_eq!(v("▼-1.000"), -1000.0);
        let n = parse_shown_number("(-0,05%)").unwrap();
        assert!(n.signed && n.percent && n.decimals == 2);
    }

    #[test]
    fn english_format_when_unambiguous() {
        assert_eq!(v("16,689.50"), 16689.5);
        assert_eq!(v("1,965,000"), 1_965_000.0);
        assert_eq!(v("0.47"), 0.47);
    }

    #[test]
    fn garbage_is_refused() {
        for s in [
            "", "-", "%", "abc", "1.2.3", "12,34,5", "1..000", ",5", "5,", "1.965.00", "NaN",
            "inf", "▲-5", "1e5", "12a", "--",
        ] {
            assert!(parse_number(s).is_none(), "{s:?} should not parse");
        }
    }

    #[test]
    fn formats_like_kontan() {
        assert_eq!(format_id(16689.0, 0), "16.689");
        assert_eq!(format_id(1_965_000.0, 0), "1.965.000");
        assert_eq!(format_id(79.0, 2), "79,00");
        assert_eq!(format_id(-0.05, 2), "-0,05");
        assert_eq!(format_id(-0.001, 2), "0,00");
        assert_eq!(format_id(999.0, 0), "999");
        assert_eq!(format_id(1000.0, 0), "1.000");
    }
}
