//! Linux: the tray icon as a file the tray host can always read, in a folder no one else can
//! write in.
//!
//! An AppIndicator names its icon by a PNG file's path, and the host loads that file when it
//! learns the name, a moment later and on its own time. tray-icon's `set_icon` deletes the file
//! on show before it writes and names the next one, so a host that loads the old name late (GNOME
//! Shell's AppIndicator extension, right after the item registers) finds no image ("Failed to
//! recognize image format"). Here each drawing is written whole under a temporary name and
//! renamed into place before it is named, and the file before it stays until the next change.
//!
//! Every icon file, tray-icon's first one included (the tray is built with this folder as its
//! `temp_dir_path`), lives in a folder that is this user's, 0700 and not a link: the session's
//! runtime folder, else `pantau-<uid>` in the temporary folder, else (that name taken by someone
//! else) a fresh folder with a random name. Files are created new, never through a link.

use pantau_engine::sync::Locked;
use std::collections::VecDeque;
use std::fs;
use std::io;
use std::mem::ManuallyDrop;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tauri::image::Image;
use tauri::tray::TrayIcon;
use tauri::Runtime;

/// How many of Pantau's icon files stay on disk: the one named and the one before it.
const KEPT: usize = 2;

/// The tray's icon files: their private folder, and those written so far (the platform's
/// `TrayIcons`, which the tray keeps).
pub struct TrayIcons {
    folder: PrivateFolder,
    written: Mutex<Written>,
}

/// The files written so far, oldest first, and the number of the next.
#[derive(Default)]
struct Written {
    files: VecDeque<PathBuf>,
    next: u64,
}

/// A folder of this user's alone; a random one is removed when Pantau ends.
enum PrivateFolder {
    Named(PathBuf),
    Random(tempfile::TempDir),
}

impl PrivateFolder {
    fn path(&self) -> &Path {
        match self {
            PrivateFolder::Named(p) => p,
            PrivateFolder::Random(t) => t.path(),
        }
    }
}

fn uid() -> u32 {
    // SAFETY: getuid has no preconditions.
    unsafe { libc::getuid() }
}

/// `dir` made (0700) or taken as this user's: a real folder, not a link, owned by this user,
/// group and other access taken away; an error otherwise.
fn own_folder(dir: &Path) -> io::Result<()> {
    match fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    let meta = fs::symlink_metadata(dir)?;
    if !meta.is_dir() || meta.uid() != uid() {
        return Err(io::Error::other(format!(
            "{} is not a folder of this user's",
            dir.display()
        )));
    }
    if meta.mode() & 0o077 != 0 {
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Whether `dir` is a real folder of this user's that no one else may write in.
fn is_ours(dir: &Path) -> bool {
    fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir() && m.uid() == uid() && m.mode() & 0o022 == 0)
}

/// The folder for the icon files (see the module's notes).
fn private_folder() -> io::Result<PrivateFolder> {
    let runtime = std::env::var_os("XDG_RUNTIME_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from);
    let named = match runtime {
        // The session's runtime folder (the user's, 0700): Pantau's sub-folder in it.
        Some(runtime) if is_ours(&runtime) => runtime.join("pantau"),
        _ => std::env::temp_dir().join(format!("pantau-{}", uid())),
    };
    match own_folder(&named) {
        Ok(()) => Ok(PrivateFolder::Named(named)),
        Err(e) => {
            log::warn!("tray icon: {e}: a folder with a random name is used instead");
            let random = tempfile::Builder::new()
                .prefix(&format!("pantau-{}-", uid()))
                .permissions(fs::Permissions::from_mode(0o700))
                .tempdir()?;
            // Made new under a name no one could guess; 0700 whatever the umask.
            fs::set_permissions(random.path(), fs::Permissions::from_mode(0o700))?;
            Ok(PrivateFolder::Random(random))
        }
    }
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

/// Writes `bytes` whole at `path`: into a new file under a temporary name first (never opened
/// through a link, never one that was there), renamed into place.
fn write_whole(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let part = path.with_extension("png.part");
    let _ = fs::remove_file(&part);
    let result = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .custom_flags(libc::O_NOFOLLOW)
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

impl TrayIcons {
    /// The icon files' folder, made or checked now.
    pub fn new() -> io::Result<TrayIcons> {
        let folder = private_folder()?;
        remove_leftovers(folder.path());
        Ok(TrayIcons {
            folder,
            written: Mutex::default(),
        })
    }

    fn folder(&self) -> &Path {
        self.folder.path()
    }

    /// The folder tray-icon writes its own files in (the tray is built with it).
    pub fn temp_dir(&self) -> Option<&Path> {
        Some(self.folder())
    }

    /// Shows `image` as the tray's icon: written whole, then named to the host, then the file
    /// before the previous one removed. True: shown here (tray-icon's `set_icon` is not needed).
    pub fn show<R: Runtime>(&self, tray: &TrayIcon<R>, image: &Image<'_>) -> io::Result<bool> {
        let bytes = png_bytes(image)?;
        let number = {
            let mut written = self.written.locked();
            written.next += 1;
            written.next - 1
        };
        let path = self
            .folder()
            .join(format!("tray-{}-{number}.png", std::process::id()));
        write_whole(&path, &bytes)?;
        // The list is not locked while the main thread is waited for.
        let name = path.to_string_lossy().to_string();
        let named = tray.with_inner_tray_icon(move |inner| {
            // SAFETY: the pointer is valid while `inner` is (this closure runs on the main
            // thread, where the indicator lives). `AppIndicator` is a handle to the C object
            // with no `Drop`; the copy is never dropped, so the object is neither freed nor
            // borrowed twice in Rust.
            let mut indicator = ManuallyDrop::new(unsafe { std::ptr::read(inner.app_indicator()) });
            indicator.set_icon_full(&name, "Pantau");
        });
        if let Err(e) = named {
            let _ = fs::remove_file(&path);
            return Err(io::Error::other(e));
        }
        let mut written = self.written.locked();
        written.files.push_back(path);
        while written.files.len() > KEPT {
            if let Some(old) = written.files.pop_front() {
                let _ = fs::remove_file(old);
            }
        }
        Ok(true)
    }

    /// Removes Pantau's icon files, tray-icon's first one and a random folder (at exit).
    pub fn remove_all(&self) {
        let mut written = self.written.locked();
        for path in written.files.drain(..) {
            let _ = fs::remove_file(path);
        }
        // tray-icon's own files ("tray-icon-<id>-<n>.png"): in this private folder, all ours.
        for entry in fs::read_dir(self.folder()).into_iter().flatten().flatten() {
            if entry
                .file_name()
                .to_string_lossy()
                .starts_with("tray-icon-")
            {
                let _ = fs::remove_file(entry.path());
            }
        }
        if let PrivateFolder::Random(dir) = &self.folder {
            let _ = fs::remove_dir(dir.path());
        }
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
        assert_eq!(fs::metadata(&path).expect("meta").mode() & 0o777, 0o600);
    }

    #[test]
    fn a_planted_link_is_replaced_never_written_through() {
        let dir = tempfile::tempdir().expect("temp dir");
        let victim = dir.path().join("victim");
        fs::write(&victim, "the user's own").expect("victim");
        let path = dir.path().join("tray-1-0.png");
        std::os::unix::fs::symlink(&victim, path.with_extension("png.part")).expect("link");
        std::os::unix::fs::symlink(&victim, &path).expect("link");
        let image = Image::new_owned(vec![255; 4 * 4 * 4], 4, 4);
        write_whole(&path, &png_bytes(&image).expect("png")).expect("written");
        assert_eq!(
            fs::read_to_string(&victim).expect("victim"),
            "the user's own"
        );
        assert!(!fs::symlink_metadata(&path).expect("meta").is_symlink());
    }

    #[test]
    fn a_folder_of_this_users_is_tightened_and_a_link_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let open = dir.path().join("open");
        fs::create_dir(&open).expect("dir");
        fs::set_permissions(&open, fs::Permissions::from_mode(0o777)).expect("chmod");
        own_folder(&open).expect("taken");
        assert_eq!(fs::metadata(&open).expect("meta").mode() & 0o777, 0o700);
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&open, &link).expect("link");
        assert!(own_folder(&link).is_err(), "a link is no folder of ours");
    }
}
