//! What a hostile page or a shell pipe must not break in the CLI: no steering character from a page
//! reaches a terminal, a reader that goes away (`pantau-cli … | head`) ends the command quietly, and
//! no channel name moves fetching off kontan.
#![allow(clippy::unwrap_used)] // test helpers: a failure here is a failed test

mod common;

use common::site::{env, Env, HOME, KOREA};
use kontan_fixture::Fault;
use std::process::Stdio;

/// Runs the CLI with its stdout a pipe whose reading end is already closed.
fn with_closed_stdout(e: &Env, args: &[&str]) -> std::process::Output {
    e.let_the_round_gap_pass();
    let mut child = common::cli()
        .args(args)
        .arg("--origin")
        .arg(e.site.origin())
        .env("PANTAU_DB", &e.db)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_pipe_ends_each_command_quietly() {
    let e = env();
    assert!(e.cli(&["article", KOREA]).status.success());
    for args in [
        &["headlines"][..],
        &["headlines", "--json"],
        &["indicators"],
        &["indicators", "--json"],
        &["search", "Kursk"],
        &["search", "Kursk", "--json"],
        &["article", KOREA],
    ] {
        let out = with_closed_stdout(&e, args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && !err.contains("panicked") && !err.contains("Broken pipe"),
            "{args:?}: {:?} {err}",
            out.status
        );
    }
}

#[test]
fn text_cached_before_scrubbing_reaches_the_terminal_escaped() {
    let e = env();
    assert!(e.cli(&["headlines"]).status.success());
    // A cache written by an older Pantau may hold raw escapes: OSC 52 (clipboard) and SGR.
    e.db()
        .execute(
            "UPDATE headlines SET title = 'Rupiah' || char(27) || ']52;c;ZXZpbA==' || char(7) \
             || ' melemah' || char(27) || '[2J' || char(8238) WHERE url LIKE '%rupiah-dibuka%'",
            [],
        )
        .unwrap();
    e.site.set_fault(HOME, Fault::Status(500), None);
    for args in [&["headlines"][..], &["headlines", "--json"]] {
        let out = e.cli(args);
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            !text
                .chars()
                .any(|c| c != '\n' && pantau_engine::parse::is_steering(c)),
            "{args:?}: {text:?}"
        );
        let shown = if args.len() == 2 {
            "Rupiah\\u001b]52;c;ZXZpbA==\\u0007 melemah\\u001b[2J\\u202e"
        } else {
            "Rupiah\\u{1b}]52;c;ZXZpbA==\\u{7} melemah\\u{1b}[2J\\u{202e}"
        };
        assert!(text.contains(shown), "{args:?}: {text}");
    }
}

#[test]
fn a_steering_page_never_reaches_stderr_or_stdout_raw() {
    let page = common::fixtures().join("variants/home-steering.html");
    let out = common::cli()
        .args(["parse", "indicators", page.to_str().unwrap()])
        .output()
        .unwrap();
    for stream in [&out.stdout, &out.stderr] {
        let text = String::from_utf8_lossy(stream);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{text}"
        );
    }
    let out = common::cli()
        .args(["parse", "headlines", page.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Rupiah]52;c;"), "{text}");
    assert!(
        !text.contains("\\u001b") && !text.contains('\u{202e}'),
        "{text}"
    );
}

#[test]
fn a_channel_name_cannot_move_fetching_to_another_host() {
    let e = env();
    for bad in ["evil.example/", "evil.example#", "x:1"] {
        let out = e.cli(&["headlines", "--channel", bad]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && err.contains("a channel is 1 to 63"),
            "{bad}: {err}"
        );
    }
    assert!(
        e.site
            .requests()
            .iter()
            .all(|r| r.target.contains(".kontan.co.id/")),
        "{:?}",
        e.site.requests()
    );
}

#[cfg(unix)]
/// Runs the CLI under umask 022 (files readable by everyone unless Pantau says otherwise).
fn cli_umask_022(
    e: &Env,
    args: &[&str],
    vars: &[(&str, &std::path::Path)],
) -> std::process::Output {
    let mut cmd = std::process::Command::new("sh");
    cmd.args([
        "-c",
        r#"umask 022 && exec "$@""#,
        "sh",
        env!("CARGO_BIN_EXE_pantau-cli"),
    ])
    .args(args)
    .args(["--origin", &e.site.origin()])
    .env_remove("PANTAU_DB");
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn the_cache_is_the_users_alone() {
    use std::os::unix::fs::PermissionsExt;
    let e = env();
    let db = e.dir.path().join("nested/folder/cache.sqlite");
    let out = cli_umask_022(&e, &["headlines"], &[("PANTAU_DB", &db)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(mode(db.parent().unwrap()), 0o700);
    assert_eq!(mode(&db), 0o600);
    for side in ["cache.sqlite-wal", "cache.sqlite-shm"] {
        let p = db.with_file_name(side);
        if p.exists() {
            assert_eq!(mode(&p), 0o600, "{side}");
        }
    }
    // An existing cache made readable by an older Pantau is tightened at start, with its
    // default folder.
    let home = e.dir.path().join("home");
    let data = home.join(".local/share/pantau");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::copy(&db, data.join("cache.sqlite")).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(
        data.join("cache.sqlite"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let out = cli_umask_022(&e, &["headlines"], &[("HOME", &home)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        (mode(&data), mode(&data.join("cache.sqlite"))),
        (0o700, 0o600)
    );
}

#[cfg(unix)]
#[test]
fn without_a_home_folder_nothing_is_written_where_the_cli_runs() {
    // A user with no passwd entry and no HOME has no home folder at all (root may become one).
    let e = env();
    let cwd = tempfile::tempdir().unwrap();
    #[cfg(unix)]
    std::fs::set_permissions(
        cwd.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o777),
    )
    .unwrap();
    let out = std::process::Command::new("setpriv")
        .args(["--reuid=54321", "--regid=54321", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_pantau-cli"))
        .args(["indicators", "--origin", &e.site.origin()])
        .env_remove("PANTAU_DB")
        .env_remove("HOME")
        .env_remove("XDG_DATA_HOME")
        .current_dir(cwd.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("in-memory cache, nothing is kept"), "{err}");
    assert_eq!(
        std::fs::read_dir(cwd.path()).unwrap().count(),
        0,
        "no file in the folder"
    );
}
