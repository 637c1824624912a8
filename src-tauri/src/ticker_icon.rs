//! The tray icon that carries the ticker: the watchlist's first indicator's change today, drawn
//! at run time ("▲" over "0,47" on the direction's colour) with a font bundled in the binary,
//! so the ticker shows where tray labels do not (KDE, XFCE, Windows, GNOME's extension).

use ab_glyph::{Font, FontRef, Glyph, PxScale, ScaleFont};

/// The icon's size in pixels; tray hosts scale it to their 16–24 px (or 2× on HiDPI).
pub const SIZE: u32 = 32;

/// DejaVu Sans Condensed Bold, cut down to the characters the icon draws
/// (`scripts/subset-tray-font`; license in `icons/fonts/LICENSE-DejaVu`).
const FONT: &[u8] = include_bytes!("../../icons/fonts/tray-digits.ttf");

/// Up, down and unchanged, as the popup colours them.
const UP: [u8; 3] = [0x1a, 0x7f, 0x37];
const DOWN: [u8; 3] = [0xcf, 0x22, 0x2e];
const FLAT: [u8; 3] = [0x57, 0x60, 0x6a];

/// What the icon shows, for a reading whose change today is `change_pct` percent.
#[derive(Debug, Clone, PartialEq)]
pub struct TickerIcon {
    /// "▲", "▼" or "=".
    pub arrow: char,
    /// The change's size in Indonesian format with as many decimals as fit: "0,47", "12,3", "105".
    pub figure: String,
}

impl TickerIcon {
    /// The icon for a change of `change_pct` percent.
    pub fn new(change_pct: f64) -> TickerIcon {
        let size = if change_pct.is_finite() {
            change_pct.abs()
        } else {
            0.0
        };
        let decimals = if size < 10.0 {
            2
        } else if size < 100.0 {
            1
        } else {
            0
        };
        let figure = pantau_engine::parse::number::format_id(size.min(999.0), decimals);
        let arrow = if figure.chars().all(|c| c == '0' || c == ',') {
            '='
        } else if change_pct > 0.0 {
            '▲'
        } else {
            '▼'
        };
        TickerIcon { arrow, figure }
    }

    /// RGBA pixels, `SIZE` × `SIZE`, row by row.
    pub fn render(&self) -> Vec<u8> {
        let mut canvas = Canvas::new(SIZE);
        let colour = match self.arrow {
            '▲' => UP,
            '▼' => DOWN,
            _ => FLAT,
        };
        canvas.rounded_square(colour, 5.0);
        let Ok(font) = FontRef::try_from_slice(FONT) else {
            return canvas.pixels;
        };
        let side = SIZE as f32;
        // The figure fills the width at the bottom; the arrow sits above it.
        canvas.text(&font, &self.figure, side - 3.0, 16.0, side - 3.0);
        canvas.text(&font, &self.arrow.to_string(), 14.0, 13.0, side - 8.0);
        canvas.pixels
    }
}

struct Canvas {
    size: u32,
    pixels: Vec<u8>,
}

impl Canvas {
    fn new(size: u32) -> Canvas {
        Canvas {
            size,
            pixels: vec![0; (size * size * 4) as usize],
        }
    }

    /// Fills the square with `rgb`, its corners rounded by `radius` (anti-aliased by 4×4 samples).
    fn rounded_square(&mut self, rgb: [u8; 3], radius: f32) {
        let side = self.size as f32;
        for y in 0..self.size {
            for x in 0..self.size {
                let mut inside = 0;
                for sy in 0..4 {
                    for sx in 0..4 {
                        let px = x as f32 + (sx as f32 + 0.5) / 4.0;
                        let py = y as f32 + (sy as f32 + 0.5) / 4.0;
                        let cx = px.clamp(radius, side - radius);
                        let cy = py.clamp(radius, side - radius);
                        if (px - cx).powi(2) + (py - cy).powi(2) <= radius * radius {
                            inside += 1;
                        }
                    }
                }
                let i = ((y * self.size + x) * 4) as usize;
                self.pixels[i..i + 3].copy_from_slice(&rgb);
                self.pixels[i + 3] = (inside * 255 / 16) as u8;
            }
        }
    }

    /// Draws `text` in white, centred, as large as fits `max_width` and `max_px`, with its
    /// baseline at `baseline`.
    fn text(&mut self, font: &FontRef<'_>, text: &str, baseline: f32, max_px: f32, max_width: f32) {
        let width_at = |px: f32| {
            let scaled = font.as_scaled(PxScale::from(px));
            text.chars()
                .map(|c| scaled.h_advance(font.glyph_id(c)))
                .sum::<f32>()
        };
        let unit = width_at(1.0);
        let px = if unit > 0.0 {
            (max_width / unit).min(max_px)
        } else {
            max_px
        };
        let scaled = font.as_scaled(PxScale::from(px));
        let mut x = (self.size as f32 - width_at(px)) / 2.0;
        for c in text.chars() {
            let id = font.glyph_id(c);
            let glyph: Glyph = id.with_scale_and_position(px, ab_glyph::point(x, baseline));
            x += scaled.h_advance(id);
            let Some(outline) = font.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            outline.draw(|gx, gy, coverage| {
                let x = bounds.min.x as i32 + gx as i32;
                let y = bounds.min.y as i32 + gy as i32;
                self.blend_white(x, y, coverage);
            });
        }
    }

    fn blend_white(&mut self, x: i32, y: i32, coverage: f32) {
        if x < 0 || y < 0 || x >= self.size as i32 || y >= self.size as i32 {
            return;
        }
        let i = ((y as u32 * self.size + x as u32) * 4) as usize;
        let a = coverage.clamp(0.0, 1.0);
        for c in &mut self.pixels[i..i + 3] {
            *c = (*c as f32 * (1.0 - a) + 255.0 * a).round() as u8;
        }
    }
}
