//! Windows: closing this user's running Pantau before the installer replaces its files or the
//! uninstaller removes them (`pantau.exe --close-installed DIR`, run by the installer).
//!
//! The running Pantau is asked to quit as "Keluar" does, through its single-instance window (the
//! message a second launch sends, with `--quit`), so the write in flight is finished and the
//! cache closed. Whatever of this user's `pantau.exe` and `pantau-cli.exe` started from DIR
//! still runs after [`POLITE_WAIT`] is ended through the API: never a program of that name
//! elsewhere, never another user's, never this process.

use super::windows_text::wide;
use pantau_engine::APP_ID;
use std::path::Path;
use std::time::{Duration, Instant};
use windows_sys::Win32::Foundation::{CloseHandle, HANDLE, INVALID_HANDLE_VALUE, WAIT_OBJECT_0};
use windows_sys::Win32::Security::{
    EqualSid, GetTokenInformation, TokenUser, TOKEN_QUERY, TOKEN_USER,
};
use windows_sys::Win32::System::DataExchange::COPYDATASTRUCT;
use windows_sys::Win32::System::Diagnostics::ToolHelp::{
    CreateToolhelp32Snapshot, Process32FirstW, Process32NextW, PROCESSENTRY32W, TH32CS_SNAPPROCESS,
};
use windows_sys::Win32::System::Threading::{
    GetCurrentProcess, GetCurrentProcessId, OpenProcess, OpenProcessToken,
    QueryFullProcessImageNameW, TerminateProcess, WaitForSingleObject, PROCESS_NAME_WIN32,
    PROCESS_QUERY_LIMITED_INFORMATION, PROCESS_SYNCHRONIZE, PROCESS_TERMINATE,
};
use windows_sys::Win32::UI::WindowsAndMessaging::{
    FindWindowW, SendMessageTimeoutW, SMTO_ABORTIFHUNG, WM_COPYDATA,
};

/// The single-instance plugin's message kind: the working folder and the arguments, NUL-separated.
const SINGLE_INSTANCE_DATA: usize = 1543;
/// How long the running Pantau has to finish its write and quit before it is ended.
const POLITE_WAIT: Duration = Duration::from_secs(10);
/// The programs the installer replaces.
const PROGRAMS: [&str; 2] = ["pantau.exe", "pantau-cli.exe"];

/// An open process handle, closed on drop.
struct Process {
    handle: HANDLE,
    pid: u32,
}

impl Drop for Process {
    fn drop(&mut self) {
        // SAFETY: the handle was opened by OpenProcess and is closed once.
        unsafe { CloseHandle(self.handle) };
    }
}

/// A path as compared here: backslashes, lower case, no trailing separator.
fn comparable(path: &str) -> String {
    path.replace('/', "\\")
        .trim_end_matches('\\')
        .to_lowercase()
}

/// Closes this user's Pantau programs started from `dir`; the exit code for the installer
/// (0: none left running).
pub fn close_installed(dir: &Path) -> i32 {
    let dir = comparable(&dir.to_string_lossy());
    let running = running_from(&dir);
    if running.is_empty() {
        return 0;
    }
    ask_to_quit();
    let deadline = Instant::now() + POLITE_WAIT;
    let mut left = 0;
    for process in &running {
        let wait = deadline.saturating_duration_since(Instant::now());
        if ends_within(process, wait) {
            continue;
        }
        eprintln!(
            "pantau: process {} did not quit in time: ended",
            process.pid
        );
        // SAFETY: a valid handle opened with PROCESS_TERMINATE.
        unsafe { TerminateProcess(process.handle, 1) };
        if !ends_within(process, Duration::from_secs(5)) {
            left += 1;
        }
    }
    i32::from(left > 0)
}

fn ends_within(process: &Process, wait: Duration) -> bool {
    let ms = u32::try_from(wait.as_millis()).unwrap_or(u32::MAX);
    // SAFETY: a valid handle opened with SYNCHRONIZE.
    unsafe { WaitForSingleObject(process.handle, ms) == WAIT_OBJECT_0 }
}

/// Sends the running Pantau the message a second launch with `--quit` sends.
fn ask_to_quit() {
    // The single-instance plugin names its window by the app's identifier (tauri.conf.json's,
    // which the engine's APP_ID equals: tests/ipc.rs).
    let class = wide(&format!("{APP_ID}-sic"));
    let title = wide(&format!("{APP_ID}-siw"));
    // SAFETY: both strings are NUL-terminated UTF-16 that outlive the call.
    let window = unsafe { FindWindowW(class.as_ptr(), title.as_ptr()) };
    if window.is_null() {
        return;
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let data = format!("{}\0pantau.exe\0{}", cwd.display(), crate::args::QUIT);
    let message = COPYDATASTRUCT {
        dwData: SINGLE_INSTANCE_DATA,
        cbData: u32::try_from(data.len()).unwrap_or(0),
        lpData: data.as_ptr() as *mut _,
    };
    let mut answer = 0usize;
    // SAFETY: `message` and `data` outlive the call, which copies them into the receiver.
    unsafe {
        SendMessageTimeoutW(
            window,
            WM_COPYDATA,
            0,
            &message as *const COPYDATASTRUCT as isize,
            SMTO_ABORTIFHUNG,
            5000,
            &mut answer,
        )
    };
}

/// This user's running Pantau programs whose file is in `dir`, this process aside.
fn running_from(dir: &str) -> Vec<Process> {
    // SAFETY: plain calls; every handle opened here is closed (Process's drop, CloseHandle).
    unsafe {
        let me = GetCurrentProcessId();
        let snapshot = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
        if snapshot == INVALID_HANDLE_VALUE {
            return Vec::new();
        }
        let mut found = Vec::new();
        let mut entry: PROCESSENTRY32W = std::mem::zeroed();
        entry.dwSize = std::mem::size_of::<PROCESSENTRY32W>() as u32;
        let mut more = Process32FirstW(snapshot, &mut entry) != 0;
        while more {
            let name = &entry.szExeFile;
            let len = name.iter().position(|&c| c == 0).unwrap_or(name.len());
            let name = String::from_utf16_lossy(&name[..len]).to_lowercase();
            if entry.th32ProcessID != me && PROGRAMS.contains(&name.as_str()) {
                if let Some(p) = ours_from(entry.th32ProcessID, dir) {
                    found.push(p);
                }
            }
            more = Process32NextW(snapshot, &mut entry) != 0;
        }
        CloseHandle(snapshot);
        found
    }
}

/// The process `pid`, when its file is in `dir` and it runs as this user.
fn ours_from(pid: u32, dir: &str) -> Option<Process> {
    // SAFETY: OpenProcess returns null on failure; a handle is wrapped at once to be closed.
    let handle = unsafe {
        OpenProcess(
            PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_SYNCHRONIZE | PROCESS_TERMINATE,
            0,
            pid,
        )
    };
    if handle.is_null() {
        return None;
    }
    let process = Process { handle, pid };
    let mut buf = [0u16; 1024];
    let mut size = buf.len() as u32;
    // SAFETY: `buf` holds `size` UTF-16 units.
    let named = unsafe {
        QueryFullProcessImageNameW(handle, PROCESS_NAME_WIN32, buf.as_mut_ptr(), &mut size)
    };
    if named == 0 {
        return None;
    }
    let file = comparable(&String::from_utf16_lossy(&buf[..size as usize]));
    let folder = file.rsplit_once('\\').map_or("", |(folder, _)| folder);
    (folder == dir && same_user(handle)).then_some(process)
}

/// The user a process runs as, as its token says (the SID inside the returned buffer).
fn token_user(process: HANDLE) -> Option<Vec<u64>> {
    // SAFETY: the token handle is closed below; the buffer is large enough, as asked first, and
    // u64-aligned for TOKEN_USER.
    unsafe {
        let mut token: HANDLE = std::ptr::null_mut();
        if OpenProcessToken(process, TOKEN_QUERY, &mut token) == 0 {
            return None;
        }
        let mut needed = 0u32;
        GetTokenInformation(token, TokenUser, std::ptr::null_mut(), 0, &mut needed);
        let mut buf = vec![0u64; (needed as usize).div_ceil(8).max(1)];
        let ok = GetTokenInformation(
            token,
            TokenUser,
            buf.as_mut_ptr().cast(),
            needed,
            &mut needed,
        );
        CloseHandle(token);
        (ok != 0).then_some(buf)
    }
}

/// Whether `process` runs as the same user as this one.
fn same_user(process: HANDLE) -> bool {
    // SAFETY: GetCurrentProcess is a pseudo-handle; each buffer holds a TOKEN_USER.
    unsafe {
        let (Some(mine), Some(theirs)) = (token_user(GetCurrentProcess()), token_user(process))
        else {
            return false;
        };
        let mine = &*(mine.as_ptr() as *const TOKEN_USER);
        let theirs = &*(theirs.as_ptr() as *const TOKEN_USER);
        EqualSid(mine.User.Sid, theirs.User.Sid) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_compare_as_windows_compares_them() {
        assert_eq!(
            comparable(r"C:\Users\Ani\AppData\Local\Programs\Pantau\"),
            comparable("c:/users/ani/appdata/local/programs/pantau")
        );
    }
}
