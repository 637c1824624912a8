//! Linux: the tray icon as a file the tray host can always read.
//!
//! An AppIndicator names its icon by a PNG file's path, and the host loads that file when it
//! learns the name, a moment later and on its own time. tray-icon's `set_icon` deletes the file
//! on show before it writes and names the next one, so a host that loads the old name late (GNOME
//! Shell's AppIndicator extension, right after the item registers) finds no image ("Failed to
//! recognize image format"). Here each drawing is written whole under a temporary name and
//! renamed into place before it is named, and the file before it stays until the next change.

use std::collections::VecDeque;
use std::fs;
use std::io;
use std::mem::ManuallyDrop;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tauri::image::Image;
use tauri::tray::TrayIcon;
use tauri::Runtime;

/// How many of Pantau's icon files stay on disk: the one named and the one before it.
const KEPT: usize = 2;

/// The files written so far, oldest first, and the number of the next.
struct Files {
    written: VecDeque<PathBuf>,
    next: u64,
}

static FILES: Mutex<Files> = Mutex::new(Files {
    written: VecDeque::new(),
    next: 0,
});

/// The folder for Pantau's icon files: the session's runtime folder (private to the user and
/// emptied at logout), else a folder of the user's own in the temporary folder.
fn folder() -> io::Result<PathBuf> {
    let dir = match std::env::var_os("XDG_RUNTIME_DIR").filter(|d| !d.is_empty()) {
        Some(runtime) => PathBuf::from(runtime).join("pantau"),
        // SAFETY: getuid has no preconditions.
        None => std::env::temp_dir().join(format!("pantau-{}", unsafe { libc::getuid() })),
    };
    pantau_engine::store::owner_only::create_folder(&dir)?;
    // A folder another user made in a shared temporary folder is not ours to write in.
    let meta = fs::symlink_metadata(&dir)?;
    // SAFETY: getuid has no preconditions.
    if !meta.is_dir() || meta.uid() != unsafe { libc::getuid() } {
        return Err(io::Error::other(format!(
            "{} is not a folder of this user's",
            dir.display()
        )));
    }
    Ok(dir)
}

/// `image` as PNG bytes.
fn png_bytes(image: &Image<'_>) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, image.width(), image.height());
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(io::Error::other)?;
    writer
        .write_image_data(image.rgba())
        .map_err(io::Error::other)?;
    writer.finish().map_err(io::Error::other)?;
    Ok(bytes)
}

/// Writes `bytes` whole at `path`: under a temporary name first, renamed into place.
fn write_whole(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let part = path.with_extension("png.part");
    let result = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&part)
        .and_then(|mut file| io::Write::write_all(&mut file, bytes))
        .and_then(|()| fs::rename(&part, path));
    if result.is_err() {
        let _ = fs::remove_file(&part);
    }
    result
}

/// Removes icon files that runs of Pantau which no longer run left behind (ones that did not
/// end cleanly); a Pantau running in another session keeps its own.
fn remove_leftovers(dir: &Path) {
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(pid) = name
            .strip_prefix("tray-")
            .and_then(|rest| rest.split('-').next())
            .filter(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        if !Path::new("/proc").join(pid).exists() {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Shows `image` as the tray's icon: written whole, then named to the host, then the file
/// before the previous one removed.
pub fn show<R: Runtime>(tray: &TrayIcon<R>, image: &Image<'_>) -> io::Result<()> {
    let bytes = png_bytes(image)?;
    let dir = folder()?;
    let number = {
        let mut files = FILES.lock().unwrap_or_else(|p| p.into_inner());
        files.next += 1;
        files.next - 1
    };
    if number == 0 {
        remove_leftovers(&dir);
    }
    let path = dir.join(format!("tray-{}-{number}.png", std::process::id()));
    write_whole(&path, &bytes)?;
    // The list is not locked while the main thread is waited for.
    let name = path.to_string_lossy().to_string();
    let named = tray.with_inner_tray_icon(move |inner| {
        // SAFETY: the pointer is valid while `inner` is (this closure runs on the main thread,
        // where the indicator lives). `AppIndicator` is a handle to the C object with no `Drop`;
        // the copy is never dropped, so the object is neither freed nor borrowed twice in Rust.
        let mut indicator = ManuallyDrop::new(unsafe { std::ptr::read(inner.app_indicator()) });
        indicator.set_icon_full(&name, "Pantau");
    });
    if let Err(e) = named {
        let _ = fs::remove_file(&path);
        return Err(io::Error::other(e));
    }
    let mut files = FILES.lock().unwrap_or_else(|p| p.into_inner());
    files.written.push_back(path);
    while files.written.len() > KEPT {
        if let Some(old) = files.written.pop_front() {
            let _ = fs::remove_file(old);
        }
    }
    Ok(())
}

/// Removes Pantau's icon files (at exit).
pub fn remove_all() {
    let mut files = FILES.lock().unwrap_or_else(|p| p.into_inner());
    for path in files.written.drain(..) {
        let _ = fs::remove_file(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_icon_is_written_whole_as_png() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("tray-1-0.png");
        let image = Image::new_owned(vec![255; 4 * 4 * 4], 4, 4);
        write_whole(&path, &png_bytes(&image).expect("png")).expect("written");
        let decoder = png::Decoder::new(io::BufReader::new(fs::File::open(&path).expect("file")));
        let info = decoder.read_info().expect("a whole PNG").info().clone();
        assert_eq!((info.width, info.height), (4, 4));
        let names: Vec<_> = fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("tray-1-0.png")]);
    }
}
