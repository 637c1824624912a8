"""Windows updates itself, proven under Wine: version A, released by `./scripts/release` with
throwaway keys and a loopback update address, is installed; version B (this tree with only the
version raised) is released to a loopback server. The running A finds B, downloads it, checks its
signature against the key built into A, and installs it when asked (`pantau --install-update`, as
"Pasang sekarang" does; nothing can be clicked under Wine): A ends cleanly, B's installer runs
passive and starts B hidden, as A ran, with A's cache and settings. A `latest.json` whose
installer is signed with another key, and one offering an older version, install nothing and
leave A running.

What Wine cannot show: the toast with "Pasang sekarang" and "Nanti", and the popup's banner (no
WebView2 Runtime); the tray's menu line is drawn but cannot be clicked."""

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from conftest import ROOT, free_port, wait_until
from releases import RELEASES, new_keys, raised, raised_tree, release, served, version_of
import test_windows
from test_windows import chroot_path, docking_tray, store_setting, x_env

PREFIX = ROOT / "target" / "windows-test" / "wine-update"
IN_CHROOT = "/src/target/windows-test/wine-update"
LOCAL = PREFIX / "drive_c" / "users" / "root" / "AppData" / "Local"
INSTALLED = LOCAL / "Programs" / "Pantau"
CACHE = LOCAL / "Pantau" / "pantau" / "data" / "cache.sqlite"
UNINSTALL_KEY = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\id.pantau.app"
LOGS = LOCAL / "id.pantau.app" / "logs"
PROFILE = {"PANTAU_WINDOWS_PROFILE": "dev"}


def in_chroot(*args, env=()):
    return test_windows.in_chroot(*args, env=env, prefix=IN_CHROOT)


def wine(*args, env=(), check=True, timeout=300):
    return test_windows.wine(*args, env=env, check=check, timeout=timeout, prefix=IN_CHROOT)


def windows_path(path):
    return "C:\\" + str(Path(path).relative_to(PREFIX / "drive_c")).replace("/", "\\")


def installed_version():
    out = subprocess.run(in_chroot("wine", "reg", "query", UNINSTALL_KEY, "/v", "DisplayVersion"),
                         capture_output=True, text=True, timeout=120)
    return out.stdout.split()[-1] if out.returncode == 0 and out.stdout.split() else None


def app_log():
    return "".join(p.read_text(errors="replace") for p in LOGS.glob("*.log")) if LOGS.is_dir() else ""


def stop_wine():
    subprocess.run(in_chroot("wineserver", "-k"), timeout=60)


def due_now(marker):
    """The day's check falls due (as after a day), and a setting of the user's to find again."""
    store_setting(CACHE, "update", lambda _: {"next_check_ms": 0})
    store_setting(CACHE, "app", lambda settings: {**settings, "watchlist": marker})


@pytest.fixture(scope="module")
def releases():
    """Keys, a loopback address, A (this version) and B (the version raised), both for Windows."""
    keys = new_keys(RELEASES / "windows-keys")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    version_a, version_b = version_of(), raised(version_of())
    out_a, out_b = RELEASES / "windows-a", RELEASES / "windows-b"
    for out in (out_a, out_b):
        shutil.rmtree(out, ignore_errors=True)
    release(ROOT, out_a, keys, url, "windows", **PROFILE)
    shared = {"PANTAU_WINDOWS_CHROOT": str(ROOT / "target" / "windows-chroot"),
              "PANTAU_WINDOWS_CARGO_TARGET": str(ROOT / "target" / "windows-cargo")}
    release(raised_tree(version_b, "windows"), out_b, keys, url, "windows", **PROFILE, **shared)
    return {"keys": keys, "port": port, "url": url, "a": out_a, "b": out_b,
            "version_a": version_a, "version_b": version_b}


@pytest.fixture(scope="module")
def installed_a(releases, site):
    shutil.rmtree(PREFIX, ignore_errors=True)
    PREFIX.parent.mkdir(parents=True, exist_ok=True)
    wine("wineboot", "-i")
    setup = releases["a"] / f"Pantau_{releases['version_a']}_x64-setup.exe"
    wine(chroot_path(setup), "/S")
    assert installed_version() == releases["version_a"]
    # The cache as a first run makes it (the installed CLI fills it from the fixture site).
    wine(windows_path(INSTALLED / "pantau-cli.exe"), "indicators", "--json",
         env=[f"PANTAU_KONTAN_ORIGIN={site.origin}"])
    assert CACHE.is_file()
    return releases


@contextlib.contextmanager
def running_a(site, display):
    """A started hidden (as at login), in a tray; stopped afterwards if it still runs."""
    with docking_tray(display, 16):
        app = subprocess.Popen(in_chroot("wine", windows_path(INSTALLED / "pantau.exe"), "--hidden",
                                         env=[f"PANTAU_KONTAN_ORIGIN={site.origin}"]),
                               env=x_env(display), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            yield app
        finally:
            stop_wine()
            app.wait(60)


def forged(releases, name, version, sign_with_other_key=False):
    """A release tree serving B's installer under a `latest.json` of our making."""
    tree = RELEASES / name
    shutil.rmtree(tree, ignore_errors=True)
    shutil.copytree(releases["b"], tree)
    latest = json.loads((tree / "latest.json").read_text())
    latest["version"] = version
    if sign_with_other_key:
        other = new_keys(RELEASES / "other-windows-keys")
        installer = tree / Path(latest["platforms"]["windows-x86_64"]["url"]).name
        env = dict(os.environ, TAURI_SIGNING_PRIVATE_KEY=other["PANTAU_SIGNING_KEY"],
                   TAURI_SIGNING_PRIVATE_KEY_PASSWORD=other["PANTAU_SIGNING_KEY_PASSWORD"])
        subprocess.run([str(ROOT / "target" / "tauri-cli" / "node_modules" / ".bin" / "tauri"), "signer", "sign",
                        "--app-version", version, str(installer)], env=env, check=True, capture_output=True)
        latest["platforms"]["windows-x86_64"]["signature"] = (installer.parent / (installer.name + ".sig")).read_text().strip()
    (tree / "latest.json").write_text(json.dumps(latest))
    return tree


def test_a_release_signed_with_another_key_or_an_older_one_installs_nothing(installed_a, site, display):
    releases = installed_a
    bad = forged(releases, "windows-other-key", releases["version_b"], sign_with_other_key=True)
    due_now(["IDX", "USD/IDR"])
    before = app_log().count("refused")
    with served(bad, releases["port"]), running_a(site, display) as app:
        wait_until(lambda: app_log().count("refused") > before, timeout=180, step=1,
                   what="the refusal of an installer signed with another key")
        assert "signature" in app_log().split("refused")[-1][:400], app_log()[-2000:]
        assert app.poll() is None, "A runs on"
    assert installed_version() == releases["version_a"]

    older = forged(releases, "windows-older", "0.0.1")
    due_now(["IDX", "USD/IDR"])
    with served(older, releases["port"]), running_a(site, display) as app:
        wait_until(lambda: "latest is 0.0.1" in app_log(), timeout=180, step=1, what="the check of 0.0.1")
        time.sleep(3)
        assert app.poll() is None, "A runs on"
    assert installed_version() == releases["version_a"]
    assert "installer checked and ready" not in app_log()
    assert "update 0.0.1" not in app_log(), "an older version is not even downloaded"


def test_a_newer_release_is_checked_and_installed_when_asked_and_keeps_the_cache(installed_a, site, display):
    releases = installed_a
    marker = ["LQ45", "EMAS", "IDX"]
    due_now(marker)
    with served(releases["b"], releases["port"]), running_a(site, display) as app:
        wait_until(lambda: f"update {releases['version_b']}: installer checked and ready" in app_log(),
                   timeout=240, step=1, what="B downloaded and its signature checked")
        second = subprocess.run(in_chroot("wine", windows_path(INSTALLED / "pantau.exe"), "--install-update"),
                                capture_output=True, text=True, timeout=120)
        assert second.returncode == 0, second.stderr[-2000:]
        wait_until(lambda: installed_version() == releases["version_b"], timeout=240, step=2,
                   what=f"B ({releases['version_b']}) installed")
        wait_until(lambda: f"Pantau {releases['version_b']} starts" in app_log(), timeout=180, step=1,
                   what="B started by the installer")
        time.sleep(5)
        log = app_log()
        started_b = log.rindex(f"Pantau {releases['version_b']} starts")
        # Started hidden, as A ran: no popup, so no word about the missing WebView2 Runtime.
        assert "no WebView2 Runtime" not in log[started_b:], log[started_b:][-2000:]
        assert "asked to install the update by a second launch" in log
        assert "quit for the update: every write is in the cache's main file" in log, log[-3000:]
        app.wait(60)
    with sqlite3.connect(f"file:{CACHE}?mode=ro", uri=True) as db:
        saved = json.loads(db.execute("SELECT value FROM settings WHERE key = 'app'").fetchone()[0])
    assert saved["watchlist"] == marker, "A's settings are B's"
    cli = wine(windows_path(INSTALLED / "pantau-cli.exe"), "--version").stdout.strip()
    assert cli == f"pantau-cli {releases['version_b']}"
