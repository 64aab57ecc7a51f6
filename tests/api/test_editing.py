"""Editors' writes to the catalog: authorization, If-Match, the review of safety figures, the revision trail."""

from __future__ import annotations

import base64
import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from oil_blends.extensions import db
from oil_blends.storage import editing
from oil_blends.storage.accounts import create_token, create_user, disable_user, revoke_token
from oil_blends.storage.models import Token, User
from oil_blends.storage.oils import oil_entry

from .helpers import BLEND, CALCULATE, assert_problem

PASSWORD = "correct horse battery"
SOURCE = "TY"  # Tisserand and Young, Essential Oil Safety (2014)


@pytest.fixture(scope="module")
def site(make_app):
    """An app with an editor, two admins and tokens in every state."""
    app = make_app()
    with app.app_context():
        people = {
            "editor": create_user("edna", PASSWORD, "editor"),
            "admin": create_user("ada", PASSWORD, "admin"),
            "admin2": create_user("alan", PASSWORD, "admin"),
            "disabled": create_user("dora", PASSWORD, "editor"),
        }
        tokens = {name: create_token(user) for name, user in people.items()}
        disable_user("dora")
        tokens["expired"] = create_token(people["editor"])
        token = db.session.query(Token).order_by(Token.id.desc()).first()
        token.expires_at = datetime.now(UTC) - timedelta(minutes=1)
        db.session.commit()
        tokens["revoked"] = create_token(people["editor"])
        revoke_token(tokens["revoked"])
    tokens["bad"] = "not-a-token"
    return app, tokens


def auth(tokens, who):
    return {} if who == "anonymous" else {"Authorization": f"Bearer {tokens[who]}"}


def read(client, slug):
    response = client.get(f"/api/v1/oils/{slug}")
    assert response.status_code == 200
    return response.get_json(), response.headers["ETag"]


def new_oil(slug="test-oil", **fields):
    entry = {
        "slug": slug,
        "name": "Test oil",
        "kind": "essential",
        "max_dermal_percent": 1.0,
        "sources": [SOURCE],
        "source": SOURCE,
    }
    entry.update(fields)
    return entry


WRITES = ["post", "put", "patch", "delete", "approve", "reject"]


@pytest.mark.parametrize("who", ["anonymous", "bad", "expired", "revoked", "disabled"])
@pytest.mark.parametrize("write", WRITES)
def test_every_write_refuses_who_cannot_write(site, who, write):
    app, tokens = site
    client = app.test_client()
    entry, etag = read(client, "lavender")
    headers = {**auth(tokens, who), "If-Match": etag}
    paths = {
        "post": ("post", "/api/v1/oils", new_oil(f"x-{who}")),
        "put": ("put", "/api/v1/oils/lavender", {**entry, "description": "x"}),
        "patch": ("patch", "/api/v1/oils/lavender", {"description": "x"}),
        "delete": ("delete", "/api/v1/oils/lavender", None),
        "approve": ("post", "/api/v1/oils/lavender/pending/1/approve", {}),
        "reject": ("post", "/api/v1/oils/lavender/pending/1/reject", {}),
    }
    method, path, body = paths[write]
    response = getattr(client, method)(path, json=body, headers=headers)
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert read(client, "lavender")[0] == entry


@pytest.mark.parametrize("write", ["delete", "approve", "reject"])
def test_admin_writes_refuse_an_editor(site, write):
    app, tokens = site
    client = app.test_client()
    _, etag = read(client, "lavender")
    headers = {**auth(tokens, "editor"), "If-Match": etag}
    if write == "delete":
        response = client.delete("/api/v1/oils/lavender", headers=headers)
    else:
        response = client.post(f"/api/v1/oils/lavender/pending/1/{write}", json={}, headers=headers)
    assert "admin" in assert_problem(response, 403)["detail"]


def test_a_change_needs_if_match_and_a_stale_one_is_refused(site):
    app, tokens = site
    client = app.test_client()
    entry, etag = read(client, "cedarwood")
    assert_problem(
        client.patch("/api/v1/oils/cedarwood", json={"description": "a"}, headers=auth(tokens, "admin")), 428
    )
    headers = {**auth(tokens, "admin"), "If-Match": etag}
    changed = client.patch("/api/v1/oils/cedarwood", json={"description": "first"}, headers=headers)
    assert changed.status_code == 200 and changed.get_json()["description"] == "first"
    assert changed.headers["ETag"] != etag
    stale = client.patch("/api/v1/oils/cedarwood", json={"description": "second"}, headers=headers)
    assert_problem(stale, 412)
    assert read(client, "cedarwood")[0]["description"] == "first"


def test_an_invalid_write_names_each_bad_field(site):
    app, tokens = site
    client = app.test_client()
    entry, etag = read(client, "cedarwood")
    headers = {**auth(tokens, "admin"), "If-Match": etag}
    bad = {**entry, "max_dermal_percent": 150, "allergens": ["cats"], "source": SOURCE}
    problem = assert_problem(client.put("/api/v1/oils/cedarwood", json=bad, headers=headers), 422)
    assert set(problem["errors"]) >= {"max_dermal_percent", "allergens"}
    problem = assert_problem(client.patch("/api/v1/oils/cedarwood", json={"kind": "herb"}, headers=headers), 422)
    assert "kind" in problem["errors"]
    problem = assert_problem(
        client.patch("/api/v1/oils/cedarwood", json={"description": "x", "source": "no-such"}, headers=headers), 422
    )
    assert "source" in problem["errors"]


def calculate_max(client, slug):
    body = {**BLEND, "oils": [{"oil": slug}], "dilution": "5%", "on_limit": "cap", "use": "small_area"}
    return client.post(CALCULATE, json=body).get_json()


def test_an_editors_safety_change_waits_for_another_admin(site):
    app, tokens = site
    client = app.test_client()
    before = calculate_max(client, "clove-bud")["essential_oils"][0]["percent"]
    entry, etag = read(client, "clove-bud")
    editor = {**auth(tokens, "editor"), "If-Match": etag}
    uncited = client.patch("/api/v1/oils/clove-bud", json={"max_dermal_percent": 0.3}, headers=editor)
    assert "source" in assert_problem(uncited, 422)["detail"]
    held = client.patch(
        "/api/v1/oils/clove-bud", json={"max_dermal_percent": 0.3, "source": SOURCE, "comment": "lower"}, headers=editor
    )
    assert held.status_code == 202
    change = held.get_json()
    assert change["status"] == "pending" and change["changes"] == {"max_dermal_percent": [0.5, 0.3]}
    assert held.headers["Location"].endswith(f"/api/v1/oils/clove-bud/pending/{change['id']}")
    # the approved entry is still what calculations use, everywhere
    assert read(client, "clove-bud")[0] == entry
    assert calculate_max(client, "clove-bud")["essential_oils"][0]["percent"] == before
    pending = client.get("/api/v1/oils/clove-bud/pending").get_json()
    assert [item["id"] for item in pending] == [change["id"]]

    change_url = f"/api/v1/oils/clove-bud/pending/{change['id']}"
    change_etag = client.get(change_url).headers["ETag"]
    approve = f"{change_url}/approve"
    assert_problem(client.post(approve, json={}, headers=auth(tokens, "admin")), 428)
    approved = client.post(
        approve, json={"comment": "checked"}, headers={**auth(tokens, "admin"), "If-Match": change_etag}
    )
    assert approved.status_code == 200 and approved.get_json()["status"] == "approved"
    assert approved.get_json()["reviewer"] == "ada"
    assert read(client, "clove-bud")[0]["max_dermal_percent"] == 0.3
    assert calculate_max(client, "clove-bud")["essential_oils"][0]["percent"] <= 0.3
    assert client.get("/api/v1/oils/clove-bud/pending").get_json() == []

    trail = client.get("/api/v1/oils/clove-bud/revisions").get_json()
    assert [r["action"] for r in trail[:2]] == ["approve", "propose"]
    assert trail[0]["author"] == "ada" and trail[1]["author"] == "edna"
    assert trail[0]["before"]["max_dermal_percent"] == 0.5 and trail[0]["after"]["max_dermal_percent"] == 0.3
    assert trail[0]["source"] == SOURCE and trail[0]["pending_id"] == change["id"]


def test_nobody_approves_their_own_change_and_a_reviewed_change_stays_reviewed(site):
    app, tokens = site
    client = app.test_client()
    _, etag = read(client, "ylang-ylang")
    held = client.patch(
        "/api/v1/oils/ylang-ylang",
        json={"allergens": ["asteraceae"], "source": SOURCE},
        headers={**auth(tokens, "editor"), "If-Match": etag},
    )
    change = held.get_json()
    url = f"/api/v1/oils/ylang-ylang/pending/{change['id']}"
    change_etag = client.get(url).headers["ETag"]
    rejected = client.post(
        f"{url}/reject",
        json={"comment": "no source says so"},
        headers={**auth(tokens, "admin2"), "If-Match": change_etag},
    )
    assert rejected.status_code == 200 and rejected.get_json()["status"] == "rejected"
    assert read(client, "ylang-ylang")[0]["allergens"] == []
    late = client.post(f"{url}/approve", json={}, headers={**auth(tokens, "admin"), "If-Match": change_etag})
    assert_problem(late, 412)
    assert client.get("/api/v1/oils/ylang-ylang/revisions").get_json()[0]["action"] == "reject"


def test_other_fields_and_an_admins_own_edits_apply_at_once(site):
    app, tokens = site
    client = app.test_client()
    _, etag = read(client, "vetiver")
    done = client.patch(
        "/api/v1/oils/vetiver", json={"description": "earthy"}, headers={**auth(tokens, "editor"), "If-Match": etag}
    )
    assert done.status_code == 200 and done.get_json()["description"] == "earthy"
    admin = client.patch(
        "/api/v1/oils/vetiver",
        json={"max_dermal_percent": 14, "source": SOURCE},
        headers={**auth(tokens, "admin"), "If-Match": done.headers["ETag"]},
    )
    assert admin.status_code == 200 and admin.get_json()["max_dermal_percent"] == 14
    trail = client.get("/api/v1/oils/vetiver/revisions").get_json()
    assert [(r["action"], r["author"]) for r in trail[:2]] == [("update", "ada"), ("update", "edna")]


def test_a_new_oil_from_an_editor_waits_and_one_from_an_admin_does_not(site):
    app, tokens = site
    client = app.test_client()
    held = client.post("/api/v1/oils", json=new_oil("pending-oil"), headers=auth(tokens, "editor"))
    assert held.status_code == 202
    assert client.get("/api/v1/oils/pending-oil").status_code == 404
    change = held.get_json()
    url = f"/api/v1/oils/pending-oil/pending/{change['id']}"
    approved = client.post(
        f"{url}/approve", json={}, headers={**auth(tokens, "admin"), "If-Match": client.get(url).headers["ETag"]}
    )
    assert approved.status_code == 200
    assert read(client, "pending-oil")[0]["name"] == "Test oil"
    created = client.post("/api/v1/oils", json=new_oil("admin-oil"), headers=auth(tokens, "admin"))
    assert created.status_code == 201 and created.headers["Location"].endswith("/api/v1/oils/admin-oil")
    assert_problem(client.post("/api/v1/oils", json=new_oil("admin-oil"), headers=auth(tokens, "admin")), 409)


def test_delete_is_refused_while_a_recipe_uses_the_oil(site):
    app, tokens = site
    client = app.test_client()
    _, etag = read(client, "lavender")
    problem = assert_problem(
        client.delete("/api/v1/oils/lavender", headers={**auth(tokens, "admin"), "If-Match": etag}), 409
    )
    assert "recipe" in problem["detail"]
    client.post("/api/v1/oils", json=new_oil("doomed-oil"), headers=auth(tokens, "admin"))
    _, etag = read(client, "doomed-oil")
    assert (
        client.delete("/api/v1/oils/doomed-oil", headers={**auth(tokens, "admin"), "If-Match": etag}).status_code == 204
    )
    assert client.get("/api/v1/oils/doomed-oil").status_code == 404
    trail = client.get("/api/v1/oils/doomed-oil/revisions").get_json()
    assert trail[0]["action"] == "delete" and trail[0]["after"] is None and trail[0]["before"]["slug"] == "doomed-oil"


@pytest.mark.parametrize(
    ("query", "status", "words"),
    [
        ("?comment=" + "x" * 501, 422, "at most 500 characters"),
        ("?comment=a%00b", 422, "plain text"),
        ("?reason=dup", 400, "accepted: comment"),
        ("?comment=a&comment=b", 400, "give it once"),
    ],
)
def test_a_delete_refuses_a_comment_it_would_cut_or_a_parameter_it_does_not_take(site, query, status, words):
    app, tokens = site
    client = app.test_client()
    client.post("/api/v1/oils", json=new_oil("kept-oil"), headers=auth(tokens, "admin"))
    _, etag = read(client, "kept-oil")
    problem = assert_problem(
        client.delete(f"/api/v1/oils/kept-oil{query}", headers={**auth(tokens, "admin"), "If-Match": etag}), status
    )
    assert words in problem["detail"]
    assert read(client, "kept-oil")[1] == etag  # nothing was deleted


def test_a_delete_keeps_its_whole_comment_and_answers_with_no_body_and_no_content_type(site):
    app, tokens = site
    client = app.test_client()
    client.post("/api/v1/oils", json=new_oil("noted-oil"), headers=auth(tokens, "admin"))
    _, etag = read(client, "noted-oil")
    comment = "duplicate of lavender; " + "y" * 477  # 500 characters, all kept
    response = client.delete(
        "/api/v1/oils/noted-oil", query_string={"comment": comment}, headers={**auth(tokens, "admin"), "If-Match": etag}
    )
    assert response.status_code == 204 and response.data == b""
    assert "Content-Type" not in response.headers
    assert client.get("/api/v1/oils/noted-oil/revisions").get_json()[0]["comment"] == comment


def test_racing_writers_with_one_etag_exactly_one_wins(site):
    app, tokens = site
    client = app.test_client()
    _, etag = read(client, "cypress")
    revisions_before = len(client.get("/api/v1/oils/cypress/revisions").get_json())
    statuses: list[int] = []
    start = threading.Barrier(8)

    def write(number: int) -> None:
        own = app.test_client()
        start.wait()
        response = own.patch(
            "/api/v1/oils/cypress",
            json={"description": f"writer {number}"},
            headers={**auth(tokens, "admin"), "If-Match": etag},
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=write, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [200] + [412] * 7
    trail = client.get("/api/v1/oils/cypress/revisions").get_json()
    assert len(trail) == revisions_before + 1
    assert read(client, "cypress")[0]["description"] == trail[0]["after"]["description"]


def two_instances_with_a_held_change(make_app, databases):
    """Two app instances on one new database, admins abe and bea, and an editor's change to clove-bud held."""
    url = databases.new()
    first, second = make_app(url), make_app(url)
    with first.app_context():
        editor = create_token(create_user("erin", PASSWORD, "editor"))
        create_user("abe", PASSWORD, "admin")
        create_user("bea", PASSWORD, "admin")
    one = first.test_client()
    _, etag = read(one, "clove-bud")
    held = one.patch(
        "/api/v1/oils/clove-bud",
        json={"max_dermal_percent": 0.2, "source": SOURCE},
        headers={"Authorization": f"Bearer {editor}", "If-Match": etag},
    ).get_json()
    return first, second, held


def admin(username: str) -> User:
    """An admin, in the session of the app context this is called in."""
    return db.session.scalar(select(User).where(User.username == username))


def test_an_approved_edit_is_used_at_once_by_another_instance(make_app, databases):
    first, second, held = two_instances_with_a_held_change(make_app, databases)
    one, two = first.test_client(), second.test_client()
    with first.app_context():
        token = create_token(admin("abe"))
    before = calculate_max(two, "clove-bud")["essential_oils"][0]["percent"]
    assert before > 0.2  # the held change is not in force on either instance
    url_change = f"/api/v1/oils/clove-bud/pending/{held['id']}"
    change_etag = two.get(url_change).headers["ETag"]
    approved = two.post(
        f"{url_change}/approve", json={}, headers={"Authorization": f"Bearer {token}", "If-Match": change_etag}
    )
    assert approved.status_code == 200
    assert calculate_max(one, "clove-bud")["essential_oils"][0]["percent"] <= 0.2 < before


def test_a_fraction_in_a_whole_number_field_is_refused_not_truncated(site):
    app, tokens = site
    client = app.test_client()
    _, etag = read(client, "cedarwood")
    headers = {**auth(tokens, "admin"), "If-Match": etag}
    problem = assert_problem(
        client.patch("/api/v1/oils/cedarwood", json={"shelf_life_months": 2.5}, headers=headers), 422
    )
    assert "shelf_life_months" in problem["errors"]
    assert read(client, "cedarwood")[1] == etag


def test_two_admins_reviewing_one_change_at_once_one_wins(make_app, databases):
    # The second review read the change while it was still pending, and the first is saved before hers is written:
    # hers must not go through (a rejection answered 200 while the approval it lost to is in force).
    first, second, held = two_instances_with_a_held_change(make_app, databases)
    one = first.test_client()
    with first.app_context():
        bea = admin("bea")
        seen = editing.find_pending(held["id"])
        assert seen.status == "pending"  # what the second admin read
        with second.app_context():  # the first admin's approval, through another instance, saved meanwhile
            editing.approve(editing.find_pending(held["id"]), admin("abe"))
        with pytest.raises(editing.EditError, match="approved by abe meanwhile"):
            editing.reject(seen, bea, "too low")
    trail = one.get("/api/v1/oils/clove-bud/revisions").get_json()
    assert [r["action"] for r in trail[:2]] == ["approve", "propose"]
    change = one.get(f"/api/v1/oils/clove-bud/pending/{held['id']}").get_json()
    assert change["status"] == "approved" and change["reviewer"] == "abe"


@pytest.mark.parametrize("made_again_by", ["api", "import-oils"])
def test_a_change_to_a_deleted_oil_never_applies_to_a_new_oil_of_the_same_slug(site, tmp_path, made_again_by):
    app, tokens = site
    client = app.test_client()
    admin = auth(tokens, "admin")
    slug = f"twice-made-{made_again_by}"
    assert client.post("/api/v1/oils", json=new_oil(slug, max_dermal_percent=2.0), headers=admin).status_code == 201
    _, etag = read(client, slug)
    held = client.patch(
        f"/api/v1/oils/{slug}",
        json={"max_dermal_percent": 3.0, "source": SOURCE},
        headers={**auth(tokens, "editor"), "If-Match": etag},
    ).get_json()
    _, etag = read(client, slug)
    assert client.delete(f"/api/v1/oils/{slug}", headers={**admin, "If-Match": etag}).status_code == 204
    again = new_oil(slug, max_dermal_percent=0.5, contraindications=["epilepsy"])
    if made_again_by == "api":
        assert client.post("/api/v1/oils", json=again, headers=admin).status_code == 201
    else:
        path = tmp_path / "again.json"
        path.write_text(json.dumps({"oils": [{k: v for k, v in again.items() if k != "source"}]}))
        made = app.test_cli_runner().invoke(args=["import-oils", str(path)])
        assert made.exit_code == 0, made.output
    url = f"/api/v1/oils/{slug}/pending/{held['id']}"
    change_etag = client.get(url).headers["ETag"]
    late = client.post(f"{url}/approve", json={}, headers={**auth(tokens, "admin2"), "If-Match": change_etag})
    assert "changed after this change was proposed" in assert_problem(late, 409)["detail"]
    entry, _ = read(client, slug)
    assert entry["max_dermal_percent"] == 0.5 and entry["contraindications"] == ["epilepsy"]
    versions = [r["version"] for r in client.get(f"/api/v1/oils/{slug}/revisions").get_json()]
    assert versions[0] > max(v for v in versions[1:] if v is not None)  # the new oil goes on from the old one's


def test_an_entry_giving_a_figure_twice_is_refused_and_neither_value_stored(site):
    app, tokens = site
    client = app.test_client()
    before, _ = read(client, "basil")
    response = _patch_basil(client, tokens, b'{"max_dermal_percent": 0.5, "max_dermal_percent": 99, "source": "TY"}')
    problem = assert_problem(response, 400)
    assert "the key 'max_dermal_percent' is given twice in one object; give each key once" in problem["detail"]
    assert read(client, "basil")[0] == before


def _patch_basil(client, tokens, data: bytes, content_type: str | None = "application/json"):
    _, etag = read(client, "basil")
    headers = {**auth(tokens, "admin"), "If-Match": etag}
    if content_type is not None:
        headers["Content-Type"] = content_type
    return client.patch("/api/v1/oils/basil", data=data, headers=headers)


@pytest.mark.parametrize(
    ("data", "content_type", "status", "words"),
    [
        (b'{"description": "x"', "application/json", 400, "the body is not valid JSON"),
        (b'{"description": ' + b"[" * 30_000 + b"]" * 30_000 + b"}", "application/json", 400, "nested too deeply"),
        (b'{"description": "\\udc00"}', "application/json", 400, "lone surrogate"),
        (b'{"description": NaN}', "application/json", 400, "NaN is not a JSON number"),
        (b'{"description": "sent as text"}', "text/plain", 415, "send the body as application/json"),
        (b'{"description": "sent with no type"}', None, 415, "send the body as application/json"),
        (b"description=form", "application/x-www-form-urlencoded", 415, "send the body as application/json"),
        (b"", "application/json", 400, "the request body is empty"),
        (b"[]", "application/json", 422, "must be a JSON object"),
    ],
)
def test_a_write_reads_its_body_as_strictly_as_a_calculation(site, data, content_type, status, words):
    app, tokens = site
    client = app.test_client()
    before, _ = read(client, "basil")
    problem = assert_problem(_patch_basil(client, tokens, data, content_type), status)
    assert words in problem["detail"]
    assert read(client, "basil")[0] == before  # nothing saved, nothing lost unseen


def test_a_write_body_with_a_byte_order_mark_or_in_utf16_is_read(site):
    app, tokens = site
    client = app.test_client()
    for description, data in (
        ("with a byte-order mark", "\ufeff" + '{"description": "with a byte-order mark"}'),
        ("in UTF-16", '{"description": "in UTF-16"}'),
    ):
        encoded = data.encode("utf-8") if data.startswith("\ufeff") else data.encode("utf-16")
        assert _patch_basil(client, tokens, encoded).status_code == 200
        assert read(client, "basil")[0]["description"] == description


def test_a_token_asked_for_in_another_content_type_is_refused_not_made_with_the_defaults(site):
    app, _ = site
    client = app.test_client()
    basic = {"Authorization": "Basic " + base64.b64encode(f"edna:{PASSWORD}".encode()).decode()}
    refused = client.post("/api/v1/tokens", data='{"days": 1}', headers={**basic, "Content-Type": "text/plain"})
    assert "application/json" in assert_problem(refused, 415)["detail"]
    assert client.post("/api/v1/tokens", headers=basic).status_code == 201  # no body: the defaults


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"slug": "lavender\n"}, "slug", "lowercase words joined by hyphens"),
        ({"name": "   "}, "name", "must not be blank"),
        ({"name": "Ba\x00sil"}, "name", "U+0000 at character 3"),
        ({"name": "Ba\x1b[31msil"}, "name", "an invisible, control or direction character"),
        ({"name": "\u202eBasil"}, "name", "direction character (U+202E at character 1)"),
        ({"name": "\u200b"}, "name", "invisible, control or direction character (U+200B at character 1)"),
        ({"name": "Bas\u2028il"}, "name", "U+2028 at character 4"),
        ({"name": " Basil"}, "name", "must not start or end with a space"),
        ({"name": "Ba\nsil"}, "name", "a line break or tab"),
        ({"sources": ["TY\x00"]}, "sources.0", "must be plain text"),
        ({"comment": "a\x00b"}, "comment", "must be plain text"),
        ({"max_dermal_percent": 5e-324}, "max_dermal_percent", "from 0.001 to 100"),
        ({"phototoxic_max_percent": 1e-310}, "phototoxic_max_percent", "from 0.001 to 100"),
    ],
)
def test_an_entry_holds_plain_text_and_usable_numbers(site, fields, field, words):
    app, tokens = site
    client = app.test_client()
    entry = {**new_oil("plain-oil"), **fields}
    problem = assert_problem(client.post("/api/v1/oils", json=entry, headers=auth(tokens, "admin")), 422)
    errors = problem["errors"]
    for part in field.split("."):
        errors = errors[part]
    assert words in " ".join(errors)
    assert client.get("/api/v1/oils/plain-oil").status_code == 404


def test_a_description_or_comment_may_run_over_lines(site):
    app, tokens = site
    client = app.test_client()
    made = client.post(
        "/api/v1/oils",
        json=new_oil("lined-oil", description="First line.\r\nSecond line.\tTabbed.", comment="one\ntwo"),
        headers=auth(tokens, "admin"),
    )
    assert made.status_code == 201
    assert read(client, "lined-oil")[0]["description"] == "First line.\r\nSecond line.\tTabbed."


def test_the_smallest_maximums_still_give_answers_not_errors(site):
    app, tokens = site
    client = app.test_client()
    tiny = new_oil("tiny-limit", max_dermal_percent=0.001, phototoxic_max_percent=0.001)
    assert client.post("/api/v1/oils", json=tiny, headers=auth(tokens, "admin")).status_code == 201
    checked = client.post(
        "/api/v1/blends/check",
        json={"carrier": "jojoba", "amount": "30 mL", "oils": [{"oil": "tiny-limit", "drops": 1}]},
    )
    assert checked.status_code == 200 and checked.get_json()["safe"] is False
    made = client.post(
        "/api/v1/blends/calculate", json={"carrier": "jojoba", "amount": "30 mL", "oils": [{"oil": "tiny-limit"}]}
    )
    assert made.status_code == 422 and made.get_json()["type"] == "/problems/batch-too-small"
    page = client.get("/check?carrier=jojoba&amount=30&unit=mL&oils-0-oil=tiny-limit&oils-0-drops=1")
    assert page.status_code == 200


def test_a_weak_etag_of_the_current_entry_is_refused_saying_so(site):
    app, tokens = site
    client = app.test_client()
    _, etag = read(client, "cedarwood")
    weak = client.patch(
        "/api/v1/oils/cedarwood", json={"description": "x"}, headers={**auth(tokens, "admin"), "If-Match": f"W/{etag}"}
    )
    assert "marked weak" in assert_problem(weak, 412)["detail"]
    token = client.post("/api/v1/tokens", json={"days": 1.5}, headers={**auth(tokens, "admin")})
    assert token.status_code == 401  # a token is asked for with a password, not a token
    basic = {"Authorization": "Basic " + base64.b64encode(f"edna:{PASSWORD}".encode()).decode()}
    fraction = client.post("/api/v1/tokens", json={"days": 1.5}, headers=basic)
    assert assert_problem(fraction, 422)["errors"] == {"days": ["must be a whole number"]}


def test_an_approval_that_loses_to_an_edit_saved_meanwhile_is_a_conflict(make_app, databases, monkeypatch):
    first, second, held = two_instances_with_a_held_change(make_app, databases)
    one = first.test_client()
    real_find_oil, edits = editing.find_oil, []

    def read_then_edited_meanwhile(slug):
        oil = real_find_oil(slug)
        if not edits:  # once: another admin's edit through another instance, after the approval read the oil
            with second.app_context():
                bea = admin("bea")
                edits.append(
                    editing.update_oil(
                        real_find_oil(slug), {**oil_entry(real_find_oil(slug)), "variant": "x"}, bea, SOURCE
                    )
                )
        return oil

    monkeypatch.setattr(editing, "find_oil", read_then_edited_meanwhile)
    with first.app_context(), pytest.raises(editing.EditError) as lost:
        editing.approve(editing.find_pending(held["id"]), admin("abe"))
    assert lost.value.status == 409 and "changed after this change was proposed" in str(lost.value)
    monkeypatch.undo()
    entry, _ = read(one, "clove-bud")
    assert entry["variant"] == "x" and entry["max_dermal_percent"] != 0.2
    assert one.get(f"/api/v1/oils/clove-bud/pending/{held['id']}").get_json()["status"] == "pending"


def test_an_empty_patch_asks_for_the_entrys_fields(site):
    app, tokens = site
    client = app.test_client()
    problem = assert_problem(_patch_basil(client, tokens, b""), 400)
    assert "send the entry's fields as a JSON object" in problem["detail"] and "carrier" not in problem["detail"]
