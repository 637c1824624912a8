"""Pantau as a user meets it: the real app in a real WebKit webview, against the fixture site."""

import json
import re
import subprocess
import time
from pathlib import Path

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import ROOT, TARGET, wait_until



def css(driver, selector):
    return driver.find_elements(By.CSS_SELECTOR, selector)


def text(driver, selector):
    """The element's visible text, read in one step (the UI redraws on every update)."""
    return driver.execute_script(
        "const e = document.querySelector(arguments[0]); return e ? e.innerText.trim() : '';", selector)


def tab(driver, view):
    click(driver, f'.tab[data-view="{view}"]')


def reading(driver, symbol):
    """One market row as the user sees it, read in one step."""
    return driver.execute_script("""
        const row = [...document.querySelectorAll('.reading')].find(r => r.dataset.symbol === arguments[0]);
        if (!row) return null;
        const t = (s) => row.querySelector(s).innerText.trim();
        return { value: t('.value'), move: t('.move'), meta: t('.meta') };
    """, symbol)


def symbols(driver):
    return driver.execute_script("return [...document.querySelectorAll('.reading')].map(r => r.dataset.symbol)")


def titles(driver, selector):
    return driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map(e => e.innerText.trim())", selector)


def click(driver, selector):
    """Clicks the first match, retrying while the list is being redrawn."""
    def attempt():
        found = css(driver, selector)
        if not found:
            return False
        found[0].click()
        return True
    wait_until(attempt, what=f"click {selector}")


def refresh_until(driver, check, what, timeout=45.0):
    """Clicks "Perbarui sekarang" until `check` holds. The app starts at most one round every
    10 s, so clicks in between change nothing; the refresh loop may also bring it first."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        click(driver, "#refresh")
        try:
            return wait_until(check, timeout=2.0, what=what)
        except AssertionError:
            continue
    raise AssertionError(f"timed out waiting for {what}")


def test_market_shows_every_indicator_in_indonesian_format(driver, artifacts):
    wait_until(lambda: len(symbols(driver)) == 11, what="11 indicators")
    usd = reading(driver, "USD/IDR")
    assert usd["value"] == "16.689"
    assert usd["move"] == "▲ +79,00 (0,47%)"
    emas = reading(driver, "EMAS")
    assert emas["value"] == "1.965.000"
    assert emas["move"] == "▼ -1.000 (0,05%)"
    assert reading(driver, "IDX")["move"] == "▲ +28,63 (0,42%)"
    assert symbols(driver) == ["EMAS", "USD/IDR", "IDX", "KOMPAS100", "LQ45", "ISSI", "IDX30", "IDXHIDIV20", "IDX80", "IDXV30", "IDXQ30"]
    wait_until(lambda: len(titles(driver, "#market-news li .title")) >= 5, what="headlines")
    assert "Rupiah Dibuka Melemah ke Rp 16.700 per Dolar AS Pagi Ini" in titles(driver, "#market-news li .title")
    assert text(driver, "#status").startswith("Diperbarui")
    driver.get_screenshot_as_file(str(artifacts / "market.png"))


def lead_picture(driver):
    """The reader's picture as the page holds it: where it came from and its drawn width."""
    return driver.execute_script("""
        const img = document.getElementById('reader-image');
        if (document.getElementById('reader-figure').hidden || !img.complete) return null;
        return { src: img.currentSrc || img.src, width: img.naturalWidth };
    """)


def test_reader_shows_the_story_without_baca_juga_and_follows_related_links(driver, site, browser_log, artifacts):
    tab(driver, "news")
    click(driver, '#news li[data-url*="rupiah-dibuka-melemah"]')
    wait_until(lambda: len(titles(driver, "#reader-body p")) >= 4, what="article paragraphs")
    title = "Rupiah Dibuka Melemah ke Rp 16.700 per Dolar AS Pagi Ini"
    assert text(driver, "#reader-title") == title
    paragraphs = titles(driver, "#reader-body p")
    # Its own story (the fixture site writes one for every headline), without the "Baca Juga" line.
    assert paragraphs[0].startswith(f"KONTAN.CO.ID - JAKARTA. {title}.")
    assert all("Korea" not in p for p in paragraphs)
    assert not any("Baca Juga" in p for p in paragraphs)
    assert "Sumber: KONTAN" in text(driver, "#reader-meta")
    # The picture came through the engine (Pantau's User-Agent) and reached the page as data.
    wait_until(lambda: (lead_picture(driver) or {}).get("width") == 160, what="the lead picture")
    assert lead_picture(driver)["src"].startswith("data:image/jpeg;base64,")
    pictures = [r for r in site.control("log") if r["target"].startswith("/foto.kontan.co.id/")
                and r["target"].endswith(".jpg")]
    assert pictures and all(r["user_agent"].startswith("Pantau/") for r in pictures), pictures
    [related] = titles(driver, "#reader-related-list button")
    assert related and related != title
    related_url = driver.execute_script("return document.querySelector('#reader-related-list button').dataset.url")
    driver.get_screenshot_as_file(str(artifacts / "reader.png"))
    click(driver, "#reader-related-list button")
    wait_until(lambda: text(driver, "#reader-title") == related, what="related article in the reader")
    click(driver, "#reader-open")
    wait_until(lambda: browser_log["log"].exists() and related_url in browser_log["log"].read_text(),
               what="browser asked to open the article")
    assert browser_log["log"].read_text().strip().splitlines()[-1] == related_url


def app_windows(driver_env):
    """The visible top-level windows named Pantau: the popup, and any dialog of the app's."""
    out = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^Pantau$"],
                         env=driver_env, capture_output=True, text=True)
    return out.stdout.split()


def ask_to_open(driver, url):
    """The page asks Rust to open `url`, pretending the user already agreed (as a hostile page
    would); the answer lands in `window.__opened`."""
    driver.execute_script("""
        window.__opened = undefined;
        window.__TAURI_INTERNALS__.invoke('open_external', { url: arguments[0], confirmed: true })
          .then((opened) => { window.__opened = opened; }, (e) => { window.__opened = e; });
    """, url)


def test_leaving_kontan_is_asked_natively_and_the_page_cannot_answer(driver, app_env, browser_log):
    """A non-kontan address opens only after a yes in Rust's own dialog, whatever the page says."""
    before = app_windows(app_env)
    opened = lambda: browser_log["log"].read_text() if browser_log["log"].exists() else ""
    elsewhere = "https://example.com/phish-no"
    ask_to_open(driver, elsewhere)
    wait_until(lambda: len(app_windows(app_env)) == len(before) + 1, what="the native question")
    time.sleep(0.5)
    assert elsewhere not in opened(), "opened before the user answered"
    dialog = next(w for w in app_windows(app_env) if w not in before)
    subprocess.run(["xdotool", "windowfocus", "--sync", dialog, "key", "Escape"], env=app_env, check=True)
    wait_until(lambda: driver.execute_script("return window.__opened") is not None, what="the answer")
    assert driver.execute_script("return window.__opened") is False
    assert elsewhere not in opened()
    assert app_windows(app_env) == before, "the popup stays up while and after its question is asked"

    yes = "https://example.com/asked-yes"
    ask_to_open(driver, yes)
    wait_until(lambda: len(app_windows(app_env)) == len(before) + 1, what="the native question again")
    dialog = next(w for w in app_windows(app_env) if w not in before)
    subprocess.run(["xdotool", "windowfocus", "--sync", dialog, "key", "Return"], env=app_env, check=True)
    wait_until(lambda: yes in opened(), what="the browser asked to open the address")
    assert driver.execute_script("return window.__opened") is True

    kontan = "https://investasi.kontan.co.id/news/tanpa-tanya"
    ask_to_open(driver, kontan)
    wait_until(lambda: kontan in opened(), what="a kontan address opening at once")
    assert app_windows(app_env) == before


def test_hostile_page_executes_nothing_and_shows_literal_text(driver, site):
    site.control("hostile", on=1)
    tab(driver, "news")
    selector = '#news li[data-url="https://www.kontan.co.id/news/hostile-fixture"]'
    refresh_until(driver, lambda: "Judul <script>alert(1)</script>" in text(driver, selector), what="hostile headline")
    click(driver, selector)
    wait_until(lambda: len(titles(driver, "#reader-body p")) == 3, what="hostile article")
    time.sleep(0.5)
    assert driver.execute_script("return typeof window.__pwned") == "undefined"
    assert text(driver, "#reader-title") == "Judul <script>alert(1)</script>"
    assert "<script>window.__pwned=true</script> tetap teks." in text(driver, "#reader-body")
    assert driver.execute_script("return document.querySelectorAll('main script, main iframe, main svg:not(.spark)').length") == 0
    assert driver.execute_script("return [...document.querySelectorAll('#reader a')].length") == 0
    site.control("hostile", on=0)
    tab(driver, "market")


def test_the_popup_never_navigates_away_from_the_app(driver, site):
    """Whatever a page would do (a link, a script, a form), the popup stays on the app's page."""
    home = driver.current_url
    driver.execute_script("window.location.href = arguments[0]", f"{site.origin}/www.kontan.co.id/")
    time.sleep(1)
    driver.execute_script("window.location.assign('https://evil.example/')")
    time.sleep(1)
    assert driver.current_url == home
    assert driver.execute_script("return typeof document.getElementById('market')") == "object"


def test_tray_item_registers_with_the_ticker_label(bus):
    def item():
        views = json.loads(bus["tray"].read_text()) if bus["tray"].exists() else []
        return next((v for v in views if v.get("label")), None)

    view = wait_until(item, timeout=30, what="tray item with a label")
    # Padded to one width in the panel's font (measured by Pango: the unit test holds the widths
    # to the pixel), with spaces inside the label, before the change, where no trimming reaches.
    pads = "[\u2007\u2008\u2009\u200a ]*"
    shape = rf"(USD/IDR|IDX|EMAS|LQ45) [\d.,]+{pads} [▲▼=][\d,]+%( ⚠)?"
    assert re.fullmatch(shape, view["label"]), view["label"]
    seen = set()
    plain = lambda s: " ".join(s.translate({ord(c): " " for c in "\u2007\u2008\u2009\u200a"}).split())  # noqa: E731
    wait_until(lambda: seen.add(item()["label"]) or "USD/IDR 16.689 ▲0,47%" in {plain(s) for s in seen},
               timeout=30, what="USD/IDR in the ticker")
    assert all(re.fullmatch(shape, s) for s in seen), seen
    # The tooltip (the item's title, which KDE Plasma shows on hover): the watchlist, one a line.
    wait_until(lambda: (item().get("title") or "").split("\n")[:1] == ["USD/IDR 16.689 ▲0,47%"], timeout=30,
               what="the ticker in the tooltip")
    tooltip = item()["title"].split("\n")
    assert [line.split(" ")[0] for line in tooltip] == ["USD/IDR", "IDX", "EMAS", "LQ45"], tooltip
    menu = item()["menu"]
    for entry in ["Buka Pantau", "Perbarui sekarang", "Senyapkan peringatan 1 jam", "Keluar"]:
        assert entry in menu
    assert any(m.startswith("USD/IDR 16.689 ▲0,47%") for m in menu)


def test_a_rupiah_jump_notifies_once_and_lands_on_its_move(driver, site, bus, artifacts):
    site.control("advance", seconds=960)
    refresh_until(driver, lambda: reading(driver, "USD/IDR")["value"] == "16.790", what="the jump on screen")
    title = "Rupiah melemah 1,08% ke Rp 16.790 per dolar AS"

    def notified():
        if not bus["notifications"].exists():
            return None
        return [json.loads(l) for l in bus["notifications"].read_text().splitlines() if l.strip()]

    wait_until(lambda: notified(), timeout=30, what="a notification")
    time.sleep(2)
    lines = notified()
    assert [n["summary"] for n in lines] == [title]
    assert "Buka" in lines[0]["actions"] and "Senyapkan 1 jam" in lines[0]["actions"]
    wait_until(lambda: (reading(driver, "USD/IDR") or {}).get("value") == "16.790", what="the new value on screen")
    # The user clicks the notification: Pantau opens on the rupiah, the alert's move highlighted.
    assert driver.execute_script("return document.getElementById('view-indicator').hidden")
    subprocess.run(["dbus-send", "--session", "--dest=org.freedesktop.Notifications", "--type=method_call",
                    "/org/freedesktop/Notifications", "id.pantau.NotifyRecorder.InvokeAction",
                    f"uint32:{lines[0]['id']}", "string:default"],
                   env={"DBUS_SESSION_BUS_ADDRESS": bus["address"]}, check=True)
    wait_until(lambda: not driver.execute_script("return document.getElementById('view-indicator').hidden"),
               what="the indicator view after clicking the notification")
    assert text(driver, "#indicator-symbol") == "USD/IDR"
    wait_until(lambda: title in " ".join(titles(driver, "#indicator-alerts li.highlight")), what="the alert highlighted")
    assert css(driver, "#indicator-chart svg .mark"), "the move is ringed on today's line"
    driver.get_screenshot_as_file(str(artifacts / "alert-move.png"))
    # The inbox lists it with its time.
    tab(driver, "alerts")
    wait_until(lambda: title in text(driver, "#alerts"), what="inbox entry")
    assert re.search(r"\d{2}[.:]\d{2}", text(driver, "#alerts li .when")), text(driver, "#alerts li .when")
    driver.get_screenshot_as_file(str(artifacts / "alerts.png"))
    tab(driver, "market")


def test_settings_view_persists(driver, artifacts):
    tab(driver, "settings")
    wait_until(lambda: titles(driver, "#watchlist li .symbol"), what="settings loaded")
    # About: the version written once, in the workspace manifest; the sources; the license.
    version = re.search(r'^version = "([^"]+)"', (ROOT / "Cargo.toml").read_text(), re.M)[1]
    assert text(driver, "#about-version") == version
    assert text(driver, "#about-kontan") == "kontan.co.id"
    assert text(driver, "#about-license") == "MIT OR Apache-2.0"
    assert not css(driver, "#about-fallback-now")[0].is_displayed(), "kontan's own bar is in use"
    assert titles(driver, "#watchlist li .symbol") == ["USD/IDR", "IDX", "EMAS", "LQ45"]
    assert css(driver, "#day_step-USD_IDR")[0].get_attribute("value") == "0,5"
    driver.get_screenshot_as_file(str(artifacts / "settings.png"))
    levels = css(driver, "#levels-USD_IDR")[0]
    levels.clear()
    levels.send_keys("17.000")
    css(driver, "#settings button[type=submit]")[0].click()
    wait_until(lambda: css(driver, "#settings-saved")[0].is_displayed(), what="saved")
    tab(driver, "market")
    tab(driver, "settings")
    wait_until(lambda: css(driver, "#levels-USD_IDR") and css(driver, "#levels-USD_IDR")[0].get_attribute("value") == "17.000",
               what="level kept")
    tab(driver, "market")


def test_a_second_launch_hands_over_to_the_first(driver, app_env):
    second = subprocess.run([str(TARGET / "pantau")], env=app_env, timeout=30, capture_output=True)
    assert second.returncode == 0, second.stderr[-2000:]
    assert len(symbols(driver)) == 11, "the first instance carries on"


def test_keyboard_reading_and_search(driver):
    tab(driver, "news")
    wait_until(lambda: len(titles(driver, "#news li .title")) >= 3, what="headlines")
    first = titles(driver, "#news li .title")[0]
    keys = ActionChains(driver)
    keys.send_keys("j").perform()
    wait_until(lambda: text(driver, "#news li.selected .title") == first, what="first headline selected")
    keys.send_keys(Keys.ENTER).perform()
    wait_until(lambda: text(driver, "#reader-title") == first, what="reader opened from the keyboard")
    keys.send_keys(Keys.ESCAPE).perform()
    wait_until(lambda: driver.execute_script("return !document.getElementById('view-news').hidden"), what="back to the list")
    keys.send_keys("/").perform()
    wait_until(lambda: driver.execute_script("return document.activeElement.id") == "search-input", what="search focused")
    keys.send_keys("devisa").perform()
    wait_until(lambda: titles(driver, "#search-results li .title"), what="search hits from article text")
    assert all("devisa" in s.lower() for s in titles(driver, "#search-results li .snippet"))
    tab(driver, "market")


def test_layout_change_says_so_and_the_fallback_stands_in(driver, site, app_env):
    site.control("fault", path="/www.kontan.co.id/", kind="layout")
    message = "Tata letak kontan berubah · memakai sumber cadangan"
    try:
        # Three failed bar reads in a row bring in the fallback source (a round every 10 s at most).
        refresh_until(driver, lambda: text(driver, "#status") == message, timeout=60, what="layout-change status")
        usd = reading(driver, "USD/IDR")
        assert "sumber: yahoo" in usd["meta"] and usd["value"] == "16.790"
        assert "basi" in reading(driver, "LQ45")["meta"], "kontan-only readings are marked stale"
        # The About section names the stand-in source, in use now.
        tab(driver, "settings")
        wait_until(lambda: css(driver, "#about-fallback-now")[0].is_displayed(), what="fallback in use, in About")
        assert "Yahoo Finance" in text(driver, "#about-fallback")
        tab(driver, "market")
        # The engine's own log lines (it logs with tracing) reach the app's log file.
        log = next((Path(app_env["XDG_DATA_HOME"])).rglob("Pantau.log")).read_text()
        assert re.search(r"\[pantau_engine::[\w:]+\]\[INFO\] refresh failed: ", log), log[-3000:]
    finally:
        site.control("clear")
    refresh_until(driver, lambda: text(driver, "#status").startswith("Diperbarui"), what="recovered")
    wait_until(lambda: "sumber" not in reading(driver, "USD/IDR")["meta"], what="kontan again")


def test_offline_shows_stale_and_keeps_the_data(driver, site, artifacts):
    site.stop()
    try:
        refresh_until(driver, lambda: text(driver, "#status").startswith("Offline"), what="offline status")
        assert re.fullmatch(r"Offline · data (baru saja|\d+ mnt lalu)", text(driver, "#status"))
        wait_until(lambda: css(driver, ".reading .stale-badge"), what="stale badge")
        assert reading(driver, "USD/IDR")["value"] == "16.790", "the last good data stays"
        assert "basi" in reading(driver, "USD/IDR")["meta"]
        driver.get_screenshot_as_file(str(artifacts / "offline.png"))
    finally:
        site.start()
