//! The user's alert words and how a headline is matched against them: whole words, case- and
//! accent-insensitive, a hyphen equal to a space, punctuation around a word allowed, never
//! inside a longer word.

use crate::parse::is_invisible_char;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The longest word or phrase kept, in characters.
pub const MAX_WORD_CHARS: usize = 60;
/// The most words kept.
pub const MAX_WORDS: usize = 100;

/// A headline's (or a word's) comparable tokens: letters and digits, lowercased, accents
/// and invisible characters dropped ("BB\u{200B}CA" is BBCA); everything else separates.
pub fn tokens(text: &str) -> Vec<String> {
    let folded: String = text
        .nfkd()
        .filter(|c| !is_combining_mark(*c) && !is_invisible_char(*c))
        .flat_map(char::to_lowercase)
        .collect();
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// A word as the user typed it, tidied: control characters and repeated spaces gone, trimmed,
/// at most [`MAX_WORD_CHARS`]. `None` when nothing matchable is left.
pub fn clean_word(raw: &str) -> Option<String> {
    let word: String = crate::parse::text::strip_steering(raw)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(MAX_WORD_CHARS)
        .collect();
    (!tokens(&word).is_empty()).then_some(word)
}

/// The list with `added` put in (tidied; a word equal to one already there is not added twice),
/// at most [`MAX_WORDS`] long.
pub fn add_words(list: &[String], added: &[String]) -> Vec<String> {
    let mut out = list.to_vec();
    out.extend(new_words(list, added));
    out.truncate(MAX_WORDS.max(list.len()));
    out
}

/// The words of `added` that `list` does not watch yet, tidied, each once, in their order.
pub fn new_words(list: &[String], added: &[String]) -> Vec<String> {
    let mut new: Vec<String> = Vec::new();
    for word in added.iter().filter_map(|w| clean_word(w)) {
        if !list.iter().chain(&new).any(|w| same_word(w, &word)) {
            new.push(word);
        }
    }
    new
}

/// The list without `removed` (compared as matching compares them).
pub fn remove_words(list: &[String], removed: &[String]) -> Vec<String> {
    list.iter()
        .filter(|w| !removed.iter().any(|r| same_word(w, r)))
        .cloned()
        .collect()
}

/// True when two words match the same headlines ("BI-Rate" and "bi rate").
pub fn same_word(a: &str, b: &str) -> bool {
    tokens(a) == tokens(b)
}

/// The words of `words` found in `title`, in the list's order.
pub fn matched<'w>(title: &str, words: &'w [String]) -> Vec<&'w str> {
    let title = tokens(title);
    words
        .iter()
        .filter(|w| {
            let w = tokens(w);
            !w.is_empty() && title.windows(w.len()).any(|run| run == w.as_slice())
        })
        .map(String::as_str)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(title: &str, word: &str) -> bool {
        !matched(title, &[word.to_string()]).is_empty()
    }

    #[test]
    fn whole_words_any_case_any_accent_hyphen_as_space() {
        assert!(hits("BI Rate Ditahan di 5,75%", "BI Rate"));
        assert!(hits("BI-Rate ditahan", "BI Rate"));
        assert!(hits("bi rate ditahan", "BI-Rate"));
        assert!(hits("Laba (BBCA) naik", "BBCA"));
        assert!(hits("Saham BBCA.", "bbca"));
        assert!(hits("\"BBCA\", kata analis", "BBCA"));
        assert!(hits("Café Rupiah", "cafe"));
        assert!(hits("Cafe Rupiah", "Café"));
        assert!(hits("Suku  Bunga Acuan", "suku bunga"));
        assert!(!hits("BBCAX melonjak", "BBCA"));
        assert!(!hits("Sahamnya naik", "saham"));
        assert!(!hits("Sukubunga", "suku bunga"));
        assert!(!hits("Suku cadang dan bunga", "suku bunga"));
        assert!(!hits("IBBCA", "BBCA"));
    }

    #[test]
    fn invisible_characters_neither_hide_nor_split_a_word() {
        assert!(hits("Saham BB\u{200b}CA naik tajam", "BBCA"));
        assert!(hits(
            "Saham B\u{ad}B\u{2060}C\u{feff}A\u{e0041} naik",
            "BBCA"
        ));
        assert!(hits("Saham BBCA naik", "BB\u{200d}CA"));
        assert!(same_word("BB\u{200b}CA", "bbca"));
        assert!(!hits("BB\u{200b}CAX naik", "BBCA"));
    }

    #[test]
    fn the_list_keeps_one_of_each_word_and_only_real_words() {
        let list = add_words(&[], &["BI Rate".into(), "bi-rate".into(), " BBCA ".into()]);
        assert_eq!(list, ["BI Rate", "BBCA"]);
        assert_eq!(
            add_words(&list, &["--".into(), "\u{1b}]52;x\u{7}".into()]).len(),
            3
        );
        assert_eq!(add_words(&list, &["  ".into()]), list);
        assert_eq!(remove_words(&list, &["bi rate".into()]), ["BBCA"]);
        assert_eq!(clean_word("a\u{202e}b"), Some("ab".into()));
    }
}
