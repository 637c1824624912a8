"""Pantau started over a damaged cache (as at login, with nobody watching): the file is kept
aside, a fresh cache starts, the market arrives, and the status line says what happened."""

import pytest

from conftest import launch, private_bus, wait_until
from test_app import symbols, text


@pytest.fixture(scope="module")
def damaged(app_env, workdir):
    home = workdir / "damaged"
    home.mkdir()
    db = home / "cache.sqlite"
    garbage = b"this is not a database, it is a shopping list\n" * 300
    db.write_bytes(garbage)
    bus, address = private_bus(home / "bus.conf")
    env = dict(app_env, PANTAU_DB=str(db), DBUS_SESSION_BUS_ADDRESS=address,
               XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"))
    d, stop = launch(env)
    yield d, home, garbage
    stop()
    bus.terminate()
    bus.wait(10)


def test_a_damaged_cache_is_kept_aside_and_the_app_says_so(damaged):
    driver, home, garbage = damaged
    wait_until(lambda: text(driver, "#status").startswith("Cache rusak"), timeout=30, what="cache status")
    wait_until(lambda: len(symbols(driver)) == 11, timeout=30, what="the market from the site")
    title = driver.execute_script("return document.getElementById('status').title")
    assert ".corrupt-" in title, title
    kept = [p for p in home.iterdir() if p.name.startswith("cache.sqlite.corrupt-")]
    assert len(kept) == 1, kept
    assert kept[0].read_bytes() == garbage, "the user's file is kept as it was"
