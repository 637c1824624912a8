"""News you asked for, quietly: word alerts arriving over D-Bus and opening their story, quiet
hours holding one back and summing it up when they end, and a bigger rupiah move replacing the
notification still on screen. Each in the real app on a bus, notification server and kontan site
of its own."""

import json
import sqlite3
import subprocess
import time

import pytest
from selenium.webdriver.common.keys import Keys

from conftest import TARGET, OwnApp, launch, own_session, wait_until
from test_app import click, css, symbols, tab, text, titles
from test_daily import App, settings_save


@pytest.fixture(scope="module")
def home(app_env, workdir):
    """A session bus, tray host and notification server of this module's own."""
    yield from own_session(workdir / "news", app_env)


def seed_settings(path, alerts):
    """Writes alert settings into a cache Pantau then opens (the migrations make the tables)."""
    subprocess.run([str(TARGET / "pantau-cli"), "--db", str(path), "alerts", "words"],
                   check=True, capture_output=True)
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO settings (key, value) VALUES ('alerts', ?) "
                   "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (json.dumps(alerts),))


def own_app(home, name, alerts=None, clock=None):
    """An App whose cache holds `alerts` settings before it starts, its clock at `clock`."""
    class Seeded(App):
        def __init__(self):
            OwnApp.__init__(self, home, name)
            if alerts is not None:
                seed_settings(self.data / "cache.sqlite", alerts)
            if clock:
                self.env["PANTAU_CLOCK"] = clock
            self.driver, self._stop = launch(self.env)
            self.driver.set_script_timeout(60)
            wait_until(lambda: len(symbols(self.driver)) == 11, timeout=30, what="11 indicators")
    return Seeded()


@pytest.fixture
def make_app(home, request):
    made = []

    def make(**kw):
        a = own_app(home, request.node.name, **kw)
        made.append(a)
        return a
    yield make
    for a in made:
        a.stop()


def new_notes(app, before):
    return app.notifications()[len(before):]


def test_a_word_alert_arrives_over_dbus_and_opens_its_story(make_app, artifacts):
    app = make_app()
    d = app.driver
    # The user adds the word in the settings; the preview says what it matched today.
    tab(d, "settings")
    wait_until(lambda: css(d, "#word-input"), what="the settings form")
    field = css(d, "#word-input")[0]
    field.send_keys("BI Rate", Keys.ENTER)
    wait_until(lambda: titles(d, "#words li .word") == ["BI Rate"], what="the word in the list")
    wait_until(lambda: text(d, "#words li .word-preview") not in ("", "Memuat…"), what="its preview")
    settings_save(d)
    wait_until(lambda: not d.execute_script("return document.getElementById('settings-saved').hidden"),
               what="saved")
    tab(d, "market")
    before = app.notifications()
    url = app.site.control("breaking", title="BI-Rate Ditahan di 5,75%, Rupiah Menguat")["url"]
    app.site.control("breaking", title="Harga emas naik tipis")
    app.refresh_until(lambda: any(n["summary"] == "Berita: BI Rate" for n in new_notes(app, before)),
                      what="the word alert over D-Bus")
    time.sleep(1)
    [note] = [n for n in new_notes(app, before) if n["summary"].startswith("Berita")]
    assert note["body"] == "BI-Rate Ditahan di 5,75%, Rupiah Menguat"
    assert "Buka" in note["actions"]
    # The count on the inbox tab comes from the cache: a page opened afresh shows it too.
    wait_until(lambda: text(d, "#alert-count") == "1", what="one unseen alert")
    d.refresh()
    wait_until(lambda: len(symbols(d)) == 11, what="the page again")
    wait_until(lambda: text(d, "#alert-count") == "1", what="the count after a reload")
    # Its click opens the story in the reader.
    app.click_notification(note)
    wait_until(lambda: app.shown("reader"), what="the reader after the click")
    wait_until(lambda: text(d, "#reader-title") == "BI-Rate Ditahan di 5,75%, Rupiah Menguat", what="the story")
    assert d.execute_script("return document.getElementById('reader-open').isConnected")
    d.get_screenshot_as_file(str(artifacts / "word-alert-story.png"))
    # The inbox holds it under "Berita", not under "Pasar".
    tab(d, "alerts")
    wait_until(lambda: "BI-Rate Ditahan" in text(d, "#alerts"), what="the inbox entry")
    click(d, '#view-alerts [data-filter="market"]')
    wait_until(lambda: "BI-Rate Ditahan" not in text(d, "#alerts"), what="market only")
    click(d, '#view-alerts [data-filter="words"]')
    wait_until(lambda: "BI-Rate Ditahan" in text(d, "#alerts"), what="news only")
    assert d.execute_script("return document.getElementById('alert-count').hidden"), "seen: no count"
    assert url.endswith("/news/berita-terkini-1")


def test_quiet_hours_hold_a_word_alert_and_sum_it_up_when_they_end(make_app):
    # 40 seconds before quiet hours (22:00 to 06:00 WIB) end.
    app = make_app(alerts={"words": ["BBCA"], "quiet_hours": ["22:00:00", "06:00:00"]},
                   clock="2026-03-19T05:59:20+07:00")
    d = app.driver
    before = app.notifications()
    app.site.control("breaking", title="Laba (BBCA) naik 12%", at="2026-03-19T05:58:00+07:00")
    tab(d, "alerts")
    app.refresh_until(lambda: "Laba (BBCA) naik 12%" in text(d, "#alerts"), what="the held story in the inbox")
    assert not [n for n in new_notes(app, before) if "BBCA" in n["summary"]], "nothing shown in quiet hours"
    wait_until(lambda: any(n["summary"] == "1 berita baru: BBCA" for n in new_notes(app, before)),
               timeout=90, what="the summary when quiet hours end")
    [summary] = [n for n in new_notes(app, before) if n["summary"] == "1 berita baru: BBCA"]
    assert "Laba (BBCA) naik 12%" in summary["body"]
    tab(d, "market")
    app.click_notification(summary)
    wait_until(lambda: app.shown("alerts"), what="the inbox after clicking the summary")


def test_a_bigger_rupiah_move_replaces_the_notification_on_screen(make_app):
    app = make_app()
    before = app.notifications()
    app.site.control("advance", seconds=60)  # 0,47% → 0,51%: the 0,5% tier
    app.refresh_until(lambda: any(n["summary"].startswith("Rupiah melemah 0,51%") for n in new_notes(app, before)),
                      what="the first alert")
    first = next(n for n in new_notes(app, before) if n["summary"].startswith("Rupiah melemah 0,51%"))
    app.site.control("advance", seconds=900)  # → 1,08% three minutes later, inside the gap
    app.refresh_until(lambda: any(n["summary"].startswith("Rupiah melemah 1,08%") for n in new_notes(app, before)),
                      what="the bigger move")
    bigger = next(n for n in new_notes(app, before) if n["summary"].startswith("Rupiah melemah 1,08%"))
    assert bigger["replaces_id"] == first["id"], (first, bigger)
    assert bigger["id"] == first["id"], "the same notification, updated in place"
