"""The page of ``mtfix serve`` in headless Chromium (Debian's chromium and chromedriver)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SEED = Path(__file__).parent.parent / "samples" / "lavrov-de-mistura.mt.txt"
HEADLINE = "Lavrov will discuss with de Mistura"
PROMO = "From Russia with support"


def chromium_driver():
    """A headless Chromium driven by Selenium, or a skip saying what is missing."""
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    browser, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (browser and driver):
        pytest.skip("no chromium/chromedriver (apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(driver), options=options)


@pytest.fixture(scope="module")
def browser():
    driver = chromium_driver()
    yield driver
    driver.quit()


def repaired_page(browser, url: str, text: str):
    """Load the page, paste ``text``, press Repair and wait for the answer."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(url + "/")
    browser.execute_script("document.getElementById('source').value = arguments[0]", text)
    browser.find_element(By.ID, "repair").click()
    WebDriverWait(browser, 180).until(ec.text_to_be_present_in_element((By.ID, "status"), "edit"))
    return browser


def result(browser) -> str:
    return browser.execute_script("return document.getElementById('result').value")


def test_the_page_repairs_the_seed_and_an_edit_can_be_rejected(browser, serve_url) -> None:
    from selenium.webdriver.common.by import By

    repaired_page(browser, serve_url, SEED.read_text(encoding="utf-8"))
    text = result(browser)
    assert text.count(HEADLINE) == 1 and PROMO not in text  # headline once, promo gone
    assert "Minister of Foreign Affairs" in text
    assert browser.find_elements(By.CSS_SELECTOR, "#diff ins")  # the diff shows insertions
    edits = browser.find_elements(By.CSS_SELECTOR, "#edits li[data-label='edit'] input")
    assert edits
    first = browser.execute_script("return report.edits.filter((e) => e.accepted)[0]")
    edits[0].click()  # reject it
    rejected = result(browser)
    assert first["before"] in rejected and rejected != text
    assert rejected.count(HEADLINE) == 1 and PROMO not in rejected  # the rest stays
    edits[0].click()
    assert result(browser) == text
    style = browser.find_element(By.ID, "style").text  # the article's style sheet
    assert "surname «de Mistura»" in style and "dates: month-day (from the dateline)" in style


def test_article_text_is_shown_as_text_never_as_markup(browser, serve_url) -> None:
    from selenium.webdriver.common.by import By

    hostile = "Visit de Mistura in Moscow will continue <img src=x onerror=alert(1)> efforts."
    repaired_page(browser, serve_url, hostile)
    assert not browser.find_elements(By.CSS_SELECTOR, "#diff img, #findings img, #edits img")
