"""Releases for the update tests: throwaway keys from `./scripts/release --new-keys`, a release of
this tree, and one of the same tree with only the version raised (a copy under target/ whose build
reuses this tree's dependencies), both served by a plain static web server on loopback."""

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import ROOT, free_port

RELEASES = ROOT / "target" / "releases"


def version_of(tree=ROOT):
    return re.search(r'^version = "(.+)"$', (tree / "Cargo.toml").read_text(), re.M).group(1)


def raised(version):
    """The next patch version (0.1.0 -> 0.1.1)."""
    major, minor, patch = re.match(r"(\d+)\.(\d+)\.(\d+)", version).groups()
    return f"{major}.{minor}.{int(patch) + 1}"


def new_keys(folder):
    """The environment `eval "$(./scripts/release --new-keys DIR)"` prepares."""
    if folder.exists():
        shutil.rmtree(folder)
    script = f'eval "$({ROOT}/scripts/release --new-keys {folder})" && env -0'
    out = subprocess.run(["bash", "-c", script], cwd=ROOT, check=True, capture_output=True).stdout
    env = dict(item.split("=", 1) for item in out.decode().split("\0") if "=" in item)
    keys = ("PANTAU_SIGNING_KEY", "PANTAU_SIGNING_KEY_PASSWORD", "PANTAU_REPO_KEY", "PANTAU_UPDATE_PUBKEY")
    assert all(env.get(k) for k in keys), sorted(env)
    return {k: env[k] for k in keys}


def release(tree, out_dir, keys, url, platforms, **extra):
    """`./scripts/release OUT_DIR` in `tree`; the path of latest.json it prints last."""
    env = dict(os.environ, **keys, PANTAU_UPDATE_URL=url, PANTAU_RELEASE_PLATFORMS=platforms, **extra)
    out = subprocess.run([str(tree / "scripts" / "release"), str(out_dir)], cwd=tree, env=env,
                         check=True, stdout=subprocess.PIPE, text=True).stdout.strip().splitlines()
    latest = Path(out[-1])
    assert latest == Path(out_dir).resolve() / "latest.json" and latest.is_file(), out
    return latest


def raised_tree(version, purpose):
    """This tree copied to target/releases/tree-PURPOSE-VERSION with its version raised to VERSION
    (the manifests, Cargo.lock and a changelog section); its release build shares target/release
    with this tree, so only Pantau's own crates compile again. PURPOSE keeps the Linux and the
    Windows tests, which run side by side, apart."""
    tree = RELEASES / f"tree-{purpose}-{version}"
    if tree.exists():
        shutil.rmtree(tree)
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                           capture_output=True).stdout.decode().split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (tree / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, tree / name)
    old = version_of()
    manifest = tree / "Cargo.toml"
    manifest.write_text(manifest.read_text().replace(f'\nversion = "{old}"\n', f'\nversion = "{version}"\n', 1))
    lock = tree / "Cargo.lock"
    lock.write_text(re.sub(r'(name = "(?:pantau|pantau-engine|kontan-fixture)"\nversion = )"' + re.escape(old) + '"',
                           rf'\1"{version}"', lock.read_text()))
    changelog = tree / "CHANGELOG.md"
    text = changelog.read_text()
    at = text.index("\n## ") + 1
    changelog.write_text(text[:at] + f"## {version}\n\n- Harga emas terbaca lagi.\n\n" + text[at:])
    (tree / "target").mkdir()
    for shared in ["release", "tauri-cli"]:
        (ROOT / "target" / shared).mkdir(parents=True, exist_ok=True)
        (tree / "target" / shared).symlink_to(ROOT / "target" / shared)
    assert version_of(tree) == version
    return tree


@contextlib.contextmanager
def served(folder, port):
    """`folder` on http://127.0.0.1:PORT/ by Python's static file server."""
    proc = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port),
                             "--directory", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 20
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


__all__ = ["RELEASES", "free_port", "new_keys", "raised", "raised_tree", "release", "served", "version_of"]
