"""The web app in a real browser (Debian's Chromium through Playwright), against the app served over HTTP.

Skipped where no Chromium is installed (``.ci/run`` installs it); ``CHROMIUM`` names another binary.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")

from oil_blends.documents.calculator import calculate_document  # noqa: E402
from oil_blends.documents.catalog import shipped_oils  # noqa: E402

from .chromium import skip_without_chromium  # noqa: E402
from .pages import CHECKED_PAGE, PAGES, REFUSED_PAGE, RESULT_PAGE  # noqa: E402

OUTPUT = Path(__file__).resolve().parents[2] / "test-results"

skip_without_chromium()


@pytest.fixture
def site(page, live_server):
    """The page, with every console error and CSP violation collected (there must be none)."""
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.set_default_timeout(15_000)
    yield page, live_server, problems
    assert problems == []


def expected(document):
    return {item["name"]: item["drops"] for item in calculate_document(document, shipped_oils())["essential_oils"]}


def drops_on(page) -> dict[str, int]:
    rows = page.locator("table.ingredients tbody tr")
    drops = {}
    for index in range(rows.count()):
        row = rows.nth(index)
        name = row.locator("th").inner_text().strip()
        if "(carrier)" not in name:
            drops[name] = int(row.locator("td").first.inner_text())
    return drops


def test_fill_and_submit_the_calculator(site):
    page, base, _ = site
    page.goto(base + "/")
    page.get_by_label("Carrier oil", exact=True).select_option(label="Sweet almond — allergen: tree nuts")
    page.get_by_label("Amount", exact=True).fill("2")
    page.get_by_label("Unit", exact=True).select_option(label="fl oz")
    page.get_by_label("Essential oil 1").select_option(label="Lavender")
    page.get_by_label("Parts of oil 1").fill("2")
    page.get_by_label("Essential oil 2").select_option(label="Peppermint")
    page.get_by_label("Drops per teaspoon of carrier").check()
    page.get_by_label("Drops per teaspoon", exact=True).fill("1")
    page.get_by_label("Neuropathy (reduced feeling)").check()
    page.get_by_role("button", name="Calculate the blend").click()
    page.wait_for_selector("section.result")
    assert drops_on(page) == expected(
        {
            "carrier": "sweet-almond",
            "amount": "2 fl oz",
            "dilution": "1 drops per tsp",
            "oils": [{"oil": "lavender", "parts": 2}, {"oil": "peppermint", "parts": 1}],
            "profile": {"conditions": ["neuropathy"]},
        }
    )
    cautions = page.locator("section.warnings.caution").inner_text()
    assert "neuropathy or diabetes" in cautions and "tree nut" in cautions
    assert "fl oz" in page.locator("table.ingredients tfoot").inner_text()
    assert page.locator("svg.qr").is_visible()
    # the form keeps what was typed
    assert page.get_by_label("Amount", exact=True).input_value() == "2"
    assert page.get_by_label("Neuropathy (reduced feeling)").is_checked()


def test_a_refused_blend_and_its_safe_version(site):
    page, base, _ = site
    page.goto(base + REFUSED_PAGE)
    refusal = page.locator("section.refusal")
    assert "above the 2 % maximum" in refusal.inner_text()
    page.get_by_role("link", name="Make it at the safe maximum").click()
    page.wait_for_selector("section.result")
    assert drops_on(page) == {"Lavender": 47}  # 2 % of 4 US fl oz at 20 drops per mL
    assert page.locator("section.refusal").count() == 0


def test_scale_a_recipe(site):
    page, base, _ = site
    page.goto(base + "/recipes")
    page.get_by_role("link", name="Neuropathy foot oil").click()
    page.get_by_label("Amount", exact=True).fill("4")
    page.get_by_label("Unit", exact=True).select_option(label="fl oz")
    page.get_by_label("Age in years").fill("72")
    page.get_by_role("button", name="Scale the recipe").click()
    page.wait_for_selector("section.result")
    assert "(4 fl oz)" in page.locator("table.ingredients tfoot").inner_text()
    assert drops_on(page) == expected(
        {
            "carrier": "sweet-almond",
            "amount": "4 fl oz",
            "dilution": "1%",
            "oils": [{"oil": "lavender", "parts": 2}, {"oil": "peppermint", "parts": 1}],
            "profile": {"conditions": ["neuropathy"], "age_years": 72},
        }
    )


def test_search_and_view_an_oil(site):
    page, base, _ = site
    page.goto(base + "/oils")
    page.get_by_label("Search by name").fill("berg")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Bergamot", exact=True).click()
    assert page.locator("h1").inner_text() == "Bergamot"
    assert "0.4 %" in page.locator("dl.facts").inner_text()
    assert page.locator("ol.sources li").count() > 0


def test_the_calculator_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/")
    assert page.get_by_role("button", name="Add another oil").count() == 0
    page.get_by_label("Essential oil 1").select_option(label="Frankincense")
    page.get_by_label("Essential oil 2").select_option(label="Lavender")
    page.get_by_label("Use", exact=True).select_option(label="Face")
    page.get_by_role("button", name="Calculate the blend").click()
    page.wait_for_selector("section.result")
    assert drops_on(page) == expected(
        {
            "carrier": "jojoba",
            "amount": "30 mL",
            "use": "face",
            "oils": [{"oil": "frankincense", "parts": 1}, {"oil": "lavender", "parts": 1}],
        }
    )
    context.close()


def test_javascript_adds_rows(site):
    page, base, _ = site
    page.goto(base + "/")
    add = page.get_by_role("button", name="Add another oil")
    add.click()
    page.get_by_label("Essential oil 7").select_option(label="Tea tree")
    assert page.get_by_label("Essential oil 7").evaluate("node => document.activeElement === node")
    for _ in range(5):
        add.click()
    assert page.locator("li.oil-row").count() == 12 and add.is_hidden()
    page.get_by_role("button", name="Calculate the blend").click()
    page.wait_for_selector("section.result")
    assert list(drops_on(page)) == ["Tea tree"]


def test_keyboard_focus_is_visible(site):
    page, base, _ = site
    page.goto(base + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to the content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


@pytest.mark.parametrize("path", [*PAGES, RESULT_PAGE, REFUSED_PAGE, CHECKED_PAGE])
def test_no_serious_accessibility_violation(site, path):
    page, base, _ = site
    page.goto(base + path)
    results = axe_module.Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]


@pytest.mark.parametrize("path", [*PAGES, RESULT_PAGE, REFUSED_PAGE, CHECKED_PAGE])
def test_no_horizontal_scrolling_on_a_phone(browser, live_server, path):
    context = browser.new_context(viewport={"width": 375, "height": 800}, device_scale_factor=1)
    page = context.new_page()
    page.goto(live_server + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    if path == RESULT_PAGE:
        OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=str(OUTPUT / "result-375px.png"), full_page=True)
        assert (OUTPUT / "result-375px.png").stat().st_size > 10_000
    context.close()


def test_the_printed_card_has_no_navigation_or_form(site):
    page, base, _ = site
    page.goto(base + RESULT_PAGE)
    page.emulate_media(media="print")
    assert page.locator("header.site").is_hidden() and page.locator("form.calculator").is_hidden()
    assert page.locator("svg.qr").is_visible() and page.locator("table.ingredients").is_visible()
    title = page.locator("#result-title").inner_text()
    assert re.search(r"Lavender, Peppermint in Sweet almond", title)


def test_check_a_blend_already_made(site):
    page, base, _ = site
    page.goto(base + "/check")
    page.get_by_label("Carrier amount").fill("10")
    page.get_by_label("Essential oil 1").select_option(label="Lavender")
    page.get_by_label("Drops of oil 1").fill("30")
    page.get_by_label("Essential oil 2").select_option(label="Bergamot")
    page.get_by_label("Drops of oil 2").fill("6")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Check the blend").click()
    page.wait_for_selector("section.result")
    assert page.locator("#result-title").inner_text() == "Your blend is too strong"
    assert "Add at least 79 mL" in page.locator("section.remedy").inner_text()
    assert "Phototoxic" in page.locator("section.warnings.danger").inner_text()
    page.goto(base + CHECKED_PAGE)
    assert page.locator("#result-title").inner_text() == "Your blend is too strong"
