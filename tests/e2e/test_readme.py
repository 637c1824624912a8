"""The README cannot drift: every file its map ("How it fits together", "Layout") names exists, and
its command lines that need no network or display run as written."""
import re
import subprocess
import urllib.request
from pathlib import Path

from conftest import ROOT, free_port, wait_until

README = (ROOT / "README.md").read_text()

# Where the map's short paths are relative to: the repo, the crates' sources, the UI.
BASES = [ROOT, ROOT / "src-tauri", ROOT / "src-tauri/engine/src", ROOT / "src-tauri/src",
         ROOT / "src-tauri/engine/src/store", ROOT / "tests"]


def section(title):
    start = README.index(f"## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end if end > 0 else None]


def named_paths(text):
    """Backticked names that look like repo paths (`engine/bar.rs`, `refresh/mod.rs::start`)."""
    found = set()
    for name in re.findall(r"`([^`\s]+)`", text):
        name = name.split("::")[0]
        if re.search(r"[/.](rs|js|py|json|toml|csv)$|/$", name) and "<" not in name and "…" not in name:
            found.add(name)
    return found


def test_every_path_the_map_names_exists():
    text = section("How it fits together") + section("Layout")
    names = named_paths(text)
    # The layout block is preformatted: its first column is paths too.
    block = re.search(r"```\n(.*?)```", section("Layout"), re.S).group(1)
    names |= {line.split()[0] for line in block.splitlines() if line and not line.startswith(" ")}
    assert len(names) > 15, names
    missing = sorted(n for n in names if not any((base / n).exists() for base in BASES))
    assert missing == [], f"the README names files that do not exist: {missing}"


def test_the_fixture_site_starts_with_the_readmes_command():
    line = re.search(r"`(cargo run -p kontan-fixture -- --port (\d+))`", README)
    assert line, "the README shows how to start the fixture site"
    port = free_port()
    cmd = line.group(1).replace(f"--port {line.group(2)}", f"--port {port}").split()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        def serves():
            if proc.poll() is not None:
                raise AssertionError(f"{' '.join(cmd)} ended: {proc.stderr.read()}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/www.kontan.co.id/", timeout=2) as r:
                    return r.status == 200 and b"TERBARU" in r.read()
            except OSError:
                return False
        wait_until(serves, timeout=180, step=0.5, what="the fixture site answering")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_the_cli_builds_without_gui_libraries_as_the_readme_says():
    line = re.search(r"`(cargo build --release --bin pantau-cli)`", README)
    assert line, "the README shows how to build the CLI alone"
    tree = subprocess.run(["cargo", "tree", "--locked", "-e", "normal", "-p", "pantau-engine"], cwd=ROOT,
                          check=True, capture_output=True, text=True).stdout
    for gui in ("gtk", "webkit2gtk", "tauri "):
        assert f" {gui}" not in tree, f"pantau-cli would link {gui}"
    subprocess.run(line.group(1).split(), cwd=ROOT, check=True, capture_output=True)
    out = subprocess.run([ROOT / "target/release/pantau-cli", "parse", "indicators",
                          ROOT / "tests/fixtures/kontan/home.html"], capture_output=True, text=True, check=True)
    assert '"symbol":"USD/IDR"' in out.stdout
