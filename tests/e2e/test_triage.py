"""Reading triage in the real app: save a headline for later ("Tersimpan"), `n` for the next unread,
mark all read, the tray's unread count; a saved headline and its article outlive retention and a
restart (the app started again 60 days later, offline)."""

import os
import sqlite3
import subprocess
import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains

from conftest import TARGET, Site, Tray, free_port, launch, private_bus, wait_until
from test_app import click, symbols, tab, text, titles


@pytest.fixture(scope="module")
def home(app_env, workdir):
    d = workdir / "triage"
    d.mkdir()
    bus, address = private_bus(d / "bus.conf")
    watcher = subprocess.Popen([str(TARGET / "tray-watcher"), "--out", str(d / "tray.json")],
                               env=dict(os.environ, DBUS_SESSION_BUS_ADDRESS=address),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    site = Site(free_port())
    site.start()
    env = dict(app_env, PANTAU_DB=str(d / "cache.sqlite"), DBUS_SESSION_BUS_ADDRESS=address,
               PANTAU_KONTAN_ORIGIN=site.origin, XDG_DATA_HOME=str(d / "data"),
               XDG_CONFIG_HOME=str(d / "config"))
    yield {"env": env, "site": site, "tray": Tray(d / "tray.json", address)}
    site.stop()
    watcher.terminate()
    watcher.wait(10)
    bus.terminate()
    bus.wait(10)


def news_items(driver):
    return driver.execute_script("""
        return [...document.querySelectorAll('#news li')].map(li => ({
            url: li.dataset.url, title: li.querySelector('.title').innerText.trim(),
            unread: li.classList.contains('unread'), saved: li.dataset.saved === 'true' }));""")


def choose_channel(driver, value):
    driver.execute_script("""
        const s = document.getElementById('channel-filter'); s.value = arguments[0];
        s.dispatchEvent(new Event('change'));""", value)


def press(driver, key):
    ActionChains(driver).send_keys(key).perform()


def unread_in_cache(env):
    """Unread headlines first seen in the last day, as the cache holds them."""
    with sqlite3.connect(f"file:{env['PANTAU_DB']}?mode=ro", uri=True) as db:
        since = int(time.time() * 1000) - 24 * 3600 * 1000
        return db.execute("SELECT count(*) FROM headlines WHERE read = 0 AND first_seen >= ?", (since,)).fetchone()[0]


def tray_count(tray):
    line = unread_line(tray)
    return int(line.split()[0]) if line else 0


def unread_line(tray):
    item = tray.item()
    return next((m for m in (item or {}).get("menu", []) if "belum dibaca" in m), None)


def test_save_next_unread_mark_all_read_and_saved_outlives_retention(home):
    driver, stop = launch(home["env"])
    try:
        wait_until(lambda: len(symbols(driver)) == 11, timeout=30, what="the market painted")
        tab(driver, "news")
        wait_until(lambda: len(news_items(driver)) >= 5, timeout=30, what="headlines")
        wait_until(lambda: unread_line(home["tray"]), timeout=30, what="the unread count in the tray")

        # Save the third headline for later: its star fills and "Tersimpan" lists it alone.
        saved = news_items(driver)[2]
        click(driver, f'#news li[data-url="{saved["url"]}"] button.save')
        wait_until(lambda: news_items(driver)[2]["saved"], what="the star filled")
        choose_channel(driver, "__saved")
        wait_until(lambda: [i["url"] for i in news_items(driver)] == [saved["url"]], what="the saved list")
        choose_channel(driver, "")
        wait_until(lambda: len(news_items(driver)) >= 5, what="all headlines again")

        # n opens the next unread headline in the reader; back in the list it is read.
        driver.execute_script("document.getElementById('news').focus()")
        first_unread = next(i for i in news_items(driver) if i["unread"])
        press(driver, "n")
        wait_until(lambda: text(driver, "#reader-title") == first_unread["title"], what="the first unread opened")
        press(driver, "n")
        second = wait_until(lambda: (t := text(driver, "#reader-title")) != first_unread["title"] and t != "Memuat…" and t,
                            what="the next unread opened")
        tab(driver, "news")
        read_now = {i["title"]: i["unread"] for i in news_items(driver)}
        assert read_now[first_unread["title"]] is False and read_now.get(second) is False
        wait_until(lambda: tray_count(home["tray"]) == unread_in_cache(home["env"]),
                   what="the tray's count following what was read")

        # Mark all read: nothing unread in the list, and the tray drops its count.
        click(driver, "#mark-all-read")
        wait_until(lambda: not any(i["unread"] for i in news_items(driver)), what="everything read")
        wait_until(lambda: unread_line(home["tray"]) is None, what="no unread count in the tray")
    finally:
        stop()

    # 60 days later, offline: retention (30 days) has dropped the rest, the saved one stays and
    # still opens in the reader from the cache.
    home["site"].stop()
    later = dict(home["env"], PANTAU_CLOCK="2099-01-01T10:00:00+07:00")
    driver, stop = launch(later)
    try:
        wait_until(lambda: len(symbols(driver)) == 11, timeout=30, what="the market painted from the cache")
        tab(driver, "news")
        wait_until(lambda: choose_channel(driver, "") or [i["url"] for i in news_items(driver)] == [saved["url"]],
                   timeout=30, what="only the saved headline left after retention")
        choose_channel(driver, "__saved")
        wait_until(lambda: [i["title"] for i in news_items(driver)] == [saved["title"]], what="the saved list")
        click(driver, f'#news li[data-url="{saved["url"]}"]')
        wait_until(lambda: len(titles(driver, "#reader-body p")) >= 3, what="the saved article from the cache")
    finally:
        stop()
