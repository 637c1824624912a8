//! The indicator bar ("EMAS 1.965.000 -1.000 -0,05% | USD/IDR 16.689 79,00 0,47% ...").
//!
//! The bar is found by its content, not by one exact tree: the page's visible text is read
//! as a stream of words, and the bar is the run of market labels each followed by a value,
//! a change and a percentage. Every reading is checked for consistency before it is trusted.
//!
//! Over 400 lines with its tests (the parser itself is under 350).

use super::number::{parse_shown_number, ShownNumber};
use super::text::is_invisible;
use crate::error::{Error, Result};
use crate::model::{Indicator, IndicatorBar, RejectedReading};
use ego_tree::iter::Edge;
use ego_tree::NodeRef;
use scraper::{Html, Node};
use std::borrow::Cow;

/// Labels kontan's bar is known to carry.
pub const KNOWN_SYMBOLS: &[&str] = &[
    "EMAS",
    "USD/IDR",
    "IDX",
    "KOMPAS100",
    "LQ45",
    "ISSI",
    "IDX30",
    "IDXHIDIV20",
    "IDX80",
    "IDXV30",
    "IDXQ30",
];

/// Most words allowed between a label and its three numbers (currency marks and the like).
const MAX_GAP: usize = 2;

#[derive(Debug)]
struct Word<'a> {
    text: Cow<'a, str>,
    /// What the enclosing elements' classes say of the direction: -1 down, 1 up, 0 nothing.
    hint: i8,
}

/// Reads the indicator bar of any kontan page.
pub fn parse_indicators(html: &str) -> Result<IndicatorBar> {
    super::depth::check_nesting(html)?;
    let doc = Html::parse_document(html);
    parse_indicators_in(&doc)
}

/// Reads the indicator bar from an already parsed document.
pub fn parse_indicators_in(doc: &Html) -> Result<IndicatorBar> {
    let mut words = Vec::new();
    collect_words(doc.tree.root(), &mut words);
    let words = merge_fragments(words);
    let hits: Vec<usize> = (0..words.len())
        .filter(|&i| label_of(&words[i].text).is_some())
        .collect();

    let mut best: Option<(usize, IndicatorBar)> = None;
    for run in runs(&hits, &words) {
        let bar = read_run(&run, &words);
        let known = run
            .iter()
            .filter(|&&i| KNOWN_SYMBOLS.contains(&label_of(&words[i].text).unwrap_or_default()))
            .count();
        let credible = known >= 2 || (known >= 1 && !bar.readings.is_empty());
        if credible && best.as_ref().is_none_or(|(k, _)| known > *k) {
            best = Some((known, bar));
        }
    }
    let (_, bar) = best.ok_or(Error::NoIndicatorBar)?;
    if bar.readings.is_empty() {
        let reasons: Vec<String> = bar
            .rejected
            .iter()
            .map(|r| format!("{}: {}", r.symbol, r.reason))
            .collect();
        return Err(Error::IndicatorsRejected(reasons.join("; ")));
    }
    Ok(bar)
}

/// The page's visible words in order, each with the direction its enclosing classes suggest.
/// Walks the tree without recursion, so a page cannot choose the stack depth.
fn collect_words<'a>(root: NodeRef<'a, Node>, out: &mut Vec<Word<'a>>) {
    // The hint in force inside each open element, innermost last.
    let mut hints: Vec<i8> = vec![0];
    let mut skipping: Option<ego_tree::NodeId> = None;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                let hint = *hints.last().unwrap_or(&0);
                match node.value() {
                    Node::Text(t) => {
                        for w in t.split(|c: char| c.is_whitespace() || c == '|' || c == '\u{200b}')
                        {
                            if !w.is_empty() {
                                out.push(Word {
                                    text: Cow::Borrowed(w),
                                    hint,
                                });
                            }
                        }
                    }
                    Node::Element(e) => {
                        if is_invisible(e.name()) {
                            skipping = Some(node.id());
                            continue;
                        }
                        let own = e.attr("class").map(direction_hint).unwrap_or(0);
                        hints.push(if own != 0 { own } else { hint });
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if let Some(id) = skipping {
                    if id == node.id() {
                        skipping = None;
                    }
                    continue;
                }
                if node.value().is_element() {
                    hints.pop();
                }
            }
        }
    }
}

/// Direction suggested by a class attribute ("chg-indikator turun" is down).
fn direction_hint(class: &str) -> i8 {
    let c = class.to_ascii_lowercase();
    let has = |words: &[&str]| {
        words
            .iter()
            .any(|w| c.split([' ', '-', '_']).any(|p| p == *w))
    };
    if has(&["turun", "down", "minus", "negative", "red", "merah", "loss"]) {
        -1
    } else if has(&["naik", "up", "plus", "positive", "green", "hijau", "gain"]) {
        1
    } else {
        0
    }
}

/// Joins words the page split apart: "USD / IDR", "0,47 %", "▲ 79,00", "( 0,47% )".
fn merge_fragments(words: Vec<Word<'_>>) -> Vec<Word<'_>> {
    let label_chars = |t: &str| {
        t.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '/')
    };
    let mut out: Vec<Word> = Vec::with_capacity(words.len());
    let mut prefix = String::new();
    for mut w in words {
        if matches!(
            w.text.as_ref(),
            "(" | "▲" | "▼" | "△" | "▽" | "+" | "-" | "−"
        ) {
            prefix.push_str(&w.text);
            continue;
        }
        if !prefix.is_empty() {
            w.text = Cow::Owned(std::mem::take(&mut prefix) + &w.text);
        }
        if let Some(prev) = out.last_mut() {
            let suffix = matches!(w.text.as_ref(), "%" | ")" | "%)");
            let slash = (w.text.starts_with('/') || prev.text.ends_with('/'))
                && label_chars(&prev.text)
                && label_chars(w.text.trim_end_matches(':'));
            if suffix || slash {
                prev.text.to_mut().push_str(&w.text);
                continue;
            }
        }
        out.push(w);
    }
    out
}

fn is_label_shape(t: &str) -> bool {
    let len = t.chars().count();
    (2..=16).contains(&len)
        && t.chars().any(|c| c.is_ascii_uppercase())
        && t.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '/' | '-' | '&'))
        && t.chars().next().is_some_and(|c| c.is_ascii_uppercase())
}

/// The label a word stands for, if it looks like one ("USD/IDR:" is `USD/IDR`).
fn label_of(word: &str) -> Option<&str> {
    let t = word.trim_end_matches(':');
    if KNOWN_SYMBOLS.contains(&t) || (is_label_shape(t) && !t.ends_with('/') && !t.starts_with('/'))
    {
        Some(t)
    } else {
        None
    }
}

/// Groups label positions into runs that sit close together, as a bar's do.
fn runs(hits: &[usize], words: &[Word<'_>]) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    for &i in hits {
        match out.last_mut() {
            Some(run) if i - run.last().copied().unwrap_or(i) <= 3 + MAX_GAP + 1 => run.push(i),
            _ => out.push(vec![i]),
        }
    }
    // A run only matters if one of its labels is followed by numbers, as a bar's are.
    out.retain(|run| {
        run.iter().any(|&i| {
            let next = words.iter().skip(i + 1).take(3);
            next.filter(|w| w.text.chars().any(|c| c.is_ascii_digit()))
                .count()
                >= 2
        })
    });
    out
}

fn read_run(run: &[usize], words: &[Word<'_>]) -> IndicatorBar {
    let mut bar = IndicatorBar::default();
    for (n, &i) in run.iter().enumerate() {
        let symbol = label_of(&words[i].text).unwrap_or_default().to_string();
        if bar.readings.iter().any(|r| r.symbol == symbol)
            || bar.rejected.iter().any(|r| r.symbol == symbol)
        {
            continue; // sliders repeat the list for a seamless loop
        }
        let end = run
            .get(n + 1)
            .copied()
            .unwrap_or(words.len().min(i + 1 + 3 + MAX_GAP));
        let field: Vec<&Word<'_>> = words[i + 1..end]
            .iter()
            .filter(|w| {
                !matches!(
                    w.text.as_ref(),
                    "Rp" | "Rp." | "US$" | "$" | "=" | ":" | "•" | "·"
                )
            })
            .collect();
        let known = KNOWN_SYMBOLS.contains(&symbol.as_str());
        match reading(&symbol, &field) {
            Ok(r) => bar.readings.push(r),
            Err(reason) if known => bar.rejected.push(RejectedReading { symbol, reason }),
            Err(_) => {}
        }
    }
    bar
}

fn reading(symbol: &str, field: &[&Word<'_>]) -> std::result::Result<Indicator, String> {
    if field.len() < 3 {
        return Err(format!(
            "expected value, change and percent, found {} item(s)",
            field.len()
        ));
    }
    let mut nums: Vec<(ShownNumber, i8)> = Vec::with_capacity(3);
    for w in &field[..3] {
        let n = parse_shown_number(&w.text).map_err(|e| e.to_string())?;
        nums.push((n, w.hint));
    }
    let Some(pct_at) = nums.iter().position(|(n, _)| n.percent) else {
        return Err("no percentage".into());
    };
    if nums.iter().filter(|(n, _)| n.percent).count() > 1 || pct_at == 0 {
        return Err("value, change and percent are not in a recognisable order".into());
    }
    let (value, _) = nums[0];
    let (mut change, change_hint) = nums[if pct_at == 1 { 2 } else { 1 }];
    let (mut pct, pct_hint) = nums[pct_at];
    if value.signed && value.value < 0.0 {
        return Err(format!("negative value {}", value.value));
    }
    // Unsigned numbers take their sign from the element's class, then from their partner.
    for (n, hint) in [(&mut change, change_hint), (&mut pct, pct_hint)] {
        if !n.signed && hint != 0 {
            n.value = n.value.abs() * f64::from(hint);
            n.signed = true;
        }
    }
    if change.signed && !pct.signed {
        pct.value = pct.value.abs().copysign(change.value);
    } else if pct.signed && !change.signed {
        change.value = change.value.abs().copysign(pct.value);
    }
    check_consistency(value, change, pct)?;
    Ok(Indicator {
        symbol: symbol.to_string(),
        value: value.value,
        change: change.value,
        change_pct: pct.value,
    })
}

/// One unit of the last digit shown: the most a displayed number can be off, whether the
/// site rounds or truncates (kontan's bar shows 79 on 16.689 as 0,47%, i.e. 0.4756 cut down).
fn ulp(n: ShownNumber) -> f64 {
    10f64.powi(-(n.decimals as i32))
}

/// Checks that percent ≈ change ÷ (value − change) × 100, allowing for the bar's rounding
/// or truncation of each of the three numbers.
fn check_consistency(
    value: ShownNumber,
    change: ShownNumber,
    pct: ShownNumber,
) -> std::result::Result<(), String> {
    let (v, c, p) = (value.value, change.value, pct.value);
    if v <= 0.0 {
        return Err(format!("value {v} is not positive"));
    }
    if c != 0.0 && p != 0.0 && c.signum() != p.signum() {
        return Err(format!(
            "change {c} and percent {p}% point in opposite directions"
        ));
    }
    let (dv, dc, dp) = (ulp(value), ulp(change), ulp(pct));
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for vv in [v - dv, v + dv] {
        for cc in [c - dc, c + dc] {
            let prev = vv - cc;
            if prev <= 0.0 {
                return Err(format!("previous close {prev} would not be positive"));
            }
            let implied = cc / prev * 100.0;
            lo = lo.min(implied);
            hi = hi.max(implied);
        }
    }
    let slack = 1e-9 + dp;
    if p < lo - slack || p > hi + slack {
        return Err(format!(
            "percent {p}% disagrees with change {c} on value {v} (expected about {:.2}%)",
            c / (v - c) * 100.0
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(html: &str) -> Result<IndicatorBar> {
        parse_indicators(html)
    }

    #[test]
    fn another_markup_with_arrows_and_parentheses() {
        let html = r#"<div class="ticker"><table><tr><td><b>USD/IDR</b></td><td>16.689</td><td class="up">▲ 79,00</td><td>(0,47 %)</td></tr>
            <tr><td><b>IDX</b></td><td>6.778,12</td><td class="down">28,63</td><td class="down">0,42%</td></tr></table></div>"#;
        let b = bar(html).unwrap();
        assert_eq!(b.readings.len(), 2);
        assert_eq!(b.readings[0].symbol, "USD/IDR");
        assert_eq!(b.readings[0].change, 79.0);
        assert_eq!(b.readings[1].change, -28.63);
        assert_eq!(b.readings[1].change_pct, -0.42);
    }

    #[test]
    fn split_label_and_unknown_symbols() {
        let html = "<p>USD / IDR 16.689 −79,00 −0,47%</p><p>EUR/IDR 18.200 100,00 0,55%</p>";
        let b = bar(html).unwrap();
        assert_eq!(b.readings[0].symbol, "USD/IDR");
        assert_eq!(b.readings[0].change, -79.0);
        assert_eq!(b.readings[1].symbol, "EUR/IDR");
    }

    #[test]
    fn inconsistent_reading_rejected_with_reason() {
        let html = "<ul><li>USD/IDR 16.689 79,00 4,70%</li><li>IDX 6.778 28,63 0,42%</li></ul>";
        let b = bar(html).unwrap();
        assert_eq!(b.readings.len(), 1);
        assert_eq!(b.rejected[0].symbol, "USD/IDR");
        assert!(
            b.rejected[0].reason.contains("disagrees"),
            "{}",
            b.rejected[0].reason
        );
    }

    #[test]
    fn garbage_bar_is_an_error_not_zeros() {
        let html = "<ul><li>USD/IDR abc 79,00 0,47%</li><li>IDX NaN x y%</li></ul>";
        match bar(html) {
            Err(Error::IndicatorsRejected(why)) => assert!(why.contains("USD/IDR"), "{why}"),
            other => panic!("expected rejection, got {other:?}"),
        }
    }

    #[test]
    fn page_without_bar() {
        let html = "<p>Saham IDX naik 0,42% pada perdagangan hari ini. LQ45 ikut menguat.</p>";
        assert!(matches!(bar(html), Err(Error::NoIndicatorBar)));
        assert!(matches!(bar(""), Err(Error::NoIndicatorBar)));
    }

    #[test]
    fn repeated_slider_list_is_read_once() {
        let one = "<li>IDX 6.778 28,63 0,42%</li><li>LQ45 761 3,89 0,51%</li>";
        let b = bar(&format!("<ul>{one}{one}</ul>")).unwrap();
        assert_eq!(b.readings.len(), 2);
    }
}
