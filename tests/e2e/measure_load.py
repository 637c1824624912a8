"""Pantau's load on kontan: the real app, started hidden (as at login) at default settings,
against the fixture site with the market open and news arriving, its request log read by kind.

Time runs SCALE times faster for both (PANTAU_TIME_SCALE for the app's intervals, --speed for the
site's market and news), so MINUTES of wall clock are MINUTES * SCALE / 60 hours of a user's day;
the figures are per hour of that day. Bytes are as transferred (headers and compressed bodies).

Then the update check's cost (`--updates`, which ./scripts/measure-load runs second, with the app
built with PANTAU_UPDATE_URL on the fixture site's release tree): the app started fresh, then
restarted RESTARTS times within the day, then once more a day later, nothing new released; every
request for latest.json is counted.

Run: ./scripts/measure-load   (builds release binaries, then runs this)
"""

import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from conftest import BUS_CONFIG, Site, free_port, wait_until  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
RELEASE = ROOT / "target" / "release"
SCALE = float(os.environ.get("SCALE", "10"))
MINUTES = float(os.environ.get("MINUTES", "6"))
# kontan publishes a story every few minutes on a trading day.
NEWS_EVERY_SECONDS = float(os.environ.get("NEWS_EVERY_SECONDS", "300"))
BUDGET_REQUESTS, BUDGET_BYTES = 90, 3_000_000


def kind(target):
    host, _, path = target.lstrip("/").partition("/")
    path = "/" + path
    if path == "/robots.txt":
        return "robots.txt"
    if host.startswith("foto.") or host.startswith("asset."):
        return "pictures"
    if path.startswith("/rss"):
        return "channel feeds (RSS)"
    if path.startswith("/news/"):
        return "articles"
    if host == "www.kontan.co.id" and path == "/":
        return "homepage (bar and TERBARU)"
    if path == "/":
        return "channel front pages"
    return "other"


def headless_session(work, display):
    """An X server (Xvfb, from `display` up) and a session bus of their own: (processes, display,
    the bus's address)."""
    while Path(f"/tmp/.X11-unix/X{display}").exists():
        display += 1
    xvfb = subprocess.Popen(["Xvfb", f":{display}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    (work / "bus.conf").write_text(BUS_CONFIG)
    bus = subprocess.Popen(["dbus-daemon", f"--config-file={work / 'bus.conf'}", "--nofork", "--print-address=1"],
                           stdout=subprocess.PIPE, text=True)
    return [bus, xvfb], display, bus.stdout.readline().strip()


def main():
    work = Path(tempfile.mkdtemp(prefix="pantau-load-"))
    (bus, xvfb), display, address = headless_session(work, 120)
    bus_env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=address)
    helpers = [subprocess.Popen([str(RELEASE / name), "--out", str(work / out)], env=bus_env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for name, out in [("tray-watcher", "tray.json"), ("notify-recorder", "notes.jsonl")]]
    site = Site(free_port())
    site.proc = subprocess.Popen([str(RELEASE / "kontan-fixture"), "--port", str(site.port), "--speed", str(SCALE),
                                  "--headline-every", str(NEWS_EVERY_SECONDS), "--quiet"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until(lambda: site.control("state"), what="fixture site")
    env = dict(bus_env, DISPLAY=f":{display}", PANTAU_KONTAN_ORIGIN=site.origin, PANTAU_DB=str(work / "cache.sqlite"),
               XDG_DATA_HOME=str(work / "data"), XDG_CONFIG_HOME=str(work / "config"),
               PANTAU_MARKET_CALENDAR="always-open", PANTAU_TIME_SCALE=str(SCALE))
    env.pop("WAYLAND_DISPLAY", None)
    app = subprocess.Popen([str(RELEASE / "pantau"), "--hidden"], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(MINUTES * 60)
        log = site.control("log")
    finally:
        app.terminate()
        app.wait(20)
        site.stop()
        for p in helpers + [bus, xvfb]:
            p.terminate()
            p.wait(10)
    hours = MINUTES * SCALE / 60
    by_kind = defaultdict(lambda: [0, 0, 0])
    for r in log:
        k = by_kind[kind(r["target"])]
        k[0] += 1
        k[1] += r["bytes"]
        k[2] += r["status"] == 304
    print(f"Pantau hidden at default settings, market open, a story every {NEWS_EVERY_SECONDS / 60:.0f} min: "
          f"{MINUTES:g} min at {SCALE:g}x = {hours:.2f} h of a user's day")
    print(f"{'kind':30} {'requests/h':>11} {'KB/h as sent':>13} {'of them 304':>12}")
    total_requests = total_bytes = 0
    for name, (n, b, not_modified) in sorted(by_kind.items(), key=lambda kv: -kv[1][0]):
        print(f"{name:30} {n / hours:11.1f} {b / hours / 1000:13.1f} {not_modified / hours:12.1f}")
        total_requests += n
        total_bytes += b
    per_hour, bytes_per_hour = total_requests / hours, total_bytes / hours
    print(f"{'total':30} {per_hour:11.1f} {bytes_per_hour / 1000:13.1f}")
    ok = per_hour <= BUDGET_REQUESTS and bytes_per_hour <= BUDGET_BYTES
    print(f"budget ({BUDGET_REQUESTS} requests, {BUDGET_BYTES / 1e6:g} MB an hour): {'met' if ok else 'NOT met'}")
    for users in (10_000, 100_000):
        print(f"{users:>7} users: {per_hour * users / 3600:7.1f} requests/s to kontan, "
              f"{bytes_per_hour * users * 8 / 3600 / 1e6:6.1f} Mbit/s")
    return 0 if ok else 1


UPDATE_PORT = int(os.environ.get("UPDATE_PORT", "18743"))
RESTARTS = int(os.environ.get("RESTARTS", "5"))


def measure_update_checks():
    """Requests for latest.json over a first start, RESTARTS restarts within the day and the next
    day's start, nothing new released: at most one a day, the next day's a 304."""
    import json
    import sqlite3
    work = Path(tempfile.mkdtemp(prefix="pantau-update-load-"))
    releases = work / "releases"
    releases.mkdir()
    version = next(line.split('"')[1] for line in (ROOT / "Cargo.toml").read_text().splitlines()
                   if line.startswith("version = "))
    (releases / "latest.json").write_text(json.dumps({"version": version, "notes": "", "platforms": {}}))
    (bus, xvfb), display, address = headless_session(work, 140)
    site = Site(UPDATE_PORT)
    site.proc = subprocess.Popen([str(RELEASE / "kontan-fixture"), "--port", str(site.port), "--speed", "0",
                                  "--releases", str(releases), "--quiet"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until(lambda: site.control("state"), what="fixture site")
    db = work / "cache.sqlite"
    env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=address, DISPLAY=f":{display}", PANTAU_KONTAN_ORIGIN=site.origin,
               PANTAU_DB=str(db), XDG_DATA_HOME=str(work / "data"), XDG_CONFIG_HOME=str(work / "config"))
    env.pop("WAYLAND_DISPLAY", None)

    def checks():
        return [r for r in site.control("log") if r["target"].startswith("/releases/latest.json")]

    def run_once(seconds=20):
        app = subprocess.Popen([str(RELEASE / "pantau"), "--hidden"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(seconds)
        app.terminate()
        app.wait(20)

    def memory():
        with sqlite3.connect(db) as c:
            row = c.execute("SELECT value FROM settings WHERE key = 'update'").fetchone()
        return json.loads(row[0]) if row else {}

    def set_memory(value):
        with sqlite3.connect(db) as c:
            c.execute("INSERT INTO settings (key, value) VALUES ('update', ?) "
                      "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (json.dumps(value),))

    try:
        # A fresh install whose minute of the day is now: its first check falls due at once.
        run_once(5)
        now_ms = int(time.time() * 1000)
        set_memory({"next_check_ms": now_ms - 60_000})
        run_once()
        first = len(checks())
        for _ in range(RESTARTS):
            run_once(10)
        within_day = len(checks()) - first
        # A day later: the memory's clock moved back a day, and this install's minute has come.
        m = memory()
        m["last_check_ms"] -= 86_400_000
        m["next_check_ms"] = int(time.time() * 1000) - 60_000
        set_memory(m)
        run_once()
        log = checks()
    finally:
        site.stop()
        for p in (bus, xvfb):
            p.terminate()
            p.wait(10)
    next_day = log[first + within_day:]
    answers = ", ".join("%d of %d bytes" % (r["status"], r["bytes"]) for r in next_day)
    print(f"update checks (latest.json), nothing new released: first start {first}, "
          f"{RESTARTS} restarts within the day {within_day}, the next day {len(next_day)} ({answers})")
    ok = first == 1 and within_day == 0 and len(next_day) == 1 and next_day[0]["status"] == 304
    print(f"update budget (one small conditional request a day, restarts included): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(measure_update_checks() if "--updates" in sys.argv else main())
