"""Asleep and awake: after a resume from suspend (logind's PrepareForSleep) Pantau refreshes at
once instead of waiting out a timer that stood still, and while the screen is locked the tray's
label stops turning. The signals are sent on the app's private bus, which stands in for both
the session and the system bus here."""

import subprocess
import time

import pytest

from conftest import OwnApp, launch, own_session, wait_until
from test_app import symbols


@pytest.fixture(scope="module")
def home(app_env, workdir):
    yield from own_session(workdir / "awake", app_env)


class AwakeApp(OwnApp):
    """Pantau whose system bus is the private session bus (where the test sends logind's signal)."""

    def __init__(self, home, name):
        super().__init__(home, name)
        self.env["DBUS_SYSTEM_BUS_ADDRESS"] = self.address
        self.driver, self._stop = launch(self.env)
        wait_until(lambda: len(symbols(self.driver)) == 11, timeout=30, what="11 indicators")

    def signal(self, path, member, value):
        subprocess.run(["dbus-send", f"--bus={self.address}", "--type=signal", path, member, f"boolean:{value}"],
                       check=True)

    def home_fetches(self):
        return [r["at_ms"] for r in self.site.control("log") if r["target"] == "/www.kontan.co.id/"]


@pytest.fixture
def app(home, request):
    a = AwakeApp(home, request.node.name)
    yield a
    a.end(a._stop)


def test_a_resume_refreshes_at_once(app):
    wait_until(lambda: app.home_fetches(), what="the first refresh")
    time.sleep(11)  # past the gap between rounds a user may ask for
    before = len(app.home_fetches())
    app.signal("/org/freedesktop/login1", "org.freedesktop.login1.Manager.PrepareForSleep", "true")
    time.sleep(1)
    assert len(app.home_fetches()) == before, "going to sleep fetches nothing"
    woke = time.time()
    app.signal("/org/freedesktop/login1", "org.freedesktop.login1.Manager.PrepareForSleep", "false")
    wait_until(lambda: len(app.home_fetches()) > before, timeout=5, what="a refresh right after the resume")
    # The schedule's next bar round is a minute away: this one came from the resume.
    assert time.time() - woke < 5


def test_a_locked_screen_stops_the_ticker_and_the_unlock_turns_it_again(app):
    labels = lambda: (app.tray.item() or {}).get("label")

    def seen_for(seconds):
        seen = set()
        deadline = time.time() + seconds
        while time.time() < deadline:
            seen.add(labels())
            time.sleep(0.25)
        seen.discard(None)
        return seen

    wait_until(lambda: len(seen_for(6)) >= 2, timeout=30, what="the label turning")
    app.signal("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver.ActiveChanged", "true")
    time.sleep(1)
    assert len(seen_for(12)) == 1, "the label stands still while the screen is locked"
    app.signal("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver.ActiveChanged", "false")
    assert len(seen_for(12)) >= 2, "the label turns again after the unlock"
