"""Footprint of Pantau against the floor (a minimal Tauri window), measured in one run.

Side by side, on the same display and bus: the floor's first paint, memory and idle CPU; Pantau's
first paint (empty cache, and from cache with the site down); then Pantau's life in the tray:
started hidden and never opened, the popup open, hidden again after the release delay, with the
popup's open time cold (webview created) and warm (still alive), from the request (a click on the
tray menu's "Buka Pantau") to the 11 indicators in the DOM, as the app logs it. Memory is PSS
summed over the app and its WebKit children; idle CPU is measured over IDLE_SECONDS in each state.
The hidden states are broken down by origin (heap, thread stacks, libraries ...).

Run: ./scripts/measure-footprint   (builds release binaries, then runs this)
"""

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from conftest import BUS_CONFIG, Site, Tray, children_of, free_port, thread_names, wait_until  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.webdriver.common.options import ArgOptions  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
RELEASE = ROOT / "target" / "release"
IDLE_SECONDS = int(os.environ.get("IDLE_SECONDS", "60"))
SETTLE_SECONDS = int(os.environ.get("SETTLE_SECONDS", "30"))
# Hidden, a tick (10 ms) over 60 s is already 0.017 %: the hidden states are measured longer, and
# after the app's own start-up work (the page-out 30 s after a hidden start) is over.
HIDDEN_IDLE_SECONDS = int(os.environ.get("HIDDEN_IDLE_SECONDS", "180"))
HIDDEN_SETTLE_SECONDS = int(os.environ.get("HIDDEN_SETTLE_SECONDS", "45"))
# Only the tray's states (hidden, open, released), without the floor and the first paints: for
# iterating on the hidden footprint. The summary needs the floor, so it is left out.
TRAY_ONLY = os.environ.get("TRAY_ONLY") == "1"
RELEASE_DELAY = int(os.environ.get("RELEASE_DELAY", "20"))
WARM_OPENS = 5
TICKS = os.sysconf("SC_CLK_TCK")


def proc_stat(pid):
    return (Path(f"/proc/{pid}/stat")).read_text().rsplit(")", 1)[1].split()


def tree(pid):
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kid for kid, _ in children_of(p))
    return out


def find(exe_name):
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if Path(os.readlink(entry / "exe")).name == exe_name:
                    return int(entry.name)
            except OSError:
                pass
    return None


def pss_kib(pids):
    total = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def cpu_ticks(pids):
    total = 0
    for p in pids:
        try:
            fields = proc_stat(p)
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError):
            pass
    return total


def thread_kind(name):
    """Numbered threads ("pantau-worker", "pool-12", "blocking-3") count as one kind."""
    return re.sub(r"[-:]?\d+$", "", name)


def thread_runs(pid):
    """What each thread of `pid` has run, by thread id: (name, ns on a CPU, times it ran), from
    the scheduler's own counts (/proc/PID/task/TID/schedstat), finer than the 10 ms ticks."""
    found = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            ns, _waited, runs = (task / "schedstat").read_text().split()[:3]
            found[task.name] = (name, int(ns), int(runs))
        except (OSError, ValueError):
            pass
    return found


def sample(name, pid, seconds=IDLE_SECONDS, settle=SETTLE_SECONDS):
    """Settles, then measures memory and CPU of the process tree over `seconds`, with the app
    process's ticks by thread."""
    time.sleep(settle)
    pids = tree(pid)
    before = cpu_ticks(pids)
    cpu_ticks_before_app = cpu_ticks([pid])
    threads_before = thread_runs(pid)
    t0 = time.perf_counter()
    time.sleep(seconds)
    pids_after = tree(pid)
    used = (cpu_ticks(pids_after) - before) / TICKS if pids_after == pids else None
    by_thread = defaultdict(lambda: [0, 0])
    live_ns = 0
    for tid, (thread, ns, runs) in thread_runs(pid).items():
        _, ns_before, runs_before = threads_before.get(tid, (thread, 0, 0))
        if runs > runs_before:
            # The main thread runs GTK's loop; other threads may carry the binary's name too.
            kind = by_thread["GTK main" if tid == str(pid) else thread_kind(thread)]
            kind[0] += ns - ns_before
            kind[1] += runs - runs_before
            live_ns += ns - ns_before
    app_ns = (cpu_ticks([pid]) - cpu_ticks_before_app) * 1e9 / TICKS
    if app_ns > live_ns + 5e6:
        by_thread["threads that ended"] = [app_ns - live_ns, 0]
    return {"name": name, "pss_mib": pss_kib(tree(pid)) / 1024, "processes": len(pids_after),
            "idle_cpu_pct": None if used is None else used / (time.perf_counter() - t0) * 100,
            "idle_seconds": seconds, "cpu_by_thread": dict(by_thread)}


def cpu_by_thread_text(result):
    """"GTK main 26.7/108, gdbus 19.5/137, …": ms on a CPU / times woken, the busiest first."""
    return ", ".join(f"{k} {ns / 1e6:.1f}/{runs}" for k, (ns, runs) in
                     sorted(result.get("cpu_by_thread", {}).items(), key=lambda kv: -kv[1][0]))


MAPPING = re.compile(r"^([0-9a-f]+)-([0-9a-f]+) (\S{4}) \S+ \S+ \d+\s*(.*)$")


def breakdown(pid):
    """PSS of one process by origin, from /proc/PID/smaps."""
    cats, libs = defaultdict(int), defaultdict(int)
    previous = None  # (end, perms, path) of the mapping before
    current = None
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        m = MAPPING.match(line)
        if m:
            start, end, perms, path = int(m[1], 16), int(m[2], 16), m[3], m[4].strip()
            if path == "[stack]":
                kind = "thread stacks"
            elif not path or path.startswith("[anon"):
                # A thread's stack sits right above its guard page (an inaccessible mapping).
                guarded = previous and previous[0] == start and previous[1] == "---p" and not previous[2]
                kind = "thread stacks" if guarded and perms.startswith("rw") else "heap and anonymous"
            elif path == "[heap]":
                kind = "heap and anonymous"
            elif path.startswith("["):
                kind = "kernel ([vdso], [vvar])"
            elif ".so" in Path(path).name:
                kind = "shared libraries"
            elif Path(path).name.startswith("pantau"):
                kind = "the pantau binary"
            else:
                kind = "other mapped files (fonts, icons, locale data)"
            current = (kind, path)
            previous = (end, perms, path)
        elif line.startswith("Pss:") and current:
            kib = int(line.split()[1])
            cats[current[0]] += kib
            if current[0] == "shared libraries":
                libs[Path(current[1]).name] += kib
    threads = defaultdict(int)
    for name in thread_names(pid):
        threads[thread_kind(name)] += 1
    return cats, libs, threads


def print_breakdown(title, pid):
    cats, libs, threads = breakdown(pid)
    print(f"\n{title}: PSS of the app process by origin (without WebKit children)")
    for kind, kib in sorted(cats.items(), key=lambda kv: -kv[1]):
        print(f"  {kind:46} {kib / 1024:7.1f} MiB")
    top = sorted(libs.items(), key=lambda kv: -kv[1])[:8]
    print("  largest libraries: " + ", ".join(f"{n} {k / 1024:.1f}" for n, k in top))
    print("  threads: " + ", ".join(f"{n} x{c}" for n, c in sorted(threads.items(), key=lambda kv: -kv[1])))


def session(port, application):
    options = ArgOptions()
    options.set_capability("browserName", "wry")
    options.set_capability("tauri:options", {"application": str(application)})
    return webdriver.Remote(command_executor=f"http://127.0.0.1:{port}", options=options)


def first_paint(name, application, env, painted_js, idle):
    """Launch to painted over WebDriver; with `idle`, also memory and CPU afterwards."""
    port = free_port()
    driver_proc = subprocess.Popen(
        [shutil.which("tauri-driver") or str(Path.home() / ".cargo/bin/tauri-driver"), "--port", str(port),
         "--native-port", str(free_port()), "--native-driver", "/usr/bin/WebKitWebDriver"], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until(lambda: socket.create_connection(("127.0.0.1", port), timeout=1), what="tauri-driver")
    start = time.perf_counter()
    d = session(port, application)
    wait_until(lambda: d.execute_script(painted_js), timeout=60, step=0.02, what=f"{name} painted")
    result = {"name": name, "first_paint_ms": (time.perf_counter() - start) * 1000}
    if idle:
        result.update(sample(name, find(Path(application).name)))
    d.quit()
    driver_proc.terminate()
    driver_proc.wait(10)
    return result


class LogWatch:
    """Reads the app's log for its own timing of popup opens."""

    def __init__(self, data_home):
        self.data_home = data_home
        self.seen = 0

    def lines(self):
        logs = list(self.data_home.rglob("Pantau.log"))
        return logs[0].read_text().splitlines() if logs else []

    def open(self, kind, tray):
        """Clicks "Buka Pantau" (again, if a menu rebuilt under the click lost it) until the app
        logs an open of `kind`; returns the app's own timing in ms."""
        for _ in range(20):
            tray.click("Buka Pantau")
            try:
                return self.next_open(kind, timeout=3)
            except AssertionError:
                continue
        raise AssertionError(f"no {kind} open")

    def next_open(self, kind, timeout=60):
        def found():
            for line in self.lines()[self.seen:]:
                m = re.search(r"popup open \((\w+).*?: (\d+) indicators in the DOM (\d+) ms", line)
                if m and m[1] == kind:
                    return int(m[2]), int(m[3])
            return None
        indicators, ms = wait_until(found, timeout=timeout, step=0.05, what=f"a {kind} open in the log")
        self.seen = len(self.lines())
        assert indicators == 11, f"the popup painted {indicators} indicators"
        return ms


def escape(env):
    """Presses Esc in the popup (as the user does to hide it); true once no popup is visible."""
    windows = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^Pantau$"], env=env,
                             capture_output=True, text=True).stdout.split()
    for w in windows:
        # Keys sent to a window that has no focus are ignored: focus it first, as a click does.
        subprocess.run(["xdotool", "windowfocus", "--sync", w], env=env, check=True)
        subprocess.run(["xdotool", "key", "Escape"], env=env, check=True)
    return not windows


def tray_life(env, work, tray):
    """Pantau started hidden, opened from the tray, hidden, released; measured at each step."""
    env = dict(env, PANTAU_POPUP_RELEASE_SECS=str(RELEASE_DELAY))
    app = subprocess.Popen([str(RELEASE / "pantau"), "--hidden"], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    log = LogWatch(Path(env["XDG_DATA_HOME"]))
    try:
        wait_until(lambda: (i := tray.item()) and any(m.startswith("USD/IDR") for m in i["menu"]), timeout=60,
                   what="the tray with data")
        hidden = sample("Pantau hidden, popup never opened", app.pid, HIDDEN_IDLE_SECONDS, HIDDEN_SETTLE_SECONDS)
        print(hidden, flush=True)
        print_breakdown("hidden, never opened", app.pid)
        cold_ms = log.open("cold", tray)
        opened = sample("Pantau with the popup open", app.pid)
        print(opened, flush=True)
        warm = []
        for _ in range(WARM_OPENS):
            wait_until(lambda: escape(env), what="the popup to hide")
            time.sleep(1)
            warm.append(log.open("warm", tray))
        wait_until(lambda: escape(env), what="the popup to hide")
        wait_until(lambda: len(tree(app.pid)) == 1, timeout=RELEASE_DELAY + 30, what="WebKit processes to go")
        released = sample(f"Pantau hidden again, {RELEASE_DELAY} s after hiding", app.pid, HIDDEN_IDLE_SECONDS,
                          HIDDEN_SETTLE_SECONDS)
        print_breakdown("hidden again after the release", app.pid)
        own = [line.split("footprint ", 1)[1] for line in log.lines() if "footprint " in line]
        print("  the app's own report: " + " | ".join(own))
    finally:
        app.terminate()
        app.wait(10)
    return hidden, opened, released, cold_ms, warm


def main():
    work = Path(tempfile.mkdtemp(prefix="pantau-footprint-"))
    display_num = 95
    while Path(f"/tmp/.X11-unix/X{display_num}").exists():
        display_num += 1
    xvfb = subprocess.Popen(["Xvfb", f":{display_num}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    (work / "bus.conf").write_text(BUS_CONFIG)
    bus = subprocess.Popen(["dbus-daemon", f"--config-file={work / 'bus.conf'}", "--nofork", "--print-address=1"],
                           stdout=subprocess.PIPE, text=True)
    address = bus.stdout.readline().strip()
    watcher = subprocess.Popen([str(RELEASE / "tray-watcher"), "--out", str(work / "tray.json")],
                               env=dict(os.environ, DBUS_SESSION_BUS_ADDRESS=address),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tray = Tray(work / "tray.json", address)
    site = Site(free_port())

    def start_site(speed):
        site.proc = subprocess.Popen([str(RELEASE / "kontan-fixture"), "--port", str(site.port), "--speed", speed,
                                      "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: site.control("state"), what="fixture site")

    start_site("0")
    env = dict(os.environ, DISPLAY=f":{display_num}", DBUS_SESSION_BUS_ADDRESS=address,
               PANTAU_KONTAN_ORIGIN=site.origin, PANTAU_DB=str(work / "cache.sqlite"),
               XDG_DATA_HOME=str(work / "data"), XDG_CONFIG_HOME=str(work / "config"))
    env.pop("WAYLAND_DISPLAY", None)
    painted = "return document.querySelectorAll('.reading').length === 11"
    try:
        if TRAY_ONLY:
            site.stop()
            start_site("1")
            hidden, opened, released, _, _ = tray_life(env, work, tray)
            for r in [hidden, opened, released]:
                print(f"{r['name']:48} {r['pss_mib']:.0f} MiB {r['idle_cpu_pct']:.3f}% CPU; by thread: "
                      f"{cpu_by_thread_text(r)}")
            return
        floor = first_paint("floor (minimal Tauri window), shown", ROOT / "target/release/examples/floor", env,
                            "return !!document.getElementById('painted')", idle=True)
        print(floor, flush=True)
        cold = first_paint("Pantau first paint, empty cache", RELEASE / "pantau", env, painted, idle=False)
        site.stop()  # from cache: the network is gone, the cache must paint
        cached = first_paint("Pantau first paint, from cache (site down)", RELEASE / "pantau", env, painted,
                             idle=False)
        start_site("1")
        hidden, opened, released, cold_ms, warm = tray_life(env, work, tray)
    finally:
        site.stop()
        watcher.terminate()
        bus.terminate()
        xvfb.terminate()
    warm_ms = statistics.median(warm)
    print(f"\n{'':48} {'first paint':>12} {'PSS':>9} {'idle CPU':>9} {'processes':>9}")
    for r in [floor, cold, cached, hidden, opened, released]:
        paint = f"{r['first_paint_ms']:.0f} ms" if "first_paint_ms" in r else ""
        pss = f"{r['pss_mib']:.0f} MiB" if "pss_mib" in r else ""
        cpu = f"{r['idle_cpu_pct']:.3f}%" if r.get("idle_cpu_pct") is not None else ""
        procs = str(r.get("processes", ""))
        print(f"{r['name']:48} {paint:>12} {pss:>9} {cpu:>9} {procs:>9}")
    f = floor["pss_mib"]
    print(f"\npopup open, cold (webview created): {cold_ms} ms from the tray click to 11 indicators in the DOM "
          f"(target <= floor's first paint + 100 = {floor['first_paint_ms'] + 100:.0f} ms)")
    print(f"popup open, warm (median of {len(warm)}: {', '.join(map(str, warm))} ms): {warm_ms:.0f} ms (target < 50 ms)")
    print(f"hidden, never opened: {hidden['pss_mib'] / f:.2f}x the floor's PSS (target <= 0.45x), "
          f"idle CPU {hidden['idle_cpu_pct']:.3f}% (target <= 0.05%)")
    print(f"hidden after the release: {released['pss_mib'] / f:.2f}x the floor's PSS (target <= 0.45x), "
          f"idle CPU {released['idle_cpu_pct']:.3f}% (target <= 0.05%)")
    print(f"popup open: {opened['pss_mib'] / f:.2f}x the floor's PSS (target <= 1.2x)")
    print(f"idle CPU windows: {IDLE_SECONDS} s shown, {HIDDEN_IDLE_SECONDS} s hidden; the app process's CPU "
          f"by thread (ms on a CPU / times woken; the budget at 0.05 % is {HIDDEN_IDLE_SECONDS * 0.5:.0f} ms):")
    for r in [floor, hidden, opened, released]:
        print(f"  {r['name']}: {cpu_by_thread_text(r) or 'none'}")
    print(f"first paint from cache minus floor: {cached['first_paint_ms'] - floor['first_paint_ms']:.0f} ms "
          f"(target <= 150 ms)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
