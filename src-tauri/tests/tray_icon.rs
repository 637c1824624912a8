//! The tray icon's ticker: what it says for a change, and pixels equal to the stored renderings
//! in `tests/fixtures/tray-icons/` (the end-to-end suite compares the icon a tray host receives
//! with the same files). `PANTAU_BLESS=1 cargo test -p pantau --test tray_icon` rewrites them
//! after an intended change of the drawing.
#![allow(clippy::unwrap_used)] // test code: a failure here is a failed test

use pantau_lib::ticker_icon::{TickerIcon, SIZE};
use std::path::PathBuf;

fn icon(arrow: char, figure: &str) -> TickerIcon {
    TickerIcon {
        arrow,
        figure: figure.to_string(),
    }
}

#[test]
fn the_figure_is_the_change_with_as_many_decimals_as_fit() {
    assert_eq!(TickerIcon::new(0.47), icon('▲', "0,47"));
    assert_eq!(TickerIcon::new(-1.08), icon('▼', "1,08"));
    assert_eq!(TickerIcon::new(12.345), icon('▲', "12,3"));
    assert_eq!(TickerIcon::new(-250.0), icon('▼', "250"));
    assert_eq!(TickerIcon::new(5000.0), icon('▲', "999"));
    // No change, or one too small to show, is "=" (not an arrow over "0,00").
    assert_eq!(TickerIcon::new(0.0), icon('=', "0,00"));
    assert_eq!(TickerIcon::new(-0.004), icon('=', "0,00"));
    assert_eq!(TickerIcon::new(f64::NAN), icon('=', "0,00"));
}

fn stored(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tray-icons")
        .join(format!("{name}.png"))
}

fn write_png(path: &PathBuf, rgba: &[u8]) {
    let file = std::fs::File::create(path).unwrap();
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), SIZE, SIZE);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .unwrap()
        .write_image_data(rgba)
        .unwrap();
}

#[test]
fn renderings_equal_the_stored_ones() {
    for (change, name) in [
        (0.47, "up-0,47"),
        (1.08, "up-1,08"),
        (-1.08, "down-1,08"),
        (0.0, "flat-0,00"),
        (12.3, "up-12,3"),
    ] {
        let rgba = TickerIcon::new(change).render();
        assert_eq!(rgba.len(), (SIZE * SIZE * 4) as usize);
        let path = stored(name);
        if std::env::var_os("PANTAU_BLESS").is_some() {
            write_png(&path, &rgba);
        }
        let image = tauri::image::Image::from_bytes(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!((image.width(), image.height()), (SIZE, SIZE));
        assert!(image.rgba() == rgba.as_slice(), "{name} drawn differently");
    }
}

#[test]
fn the_figure_and_arrow_are_drawn_on_the_direction_colour() {
    let up = TickerIcon::new(0.47).render();
    let pixel = |img: &[u8], x: u32, y: u32| {
        let i = ((y * SIZE + x) * 4) as usize;
        [img[i], img[i + 1], img[i + 2], img[i + 3]]
    };
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
    assert_ne!(up, TickerIcon::new(0.48).render());
    assert_eq!(
        pixel(&TickerIcon::new(-0.47).render(), 0, SIZE / 2),
        [0xcf, 0x22, 0x2e, 255]
    );
}
