"""Footprint of Pantau against the floor (a minimal Tauri window), measured in one run.

Prints: time from launch to indicators painted (from cache, and cold), memory (PSS) of the app and
its WebKit processes after 60 s idle, and CPU used while idle over 60 s.

Run: ./scripts/measure-footprint   (builds release binaries, then runs this)
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from conftest import BUS_CONFIG, Site, free_port, wait_until  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.webdriver.common.options import ArgOptions  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
RELEASE = ROOT / "target" / "release"
IDLE_SECONDS = int(os.environ.get("IDLE_SECONDS", "60"))
TICKS = os.sysconf("SC_CLK_TCK")


def children_of(pid):
    kids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    kids.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                pass
    return kids


def tree(pid):
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children_of(p))
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
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError):
            pass
    return total


def webkit_pids(app_pid):
    # WebKit's helper processes are the app's children (or grandchildren).
    return tree(app_pid)


def session(port, application):
    options = ArgOptions()
    options.set_capability("browserName", "wry")
    options.set_capability("tauri:options", {"application": str(application)})
    return webdriver.Remote(command_executor=f"http://127.0.0.1:{port}", options=options)


def measure(name, application, env, painted_js, idle):
    port = free_port()
    driver_proc = subprocess.Popen(
        [shutil.which("tauri-driver") or str(Path.home() / ".cargo/bin/tauri-driver"), "--port", str(port),
         "--native-driver", "/usr/bin/WebKitWebDriver"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until(lambda: socket.create_connection(("127.0.0.1", port), timeout=1), what="tauri-driver")
    start = time.perf_counter()
    d = session(port, application)
    wait_until(lambda: d.execute_script(painted_js), timeout=60, step=0.02, what=f"{name} painted")
    painted_ms = (time.perf_counter() - start) * 1000
    result = {"name": name, "first_paint_ms": painted_ms}
    if idle:
        pid = find(Path(application).name)
        time.sleep(IDLE_SECONDS)
        pids = webkit_pids(pid)
        before = cpu_ticks(pids)
        t0 = time.perf_counter()
        time.sleep(IDLE_SECONDS)
        used = (cpu_ticks(pids) - before) / TICKS
        result["pss_mib"] = pss_kib(webkit_pids(pid)) / 1024
        result["idle_cpu_pct"] = used / (time.perf_counter() - t0) * 100
        result["processes"] = len(pids)
    d.quit()
    driver_proc.terminate()
    driver_proc.wait(10)
    return result


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
    site = Site(free_port())
    site.proc = subprocess.Popen([str(RELEASE / "kontan-fixture"), "--port", str(site.port), "--speed", "0", "--quiet"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until(lambda: site.control("state"), what="fixture site")
    env = dict(os.environ, DISPLAY=f":{display_num}", DBUS_SESSION_BUS_ADDRESS=address,
               PANTAU_KONTAN_ORIGIN=site.origin, PANTAU_DB=str(work / "cache.sqlite"),
               XDG_DATA_HOME=str(work / "data"), XDG_CONFIG_HOME=str(work / "config"))
    painted = "return document.querySelectorAll('.reading').length === 11"
    try:
        floor = measure("floor (minimal Tauri window)", ROOT / "target/release/examples/floor", env,
                        "return !!document.getElementById('painted')", idle=True)
        cold = measure("Pantau, cold (empty cache)", RELEASE / "pantau", env, painted, idle=False)
        site.stop()  # from cache: the network is gone, the cache must paint
        cached = measure("Pantau, from cache (site down)", RELEASE / "pantau", env, painted, idle=False)
        site.proc = subprocess.Popen([str(RELEASE / "kontan-fixture"), "--port", str(site.port), "--speed", "1", "--quiet"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        idle = measure("Pantau, running (site up, bar every 60 s)", RELEASE / "pantau", env, painted, idle=True)
    finally:
        site.stop()
        bus.terminate()
        xvfb.terminate()
    print(f"{'':44} {'first paint':>12} {'PSS after idle':>15} {'idle CPU':>9}")
    for r in [floor, cold, cached, idle]:
        pss = f"{r['pss_mib']:.0f} MiB" if "pss_mib" in r else ""
        cpu = f"{r['idle_cpu_pct']:.2f}%" if "idle_cpu_pct" in r else ""
        print(f"{r['name']:44} {r['first_paint_ms']:>9.0f} ms {pss:>15} {cpu:>9}")
    print(f"memory ratio (Pantau / floor): {idle['pss_mib'] / floor['pss_mib']:.2f}x (target <= 1.3x)")
    print(f"first paint from cache minus floor: {cached['first_paint_ms'] - floor['first_paint_ms']:.0f} ms (target <= 150 ms)")
    print(f"idle CPU: {idle['idle_cpu_pct']:.2f}% (target < 0.5%)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
