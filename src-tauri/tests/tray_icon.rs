//! The tray icon's ticker: what it says for a change, and pixels equal to the stored drawings
//! in `tests/fixtures/tray-icons/` at every size the Windows tray shows (the end-to-end suite
//! compares the icon a tray host receives, and the `tray-icon` example's files, with the same
//! files). `PANTAU_BLESS=1 cargo test -p pantau --test tray_icon` rewrites them after an intended
//! change of the drawing.
#![allow(clippy::unwrap_used)] // test code: a failure here is a failed test

use pantau_lib::ticker_icon::{TickerIcon, SIZE, SIZES};
use std::path::PathBuf;

fn icon(arrow: char, figure: &str, shorter: &str) -> TickerIcon {
    TickerIcon {
        arrow,
        figure: figure.to_string(),
        shorter: shorter.to_string(),
    }
}

#[test]
fn the_figure_is_the_change_with_as_many_decimals_as_fit() {
    assert_eq!(TickerIcon::new(0.47), icon('▲', "0,47", "0,5"));
    assert_eq!(TickerIcon::new(-1.08), icon('▼', "1,08", "1,1"));
    assert_eq!(TickerIcon::new(12.345), icon('▲', "12,3", "12"));
    assert_eq!(TickerIcon::new(-250.0), icon('▼', "250", "250"));
    assert_eq!(TickerIcon::new(5000.0), icon('▲', "999", "999"));
    // No change, or one too small to show, is "=" (not an arrow over "0,00").
    assert_eq!(TickerIcon::new(0.0), icon('=', "0,00", "0,0"));
    assert_eq!(TickerIcon::new(-0.004), icon('=', "0,00", "0,0"));
    assert_eq!(TickerIcon::new(f64::NAN), icon('=', "0,00", "0,0"));
    // The shorter figure is rounded from the change, not from the rounded figure ("0,45").
    assert_eq!(TickerIcon::new(0.449).shorter, "0,4");
}

fn stored(name: &str, size: u32) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tray-icons")
        .join(format!("{name}-{size}px.png"))
}

fn write_png(path: &PathBuf, rgba: &[u8], size: u32) {
    let file = std::fs::File::create(path).unwrap();
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), size, size);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .unwrap()
        .write_image_data(rgba)
        .unwrap();
}

#[test]
fn drawings_at_every_size_equal_the_stored_ones() {
    for size in SIZES {
        for (change, name) in [
            (0.47, "up-0,47"),
            (1.08, "up-1,08"),
            (-1.08, "down-1,08"),
            (0.0, "flat-0,00"),
            (12.3, "up-12,3"),
            (-250.0, "down-250"),
        ] {
            let rgba = TickerIcon::new(change).render(size);
            assert_eq!(rgba.len(), (size * size * 4) as usize);
            let path = stored(name, size);
            if std::env::var_os("PANTAU_BLESS").is_some() {
                write_png(&path, &rgba, size);
            }
            let image = tauri::image::Image::from_bytes(&std::fs::read(&path).unwrap()).unwrap();
            assert_eq!((image.width(), image.height()), (size, size));
            assert!(
                image.rgba() == rgba.as_slice(),
                "{name} at {size} px drawn differently"
            );
        }
    }
}

/// The pixel at (`x`, `y`) of a `size`-px drawing.
fn pixel(img: &[u8], size: u32, x: u32, y: u32) -> [u8; 4] {
    let i = ((y * size + x) * 4) as usize;
    [img[i], img[i + 1], img[i + 2], img[i + 3]]
}

/// Whether the pixel is white or the background, nothing in between (no anti-aliasing).
fn whole(px: [u8; 4]) -> bool {
    px[..3] == [255, 255, 255] || px[..3] == [0x1a, 0x7f, 0x37] || px[..3] == [0xcf, 0x22, 0x2e]
}

#[test]
fn small_sizes_draw_the_figure_on_whole_pixels_as_large_as_fits() {
    for size in [16, 20, 24] {
        for change in [0.47, -1.08, 12.3] {
            let img = TickerIcon::new(change).render(size);
            let all = (0..size).flat_map(|y| (0..size).map(move |x| (x, y)));
            assert!(
                all.clone().all(|(x, y)| whole(pixel(&img, size, x, y))),
                "{change} at {size} px has blended pixels"
            );
            // The figure is at least half the icon's height, and two thirds of its width.
            let white: Vec<(u32, u32)> = all
                .filter(|&(x, y)| pixel(&img, size, x, y)[..3] == [255, 255, 255])
                .collect();
            let rows =
                white.iter().map(|p| p.1).max().unwrap() - white.iter().map(|p| p.1).min().unwrap();
            let columns =
                white.iter().map(|p| p.0).max().unwrap() - white.iter().map(|p| p.0).min().unwrap();
            assert!(rows * 2 >= size, "{change} at {size} px: {rows} rows");
            assert!(
                columns * 3 >= size * 2,
                "{change} at {size} px: {columns} columns"
            );
        }
    }
    // Each figure its own pixels at 16 px: "0,47" and "0,48" differ.
    assert_ne!(
        TickerIcon::new(0.47).render(16),
        TickerIcon::new(0.48).render(16)
    );
}

#[test]
fn the_figure_and_arrow_are_drawn_on_the_direction_colour() {
    let up = TickerIcon::new(0.47).render(SIZE);
    let pixel = |img: &[u8], x: u32, y: u32| pixel(img, SIZE, x, y);
    // Corners are rounded off (transparent), the middle of an edge is the colour.
    assert_eq!(pixel(&up, 0, 0)[3], 0);
    assert_eq!(pixel(&up, 0, SIZE / 2), [0x1a, 0x7f, 0x37, 255]);
    let white = |img: &[u8], rows: std::ops::Range<u32>| {
        rows.flat_map(|y| (0..SIZE).map(move |x| (x, y)))
            .filter(|&(x, y)| pixel(img, x, y)[..3] == [255, 255, 255])
            .count()
    };
    assert!(white(&up, 0..SIZE / 2) > 10, "the arrow is drawn above");
    assert!(white(&up, SIZE / 2..SIZE) > 30, "the figure is drawn below");
    // Another figure, other pixels; the other direction, another colour.
    assert_ne!(up, TickerIcon::new(0.48).render(SIZE));
    assert_eq!(
        pixel(&TickerIcon::new(-0.47).render(SIZE), 0, SIZE / 2),
        [0xcf, 0x22, 0x2e, 255]
    );
}
