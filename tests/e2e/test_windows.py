"""Pantau for Windows, proven under Wine: the installer that `./scripts/package --windows` makes
installs silently per user, its pantau-cli.exe reads the fixture site and recovers a corrupt
cache, pantau.exe shows its ticker in the tray, writes its start-at-login entry and runs once, an
upgrade closes it and keeps the cache, and a silent uninstall leaves no program file but keeps the
user's data. Wine runs in the chroot of scripts/windows-chroot; the fixture site is on loopback;
the tray is stalonetray (an XEmbed tray, from the same chroot) in which Wine docks tray icons.

PANTAU_WINDOWS_PROFILE (default: dev) picks the binaries' build profile; release is what users get,
dev keeps a cold CI run within its time."""
import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import time
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
# Windows 11's per-user tray icon entries, as Explorer writes them: a path under a known folder
# ({F1B32785-…} is Local AppData), and IsPromoted 0 for an icon in the hidden overflow. Stand-ins
# here (Wine's Explorer writes none): Pantau's own, another program's, and another pantau.exe.
ICON_SETTINGS = r"HKCU\Control Panel\NotifyIconSettings"
STAND_INS = {
    "7391850253479834": r"{F1B32785-6FBA-4FCF-9D55-7B8E7F157091}\Programs\Pantau\pantau.exe",
    "1152921504606846976": r"C:\windows\notepad.exe",
    "4611686018427387904": r"C:\users\root\Downloads\pantau-copy\pantau.exe",
}
OWN_ENTRY = "7391850253479834"
KOREA = "https://internasional.kontan.co.id/news/untuk-kali-pertama-korea-utara-akui-kirim-pasukan-ke-rusia"
ICONS = ROOT / "tests" / "fixtures" / "tray-icons"
TRAY_BACKGROUND = (0x20, 0x30, 0x40)
# The tray's last screenshot (kept for a failed run).
TRAY_SHOT = ROOT / "target" / "windows-test" / "tray-last.png"
NO_WEBVIEW2 = "Pantau tidak bisa membuka jendelanya"
PROGRAM_FILES = {"pantau.exe", "pantau-cli.exe", "WebView2Loader.dll", "pantau.ico", "LICENSE-MIT",
                 "LICENSE-APACHE", "uninstall.exe"}


def chroot_path(path):
    return "/src/" + str(Path(path).relative_to(ROOT))


def windows_path(path):
    """`C:\\…` for a file in the Wine prefix."""
    return "C:\\" + str(Path(path).relative_to(PREFIX / "drive_c")).replace("/", "\\")


def in_chroot(*args, env=(), prefix=IN_CHROOT):
    """A command run in the chroot with a Wine prefix (the test's by default) and `env`."""
    return [str(CHROOT), "env", f"WINEPREFIX={prefix}", *env, *args]


def wine(*args, env=(), debug="-all", check=True, timeout=300, prefix=IN_CHROOT):
    """Runs a Windows program under Wine in the chroot; waits for every Wine process to end."""
    cmd = in_chroot("sh", "-c", 'wine "$@"; status=$?; wineserver -w; exit $status', "sh", *args,
                    env=[f"WINEDEBUG={debug}", *env], prefix=prefix)
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
    set_scaling(96)
    return {"current": current, "older": older}


def set_scaling(dpi):
    """Display scaling for the next Wine start: 96 dpi is 100% (the tray shows 16-px icons, as on
    most desktop monitors), 120 is 125% (20 px), 192 is 200% (32 px, many laptops)."""
    wine("reg", "add", r"HKCU\Control Panel\Desktop", "/v", "LogPixels", "/t", "REG_DWORD", "/d", str(dpi), "/f")


def x_env(display):
    return dict(os.environ, DISPLAY=display)


@contextlib.contextmanager
def docking_tray(display, icon_px):
    """An XEmbed system tray at the screen's top left with room for `icon_px`-pixel icons, for
    Wine to dock tray icons in; yields its window. One per app run: stalonetray loses track of an
    icon whose program was killed, and would ignore the next one that Wine docks under the same X
    window id."""
    background = "#%02x%02x%02x" % TRAY_BACKGROUND
    proc = subprocess.Popen(in_chroot("stalonetray", "--icon-size", str(icon_px), "--geometry", "4x1+0+0",
                                      "--background", background), env=x_env(display),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def window():
        out = subprocess.run(["xdotool", "search", "--name", "^stalonetray$"], env=x_env(display),
                             capture_output=True, text=True)
        return out.stdout.split()[0] if out.stdout.split() else None
    try:
        yield wait_until(window, timeout=60, step=0.5, what="the tray")
    finally:
        proc.terminate()
        proc.wait(30)


def pixels(*convert_args, channels="rgb"):
    return subprocess.run(["convert", *convert_args, "-depth", "8", f"{channels}:-"], capture_output=True,
                          check=True).stdout


def tray_shows(display, tray_window, rendering, px):
    """Whether the first icon in the tray has the pixels of the stored `px`-pixel drawing of the
    ticker.

    Opaque pixels must be equal and transparent ones the tray's background. The few half
    transparent pixels of the rounded corners are left out: Wine draws them over black where
    Windows blends them with the taskbar."""
    subprocess.run(["import", "-window", tray_window, str(TRAY_SHOT)], env=x_env(display), capture_output=True)
    shot = pixels(str(TRAY_SHOT), "-crop", f"{px}x{px}+0+0", "+repage") if TRAY_SHOT.is_file() else b""
    icon = pixels(str(ICONS / f"{rendering}-{px}px.png"), channels="rgba")
    if len(shot) != px * px * 3:
        return False
    for i in range(px * px):
        alpha, want = icon[4 * i + 3], icon[4 * i:4 * i + 3]
        got = shot[3 * i:3 * i + 3]
        if (alpha == 255 and got != want) or (alpha == 0 and tuple(got) != TRAY_BACKGROUND):
            return False
    return True


def store_setting(cache, key, change):
    """Stores `change(the stored value)` under `key` in the cache's settings, as the app does."""
    with sqlite3.connect(cache) as db:
        row = db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        value = change(json.loads(row[0]) if row else {})
        db.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, json.dumps(value)))
    # Wine's SQLite reads the main file: nothing may wait in the write-ahead log.
    with sqlite3.connect(cache) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def save_start_at_login():
    """Saves "start at login" in the cache's settings, as the settings form does."""
    store_setting(CACHE, "app", lambda settings: {**settings, "start_at_login": True})


def start_app(site, display, *args):
    return subprocess.Popen(in_chroot("wine", windows_path(INSTALLED / "pantau.exe"), *args,
                                      env=[f"PANTAU_KONTAN_ORIGIN={site.origin}"]),
                            env=x_env(display), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop_wine():
    subprocess.run(in_chroot("wineserver", "-k"), timeout=60)


def message_shown(display):
    """Whether Pantau's message about the missing WebView2 Runtime is on screen."""
    out = subprocess.run(["xdotool", "search", "--name", NO_WEBVIEW2], env=x_env(display), capture_output=True,
                         text=True)
    return out.returncode == 0 and bool(out.stdout.strip())


def refreshed_since(site, asked):
    return any("Pantau/" in (r.get("user_agent") or "") for r in site.control("log")[asked:])


@pytest.fixture(scope="module")
def older_app(installers, site, display):
    """The older version's pantau.exe, started hidden (as at login) with "start at login" saved,
    and the tray it docks in."""
    save_start_at_login()
    for entry, path in STAND_INS.items():
        wine("reg", "add", rf"{ICON_SETTINGS}\{entry}", "/v", "ExecutablePath", "/d", path, "/f")
        wine("reg", "add", rf"{ICON_SETTINGS}\{entry}", "/v", "IsPromoted", "/t", "REG_DWORD", "/d", "0", "/f")
    asked = len(site.control("log"))
    with contextlib.ExitStack() as tray_up:
        tray = tray_up.enter_context(docking_tray(display, 16))
        app = start_app(site, display, "--hidden")
        yield {"proc": app, "asked": asked, "tray": tray, "close_tray": tray_up.close}
        if app.poll() is None:
            stop_wine()
            app.wait(30)


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


def test_the_app_shows_its_ticker_in_the_tray_starts_at_login_and_runs_once(site, display, older_app):
    """Started hidden, as at login, at 100% display scaling: the ticker drawn for the tray's 16
    pixels (USD/IDR ▲0,47, the fixture's first value, in the pixel font), refreshes in the fixture site's log, the per-user Run value it writes because the
    settings say "start at login", and a second start that hands over and ends."""
    app, tray = older_app["proc"], older_app["tray"]
    wait_until(lambda: refreshed_since(site, older_app["asked"]), timeout=90, step=1,
               what="the app's refreshes in the fixture site's log")
    wait_until(lambda: tray_shows(display, tray, "up-0,47", 16), timeout=60, step=1,
               what="USD/IDR ▲0,47 drawn for 16 px in the icon in Wine's tray")
    shutil.copy(TRAY_SHOT, TRAY_SHOT.with_name("tray.png"))  # the screenshot that matched

    # The registry is asked while the app runs (`wine()` would wait for it to end).
    def run_value():
        out = subprocess.run(in_chroot("wine", "reg", "query", RUN_KEY, "/v", "Pantau"), capture_output=True,
                             text=True, timeout=120)
        return out.returncode == 0 and out.stdout
    value = wait_until(run_value, timeout=60, step=2, what="the Run value")
    assert r'REG_SZ    "C:\users\root\AppData\Local\Programs\Pantau\pantau.exe" --hidden' in value, value

    second = subprocess.run(in_chroot("wine", windows_path(INSTALLED / "pantau.exe"), "--hidden"),
                            capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr[-2000:]
    time.sleep(3)
    assert app.poll() is None, "the first Pantau runs on"
    assert tray_shows(display, tray, "up-0,47", 16), "one icon in the tray, still the first one's"
    assert not message_shown(display), "a start at login while Pantau runs opens nothing"


def promoted_while_running(entry):
    """An icon entry's IsPromoted, asked while the app runs (`wine()` would wait for it to end)."""
    out = subprocess.run(in_chroot("wine", "reg", "query", rf"{ICON_SETTINGS}\{entry}", "/v", "IsPromoted"),
                         capture_output=True, text=True, timeout=120)
    return out.stdout.split()[-1] if out.returncode == 0 else None


def test_a_hidden_tray_icon_is_said_once_and_put_on_the_taskbar_only_when_asked(older_app):
    """Windows 11 keeps a new program's icon in the taskbar's overflow (stand-in entries here):
    Pantau says so (its log; the popup and the toast cannot run under Wine), changes nothing by
    itself, and on the user's request (the button's path; here `pantau --show-tray-icon`) sets
    IsPromoted on its own entry only."""
    wait_until(lambda: "the tray icon is in the taskbar's overflow: telling the user once" in app_log(),
               timeout=90, step=2, what="Pantau noticing its icon in the overflow")
    assert promoted_while_running(OWN_ENTRY) == "0x0", "nothing changes without the user's click"
    asked = subprocess.run(in_chroot("wine", windows_path(INSTALLED / "pantau.exe"), "--show-tray-icon"),
                           capture_output=True, text=True, timeout=120)
    assert asked.returncode == 0, asked.stderr[-2000:]
    wait_until(lambda: "tray icon put on the taskbar (1 entries of Pantau's own)" in app_log(), timeout=60,
               step=1, what="the icon put on the taskbar")
    assert {entry: promoted_while_running(entry) for entry in STAND_INS} == {
        OWN_ENTRY: "0x1", "1152921504606846976": "0x0", "4611686018427387904": "0x0"}
    assert older_app["proc"].poll() is None, "the request went to the running Pantau, which runs on"


def app_log():
    return "".join(p.read_text(errors="replace") for p in (LOCAL / "id.pantau.app" / "logs").glob("*.log"))


def test_an_upgrade_closes_the_running_app_and_keeps_the_cache(installers, site, older_app):
    app = older_app["proc"]
    assert app.poll() is None, "the older version runs while the newer one installs"
    wine(chroot_path(installers["current"]), "/S")
    app.wait(60)
    older_app["close_tray"]()
    # Asked to quit as "Keluar" does, not ended by force: the write in flight finished and every
    # write is in the cache's main file (its write-ahead log emptied).
    log = app_log()
    assert "asked to quit by a second launch" in log, log[-2000:]
    assert "quit: every write is in the cache's main file" in log, log[-2000:]
    wal = CACHE.with_name("cache.sqlite-wal")
    assert not wal.exists() or wal.stat().st_size == 0, wal.stat().st_size
    version = subprocess.run(["sed", "-n", 's/^version = "\\(.*\\)"$/\\1/p', str(ROOT / "Cargo.toml")],
                             capture_output=True, text=True).stdout.split()[0]
    assert f"DisplayVersion    REG_SZ    {version}" in reg_query(UNINSTALL_KEY).stdout
    with sqlite3.connect(f"file:{CACHE}?mode=ro", uri=True) as db:
        saved = json.loads(db.execute("SELECT value FROM settings WHERE key = 'app'").fetchone()[0])
    assert saved["start_at_login"] is True, "the settings stay"
    hits = json.loads(cli(site, "search", "Kursk", "--json").stdout)
    assert [h["url"] for h in hits] == [KOREA], "what the older version cached is still there"


def test_the_app_runs_without_webview2_and_says_so_in_its_own_words(installers, site, display):
    """No WebView2 Runtime under Wine: the new version, started as from its Start-menu shortcut at
    125% display scaling, shows its ticker drawn for the tray's 20 pixels and refreshes from the fixture site all the same, and its popup
    gives way to Pantau's own message, in Indonesian (the default), not a crash.

    A click on the tray icon cannot be tried here: Wine's Shell_NotifyIconGetRect is a stub, and
    the tray library drops a click whose icon it cannot place."""
    set_scaling(120)
    # Back in the overflow (as after a user's change): said once already, not said again.
    wine("reg", "add", rf"{ICON_SETTINGS}\{OWN_ENTRY}", "/v", "IsPromoted", "/t", "REG_DWORD", "/d", "0", "/f")
    said = app_log().count("telling the user once")
    asked = len(site.control("log"))
    with docking_tray(display, 20) as tray:
        app = start_app(site, display)
        try:
            wait_until(lambda: tray_shows(display, tray, "up-0,47", 20), timeout=90, step=1,
                       what="the ticker drawn for 20 px in the tray")
            wait_until(lambda: message_shown(display), timeout=60, step=1,
                       what="Pantau's message about the WebView2 Runtime")
            wait_until(lambda: refreshed_since(site, asked), timeout=60, step=1,
                       what="the app's refreshes in the fixture site's log")
            wait_until(lambda: "the tray icon is in the taskbar's overflow (said before)" in app_log(), timeout=60,
                       step=1, what="the overflow seen again, not said again")
            assert app_log().count("telling the user once") == said
            assert app.poll() is None, "the app keeps running without its window"
        finally:
            stop_wine()
            app.wait(30)
    log = app_log()
    assert "no WebView2 Runtime" in log, log[-2000:]


def test_only_the_installed_copy_writes_the_start_at_login_entry(installers, site, display):
    """A copy of pantau.exe run from Downloads (settings say "start at login") leaves the Run value
    naming the installed Pantau. At 200% display scaling it draws its ticker for 32 pixels."""
    installed = r'"C:\users\root\AppData\Local\Programs\Pantau\pantau.exe" --hidden'
    wine("reg", "add", RUN_KEY, "/v", "Pantau", "/d", installed, "/f")
    save_start_at_login()
    downloads = LOCAL.parent.parent / "Downloads" / "pantau-copy"
    downloads.mkdir(parents=True, exist_ok=True)
    for name in ("pantau.exe", "WebView2Loader.dll"):
        shutil.copy(INSTALLED / name, downloads / name)
    before = app_log().count("start at login")
    set_scaling(192)
    with docking_tray(display, 32) as tray:
        copy = subprocess.Popen(in_chroot("wine", windows_path(downloads / "pantau.exe"), "--hidden",
                                          env=[f"PANTAU_KONTAN_ORIGIN={site.origin}"]),
                                env=x_env(display), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_until(lambda: app_log().count("start at login") > before, timeout=120, step=1,
                       what="the copy's word on start at login in the log")
            wait_until(lambda: tray_shows(display, tray, "up-0,47", 32), timeout=60, step=1,
                       what="the ticker drawn for 32 px in the tray")
        finally:
            stop_wine()
            copy.wait(30)
    assert "is not the installed Pantau" in app_log(), app_log()[-2000:]
    assert installed in reg_query(RUN_KEY, "Pantau").stdout
    shutil.rmtree(downloads)


def test_a_silent_uninstall_removes_the_program_and_keeps_the_data(installers):
    # Written by the app above (start at login); written here too so this test stands alone.
    wine("reg", "add", RUN_KEY, "/v", "Pantau", "/d", r'"C:\users\root\AppData\Local\Programs\Pantau\pantau.exe" --hidden', "/f")
    wine(windows_path(INSTALLED / "uninstall.exe"), "/S")
    assert not INSTALLED.exists() or not any(INSTALLED.iterdir()), list(INSTALLED.iterdir())
    assert not SHORTCUT.exists()
    assert reg_query(UNINSTALL_KEY).returncode != 0
    assert "Pantau" not in reg_query(RUN_KEY).stdout
    assert CACHE.is_file(), "the user's cache and settings stay"
