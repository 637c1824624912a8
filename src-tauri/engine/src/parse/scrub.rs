//! The last step of every parser: no string it returns carries a steering character
//! ([`is_steering`](super::text::is_steering)), whichever path through the page produced it, so
//! none reaches the cache, the UI, the tray, a terminal or a log.

use super::text::strip_steering;
use crate::model::{Article, Headline, IndicatorBar, RelatedLink};

fn text(s: &mut String) {
    *s = strip_steering(s);
}

fn maybe(s: &mut Option<String>) {
    if let Some(s) = s {
        text(s);
    }
}

/// The bar with its symbols and rejection reasons scrubbed.
pub fn bar(mut bar: IndicatorBar) -> IndicatorBar {
    bar.readings.iter_mut().for_each(|r| text(&mut r.symbol));
    for r in &mut bar.rejected {
        text(&mut r.symbol);
        text(&mut r.reason);
    }
    bar
}

/// Every headline scrubbed.
pub fn headlines(mut list: Vec<Headline>) -> Vec<Headline> {
    for h in &mut list {
        text(&mut h.title);
        text(&mut h.url);
        maybe(&mut h.channel);
        maybe(&mut h.image_url);
    }
    list
}

/// The article scrubbed, field by field.
pub fn article(mut a: Article) -> Article {
    text(&mut a.url);
    text(&mut a.title);
    for field in [
        &mut a.reporter,
        &mut a.editor,
        &mut a.source,
        &mut a.image_url,
        &mut a.image_caption,
        &mut a.next_page_url,
    ] {
        maybe(field);
    }
    a.paragraphs.iter_mut().for_each(text);
    for RelatedLink { title, url } in &mut a.related {
        text(title);
        text(url);
    }
    a
}
