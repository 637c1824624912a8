//! Dates as kontan prints them ("Selasa, 29 April 2025 / 08:20 WIB"), in feeds and in metadata.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};

/// Western Indonesian Time, the zone every published time is reported in.
pub fn wib() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("valid offset")
}

fn month_number(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    let w = w.trim_end_matches('.');
    let n = match w {
        "januari" | "jan" | "january" => 1,
        "februari" | "feb" | "pebruari" | "february" => 2,
        "maret" | "mar" | "march" => 3,
        "april" | "apr" => 4,
        "mei" | "may" => 5,
        "juni" | "jun" | "june" => 6,
        "juli" | "jul" | "july" => 7,
        "agustus" | "agu" | "ags" | "agt" | "aug" | "august" => 8,
        "september" | "sep" | "sept" => 9,
        "oktober" | "okt" | "oct" | "october" => 10,
        "november" | "nov" | "nopember" => 11,
        "desember" | "des" | "dec" | "december" => 12,
        _ => return None,
    };
    Some(n)
}

fn zone_offset(word: &str) -> Option<FixedOffset> {
    let hours = match word.to_uppercase().as_str() {
        "WIB" => 7,
        "WITA" => 8,
        "WIT" => 9,
        _ => return None,
    };
    FixedOffset::east_opt(hours * 3600)
}

fn parse_clock(token: &str) -> Option<NaiveTime> {
    let (h, rest) = token.split_once([':', '.'])?;
    let (m, s) = match rest.split_once([':', '.']) {
        Some((m, s)) => (m, Some(s)),
        None => (rest, None),
    };
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let sec = match s {
        Some(s) if s.len() == 2 => s.parse().ok()?,
        Some(_) => return None,
        None => 0,
    };
    NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, sec)
}

/// Finds an Indonesian date (and time) in free text such as
/// "Saham | Selasa, 29 April 2025 / 08:10 WIB" and returns it in WIB.
/// Day and hour may be unpadded; without a time, midnight is assumed.
pub fn find_indonesian_datetime(text: &str) -> Option<DateTime<FixedOffset>> {
    let tokens: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '/' | '|' | '(' | ')' | '-'))
        .filter(|t| !t.is_empty())
        .collect();
    for i in 1..tokens.len().saturating_sub(1) {
        let Some(month) = month_number(tokens[i]) else {
            continue;
        };
        let Ok(day) = tokens[i - 1].parse::<u32>() else {
            continue;
        };
        let year_token = tokens[i + 1];
        if year_token.len() != 4 {
            continue;
        }
        let Ok(year) = year_token.parse::<i32>() else {
            continue;
        };
        let Some(date) = NaiveDate::from_ymd_opt(year, month, day) else {
            continue;
        };
        let rest = &tokens[i + 2..tokens.len().min(i + 5)];
        let time = rest.iter().find_map(|t| parse_clock(t));
        let zone = rest.iter().find_map(|t| zone_offset(t)).unwrap_or_else(wib);
        let local = date.and_time(time.unwrap_or(NaiveTime::MIN));
        let dt = zone.from_local_datetime(&local).single()?;
        return Some(dt.with_timezone(&wib()));
    }
    None
}

/// Parses machine dates found in metadata: RFC 3339 (`2025-04-29T08:20:00+07:00`),
/// RFC 2822 (`Tue, 29 Apr 2025 08:45:00 +0700`) or a bare `2025-04-29 08:20:00` taken as WIB.
pub fn parse_machine_datetime(text: &str) -> Option<DateTime<FixedOffset>> {
    let t = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Some(dt.with_timezone(&wib()));
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(t) {
        return Some(dt.with_timezone(&wib()));
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(t, fmt) {
            return wib().from_local_datetime(&naive).single();
        }
    }
    if let Ok(date) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return wib()
            .from_local_datetime(&date.and_time(NaiveTime::MIN))
            .single();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(dt: Option<DateTime<FixedOffset>>) -> String {
        dt.map(|d| d.to_rfc3339()).unwrap_or_default()
    }

    #[test]
    fn kontan_dates() {
        for (text, expected) in [
            (
                "Selasa, 29 April 2025 / 08:20 WIB",
                "2025-04-29T08:20:00+07:00",
            ),
            (
                "Saham | Senin, 28 April 2025 / 22:10 WIB",
                "2025-04-28T22:10:00+07:00",
            ),
            ("| Rabu, 7 Mei 2025 / 9:05 WIB", "2025-05-07T09:05:00+07:00"),
            (
                "Kamis, 1 Agustus 2024 10.30 WITA",
                "2024-08-01T09:30:00+07:00",
            ),
            ("29 Des 2024", "2024-12-29T00:00:00+07:00"),
        ] {
            assert_eq!(iso(find_indonesian_datetime(text)), expected, "{text}");
        }
    }

    #[test]
    fn non_dates() {
        assert!(find_indonesian_datetime("Rupiah melemah 0,47% ke Rp 16.689").is_none());
        assert!(find_indonesian_datetime("31 Februari 2025 / 08:00 WIB").is_none());
        assert!(find_indonesian_datetime("").is_none());
    }

    #[test]
    fn machine_dates() {
        for (text, expected) in [
            ("2025-04-29 08:20:00", "2025-04-29T08:20:00+07:00"),
            (
                "Tue, 29 Apr 2025 08:45:00 +0700",
                "2025-04-29T08:45:00+07:00",
            ),
            ("2025-04-29T01:20:00Z", "2025-04-29T08:20:00+07:00"),
        ] {
            assert_eq!(iso(parse_machine_datetime(text)), expected, "{text}");
        }
    }
}
