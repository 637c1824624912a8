//! The tray icon that carries the ticker: the watchlist's first indicator's change today, drawn
//! at run time ("▲" over "0,47" on the direction's colour) with a font bundled in the binary,
//! so the ticker shows where tray labels do not (KDE, XFCE, Windows, GNOME's extension).

mod canvas;
mod pixel_font;

use ab_glyph::FontRef;
use canvas::Canvas;

/// The sizes the tray shows on Windows, 100% to 300% display scaling (the stored drawings in
/// `tests/fixtures/tray-icons/` are these); any size from 12 to 64 px can be drawn.
pub const SIZES: [u32; 6] = [16, 20, 24, 32, 40, 48];
/// The size Linux's and macOS's tray hosts are given (they scale it to their own).
pub const SIZE: u32 = 32;
/// The smallest size drawn: a tray asking for less gets this.
pub const MIN_SIZE: u32 = 12;
/// From this size the pixel drawing has room for the arrow over the figure.
const PIXEL_ARROW_FROM: u32 = 24;
/// The rows left above and below a pixel figure.
const PIXEL_MARGIN: u32 = 2;
/// From this size the font's outlines read better than whole pixels.
const FONT_FROM: u32 = 32;
/// The largest size drawn: a tray asking for more gets this, and scales it.
pub const MAX_SIZE: u32 = 64;

/// The size a drawing for a tray of `px` pixels has (`px` within the sizes drawn).
pub fn drawn_size(px: u32) -> u32 {
    px.clamp(MIN_SIZE, MAX_SIZE)
}

/// DejaVu Sans Condensed Bold, cut down to the characters the icon draws
/// (`scripts/subset-tray-font`; license in `icons/fonts/LICENSE-DejaVu`).
const FONT: &[u8] = include_bytes!("../../../icons/fonts/tray-digits.ttf");

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
    /// The same with one decimal fewer, rounded from the change itself ("0,5", "12"; "105" stays),
    /// for a size too small for `figure`.
    pub shorter: String,
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
        let size = size.min(999.0);
        let figure = pantau_engine::parse::number::format_id(size, decimals);
        let shorter = pantau_engine::parse::number::format_id(size, decimals.saturating_sub(1));
        let arrow = if figure.chars().all(|c| c == '0' || c == ',') {
            '='
        } else if change_pct > 0.0 {
            '▲'
        } else {
            '▼'
        };
        TickerIcon {
            arrow,
            figure,
            shorter,
        }
    }

    /// RGBA pixels, `size` × `size`, row by row: the drawing the tray shows at `size` px
    /// (16 at 100% display scaling on Windows, 20 at 125%, 24 at 150%, 32 at 200%).
    ///
    /// Below 24 px the figure alone in the pixel font, on whole pixels (the colour says the
    /// direction); from 24 px the arrow over it; from 32 px both drawn from the bundled font.
    pub fn render(&self, size: u32) -> Vec<u8> {
        let size = drawn_size(size);
        let mut canvas = Canvas::new(size);
        let colour = match self.arrow {
            '▲' => UP,
            '▼' => DOWN,
            _ => FLAT,
        };
        let scale = size as f32 / 32.0;
        if size < PIXEL_ARROW_FROM {
            canvas.rounded_square(colour, 3.0);
            self.draw_in_pixels(&mut canvas, size, false);
            return canvas.pixels;
        }
        canvas.rounded_square(colour, 5.0 * scale);
        if size < FONT_FROM {
            self.draw_in_pixels(&mut canvas, size, true);
            return canvas.pixels;
        }
        let Ok(font) = FontRef::try_from_slice(FONT) else {
            return canvas.pixels;
        };
        let side = size as f32;
        // The figure fills the width at the bottom; the arrow sits above it.
        canvas.text(
            &font,
            &self.figure,
            side - 3.0 * scale,
            16.0 * scale,
            side - 3.0 * scale,
        );
        canvas.text(
            &font,
            &self.arrow.to_string(),
            14.0 * scale,
            13.0 * scale,
            side - 8.0 * scale,
        );
        canvas.pixels
    }

    /// The figure (under the arrow, `with_arrow`) in the widest pixel font that fits `size` with
    /// a pixel's margin across, as tall as fits with two pixels' margin above and below; with a
    /// decimal fewer when none fits (one legible decimal is better than two unreadable ones).
    fn draw_in_pixels(&self, canvas: &mut Canvas, size: u32, with_arrow: bool) {
        let above = if with_arrow {
            pixel_font::ARROW_HEIGHT + pixel_font::ARROW_GAP
        } else {
            0
        };
        for figure in [&self.figure, &self.shorter] {
            let fits = pixel_font::FONTS.iter().find_map(|font| {
                let width = font.width_of(figure)?;
                // The comma reaches a pixel below the digits.
                let room = size.checked_sub(above + 1 + 2 * PIXEL_MARGIN)?;
                let stem = font.stem_for(room)?;
                (width + 2 <= size).then_some((*font, width, stem))
            });
            if let Some((font, width, stem)) = fits {
                let height = above + font.height(stem) + 1;
                let top = ((size - height) / 2) as i32;
                if with_arrow {
                    pixel_font::draw_arrow(canvas, self.arrow, size as i32 / 2, top);
                }
                let left = ((size - width) / 2) as i32;
                font.draw(canvas, figure, left, top + above as i32, stem);
                return;
            }
        }
        // Never reached: the shorter figure fits every size drawn (MIN_SIZE up).
        pixel_font::NARROW.draw(canvas, &self.shorter, 0, 0, 2);
    }
}
