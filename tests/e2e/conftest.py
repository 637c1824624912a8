"""End-to-end fixtures: a fixture kontan site, a private session D-Bus with a notification
recorder and a StatusNotifierWatcher, Xvfb, tauri-driver over WebKitWebDriver, and the real
Pantau binary. Nothing here touches the internet."""

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.options import ArgOptions

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "debug"
ARTIFACTS = ROOT / "tests" / "artifacts"

BUS_CONFIG = (ROOT / "tests" / "fixtures" / "dbus-session.conf").read_text()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, timeout=20.0, step=0.1, what="condition"):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            value = check()
            if value:
                return value
        except Exception as e:  # noqa: BLE001 - retried until the deadline
            last = e
        time.sleep(step)
    raise AssertionError(f"timed out waiting for {what}" + (f": {last}" if last else ""))


class Site:
    """The fixture kontan site, driven through its control endpoints."""

    def __init__(self, port):
        self.port = port
        self.origin = f"http://127.0.0.1:{port}"
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            [str(TARGET / "kontan-fixture"), "--port", str(self.port), "--speed", "0", "--headline-every", "0", "--quiet"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: self.control("state"), what="fixture site")

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None

    def control(self, command, **params):
        query = "&".join(f"{k}={urllib.request.quote(str(v), safe='')}" for k, v in params.items())
        with urllib.request.urlopen(f"{self.origin}/__control/{command}?{query}", timeout=5) as r:
            return json.loads(r.read() or b"null")


@pytest.fixture(scope="session")
def workdir():
    d = Path(tempfile.mkdtemp(prefix="pantau-e2e-"))
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="session")
def display(workdir):
    num = 99
    while Path(f"/tmp/.X11-unix/X{num}").exists():
        num += 1
    proc = subprocess.Popen(["Xvfb", f":{num}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until(lambda: Path(f"/tmp/.X11-unix/X{num}").exists(), what="Xvfb")
    yield f":{num}"
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="session")
def bus(workdir):
    proc, address = private_bus(workdir / "bus.conf")
    env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=address)
    notifications = workdir / "notifications.jsonl"
    tray = workdir / "tray.json"
    helpers = [
        subprocess.Popen([str(TARGET / "notify-recorder"), "--out", str(notifications)], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        subprocess.Popen([str(TARGET / "tray-watcher"), "--out", str(tray)], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
    ]
    wait_for_name(address, "org.kde.StatusNotifierWatcher")
    wait_for_name(address, "org.freedesktop.Notifications")
    yield {"address": address, "notifications": notifications, "tray": tray}
    for p in helpers + [proc]:
        p.terminate()
        p.wait(10)


@pytest.fixture(scope="session")
def site():
    s = Site(free_port())
    s.start()
    yield s
    s.stop()


@pytest.fixture(scope="session")
def browser_log(workdir):
    """A stand-in browser: records the URL it was asked to open."""
    log = workdir / "browser.log"
    script = workdir / "browser.sh"
    script.write_text(f"#!/bin/sh\necho \"$1\" >> {log}\n")
    script.chmod(0o755)
    return {"script": script, "log": log}


@pytest.fixture(scope="session")
def app_env(workdir, display, bus, site, browser_log):
    """The environment Pantau runs in: the fixture site, the private bus, Xvfb, a stand-in browser."""
    env = dict(
        os.environ,
        DISPLAY=display,
        DBUS_SESSION_BUS_ADDRESS=bus["address"],
        PANTAU_DB=str(workdir / "cache.sqlite"),
        PANTAU_KONTAN_ORIGIN=site.origin,
        PANTAU_MARKET_CALENDAR="always-open",
        BROWSER=str(browser_log["script"]),
        XDG_DATA_HOME=str(workdir / "data"),
        XDG_CONFIG_HOME=str(workdir / "config"),
        WEBKIT_DISABLE_COMPOSITING_MODE="1",
    )
    env.pop("WAYLAND_DISPLAY", None)
    return env


def launch(env, args=(), **build):
    """Starts Pantau under tauri-driver in `env`; returns the WebDriver session and a stop function.
    `build` is handed to `launch_pending`.
    WebKitWebDriver now and then drops the new-session request before the app is up; then the
    driver and any app it left on the bus are ended and the launch starts over (twice at most)."""
    for attempt in range(3):
        d, stop = launch_pending(env, args, **build)
        try:
            return d(), stop
        except AssertionError:
            raise
        except Exception:  # noqa: BLE001 - the session request failed: start over
            stop()
            for pid in pantau_processes(env["DBUS_SESSION_BUS_ADDRESS"]):
                os.kill(pid, signal.SIGTERM)
            wait_until(lambda: not pantau_processes(env["DBUS_SESSION_BUS_ADDRESS"]), what="the app gone")
            if attempt == 2:
                raise


def tauri_driver_path():
    return shutil.which("tauri-driver") or str(Path.home() / ".cargo" / "bin" / "tauri-driver")


def launch_pending(env, args=(), application=None, driver_command=None):
    """Starts Pantau under tauri-driver; the WebDriver session connects once the app creates its
    webview, which a hidden start does only when asked. Returns a function that waits for the
    session (and returns it) and a stop function. `application` and `driver_command` run another
    build (an installed one, a driver in a chroot); by default this checkout's debug build."""
    port = free_port()
    driver_command = driver_command or [tauri_driver_path()]
    proc = subprocess.Popen([*driver_command, "--port", str(port), "--native-port", str(free_port()),
                             "--native-driver", "/usr/bin/WebKitWebDriver"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until(lambda: socket.create_connection(("127.0.0.1", port), timeout=1), what="tauri-driver")
    options = ArgOptions()
    options.set_capability("browserName", "wry")
    options.set_capability("tauri:options", {"application": str(application or TARGET / "pantau"),
                                                 "args": list(args)})
    session = {}

    def connect():
        try:
            session["driver"] = webdriver.Remote(command_executor=f"http://127.0.0.1:{port}", options=options)
            session["driver"].implicitly_wait(0)
        except Exception as e:  # noqa: BLE001 - handed to the waiting test
            session["error"] = e

    thread = threading.Thread(target=connect, daemon=True)
    thread.start()

    def driver(timeout=60):
        thread.join(timeout)
        if "error" in session:
            raise session["error"]
        assert "driver" in session, "the app created no webview"
        return session["driver"]

    def stop():
        thread.join(5)
        if "driver" in session:
            session["driver"].quit()
        proc.terminate()
        proc.wait(10)

    return driver, stop


def pantau_processes(bus_address):
    """Pids of running Pantau apps built by this checkout, on the session bus at `bus_address`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                environ = (entry / "environ").read_bytes().split(b"\0")
                if (os.readlink(entry / "exe") == str(TARGET / "pantau")
                        and f"DBUS_SESSION_BUS_ADDRESS={bus_address}".encode() in environ):
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def children_of(pid):
    """Pids of the processes `pid` started, with their names (as the kernel keeps them)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    found.append((int(entry.name), (entry / "comm").read_text().strip()))
            except (OSError, IndexError, ValueError):
                pass
    return found


def thread_names(pid):
    """The names of a process's threads (as the kernel keeps them, 15 characters)."""
    names = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            names.append((task / "comm").read_text().strip())
        except OSError:  # a thread that ended while listed
            pass
    return names


def webkit_children(pid):
    """The WebKit helper processes (web, network) a Pantau process has started."""
    return sorted(name for _, name in children_of(pid) if name.startswith("WebKit"))


def same_pixels(png_a, png_b):
    """Whether two PNG files hold the same RGBA pixels (decoded by ImageMagick)."""
    decode = lambda p: subprocess.run(["convert", str(p), "-depth", "8", "rgba:-"], capture_output=True,
                                      check=True).stdout
    return decode(png_a) == decode(png_b)


class Tray:
    """Pantau's tray item as a tray-watcher on a private bus sees it; clicks its menu over D-Bus."""

    def __init__(self, path, address):
        self.path = path
        self.address = address

    def item(self):
        views = json.loads(self.path.read_text()) if self.path.exists() else []
        return next((v for v in views if v.get("menu")), None)

    def click(self, label):
        """Clicks the menu entry whose label starts with `label` (as a desktop's tray host does)."""
        item = wait_until(lambda: (i := self.item()) and any(m.startswith(label) for m in i["menu"]) and i,
                          what=f"tray entry {label}")
        index = next(n for n, m in enumerate(item["menu"]) if m.startswith(label))
        subprocess.run(["dbus-send", "--session", f"--dest={item['service']}", "--type=method_call",
                        item["menu_path"], "com.canonical.dbusmenu.Event", f"int32:{item['menu_ids'][index]}",
                        "string:clicked", "variant:int32:0", "uint32:0"],
                       env=dict(os.environ, DBUS_SESSION_BUS_ADDRESS=self.address), check=True)


def wait_for_name(address, name):
    """Waits until `name` has an owner on the bus at `address` (a helper is ready)."""
    def owned():
        out = subprocess.run(["dbus-send", f"--bus={address}", "--print-reply", "--dest=org.freedesktop.DBus",
                              "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", f"string:{name}"],
                             capture_output=True, text=True)
        return "boolean true" in out.stdout
    wait_until(owned, what=f"{name} on the bus")


def own_session(d, app_env, tray_host=True, **extra_env):
    """A session bus of its own in the new folder `d`, with a tray host (unless `tray_host` is
    false: GNOME without the AppIndicator extension) and a notification server, so a module's apps
    do not hand over to the rest of the suite's. A generator: yields {dir, address, env} and ends
    them all when resumed."""
    d.mkdir()
    bus, address = private_bus(d / "bus.conf")
    bus_env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=address)
    helpers = [
        subprocess.Popen([str(TARGET / "notify-recorder"), "--out", str(d / "notifications.jsonl")],
                         env=bus_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
    ]
    if tray_host:
        helpers.append(subprocess.Popen([str(TARGET / "tray-watcher"), "--out", str(d / "tray.json")],
                                        env=bus_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_for_name(address, "org.kde.StatusNotifierWatcher")
    wait_for_name(address, "org.freedesktop.Notifications")
    yield {"dir": d, "address": address, "env": dict(app_env, DBUS_SESSION_BUS_ADDRESS=address, **extra_env)}
    for p in helpers + [bus]:
        p.terminate()
        p.wait(10)


class OwnApp:
    """What a Pantau on a module's own session (see `own_session`) needs: a kontan site and a cache
    of its own, its environment, the session's tray host. Subclasses launch it."""

    def __init__(self, home, name):
        self.home = home
        self.address = home["address"]
        self.data = home["dir"] / name
        self.data.mkdir()
        self.site = Site(free_port())
        self.site.start()
        self.env = dict(home["env"], PANTAU_KONTAN_ORIGIN=self.site.origin,
                        PANTAU_DB=str(self.data / "cache.sqlite"), XDG_DATA_HOME=str(self.data / "data"),
                        XDG_CONFIG_HOME=str(self.data / "config"))
        (home["dir"] / "tray.json").unlink(missing_ok=True)
        assert pantau_processes(self.address) == [], "another app on this bus would take the launch over"
        self.tray = Tray(home["dir"] / "tray.json", self.address)

    def log(self):
        logs = list((self.data / "data").rglob("*.log"))
        return logs[0].read_text().splitlines() if logs else []

    def end(self, stop_session):
        """Ends the WebDriver session, then the app (as a logout does: a session whose webview was
        released cannot close it), then the site."""
        pids = pantau_processes(self.address)
        stop_session()
        for pid in pids:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        wait_until(lambda: not pantau_processes(self.address), what="the app gone")
        self.site.stop()


def private_bus(config_path):
    """A dbus-daemon of its own (single-instance and notifications are per session bus)."""
    config_path.write_text(BUS_CONFIG)
    proc = subprocess.Popen(["dbus-daemon", f"--config-file={config_path}", "--nofork", "--print-address=1"],
                            stdout=subprocess.PIPE, text=True)
    return proc, proc.stdout.readline().strip()


UI_ERROR = "[pantau::ui][ERROR]"


@pytest.fixture(autouse=True)
def no_ui_errors(request):
    """Fails a test during which any Pantau page logged an error it did not handle (an uncaught
    exception, an unhandled promise rejection, a console.error): the page sends them to the
    app's log, which this reads from where it stood before the test."""
    if "workdir" not in request.fixturenames:
        yield
        return
    root = request.getfixturevalue("workdir")
    before = {p: p.stat().st_size for p in root.rglob("*.log")}
    yield
    errors = []
    for log in root.rglob("*.log"):
        with open(log, "rb") as f:
            f.seek(before.get(log, 0))
            errors += [line for line in f.read().decode(errors="replace").splitlines() if UI_ERROR in line]
    assert not errors, "the page logged errors:\n" + "\n".join(errors[:20])


@pytest.fixture(scope="session")
def driver(app_env):
    d, stop = launch(app_env)
    yield d
    stop()


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
