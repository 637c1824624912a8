//! The cache is the user's alone: folders 0700, files 0600 (on Unix; Windows keeps
//! `%LOCALAPPDATA%` per user already), whatever the umask, and existing ones tightened at start.

use std::io;
use std::path::Path;

/// Creates `dir` and any missing parents as 0700.
pub fn create_folder(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)
}

/// Creates `file` as 0600 if missing, and takes group and other access from it (and from its
/// SQLite side files) when they have any. A file of someone else's is left as it is.
pub fn create_file(file: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        if !file.exists() {
            // A race with another creator is fine: then the file exists and is tightened below.
            let _ = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(file);
        }
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut name = file.as_os_str().to_os_string();
            name.push(suffix);
            tighten(Path::new(&name), 0o600);
        }
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

/// Takes group and other access from an existing folder and the files in it (the app's log
/// folder, the default cache folder). Errors are ignored: it may be someone else's.
pub fn tighten_folder(dir: &Path) {
    tighten(dir, 0o700);
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_file()) {
                tighten(&entry.path(), 0o600);
            }
        }
    }
}

fn tighten(path: &Path, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::symlink_metadata(path) {
            if !meta.file_type().is_symlink() && meta.permissions().mode() & 0o077 != 0 {
                let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
}
