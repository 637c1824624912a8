"""The exchange calendar in the real app: on an IDX holiday (the clock set to Nyepi 2026, 10:00
WIB, a Thursday) the status line names the holiday and no reading is marked stale, though the
exchange would be mid-session on an ordinary Thursday."""

import pytest

from conftest import launch, private_bus, wait_until
from test_app import symbols, text


@pytest.fixture(scope="module")
def on_nyepi(app_env, workdir):
    home = workdir / "nyepi"
    home.mkdir()
    bus, address = private_bus(home / "bus.conf")
    env = dict(app_env, PANTAU_DB=str(home / "cache.sqlite"), DBUS_SESSION_BUS_ADDRESS=address,
               XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"),
               PANTAU_CLOCK="2026-03-19T10:00:00+07:00")
    env.pop("PANTAU_MARKET_CALENDAR")  # the exchange's own calendar, not the demo's always-open
    d, stop = launch(env)
    yield d
    stop()
    bus.terminate()
    bus.wait(10)


def test_on_an_exchange_holiday_the_status_names_it_and_nothing_is_stale(on_nyepi):
    driver = on_nyepi
    wait_until(lambda: len(symbols(driver)) == 11, timeout=30, what="the market from the site")
    wait_until(lambda: "Bursa libur: Hari Suci Nyepi Tahun Baru Saka 1948" in text(driver, "#status"),
               what="the holiday in the status line")
    assert text(driver, "#status").startswith("Diperbarui")
    stale = driver.execute_script("return document.querySelectorAll('.reading.stale').length")
    assert stale == 0
