"""End-to-end fixtures: a fixture kontan site, a private session D-Bus with a notification
recorder and a StatusNotifierWatcher, Xvfb, tauri-driver over WebKitWebDriver, and the real
Pantau binary. Nothing here touches the internet."""

import json
import os
import shutil
import socket
import subprocess
import tempfile
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
    time.sleep(0.5)
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


def launch(env):
    """Starts Pantau under tauri-driver in `env`; returns the WebDriver session and a stop function."""
    port = free_port()
    tauri_driver = shutil.which("tauri-driver") or str(Path.home() / ".cargo" / "bin" / "tauri-driver")
    proc = subprocess.Popen([tauri_driver, "--port", str(port), "--native-port", str(free_port()),
                             "--native-driver", "/usr/bin/WebKitWebDriver"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until(lambda: socket.create_connection(("127.0.0.1", port), timeout=1), what="tauri-driver")
    options = ArgOptions()
    options.set_capability("browserName", "wry")
    options.set_capability("tauri:options", {"application": str(TARGET / "pantau")})
    d = webdriver.Remote(command_executor=f"http://127.0.0.1:{port}", options=options)
    d.implicitly_wait(0)

    def stop():
        d.quit()
        proc.terminate()
        proc.wait(10)

    return d, stop


def private_bus(config_path):
    """A dbus-daemon of its own (single-instance and notifications are per session bus)."""
    config_path.write_text(BUS_CONFIG)
    proc = subprocess.Popen(["dbus-daemon", f"--config-file={config_path}", "--nofork", "--print-address=1"],
                            stdout=subprocess.PIPE, text=True)
    return proc, proc.stdout.readline().strip()


@pytest.fixture(scope="session")
def driver(app_env):
    d, stop = launch(app_env)
    yield d
    stop()


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
