"""GET /api/v1/oils (filter, search, pages), /oils/{slug} (ETag, 304) and /oils/{slug}/revisions."""

from __future__ import annotations

import json

import pytest

from oil_blends.documents.catalog import catalog_document

from .helpers import assert_problem

SHIPPED = catalog_document()["oils"]


def pages(response) -> dict:
    return json.loads(response.headers["X-Pagination"])


def test_oils_are_paged_with_totals(client):
    response = client.get("/api/v1/oils?page=2&page_size=5")
    assert response.status_code == 200
    assert len(response.get_json()) == 5
    assert pages(response) == {
        "total": len(SHIPPED),
        "total_pages": -(-len(SHIPPED) // 5),
        "first_page": 1,
        "last_page": -(-len(SHIPPED) // 5),
        "page": 2,
        "previous_page": 1,
        "next_page": 3,
    }


def test_every_page_together_is_the_catalog_in_name_order(client):
    oils = client.get("/api/v1/oils?page_size=100").get_json()
    assert sorted(oil["slug"] for oil in oils) == sorted(oil["slug"] for oil in SHIPPED)
    assert [oil["name"] for oil in oils] == sorted(oil["name"] for oil in oils)


def test_entries_have_every_catalog_field(client):
    lavender = next(oil for oil in client.get("/api/v1/oils?q=lavender").get_json() if oil["slug"] == "lavender")
    assert lavender == next(oil for oil in SHIPPED if oil["slug"] == "lavender")


@pytest.mark.parametrize("kind", ["carrier", "essential"])
def test_filter_by_kind(client, kind):
    oils = client.get(f"/api/v1/oils?kind={kind}&page_size=100").get_json()
    assert oils and {oil["kind"] for oil in oils} == {kind}
    assert len(oils) == sum(oil["kind"] == kind for oil in SHIPPED)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("LAVEN", "lavender"),
        ("sweet-alm", "sweet-almond"),
        ("Lavandula angustifolia", "lavender"),
        ("mentha", "peppermint"),
    ],
)
def test_search_in_slug_name_and_botanical_name(client, q, expected):
    assert expected in [oil["slug"] for oil in client.get("/api/v1/oils", query_string={"q": q}).get_json()]


@pytest.mark.parametrize("q", ["%", "_", "\\", "zzz-no-such-oil"])
def test_search_wildcards_are_literal(client, q):
    response = client.get("/api/v1/oils", query_string={"q": q})
    assert response.status_code == 200
    assert response.get_json() == []


def test_page_past_the_end_is_empty(client):
    response = client.get("/api/v1/oils?page=99999999999999999999999")
    assert response.status_code == 200
    assert response.get_json() == []


@pytest.mark.parametrize(
    "query", ["page=0", "page_size=0", "page_size=101", "page=x", "kind=resin", "q=" + "x" * 101, "q="]
)
def test_bad_query_parameters_are_a_422_per_field(client, query):
    problem = assert_problem(client.get(f"/api/v1/oils?{query}"), 422)
    assert problem["type"] == "/problems/invalid-request"
    assert query.split("=")[0] in problem["errors"]


def documented_query_parameters(client) -> list[str]:
    operation = client.get("/api/openapi.json").get_json()["paths"]["/api/v1/oils"]["get"]
    return sorted(parameter["name"] for parameter in operation["parameters"] if parameter["in"] == "query")


@pytest.mark.parametrize(
    ("query", "unknown"),
    [
        ("colour=green", ["colour"]),
        ("kind=essential&search=lav", ["search"]),
        ("q=lav&page=1&size=5&sort=name", ["size", "sort"]),
        ("Kind=essential", ["Kind"]),
    ],
)
def test_unknown_query_parameters_are_a_400_naming_them(client, query, unknown):
    """As the recipes do: a misspelt filter would otherwise list the whole catalog as if it had been applied."""
    problem = assert_problem(client.get(f"/api/v1/oils?{query}"), 400)
    assert problem["type"] == "/problems/invalid-request"
    assert sorted(problem["errors"]) == sorted(unknown)
    accepted = documented_query_parameters(client)
    assert accepted == ["kind", "page", "page_size", "q"]
    for name in unknown:
        assert repr(name) in problem["detail"]
        (message,) = problem["errors"][name]
        assert message == f"unknown parameter; accepted: {', '.join(accepted)}"


def test_every_documented_query_parameter_is_accepted_together(client):
    values = {"kind": "essential", "q": "lav", "page": "1", "page_size": "5"}
    assert sorted(values) == documented_query_parameters(client)
    response = client.get("/api/v1/oils", query_string=values)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "lavender" in [oil["slug"] for oil in response.get_json()]
    assert pages(response)["page"] == 1


def test_the_openapi_document_lists_the_400_for_an_unknown_parameter(client):
    operation = client.get("/api/openapi.json").get_json()["paths"]["/api/v1/oils"]["get"]
    assert "400" in operation["responses"] and "not listed here" in " ".join(operation["description"].split())


def test_the_oils_page_still_takes_parameters_the_api_does_not_know(client):
    page = client.get("/oils?q=lav&colour=green")
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "/oils/lavender" in page.get_data(as_text=True)


def test_oil_entry_with_etag_and_304(client):
    response = client.get("/api/v1/oils/peppermint")
    assert response.status_code == 200
    assert response.get_json()["slug"] == "peppermint"
    etag = response.headers["ETag"]
    again = client.get("/api/v1/oils/peppermint", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["ETag"] == etag
    assert again.get_data() == b""
    other = client.get("/api/v1/oils/lavender", headers={"If-None-Match": etag})
    assert other.status_code == 200


def test_unknown_oil_is_a_404_with_suggestions(client):
    problem = assert_problem(client.get("/api/v1/oils/pepermint"), 404)
    assert "peppermint" in problem["detail"]


def test_revisions_of_a_seeded_oil(client):
    revisions = client.get("/api/v1/oils/lavender/revisions").get_json()
    assert revisions[0]["oil"] == "lavender"
    assert revisions[0]["action"] == "create"
    assert revisions[0]["author"] == "seed"
    assert revisions[0]["created_at"].endswith("+00:00")


def test_revisions_of_an_unknown_oil_is_a_404(client):
    assert_problem(client.get("/api/v1/oils/no-such-oil/revisions"), 404)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_anonymous_writes_are_refused(client, method):
    response = getattr(client, method)("/api/v1/oils/lavender", json={})
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_entry_is_not_posted_to(client):
    response = client.post("/api/v1/oils/lavender", json={})
    assert_problem(response, 405)
    assert {"GET", "PUT", "PATCH", "DELETE"} <= set(response.headers["Allow"].split(", "))


@pytest.mark.parametrize("path", ["/api/v1/recipes", "/api/v1/oils/lavender/revisions"])
def test_an_endpoint_without_query_parameters_refuses_any(client, path):
    assert client.get(path).status_code == 200
    problem = assert_problem(client.get(f"{path}?foo=1&page=abc"), 400)
    assert sorted(problem["errors"]) == ["foo", "page"]
    assert "takes no query parameters" in problem["detail"]


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("page=0", "page", "must be at least 1"),
        ("page=abc", "page", "must be a whole number"),
        ("page_size=500", "page_size", "must be from 1 to 100"),
        ("q=", "q", "must be 1 to 100 characters long"),
    ],
)
def test_a_bad_list_parameter_is_answered_with_what_it_takes(client, query, field, words):
    problem = assert_problem(client.get(f"/api/v1/oils?{query}"), 422)
    assert problem["errors"] == {field: [words]}


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/oils?kind=carrier&kind=essential", "kind"),
        ("/api/v1/oils?page=1&page=2", "page"),
        ("/api/v1/recipes/face-oil?amount=30+mL&amount=60+mL", "amount"),
    ],
)
def test_a_parameter_that_takes_one_value_given_twice_is_refused_not_half_read(client, path, name):
    problem = assert_problem(client.get(path), 400)
    assert problem["errors"] == {name: ["give it once: it takes one value and was given 2"]}


def test_a_list_parameter_may_be_repeated(client):
    scaled = client.get("/api/v1/recipes/face-oil?conditions=neuropathy&conditions=diabetes")
    assert scaled.status_code == 200
