//! Linux: the tray label's width held still as it turns. GNOME Shell's AppIndicator extension
//! shows the label in the panel's font (the desktop's interface font, bold); "EMAS" and "IDX"
//! are not as wide as each other in it, so padding by characters moves the icons beside the
//! label. Each label is measured in that font (Pango, as the Shell draws it) and padded inside,
//! before its change, with spaces of known widths until all are equally wide.

use pango::prelude::FontMapExt;

/// The desktop's interface font when its setting cannot be read (GNOME's default).
const DEFAULT_FONT: &str = "Cantarell 11";

/// Spaces whose widths add up to a label's shortfall: figure, punctuation, thin, hair, plain.
const PADS: [char; 5] = ['\u{2007}', '\u{2008}', '\u{2009}', '\u{200A}', ' '];
/// At most this many of each space but the widest (which makes up the bulk).
const FEW: usize = 3;
/// At most this many figure spaces.
const MANY: usize = 40;

/// The panel's font: the desktop's interface font (GNOME's setting), bold as the panel shows it.
fn panel_font() -> pango::FontDescription {
    let name = gio::SettingsSchemaSource::default()
        .and_then(|source| source.lookup("org.gnome.desktop.interface", true))
        .map(|_| gio::Settings::new("org.gnome.desktop.interface"))
        .map(|settings| gio::prelude::SettingsExt::string(&settings, "font-name").to_string())
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_FONT.to_string());
    let mut font = pango::FontDescription::from_string(&name);
    font.set_weight(pango::Weight::Bold);
    font
}

/// Measures text in one font, in Pango units (1/1024 px).
struct Ruler {
    layout: pango::Layout,
}

impl Ruler {
    fn new(font: &pango::FontDescription) -> Ruler {
        // The thread's own font map, kept by Pango between updates (a new one each time would
        // load the fonts again).
        let context = pangocairo::FontMap::default().create_context();
        let layout = pango::Layout::new(&context);
        layout.set_font_description(Some(font));
        Ruler { layout }
    }

    fn width(&self, text: &str) -> i32 {
        self.layout.set_text(text);
        self.layout.size().0
    }
}

/// `texts` padded to one width in the panel's font; `None` when the font cannot be measured.
pub fn steady_labels(texts: &[String]) -> Option<Vec<String>> {
    steady_in(texts, &panel_font())
}

fn steady_in(texts: &[String], font: &pango::FontDescription) -> Option<Vec<String>> {
    let ruler = Ruler::new(font);
    let widths: Vec<i32> = texts.iter().map(|t| ruler.width(t)).collect();
    let widest = *widths.iter().max()?;
    if widest <= 0 {
        return None;
    }
    // A space's width, measured over ten of them (spaces do not kern).
    let pads: Vec<i32> = PADS
        .iter()
        .map(|c| ruler.width(&c.to_string().repeat(10)) / 10)
        .collect();
    Some(
        texts
            .iter()
            .zip(widths)
            .map(|(text, width)| padded(text, widest - width, &pads))
            .collect(),
    )
}

/// `text` with spaces before its change ("USD/IDR 16.689⟨here⟩ ▲0,47%") making up `shortfall`
/// Pango units as nearly as the spaces' `widths` allow.
fn padded(text: &str, shortfall: i32, widths: &[i32]) -> String {
    if shortfall <= 0 {
        return text.to_string();
    }
    let mut best = (i32::MAX, Vec::new());
    let limits = [MANY, FEW, FEW, FEW, FEW];
    let mut counts = [0usize; 5];
    loop {
        let sum: i32 = counts.iter().zip(widths).map(|(n, w)| *n as i32 * w).sum();
        let miss = (shortfall - sum).abs();
        if miss < best.0 {
            best = (miss, counts.to_vec());
        }
        // The next combination of counts (an odometer).
        let mut i = 0;
        while i < counts.len() {
            counts[i] += 1;
            if counts[i] <= limits[i] {
                break;
            }
            counts[i] = 0;
            i += 1;
        }
        if i == counts.len() {
            break;
        }
    }
    let pad: String = best
        .1
        .iter()
        .zip(PADS)
        .flat_map(|(n, c)| std::iter::repeat_n(c, *n))
        .collect();
    // Inside the label, where no trimming of its ends can take it away: before the change.
    let at = text
        .rfind(['▲', '▼', '='])
        .and_then(|arrow| text[..arrow].rfind(' '))
        .unwrap_or(text.len());
    format!("{}{pad}{}", &text[..at], &text[at..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> Vec<String> {
        [
            "USD/IDR 16.689 ▲0,47%",
            "IDX 7.100,50 ▼1,20%",
            "EMAS 2.361.000 ▲0,43% ⚠",
            "IDXHIDIV20 512,34 =0,00%",
            "LQ45 812,10 ▼12,30%",
        ]
        .map(String::from)
        .to_vec()
    }

    /// The earlier padding: figure spaces up to the longest label's count of characters.
    fn by_characters(texts: &[String]) -> Vec<String> {
        let longest = texts.iter().map(|t| t.chars().count()).max().unwrap_or(0);
        texts
            .iter()
            .map(|t| t.clone() + &"\u{2007}".repeat(longest - t.chars().count()))
            .collect()
    }

    #[test]
    fn every_label_is_as_wide_as_the_widest_to_the_pixel() {
        for name in [
            "Cantarell 11",
            "DejaVu Sans 10",
            "Noto Sans 13",
            DEFAULT_FONT,
        ] {
            let mut font = pango::FontDescription::from_string(name);
            font.set_weight(pango::Weight::Bold);
            let ruler = Ruler::new(&font);
            let texts = labels();
            let steady = steady_in(&texts, &font).unwrap();
            let px: Vec<f64> = steady
                .iter()
                .map(|t| ruler.width(t) as f64 / pango::SCALE as f64)
                .collect();
            let (min, max) = px
                .iter()
                .fold((f64::MAX, 0.0f64), |(a, b), w| (a.min(*w), b.max(*w)));
            assert!(max - min < 1.0, "{name}: widths {px:?}");
            // The padding sits inside, before the change; the label reads the same.
            for (padded, text) in steady.iter().zip(&texts) {
                assert!(!padded.ends_with(PADS), "{padded:?}");
                let unpadded: String = padded
                    .chars()
                    .filter(|c| !"\u{2007}\u{2008}\u{2009}\u{200A}".contains(*c))
                    .collect();
                assert_eq!(
                    unpadded.split_whitespace().collect::<Vec<_>>(),
                    text.split_whitespace().collect::<Vec<_>>()
                );
            }
            // Padding by characters (figure spaces to one length) left them pixels apart.
            let by_chars = by_characters(&texts);
            let spread = by_chars
                .iter()
                .map(|t| ruler.width(t))
                .fold((i32::MAX, 0), |(a, b), w| (a.min(w), b.max(w)));
            assert!(
                (spread.1 - spread.0) as f64 / pango::SCALE as f64 >= 2.0,
                "{name}: the old padding was already steady"
            );
        }
    }
}
