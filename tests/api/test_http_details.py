"""HTTP details apps rely on: weak ETags, trailing slashes, problem+json for the server's own errors,
JSON booleans, and operation ids a generated client can use as names."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from .helpers import BLEND, CALCULATE, assert_problem


def test_a_weak_if_none_match_gets_304(client):
    etag = client.get("/api/v1/oils/lavender").headers["ETag"]
    assert client.get("/api/v1/oils/lavender", headers={"If-None-Match": etag}).status_code == 304
    weak = client.get("/api/v1/oils/lavender", headers={"If-None-Match": f"W/{etag}"})
    assert weak.status_code == 304
    assert weak.headers["ETag"] == etag
    assert client.get("/api/v1/oils/lavender", headers={"If-None-Match": 'W/"other"'}).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/oils/",
        "/api/v1/oils/lavender/",
        "/api/v1/rules/",
        "/api/v1/sources/",
        "/api/v1/recipes/face-oil/",
        "/api/v1/oils/lavender/revisions/",
    ],
)
def test_trailing_slashes_work(client, path):
    assert client.get(path).status_code == 200
    assert client.get(path).get_json() == client.get(path.rstrip("/")).get_json()


def test_trailing_slash_on_the_calculation(client):
    assert client.post(CALCULATE + "/", json=BLEND).get_json() == client.post(CALCULATE, json=BLEND).get_json()


def test_a_request_line_too_long_for_the_server_is_a_problem(live_server):
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"{live_server}/api/v1/oils?q={'a' * 70_000}")
    assert error.value.code == 414
    assert error.value.headers["Content-Type"] == "application/problem+json"
    problem = json.loads(error.value.read())
    assert problem["status"] == 414 and problem["title"] and problem["detail"]


def test_an_ordinary_request_through_the_server(live_server):
    with urllib.request.urlopen(f"{live_server}/api/v1/oils/lavender") as response:
        assert json.loads(response.read())["slug"] == "lavender"


@pytest.mark.parametrize("value", ["YES", "T", "off", "true", 1, 0, "1"])
@pytest.mark.parametrize("field", ["pregnant", "sun_exposure"])
def test_booleans_in_the_json_api_are_json_booleans(client, field, value):
    problem = assert_problem(client.post(CALCULATE, json={**BLEND, "profile": {field: value}}), 422)
    assert problem["errors"]["profile"][field] == ["must be true or false"]


def test_boolean_query_parameters_are_true_or_false(client):
    assert client.get("/api/v1/recipes/face-oil?sun_exposure=false").status_code == 200
    problem = assert_problem(client.get("/api/v1/recipes/face-oil?pregnant=YES"), 422)
    assert problem["errors"]["pregnant"] == ["must be true or false"]


def test_openapi_documents_booleans_as_booleans(app):
    spec = app.test_client().get("/api/openapi.json").get_json()
    profile = spec["components"]["schemas"]["Profile"]["properties"]
    assert profile["pregnant"] == {"type": "boolean", "default": False}
    assert profile["sun_exposure"]["type"] == "boolean"
    assert "anyOf" not in json.dumps(spec)


def test_every_operation_has_a_usable_operation_id(app):
    spec = app.test_client().get("/api/openapi.json").get_json()
    ids = [
        operation["operationId"]
        for item in spec["paths"].values()
        for method, operation in item.items()
        if method != "parameters"
    ]
    assert len(ids) == len(set(ids))
    assert all(operation_id.isidentifier() and operation_id.islower() for operation_id in ids)
    assert "calculate_blend" in ids and "get_oil" in ids and "list_sources" in ids
