"""The `tray-icon` example, the public way to see the tray's drawing at a size for a day's change:
its files are pixel for pixel the stored drawings, which the app's own test and the tray tests
(Linux's tray host, Wine's tray at 100%, 125% and 200%) compare with what the tray shows."""
import subprocess

import pytest

from conftest import ROOT, same_pixels

EXAMPLE = ROOT / "target" / "debug" / "examples" / "tray-icon"
ICONS = ROOT / "tests" / "fixtures" / "tray-icons"


@pytest.mark.parametrize("px", [16, 20, 24, 32, 40, 48])
def test_the_example_writes_the_drawing_the_tray_shows(tmp_path, px):
    for change, name in [("0.47", "up-0,47"), ("-1.08", "down-1,08"), ("12.3", "up-12,3"),
                         ("0", "flat-0,00"), ("-250", "down-250")]:
        out = tmp_path / f"{name}.png"
        subprocess.run([str(EXAMPLE), "--size", str(px), f"--change={change}", str(out)], check=True)
        assert same_pixels(out, ICONS / f"{name}-{px}px.png"), f"{change} at {px} px"


def test_the_example_says_what_it_needs():
    for args in ([], ["--size", "16", "out.png"], ["--size", "999", "--change", "1", "out.png"],
                 ["--size", "16", "--change", "naik", "out.png"]):
        out = subprocess.run([str(EXAMPLE), *args], capture_output=True, text=True)
        assert out.returncode == 2 and out.stderr.startswith("tray-icon: "), (args, out)
    # A negative change may follow --change as its own argument.
    out = subprocess.run([str(EXAMPLE), "--size", "16", "--change", "-1.08", "/dev/null"], capture_output=True)
    assert out.returncode == 0, out.stderr
