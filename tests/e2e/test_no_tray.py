"""Desktops with no tray (GNOME Shell without the AppIndicator extension): Pantau knows no
StatusNotifier host is on the bus. Started at login it says once, in a notification, that it runs
and how to open it; the popup is then a normal window with a taskbar entry; the settings say why
there is no tray icon and how to get one."""

import json
import os
import subprocess

import pytest

from conftest import TARGET, OwnApp, launch, own_session, pantau_processes, wait_until
from test_app import css, symbols, tab


@pytest.fixture(scope="module")
def home(app_env, workdir):
    yield from own_session(workdir / "no-tray", app_env, tray_host=False)


@pytest.fixture(scope="module")
def with_tray(app_env, workdir):
    yield from own_session(workdir / "with-tray", app_env)


def notifications(home):
    path = home["dir"] / "notifications.jsonl"
    return [json.loads(l) for l in path.read_text().splitlines() if l.strip()] if path.exists() else []


def windows(env, pid):
    out = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(pid), "--name", "^Pantau$"],
                         env=env, capture_output=True, text=True)
    return out.stdout.split()


def window_property(env, window, name):
    """What xprop says of a window's property."""
    return subprocess.run(["xprop", "-id", window, name], env=env, capture_output=True, text=True).stdout


def wm_state(env, window):
    return window_property(env, window, "_NET_WM_STATE")


def window_manager(env):
    """Openbox on the test display, for the length of a test (the suite's display has none)."""
    proc = subprocess.Popen(["openbox", "--sm-disable"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    wait_until(lambda: "_NET_SUPPORTING_WM_CHECK(WINDOW)" in subprocess.run(
        ["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], env=env, capture_output=True, text=True).stdout,
        what="the window manager")
    return proc


def iconic(env, window):
    """Whether the window manager shows the window minimised."""
    return "Iconic" in window_property(env, window, "WM_STATE")


def start_hidden(app):
    proc = subprocess.Popen([str(TARGET / "pantau"), "--hidden"], env=app.env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until(lambda: pantau_processes(app.address), what="the app on the bus")
    return proc


def stop(app, proc):
    proc.terminate()
    proc.wait(20)
    app.site.stop()


def test_started_at_login_without_a_tray_it_says_so_once_and_opens_as_a_normal_window(home):
    app = OwnApp(home, "hidden")
    wm = window_manager(app.env)
    proc = start_hidden(app)
    try:
        running = lambda: [n for n in notifications(home) if n["summary"] == "Pantau berjalan"]
        wait_until(running, timeout=30, what="the note that Pantau runs")
        [note] = running()
        assert "ikon tray" in note["body"]
        assert windows(app.env, proc.pid) == [], "still hidden until asked"
        subprocess.run(["dbus-send", f"--bus={app.address}", "--dest=org.freedesktop.Notifications",
                        "--type=method_call", "/org/freedesktop/Notifications",
                        "id.pantau.NotifyRecorder.InvokeAction", f"uint32:{note['id']}", "string:default"],
                       check=True)
        wait_until(lambda: windows(app.env, proc.pid), timeout=30, what="the window after the click")
        [window] = windows(app.env, proc.pid)
        assert "SKIP_TASKBAR" not in wm_state(app.env, window), "a taskbar entry: nothing else leads back"
        assert len(running()) == 1, "said once"

        # Closing it (the title bar's ×, as the window manager asks) minimises it: the app runs on
        # and its taskbar entry stays the way back. Launching Pantau again brings it back.
        subprocess.run(["wmctrl", "-i", "-c", window], env=app.env, check=True)
        wait_until(lambda: iconic(app.env, window), what="the window minimised")
        assert proc.poll() is None, "closing does not quit"
        assert "SKIP_TASKBAR" not in wm_state(app.env, window)
        subprocess.run([str(TARGET / "pantau")], env=app.env, check=False, timeout=30,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: not iconic(app.env, window), what="the window back after a second launch")
        assert windows(app.env, proc.pid) == [window]
    finally:
        stop(app, proc)
        wm.terminate()
        wm.wait(10)


def test_with_a_tray_the_popup_stays_out_of_the_taskbar_and_nothing_is_announced(with_tray):
    app = OwnApp(with_tray, "hidden")
    proc = start_hidden(app)
    try:
        subprocess.run(["sleep", "8"])  # past the three looks for a tray host
        assert not [n for n in notifications(with_tray) if n["summary"] == "Pantau berjalan"]
        subprocess.run([str(TARGET / "pantau")], env=app.env, check=False, timeout=30,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # a second launch opens it
        wait_until(lambda: windows(app.env, proc.pid), timeout=30, what="the popup")
        [window] = windows(app.env, proc.pid)
        assert "SKIP_TASKBAR" in wm_state(app.env, window)
    finally:
        stop(app, proc)


def test_the_settings_say_why_there_is_no_tray_icon(home):
    app = OwnApp(home, "shown")
    driver, stop_session = launch(app.env)
    try:
        wait_until(lambda: len(symbols(driver)) == 11, timeout=30, what="11 indicators")
        wait_until(lambda: any("no tray host" in l for l in app.log()), timeout=30, what="the look for a tray")
        tab(driver, "settings")
        wait_until(lambda: driver.execute_script("return !document.getElementById('no-tray-note').hidden"),
                   what="the note on the tray")
        assert "AppIndicator" in css(driver, "#no-tray-note")[0].text
    finally:
        app.end(stop_session)
