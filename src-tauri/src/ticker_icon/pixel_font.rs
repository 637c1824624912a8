//! The figures of the small tray icons (16 to 23 px): digits and the decimal comma drawn on whole
//! pixels, no anti-aliasing, so that a 16-px icon reads "0,47" where a font's shrunken outline is
//! a smear.
//!
//! Each digit is drawn on five rows: the top bar, the upper stems, the middle bar, the lower
//! stems and the bottom bar; the stem rows repeat to make the digit taller, and the bar rows to
//! make the strokes bolder.

use super::canvas::Canvas;

/// One width of the pixel font.
pub(super) struct PixelFont {
    /// A digit's width in pixels.
    width: u32,
    /// How many times each bar row is drawn: the strokes' thickness (a digit is
    /// `3 × bar + 2 × stem` pixels tall, the stem rows drawn `stem` times each).
    bar: u32,
    /// The digits' five rows, `#` for a white pixel, from `0` to `9`.
    digits: [[&'static str; 5]; 10],
}

/// Three pixels wide: "0,47" in 13 pixels, for 16 to 19 px.
pub(super) const NARROW: PixelFont = PixelFont {
    width: 3,
    bar: 1,
    digits: [
        ["###", "#.#", "#.#", "#.#", "###"],
        ["##.", ".#.", ".#.", ".#.", "###"],
        ["###", "..#", "###", "#..", "###"],
        ["###", "..#", "###", "..#", "###"],
        ["#.#", "#.#", "###", "..#", "..#"],
        ["###", "#..", "###", "..#", "###"],
        ["###", "#..", "###", "#.#", "###"],
        ["###", "..#", "..#", "..#", "..#"],
        ["###", "#.#", "###", "#.#", "###"],
        ["###", "#.#", "###", "..#", "###"],
    ],
};

/// Four pixels wide, with rounded corners: "0,47" in 16 pixels, for 20 to 23 px.
pub(super) const WIDE: PixelFont = PixelFont {
    width: 4,
    bar: 1,
    digits: [
        [".##.", "#..#", "#..#", "#..#", ".##."],
        [".##.", "..#.", "..#.", "..#.", ".###"],
        [".##.", "...#", ".##.", "#...", "####"],
        ["###.", "...#", ".##.", "...#", "###."],
        ["#..#", "#..#", "####", "...#", "...#"],
        ["####", "#...", "###.", "...#", "###."],
        [".##.", "#...", "###.", "#..#", ".##."],
        ["####", "...#", "..#.", "..#.", "..#."],
        [".##.", "#..#", ".##.", "#..#", ".##."],
        [".##.", "#..#", ".###", "...#", ".##."],
    ],
};

/// Five pixels wide with strokes of two: "0,47" in 20 pixels, for 24 to 31 px.
pub(super) const BOLD: PixelFont = PixelFont {
    width: 5,
    bar: 2,
    digits: [
        ["#####", "##.##", "##.##", "##.##", "#####"],
        [".###.", "..##.", "..##.", "..##.", ".####"],
        ["#####", "...##", "#####", "##...", "#####"],
        ["#####", "...##", ".####", "...##", "#####"],
        ["##.##", "##.##", "#####", "...##", "...##"],
        ["#####", "##...", "#####", "...##", "#####"],
        ["#####", "##...", "#####", "##.##", "#####"],
        ["#####", "...##", "...##", "...##", "...##"],
        ["#####", "##.##", "#####", "##.##", "#####"],
        ["#####", "##.##", "#####", "...##", "#####"],
    ],
};

/// The pixel fonts, widest first.
pub(super) const FONTS: [&PixelFont; 3] = [&BOLD, &WIDE, &NARROW];

/// The arrow's rows (seven pixels wide), drawn over the figure from 24 px.
const ARROWS: [(char, [&str; 4]); 3] = [
    ('▲', ["...#...", "..###..", ".#####.", "#######"]),
    ('▼', ["#######", ".#####.", "..###..", "...#..."]),
    ('=', ["#######", ".......", "#######", "......."]),
];
/// The arrow's height, and the blank rows between it and the figure.
pub(super) const ARROW_HEIGHT: u32 = 4;
pub(super) const ARROW_GAP: u32 = 2;

/// Draws `arrow` ("▲", "▼" or "=") centred on column `centre`, its top at `top`.
pub(super) fn draw_arrow(canvas: &mut Canvas, arrow: char, centre: i32, top: i32) {
    let Some((_, rows)) = ARROWS.iter().find(|(c, _)| *c == arrow) else {
        return;
    };
    for (dy, row) in rows.iter().enumerate() {
        for (dx, cell) in row.bytes().enumerate() {
            if cell == b'#' {
                canvas.white(centre - 3 + dx as i32, top + dy as i32);
            }
        }
    }
}

/// The blank column between two characters.
const GAP: u32 = 1;

impl PixelFont {
    /// A digit's height with its stem rows drawn `stem` times; the comma reaches one pixel lower.
    pub(super) fn height(&self, stem: u32) -> u32 {
        3 * self.bar + 2 * stem
    }

    /// The most times the stem rows may be drawn for digits at most `room` pixels tall (and no
    /// taller than four widths); `None` below two.
    pub(super) fn stem_for(&self, room: u32) -> Option<u32> {
        let room = room.min(4 * self.width);
        let stem = room.checked_sub(3 * self.bar)? / 2;
        (stem >= 2).then_some(stem)
    }

    fn advance(&self, c: char) -> u32 {
        if c == ',' {
            self.bar
        } else {
            self.width
        }
    }

    /// The width of `text` in pixels; `None` when a character is neither a digit nor a comma.
    pub(super) fn width_of(&self, text: &str) -> Option<u32> {
        let mut width = 0;
        for (i, c) in text.chars().enumerate() {
            if !(c.is_ascii_digit() || c == ',') {
                return None;
            }
            width += self.advance(c) + if i > 0 { GAP } else { 0 };
        }
        Some(width)
    }

    /// Draws `text` in white with its top left corner at (`left`, `top`), each stem row drawn
    /// `stem` times.
    pub(super) fn draw(&self, canvas: &mut Canvas, text: &str, left: i32, top: i32, stem: u32) {
        let mut x = left;
        for c in text.chars() {
            if c == ',' {
                // The comma: a stroke's square on the bottom bar, and a pixel below.
                let bottom = top + self.height(stem) as i32 - 1;
                for dy in 0..self.bar as i32 {
                    for dx in 0..self.bar as i32 {
                        canvas.white(x + dx, bottom - dy);
                    }
                }
                canvas.white(x, bottom + 1);
            } else if let Some(rows) = c.to_digit(10).map(|d| self.digits[d as usize]) {
                let mut y = top;
                for (i, row) in rows.iter().enumerate() {
                    let repeat = if i % 2 == 1 { stem } else { self.bar };
                    for _ in 0..repeat {
                        for (dx, cell) in row.bytes().enumerate() {
                            if cell == b'#' {
                                canvas.white(x + dx as i32, y);
                            }
                        }
                        y += 1;
                    }
                }
            }
            x += (self.advance(c) + GAP) as i32;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_digit_is_drawn_on_its_width() {
        for font in FONTS {
            for rows in font.digits {
                assert!(rows.iter().all(|r| r.len() == font.width as usize));
            }
        }
        assert_eq!(NARROW.width_of("0,47"), Some(13));
        assert_eq!(WIDE.width_of("0,47"), Some(16));
        assert_eq!(BOLD.width_of("0,47"), Some(20));
        assert_eq!(WIDE.width_of("▲0,47"), None);
    }
}
