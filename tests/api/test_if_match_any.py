"""``If-Match: *`` matches whatever version an entry is at, so it would skip the lost-update check every write to the
catalog is made for: a change, a deletion and a review need the ETag read from a GET, and ``*`` gets 428."""

from __future__ import annotations

import pytest

from oil_blends.storage.accounts import create_token, create_user

from .helpers import assert_problem

PASSWORD = "correct horse battery"
SOURCE = "TY"
SLUG = "cedarwood"
ANY = "*"
REVIEWED = {"approve": "approved", "reject": "rejected"}


@pytest.fixture(scope="module")
def site(make_app):
    """An app with an editor, an admin and their tokens."""
    app = make_app()
    with app.app_context():
        tokens = {
            "editor": create_token(create_user("edna", PASSWORD, "editor")),
            "admin": create_token(create_user("ada", PASSWORD, "admin")),
        }
    return app, tokens


def bearer(tokens, who: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[who]}", **headers}


def read(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json(), response.headers["ETag"]


def trail(client, slug: str) -> list[int]:
    return [revision["id"] for revision in client.get(f"/api/v1/oils/{slug}/revisions").get_json()]


def assert_any_refused(response, what: str) -> None:
    problem = assert_problem(response, 428)
    assert f"{what}'s ETag" in problem["detail"] and "not *" in problem["detail"], problem["detail"]
    assert "GET" in problem["detail"]


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_change_or_deletion_with_if_match_any_is_refused_and_nothing_changes(site, method):
    app, tokens = site
    client = app.test_client()
    entry, etag = read(client, f"/api/v1/oils/{SLUG}")
    before = trail(client, SLUG)
    bodies = {"put": {**entry, "description": "blind"}, "patch": {"description": "blind"}, "delete": None}
    response = client.open(
        f"/api/v1/oils/{SLUG}",
        method=method.upper(),
        json=bodies[method],
        headers=bearer(tokens, "admin", **{"If-Match": ANY}),
    )
    assert_any_refused(response, "entry")
    assert read(client, f"/api/v1/oils/{SLUG}") == (entry, etag)
    assert trail(client, SLUG) == before


def test_the_entrys_own_etag_is_still_taken_after_a_refused_any(site):
    app, tokens = site
    client = app.test_client()
    _, etag = read(client, f"/api/v1/oils/{SLUG}")
    refused = client.patch(
        f"/api/v1/oils/{SLUG}", json={"description": "x"}, headers=bearer(tokens, "admin", **{"If-Match": ANY})
    )
    assert refused.status_code == 428
    done = client.patch(
        f"/api/v1/oils/{SLUG}",
        json={"description": "seen first"},
        headers=bearer(tokens, "admin", **{"If-Match": etag}),
    )
    assert done.status_code == 200 and done.get_json()["description"] == "seen first"
    stale = client.patch(
        f"/api/v1/oils/{SLUG}", json={"description": "x"}, headers=bearer(tokens, "admin", **{"If-Match": etag})
    )
    assert_problem(stale, 412)


@pytest.mark.parametrize("review", ["approve", "reject"])
def test_a_review_with_if_match_any_is_refused_and_the_change_still_waits(site, review):
    app, tokens = site
    client = app.test_client()
    slug = f"waiting-for-{review}"
    entry = {"slug": slug, "name": slug, "kind": "essential", "sources": [SOURCE], "source": SOURCE}
    held = client.post("/api/v1/oils", json=entry, headers=bearer(tokens, "editor"))
    assert held.status_code == 202, held.get_data(as_text=True)
    url = held.headers["Location"]
    change, change_etag = read(client, url)

    refused = client.post(f"{url}/{review}", json={}, headers=bearer(tokens, "admin", **{"If-Match": ANY}))
    assert_any_refused(refused, "change")
    assert read(client, url) == (change, change_etag)
    assert change["status"] == "pending"

    done = client.post(f"{url}/{review}", json={}, headers=bearer(tokens, "admin", **{"If-Match": change_etag}))
    assert done.status_code == 200 and done.get_json()["status"] == REVIEWED[review]


def test_a_new_oil_takes_no_if_match_and_ignores_one(site):
    app, tokens = site
    client = app.test_client()
    entry = {"slug": "new-with-any", "name": "New", "kind": "essential", "sources": [SOURCE]}
    created = client.post("/api/v1/oils", json=entry, headers=bearer(tokens, "admin", **{"If-Match": ANY}))
    assert created.status_code == 201, created.get_data(as_text=True)


def test_the_openapi_document_says_if_match_takes_the_etag_not_any(site):
    app, _ = site
    document = app.test_client().get("/api/openapi.json").get_json()
    described = document["components"]["parameters"]["IF_MATCH"]["description"]
    assert "ETag" in described and "`*`" in described and "428" in described
    paths = document["paths"]
    for path, method in (
        ("/api/v1/oils/{slug}", "put"),
        ("/api/v1/oils/{slug}", "patch"),
        ("/api/v1/oils/{slug}", "delete"),
        ("/api/v1/oils/{slug}/pending/{change_id}/approve", "post"),
        ("/api/v1/oils/{slug}/pending/{change_id}/reject", "post"),
    ):
        operation = paths[path][method]
        assert {"$ref": "#/components/parameters/IF_MATCH"} in operation["parameters"], (path, method)
        assert {"412", "428"} <= set(operation["responses"]), (path, method)
