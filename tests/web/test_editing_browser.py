"""The editors' pages in a real browser (Debian's Chromium through Playwright): an editor's change held and an
admin's approval in two browser sessions, script in every text field shown as text and never run, and axe-core.

Skipped where no Chromium is installed (``.ci/run`` installs it); ``CHROMIUM`` names another binary.
"""

from __future__ import annotations

import re

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")

from helpers_server import served  # noqa: E402
from oil_blends.storage.accounts import create_user  # noqa: E402
from oil_blends.storage.oils import find_oil, oil_entry  # noqa: E402

from .chromium import skip_without_chromium  # noqa: E402

PASSWORD = "correct horse battery"
SOURCE = "TY"
SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
EXPECTED_STATUS = re.compile(r"Failed to load resource: the server responded with a status of (409|422) ")

skip_without_chromium()


@pytest.fixture(scope="module")
def editors_site(make_app):
    """An app of its own (these tests change the catalog) with an editor and an admin, served over HTTP."""
    app = make_app(LOGIN_RATE_LIMIT="1000 per minute")
    with app.app_context():
        create_user("edna", PASSWORD, "editor")
        create_user("ada", PASSWORD, "admin")
    with served(app) as url:
        yield app, url


class Session:
    """One person's browser context: its page, and every dialog, console error and page error it saw."""

    def __init__(self, browser, base: str, javascript: bool = True):
        self.context = browser.new_context(java_script_enabled=javascript)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.base = base
        self.dialogs: list[str] = []
        self.problems: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(str(error)))

    def _console(self, message) -> None:
        """Console errors (a CSP violation is one), but not the status of a page that answers 409 or 422 on
        purpose: Chromium logs every 4xx document as a resource that failed to load."""
        if message.type == "error" and not EXPECTED_STATUS.match(message.text):
            self.problems.append(message.text)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def goto(self, path: str):
        return self.page.goto(self.base + path)

    def log_in(self, username: str) -> None:
        self.goto("/login")
        self.page.get_by_label("User name").fill(username)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Log in").click()
        self.page.wait_for_url(re.compile(r"/review$"))

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def people(browser, editors_site):
    _, base = editors_site
    opened: list[Session] = []

    def open_session(username: str | None = None, javascript: bool = True) -> Session:
        session = Session(browser, base, javascript)
        opened.append(session)
        if username:
            session.log_in(username)
        return session

    yield open_session
    for session in opened:
        assert session.dialogs == [], "a script ran"
        assert session.problems == []
        session.close()


def stored(app, slug: str):
    with app.app_context():
        oil = find_oil(slug)
        return oil_entry(oil) if oil is not None else None


def test_an_editors_change_is_held_and_an_admin_approves_it(editors_site, people):
    app, _ = editors_site
    editor = people("edna", javascript=False)  # the pages work without JavaScript
    page = editor.page
    editor.goto("/oils/sage")
    page.get_by_role("link", name="Edit this oil").click()
    page.get_by_label("Most on skin (% of a blend)").fill("0.3")
    page.get_by_label("Source for this change").select_option(SOURCE)
    page.get_by_label("Comment", exact=True).fill("TY gives 0.3 % for this chemotype")
    page.get_by_role("button", name="Save the change").click()
    flash = page.locator(".flashes .flash")
    assert flash.inner_text().startswith("Your change to safety figures waits for an admin's review.")
    assert stored(app, "sage")["max_dermal_percent"] == 0.4  # nothing applies until approved
    flash.get_by_role("link").click()
    assert "waiting for review" in page.locator("h1").inner_text()
    change = page.url.rsplit("/", 1)[1]

    admin = people("ada")  # another browser context: another person
    card = admin.page.locator(f"#change-{change}")
    assert "Proposed by edna" in card.inner_text()
    assert "TY gives 0.3 %" in card.inner_text()
    card.get_by_label("Comment (optional)").fill("Checked")
    card.get_by_role("button", name="Approve").click()
    assert f"Approved change #{change}" in admin.page.locator(".flashes").inner_text()
    assert stored(app, "sage")["max_dermal_percent"] == 0.3
    editor.goto("/oils/sage")
    assert "0.3 % of a blend" in page.locator("dl.facts").inner_text()
    editor.goto("/oils/sage/history")
    assert page.locator("li.revision h2").first.inner_text() == "Approved a proposed change"


PAYLOADS = {
    "Name": SCRIPT,
    "Botanical name": IMAGE,
    "Variant": "<img src=x onerror=alert(2)>",
    "Description": f"{SCRIPT} and {IMAGE}",
    "Why that maximum": f"'><svg onload=alert(3)>{SCRIPT}",
}
COMMENT = f"{IMAGE}<script>alert('comment')</script>"


def fill_oil(page, slug: str) -> None:
    page.get_by_label("Slug").fill(slug)
    for label, text in PAYLOADS.items():
        page.get_by_label(label, exact=True).fill(text)
    page.get_by_label("Most on skin (% of a blend)").fill("1")
    page.get_by_label("Sources of the figures").fill(f"{SOURCE}\n{SCRIPT}")
    page.get_by_label("Source for this change").select_option(SOURCE)
    page.get_by_label("Comment", exact=True).fill(COMMENT)


def assert_literal(page, texts) -> None:
    """Every payload shows as the text typed, and no element of it made it into the page."""
    body = page.locator("main").inner_text()
    for text in texts:
        assert text in body, text
    assert page.locator("main img, main svg[onload], main script, img[src='x']").count() == 0


def test_script_in_every_text_field_is_shown_as_text(editors_site, people):
    app, _ = editors_site
    admin = people("ada")
    admin.goto("/oils/new")
    fill_oil(admin.page, "xss-saved")
    admin.page.get_by_role("button", name="Add the oil").click()
    admin.page.wait_for_url(re.compile(r"/oils/xss-saved$"))
    assert stored(app, "xss-saved")["name"] == SCRIPT
    assert admin.page.locator("h1").inner_text() == SCRIPT
    assert_literal(admin.page, [*PAYLOADS.values(), f"Saved: {SCRIPT} is in the catalog."])
    admin.goto("/oils/xss-saved/history")
    assert_literal(admin.page, [SCRIPT, IMAGE, PAYLOADS["Variant"], PAYLOADS["Why that maximum"], COMMENT])

    editor = people("edna")
    editor.goto("/oils/new")
    fill_oil(editor.page, "xss-proposed")
    editor.page.get_by_role("button", name="Add the oil").click()
    assert "Your new oil waits for an admin's review" in editor.page.locator(".flashes").inner_text()
    admin.goto("/review")
    assert_literal(admin.page, [f"New oil: {SCRIPT}", IMAGE, PAYLOADS["Description"], COMMENT])
    editor.goto("/review")
    assert_literal(editor.page, [f"New oil: {SCRIPT}", COMMENT])

    # a stale edit shows both versions: the typed script stays text there too
    editor.goto("/oils/xss-saved/edit")
    editor.page.get_by_label("Description", exact=True).fill(f"mine {IMAGE}")
    admin.goto("/oils/xss-saved/edit")
    admin.page.get_by_label("Variant", exact=True).fill(f"theirs {SCRIPT}")
    admin.page.get_by_role("button", name="Save the change").click()
    editor.page.get_by_role("button", name="Save the change").click()
    assert "Someone else saved this oil" in editor.page.locator("section.stale").inner_text()
    assert_literal(editor.page, [f"mine {IMAGE}", f"theirs {SCRIPT}"])

    # the login form keeps the name typed, as text
    anonymous = people()
    anonymous.goto("/login")
    anonymous.page.get_by_label("User name").fill(IMAGE)
    anonymous.page.get_by_label("Password").fill("wrong password!")
    anonymous.page.get_by_role("button", name="Log in").click()
    assert anonymous.page.get_by_label("User name").input_value() == IMAGE
    assert anonymous.page.locator("img").count() == 0


@pytest.mark.parametrize(
    ("who", "path"),
    [
        (None, "/login"),
        (None, "/oils/lavender/history"),
        ("edna", "/oils/lavender/edit"),
        ("edna", "/oils/new"),
        ("edna", "/review"),
        ("ada", "/review"),
        ("ada", "/oils/lavender"),
    ],
)
def test_no_serious_accessibility_violation(editors_site, people, who, path):
    app, _ = editors_site
    if who == "ada":  # a change waiting, so the queue has its review form
        proposer = people("edna")
        proposer.goto("/oils/fennel/edit")
        proposer.page.get_by_label("Most on skin (% of a blend)").fill("2")
        proposer.page.get_by_label("Source for this change").select_option(SOURCE)
        proposer.page.get_by_role("button", name="Save the change").click()
    visitor = people(who)
    visitor.goto(path)
    results = axe_module.Axe().run(visitor.page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]


def test_a_stale_edit_page_and_an_invalid_form_have_no_serious_accessibility_violation(people):
    editor = people("edna")
    editor.goto("/oils/lavender/edit")
    editor.page.get_by_label("Most on skin (% of a blend)").fill("lots")
    editor.page.get_by_role("button", name="Save the change").click()
    assert editor.page.locator("#max_dermal_percent-error").is_visible()
    for page_kind in ("invalid", "stale"):
        if page_kind == "stale":
            editor.goto("/oils/lavender/edit")
            admin = people("ada")
            admin.goto("/oils/lavender/edit")
            admin.page.get_by_label("Description", exact=True).fill("Changed by the admin meanwhile")
            admin.page.get_by_role("button", name="Save the change").click()
            editor.page.get_by_role("button", name="Save the change").click()
            assert editor.page.locator("section.stale").is_visible()
        results = axe_module.Axe().run(editor.page)
        serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], (page_kind, [(v["id"], v["help"]) for v in serious])
