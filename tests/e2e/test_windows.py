"""Pantau for Windows, proven under Wine: the installer that `./scripts/package --windows` makes
installs silently per user, its pantau-cli.exe reads the fixture site and recovers a corrupt
cache, an upgrade keeps the cache, and a silent uninstall leaves no program file but keeps the
user's data. Wine runs in the chroot of scripts/windows-chroot; the fixture site is on loopback.

PANTAU_WINDOWS_PROFILE (default: dev) picks the binaries' build profile; release is what users get,
dev keeps a cold CI run within its time."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, wait_until

PROFILE = os.environ.get("PANTAU_WINDOWS_PROFILE", "dev")
CHROOT = ROOT / "scripts" / "windows-chroot"
PREFIX = ROOT / "target" / "windows-test" / "wine"
IN_CHROOT = "/src/target/windows-test/wine"
LOCAL = PREFIX / "drive_c" / "users" / "root" / "AppData" / "Local"
INSTALLED = LOCAL / "Programs" / "Pantau"
CACHE = LOCAL / "Pantau" / "pantau" / "data" / "cache.sqlite"
SHORTCUT = PREFIX / "drive_c/users/root/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Pantau.lnk"
UNINSTALL_KEY = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\id.pantau.app"
RUN_KEY = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Run"
KOREA = "https://internasional.kontan.co.id/news/untuk-kali-pertama-korea-utara-akui-kirim-pasukan-ke-rusia"
PROGRAM_FILES = {"pantau.exe", "pantau-cli.exe", "WebView2Loader.dll", "pantau.ico", "LICENSE-MIT",
                 "LICENSE-APACHE", "uninstall.exe"}


def chroot_path(path):
    return "/src/" + str(Path(path).relative_to(ROOT))


def windows_path(path):
    """`C:\\…` for a file in the Wine prefix."""
    return "C:\\" + str(Path(path).relative_to(PREFIX / "drive_c")).replace("/", "\\")


def wine(*args, env=(), debug="-all", check=True, timeout=300):
    """Runs a Windows program under Wine in the chroot; waits for every Wine process to end."""
    cmd = [str(CHROOT), "env", f"WINEPREFIX={IN_CHROOT}", f"WINEDEBUG={debug}", *env, "sh", "-c",
           'wine "$@"; status=$?; wineserver -w; exit $status', "sh", *args]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if check:
        assert out.returncode == 0, f"{args}: {out.returncode}\n{out.stdout}\n{out.stderr}"
    return out


def reg_query(key, value=None):
    args = ["reg", "query", key] + (["/v", value] if value else [])
    return wine(*args, check=False)


@pytest.fixture(scope="module")
def installers():
    """This build's installer, and the same binaries labelled as an older version (0.0.1)."""
    env = dict(os.environ, PANTAU_WINDOWS_PROFILE=PROFILE)
    out = subprocess.run([str(ROOT / "scripts" / "package"), "--windows"], env=env, check=True,
                         stdout=subprocess.PIPE, text=True).stdout.split()
    current = Path(out[-1])
    assert current.is_file() and current.name.endswith("_x64-setup.exe"), out
    older = current.parent / "Pantau_0.0.1_x64-setup.exe"
    binaries = f"/src/target/windows/stage-{PROFILE}"
    subprocess.run([str(CHROOT), "makensis", "-V2", "-DFAST_COMPRESSION", "-DVERSION=0.0.1", "-DROOT=/src", f"-DBIN={binaries}",
                    f"-DOUTFILE={chroot_path(older)}", "src-tauri/windows/installer.nsi"], check=True)
    shutil.rmtree(PREFIX, ignore_errors=True)
    PREFIX.parent.mkdir(parents=True, exist_ok=True)
    wine("wineboot", "-i")
    return {"current": current, "older": older}


def cli(site, *args, check=True):
    out = wine(windows_path(INSTALLED / "pantau-cli.exe"), *args, env=[f"PANTAU_KONTAN_ORIGIN={site.origin}"], check=check)
    return out


def test_an_older_version_installs_silently_per_user(installers):
    out = wine(chroot_path(installers["older"]), "/S", debug="fixme+shell")
    assert {p.name for p in INSTALLED.iterdir()} == PROGRAM_FILES
    assert SHORTCUT.is_file()
    # The shortcut is given the app id through its property store (Wine's store is a stub that
    # says it was called; Windows keeps the value).
    assert "propertystore_SetValue" in out.stderr
    entry = reg_query(UNINSTALL_KEY).stdout
    for field in ("DisplayName    REG_SZ    Pantau", "DisplayVersion    REG_SZ    0.0.1",
                  "Publisher    REG_SZ    Pantau developers", "DisplayIcon", "EstimatedSize",
                  r'UninstallString    REG_SZ    "C:\users\root\AppData\Local\Programs\Pantau\uninstall.exe"'):
        assert field in entry, entry


def test_the_installed_cli_reads_the_fixture_site(installers, site):
    rows = json.loads(cli(site, "indicators", "--json").stdout)
    usd = next(r for r in rows if r["symbol"] == "USD/IDR")
    assert usd["value"] > 10000 and usd["source"] == "kontan", usd
    headlines = json.loads(cli(site, "headlines", "--json").stdout)
    assert len(headlines) >= 5 and all(h["url"].startswith("https://") for h in headlines)
    article = json.loads(cli(site, "article", KOREA, "--json").stdout)
    assert article["title"].startswith("Untuk Kali Pertama, Korea Utara")
    hits = json.loads(cli(site, "search", "Kursk", "--json").stdout)
    assert [h["url"] for h in hits] == [KOREA]
    assert CACHE.is_file(), "the cache lives under %LOCALAPPDATA%"


def test_the_installed_cli_sets_a_corrupt_cache_aside(installers, site):
    saved = CACHE.with_name("saved.sqlite")
    shutil.copy(CACHE, saved)
    for extra in CACHE.parent.glob("cache.sqlite-*"):
        extra.unlink()
    CACHE.write_bytes(b"this is no SQLite file" * 200)
    out = cli(site, "headlines", "--json")
    assert "corrupt" in out.stderr, out.stderr
    kept = list(CACHE.parent.glob("cache.sqlite.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"this is no SQLite file")
    assert len(json.loads(out.stdout)) >= 5, "a fresh cache, filled again"
    kept[0].unlink()
    for extra in CACHE.parent.glob("cache.sqlite-*"):
        extra.unlink()
    shutil.move(saved, CACHE)


def test_an_upgrade_keeps_the_cache_and_replaces_the_program(installers, site):
    before = CACHE.read_bytes()
    wine(chroot_path(installers["current"]), "/S")
    version = subprocess.run(["sed", "-n", 's/^version = "\\(.*\\)"$/\\1/p', str(ROOT / "Cargo.toml")],
                             capture_output=True, text=True).stdout.split()[0]
    assert f"DisplayVersion    REG_SZ    {version}" in reg_query(UNINSTALL_KEY).stdout
    assert CACHE.read_bytes() == before
    hits = json.loads(cli(site, "search", "Kursk", "--json").stdout)
    assert [h["url"] for h in hits] == [KOREA], "what the older version cached is still there"


def test_the_app_runs_without_webview2_and_says_so_in_its_own_words(installers, site, display):
    """No WebView2 Runtime under Wine: the engine refreshes from the fixture site all the same, and
    asking for the popup shows Pantau's own message (in Indonesian, the default), not a crash."""
    title = "Pantau tidak bisa membuka jendelanya"
    asked = len(site.control("log"))
    env = dict(os.environ, DISPLAY=display)
    app = subprocess.Popen([str(CHROOT), "env", f"WINEPREFIX={IN_CHROOT}", f"PANTAU_KONTAN_ORIGIN={site.origin}",
                            "wine", windows_path(INSTALLED / "pantau.exe")], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        def message_shown():
            out = subprocess.run(["xdotool", "search", "--name", title], env=env, capture_output=True, text=True)
            return out.returncode == 0 and out.stdout.strip()
        wait_until(message_shown, timeout=90, step=1, what="Pantau's message about the WebView2 Runtime")
        wait_until(lambda: any("Pantau/" in (r.get("user_agent") or "") for r in site.control("log")[asked:]),
                   timeout=60, step=1, what="the app's refreshes in the fixture site's log")
        assert app.poll() is None, "the app keeps running without its window"
    finally:
        subprocess.run([str(CHROOT), "env", f"WINEPREFIX={IN_CHROOT}", "wineserver", "-k"], timeout=60)
        app.wait(30)
    log = next((LOCAL / "id.pantau.app" / "logs").glob("*.log")).read_text(errors="replace")
    assert "no WebView2 Runtime" in log, log[-2000:]


def test_a_silent_uninstall_removes_the_program_and_keeps_the_data(installers):
    # As the app's "start at login" writes it.
    wine("reg", "add", RUN_KEY, "/v", "Pantau", "/d", r'"C:\users\root\AppData\Local\Programs\Pantau\pantau.exe" --hidden', "/f")
    wine(windows_path(INSTALLED / "uninstall.exe"), "/S")
    assert not INSTALLED.exists() or not any(INSTALLED.iterdir()), list(INSTALLED.iterdir())
    assert not SHORTCUT.exists()
    assert reg_query(UNINSTALL_KEY).returncode != 0
    assert "Pantau" not in reg_query(RUN_KEY).stdout
    assert CACHE.is_file(), "the user's cache and settings stay"
