//! The square the ticker is drawn on: RGBA pixels, a rounded coloured background, white text
//! (anti-aliased from a font, or whole pixels from the pixel font).

use ab_glyph::{Font, FontRef, Glyph, PxScale, ScaleFont};

pub(super) struct Canvas {
    size: u32,
    pub(super) pixels: Vec<u8>,
}

impl Canvas {
    pub(super) fn new(size: u32) -> Canvas {
        Canvas {
            size,
            pixels: vec![0; (size * size * 4) as usize],
        }
    }

    /// Fills the square with `rgb`, its corners rounded by `radius` (anti-aliased by 4×4 samples).
    pub(super) fn rounded_square(&mut self, rgb: [u8; 3], radius: f32) {
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
    pub(super) fn text(
        &mut self,
        font: &FontRef<'_>,
        text: &str,
        baseline: f32,
        max_px: f32,
        max_width: f32,
    ) {
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

    /// Makes the pixel at (`x`, `y`) white (nothing outside the square).
    pub(super) fn white(&mut self, x: i32, y: i32) {
        self.blend_white(x, y, 1.0);
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
