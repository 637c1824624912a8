//! Writes the tray icon Pantau would show at a size for a day's change, exactly as the app draws
//! it: `cargo run --release -p pantau --example tray-icon -- --size 16 --change=-1.08 icon.png`.

use pantau_lib::ticker_icon::{TickerIcon, MAX_SIZE, MIN_SIZE};
use std::process::ExitCode;

const USAGE: &str =
    "usage: tray-icon --size N --change PCT FILE.png  (e.g. --size 16 --change=-1.08 icon.png)";

struct Asked {
    size: u32,
    change: f64,
    file: std::path::PathBuf,
}

fn parse(args: &[String]) -> Result<Asked, String> {
    let (mut size, mut change, mut file) = (None, None, None);
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = || {
            inline.clone().map(Ok).unwrap_or_else(|| {
                i += 1;
                args.get(i).cloned().ok_or(format!("{name} needs a value"))
            })
        };
        match name {
            "--size" => {
                let v = value()?;
                size = Some(
                    v.parse::<u32>()
                        .ok()
                        .filter(|n| (MIN_SIZE..=MAX_SIZE).contains(n))
                        .ok_or(format!(
                            "--size {v}: a whole number of pixels from {MIN_SIZE} to {MAX_SIZE}"
                        ))?,
                );
            }
            "--change" => {
                let v = value()?;
                change = Some(
                    v.replace(',', ".")
                        .parse::<f64>()
                        .ok()
                        .filter(|c| c.is_finite())
                        .ok_or(format!(
                            "--change {v}: a percent change, such as 0.47 or -1.08"
                        ))?,
                );
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            _ if name.starts_with("--") => return Err(format!("unknown option {name}")),
            _ if file.is_none() => file = Some(std::path::PathBuf::from(arg)),
            _ => return Err(format!("one file only ({arg})")),
        }
        i += 1;
    }
    match (size, change, file) {
        (Some(size), Some(change), Some(file)) => Ok(Asked { size, change, file }),
        _ => Err(USAGE.to_string()),
    }
}

fn write_png(asked: &Asked) -> Result<(), String> {
    let rgba = TickerIcon::new(asked.change).render(asked.size);
    let error = |e: &dyn std::fmt::Display| format!("{}: {e}", asked.file.display());
    let file = std::fs::File::create(&asked.file).map_err(|e| error(&e))?;
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), asked.size, asked.size);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .and_then(|mut w| w.write_image_data(&rgba))
        .map_err(|e| error(&e))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match parse(&args).and_then(|asked| write_png(&asked)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tray-icon: {e}");
            ExitCode::from(2)
        }
    }
}
