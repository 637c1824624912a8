//! Windows: text as Win32 takes it (NUL-terminated UTF-16) and paths as Windows compares them.

/// `s` as a NUL-terminated UTF-16 string.
pub(super) fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain(Some(0)).collect()
}

/// A path as Windows compares them: the canonical form where it exists, any case.
pub(super) fn comparable(path: &std::path::Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .to_lowercase()
}
