"""The .deb on a Debian 12 system that has never seen Pantau: ./scripts/release builds it (with
throwaway keys and a loopback update address), debootstrap makes a minimal bookworm from the
mirror this machine's apt uses, apt installs the package there (pulling WebKitGTK and the tray
library), and the installed `pantau` starts under Xvfb against the fixture site and shows the 11
indicators. Purging the package leaves nothing of Pantau's behind but the user's own files in
their home. Then the system's own updates: with the package installed, `apt-get update && apt-get
upgrade` takes the next version from the release's signed repository, and refuses a repository
signed with another key.

The debootstrap base is kept in target/install-test/ between runs (a fresh CI clone makes it)."""

import importlib.machinery
import importlib.util
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import ROOT, free_port, launch, private_bus, tauri_driver_path, wait_until
from releases import RELEASES, new_keys, raised, raised_tree, release, served, version_of
from test_app import reading, symbols

CACHE = ROOT / "target" / "install-test"
SUITE = "bookworm"
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
APT_ENV = dict(os.environ, DEBIAN_FRONTEND="noninteractive", LC_ALL="C", PATH=SYSTEM_PATH)
CHROOT = shutil.which("chroot", path=SYSTEM_PATH) or "/usr/sbin/chroot"


def host_mirrors():
    """The Debian archive and security URIs this machine's apt reads: scripts/apt-mirror's reading,
    which the Windows chroot uses too."""
    loader = importlib.machinery.SourceFileLoader("apt_mirror", str(ROOT / "scripts" / "apt-mirror"))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader("apt_mirror", loader))
    loader.exec_module(module)
    return module.host_mirrors(SUITE)


def run(*cmd, **kw):
    kw.setdefault("env", APT_ENV)
    return subprocess.run(cmd, check=True, text=True, **kw)


def in_root(root, *cmd, **kw):
    return run(CHROOT, str(root), *cmd, **kw)


def base_tarball(archive):
    """A minimal bookworm (debootstrap --variant=minbase), made once and kept under target/."""
    tarball = CACHE / f"{SUITE}-minbase.tar"
    if not tarball.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        build = Path(tempfile.mkdtemp(prefix="debootstrap-", dir=CACHE))
        try:
            run("debootstrap", "--variant=minbase", SUITE, str(build), archive, stdout=subprocess.DEVNULL)
            run("tar", "-cf", str(tarball) + ".part", "-C", str(build), ".")
            os.replace(str(tarball) + ".part", tarball)
        finally:
            shutil.rmtree(build, ignore_errors=True)
    return tarball


def mounts_under(root):
    real = os.path.realpath(root)
    with open("/proc/mounts") as f:
        points = [line.split()[1].replace("\\040", " ") for line in f]
    return [p for p in points if p == real or p.startswith(real + "/")]


def processes_in(root):
    real = os.path.realpath(root)
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.readlink(entry / "root") == real:
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def installed_apps_in(root):
    """Pids of the installed `/usr/bin/pantau` running in `root` (a process that ends while it is
    looked at is not running)."""
    found = []
    for pid in processes_in(root):
        try:
            if os.readlink(f"/proc/{pid}/exe").endswith("/usr/bin/pantau"):
                found.append(pid)
        except OSError:
            pass
    return found


@pytest.fixture(scope="module")
def releases():
    """Throwaway keys, an update address on a loopback port, and this version's Linux release."""
    keys = new_keys(RELEASES / "keys")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    out = RELEASES / "linux-a"
    shutil.rmtree(out, ignore_errors=True)
    release(ROOT, out, keys, url, "linux")
    return {"keys": keys, "port": port, "url": url, "a": out}


@pytest.fixture(scope="module")
def package(releases):
    """The .deb of this version's release (in its apt pool), beside its .rpm and dnf repository."""
    debs = list((releases["a"] / "apt" / "pool").rglob("*.deb"))
    rpms = list((releases["a"] / "rpm").glob("*.rpm"))
    assert len(debs) == 1 and len(rpms) == 1, (debs, rpms)
    assert (releases["a"] / "rpm" / "repodata" / "repomd.xml.asc").is_file()
    return debs[0]


@pytest.fixture(scope="module")
def system(package):
    """A fresh minimal Debian 12 in a chroot, with the host's /tmp (Xvfb, the test bus, the
    package) and /proc, /dev, /sys mounted; unmounted and deleted afterwards."""
    archive, security = host_mirrors()
    tarball = base_tarball(archive)
    root = Path(tempfile.mkdtemp(prefix="pantau-install-", dir=CACHE))
    run("tar", "-xf", str(tarball), "-C", str(root))
    sources = [f"deb {archive} {SUITE} main", f"deb {archive} {SUITE}-updates main"]
    if security:
        sources.append(f"deb {security} {SUITE}-security main")
    (root / "etc/apt/sources.list").write_text("\n".join(sources) + "\n")
    shutil.copy("/etc/resolv.conf", root / "etc/resolv.conf")
    for source, target, kind in [("proc", "proc", "proc"), ("sysfs", "sys", "sysfs"),
                                 ("/dev", "dev", "rbind"), ("/tmp", "tmp", "rbind")]:
        point = root / target
        point.mkdir(exist_ok=True)
        if kind == "rbind":
            run("mount", "--rbind", source, str(point))
            run("mount", "--make-rslave", str(point))
        else:
            run("mount", "-t", kind, source, str(point))
    try:
        yield root
    finally:
        for pid in processes_in(root):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for point in sorted(mounts_under(root), key=len, reverse=True):
            subprocess.run(["umount", "-l", point], check=False)
        # Never delete through a mount that is still there (it would reach the host's /tmp).
        if not mounts_under(root):
            shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def installed(system, package):
    """The package installed with apt (its dependencies from the mirror); WebKit's WebDriver and
    tauri-driver are added for the test's own use."""
    deb = Path(tempfile.mkdtemp(prefix="pantau-deb-")) / package.name
    shutil.copy(package, deb)
    in_root(system, "apt-get", "update", "-qq", stdout=subprocess.DEVNULL)
    in_root(system, "apt-get", "install", "-y", "-qq", "--no-install-recommends", str(deb),
            stdout=subprocess.DEVNULL)
    files = in_root(system, "dpkg", "-L", "pantau", stdout=subprocess.PIPE).stdout.split("\n")
    in_root(system, "apt-get", "install", "-y", "-qq", "--no-install-recommends", "webkit2gtk-driver",
            stdout=subprocess.DEVNULL)
    shutil.copy(tauri_driver_path(), system / "usr/local/bin/tauri-driver")
    return [f for f in files if f]


def test_the_package_holds_the_app_the_cli_the_menu_entry_icons_and_licenses(package):
    listing = run("dpkg-deb", "-c", str(package), stdout=subprocess.PIPE).stdout
    paths = {"/" + re.sub(r"^\./|^/", "", line.split()[-1]) for line in listing.splitlines()}
    for path in ["/usr/bin/pantau", "/usr/bin/pantau-cli", "/usr/share/applications/Pantau.desktop",
                 "/usr/share/doc/pantau/copyright", "/usr/share/doc/pantau/CHANGELOG.md",
                 "/usr/share/doc/pantau/LICENSE-MIT", "/usr/share/doc/pantau/LICENSE-APACHE"]:
        assert path in paths, path
    for size in [32, 64, 128, 256, 512]:
        assert f"/usr/share/icons/hicolor/{size}x{size}/apps/pantau.png" in paths, size
    depends = run("dpkg-deb", "-f", str(package), "Depends", stdout=subprocess.PIPE).stdout
    for library in ["libwebkit2gtk-4.1-0", "libayatana-appindicator3-1"]:
        assert library in depends, depends
    # Built with an update address: the system's updates know where Pantau's repository is.
    for path in ["/etc/apt/sources.list.d/pantau.list", "/usr/share/keyrings/pantau.gpg"]:
        assert path in paths, path


@pytest.fixture(scope="module")
def bus_address(workdir):
    """A session bus of its own, so the installed app does not hand over to the suite's app."""
    d = workdir / "install"
    d.mkdir()
    proc, address = private_bus(d / "bus.conf")
    yield address
    proc.terminate()
    proc.wait(10)


def test_installed_on_a_bare_debian_it_starts_shows_the_market_and_purges_clean(system, installed, app_env,
                                                                                 site, bus_address):
    version = re.search(r'^version = "(.+)"$', (ROOT / "Cargo.toml").read_text(), re.M).group(1)
    cli = in_root(system, "pantau-cli", "--version", stdout=subprocess.PIPE).stdout.strip()
    assert cli == f"pantau-cli {version}"

    entry = (system / "usr/share/applications/Pantau.desktop").read_text()
    for line in ["Name=Pantau", "Name[id]=Pantau", "Exec=pantau", "Icon=pantau",
                 "Categories=Office;Finance;Network;News;"]:
        assert line in entry.splitlines(), line
    assert re.search(r"^Comment\[id\]=.+", entry, re.M) and re.search(r"^GenericName\[id\]=.+", entry, re.M)

    # The installed app as a user starts it: default cache and settings in the home directory.
    env = {k: v for k, v in app_env.items() if not k.startswith(("XDG_", "PANTAU_DB"))}
    env.update(HOME="/root", PANTAU_KONTAN_ORIGIN=site.origin, PATH="/usr/local/bin:/usr/bin:/bin",
               DBUS_SESSION_BUS_ADDRESS=bus_address)
    driver, stop = launch(env, application="/usr/bin/pantau",
                          driver_command=[CHROOT, str(system), "/usr/local/bin/tauri-driver"])
    try:
        wait_until(lambda: len(symbols(driver)) == 11, timeout=60, what="11 indicators in the installed app")
        assert reading(driver, "USD/IDR")["value"] == "16.689"
    finally:
        stop()
        for pid in installed_apps_in(system):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    wait_until(lambda: not installed_apps_in(system), what="the app gone")
    home_files = [p for p in (system / "root").rglob("*") if "pantau" in str(p).lower()]
    assert home_files, "the installed app kept no cache in the user's home"

    owned_files = [f for f in installed if not (system / f.lstrip("/")).is_dir()]
    in_root(system, "apt-get", "purge", "-y", "-qq", "pantau", stdout=subprocess.DEVNULL)
    left = [f for f in owned_files if (system / f.lstrip("/")).exists()]
    assert left == [], left
    assert named_pantau(system) == []
    assert any(p.exists() for p in home_files), "purging the package removed the user's cache"


def named_pantau(root):
    """Paths in the system named after Pantau, outside the home, /tmp and the kernel's trees."""
    found = []
    for top, dirs, names in os.walk(root):
        if Path(top) == root:
            dirs[:] = [d for d in dirs if d not in {"root", "tmp", "proc", "sys", "dev"}]
        found += [os.path.join(top, n) for n in dirs + names if "pantau" in n.lower()]
    return found


def test_the_system_upgrades_pantau_from_its_signed_repository_and_refuses_another_keys(system, installed,
                                                                                        package, releases):
    """Version A installed; B (this tree, only the version raised) released to a loopback server:
    a repository signed with another key is refused by apt and installs nothing; the right one
    upgrades Pantau with `apt-get update && apt-get upgrade`; purging removes the source too."""
    deb = Path(tempfile.mkdtemp(prefix="pantau-deb-")) / package.name
    shutil.copy(package, deb)
    in_root(system, "apt-get", "install", "-y", "-qq", "--no-install-recommends", str(deb),
            stdout=subprocess.DEVNULL)
    source = (system / "etc/apt/sources.list.d/pantau.list").read_text()
    assert source.strip() == f"deb [signed-by=/usr/share/keyrings/pantau.gpg] {releases['url']}/apt stable main"

    version_a, version_b = version_of(), raised(version_of())
    out_b = RELEASES / "linux-b"
    shutil.rmtree(out_b, ignore_errors=True)
    release(raised_tree(version_b, "linux"), out_b, releases["keys"], releases["url"], "linux")
    assert list((out_b / "apt" / "pool").rglob(f"Pantau_{version_b}_*.deb"))

    def installed_version():
        return in_root(system, "dpkg-query", "-W", "-f", "${Version}", "pantau",
                       stdout=subprocess.PIPE).stdout.strip()

    # The same repository signed with another key: apt refuses it.
    forged = RELEASES / "linux-b-forged"
    shutil.rmtree(forged, ignore_errors=True)
    shutil.copytree(out_b, forged)
    other = new_keys(RELEASES / "other-keys")
    gnupg = Path(tempfile.mkdtemp(prefix="gnupg-"))
    gnupg.chmod(0o700)
    gpg = ["gpg", "--batch", "--quiet", "--yes", "--homedir", str(gnupg)]
    subprocess.run(gpg + ["--import"], input=other["PANTAU_REPO_KEY"].encode(), check=True)
    dists = forged / "apt" / "dists" / "stable"
    run(*gpg, "--clearsign", "-o", str(dists / "InRelease"), str(dists / "Release"))
    run(*gpg, "--armor", "--detach-sign", "-o", str(dists / "Release.gpg"), str(dists / "Release"))
    with served(forged, releases["port"]):
        refused = subprocess.run([CHROOT, str(system), "apt-get", "update"], env=APT_ENV, text=True,
                                 capture_output=True)
        assert "NO_PUBKEY" in refused.stderr + refused.stdout or "not signed" in refused.stderr, refused
        in_root(system, "apt-get", "upgrade", "-y", "-qq", stdout=subprocess.DEVNULL)
    assert installed_version() == version_a

    with served(out_b, releases["port"]):
        in_root(system, "apt-get", "update", "-qq", stdout=subprocess.DEVNULL)
        in_root(system, "apt-get", "upgrade", "-y", "-qq", stdout=subprocess.DEVNULL)
    assert installed_version() == version_b
    cli = in_root(system, "pantau-cli", "--version", stdout=subprocess.PIPE).stdout.strip()
    assert cli == f"pantau-cli {version_b}"

    in_root(system, "apt-get", "purge", "-y", "-qq", "pantau", stdout=subprocess.DEVNULL)
    # apt keeps what it downloaded in its own cache until cleaned: that is apt's, not Pantau's.
    in_root(system, "apt-get", "clean")
    assert named_pantau(system) == []
