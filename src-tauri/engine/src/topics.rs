//! What news is "about" an indicator: the words a kontan headline uses for it.

/// An indicator's topic: how the UI names it and the title words that mark its news.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    /// The topic's name in headlines ("rupiah", "IHSG").
    pub label: &'static str,
    /// Title words (lower case) that mark a headline about it.
    pub words: &'static [&'static str],
}

/// The topic of `symbol`: rupiah news for USD/IDR, gold for EMAS, IHSG for the composite, the
/// index's own name (and IHSG, which moves it) for the other indices.
pub fn topic_of(symbol: &str) -> Topic {
    match symbol {
        "USD/IDR" => Topic {
            label: "rupiah",
            words: &["rupiah", "kurs", "usd/idr"],
        },
        "EMAS" => Topic {
            label: "emas",
            words: &["emas", "antam", "gold"],
        },
        "IDX" => Topic {
            label: "IHSG",
            words: &["ihsg", "idx"],
        },
        "KOMPAS100" => index("KOMPAS100", &["kompas100", "ihsg"]),
        "LQ45" => index("LQ45", &["lq45", "ihsg"]),
        "ISSI" => index("ISSI", &["issi", "syariah", "ihsg"]),
        "IDX30" => index("IDX30", &["idx30", "ihsg"]),
        "IDXHIDIV20" => index("IDXHIDIV20", &["idxhidiv20", "dividen", "ihsg"]),
        "IDX80" => index("IDX80", &["idx80", "ihsg"]),
        "IDXV30" => index("IDXV30", &["idxv30", "ihsg"]),
        "IDXQ30" => index("IDXQ30", &["idxq30", "ihsg"]),
        _ => index("IHSG", &["ihsg"]),
    }
}

fn index(label: &'static str, words: &'static [&'static str]) -> Topic {
    Topic { label, words }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rupiah_is_the_topic_of_usd_idr_and_ihsg_of_the_composite() {
        assert_eq!(topic_of("USD/IDR").label, "rupiah");
        assert!(topic_of("USD/IDR").words.contains(&"rupiah"));
        assert_eq!(topic_of("IDX").label, "IHSG");
        assert!(topic_of("LQ45").words.contains(&"ihsg"));
        assert_eq!(topic_of("NOT-A-SYMBOL").label, "IHSG");
    }
}
