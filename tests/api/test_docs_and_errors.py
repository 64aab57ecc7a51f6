"""The OpenAPI document, the offline docs page, and problem+json for errors outside the views."""

from __future__ import annotations

import pytest

from .helpers import assert_problem

ENDPOINTS = {
    "/healthz": {"get"},
    "/api/v1/blends/calculate": {"post"},
    "/api/v1/blends/check": {"post"},
    "/api/v1/oils": {"get", "post"},
    "/api/v1/oils/{slug}": {"get", "put", "patch", "delete"},
    "/api/v1/oils/{slug}/revisions": {"get"},
    "/api/v1/oils/{slug}/pending": {"get"},
    "/api/v1/oils/{slug}/pending/{change_id}": {"get"},
    "/api/v1/oils/{slug}/pending/{change_id}/approve": {"post"},
    "/api/v1/oils/{slug}/pending/{change_id}/reject": {"post"},
    "/api/v1/recipes": {"get"},
    "/api/v1/recipes/{slug}": {"get"},
    "/api/v1/rules": {"get"},
    "/api/v1/units": {"get"},
    "/api/v1/sources": {"get"},
    "/api/v1/sources/{key}": {"get"},
    "/api/v1/tokens": {"post", "delete"},
}


@pytest.fixture(scope="module")
def openapi(app):
    return app.test_client().get("/api/openapi.json").get_json()


def test_openapi_lists_every_endpoint(openapi):
    assert openapi["openapi"].startswith("3.")
    assert {path: set(item) - {"parameters"} for path, item in openapi["paths"].items()} == ENDPOINTS


def test_calculation_request_is_documented_by_the_request_schema(openapi):
    body = openapi["paths"]["/api/v1/blends/calculate"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/BlendRequest"}
    request = openapi["components"]["schemas"]["BlendRequest"]
    assert set(request["required"]) == {"carrier", "amount", "oils"}
    assert request["properties"]["use"]["enum"] == ["massage", "face", "small_area"]
    assert request["properties"]["oils"]["maxItems"] == 12


def test_errors_are_documented_as_problems(openapi):
    responses = openapi["paths"]["/api/v1/blends/calculate"]["post"]["responses"]
    assert {"200", "400", "413", "415", "422", "default"} <= set(responses)
    problem = openapi["components"]["responses"]["UNPROCESSABLE_ENTITY"]["content"]
    assert problem == {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def test_docs_page_uses_packaged_assets(client):
    page = client.get("/api/docs").get_data(as_text=True)
    assert "/api/docs/assets/swagger-ui-bundle.js" in page
    assert "/api/openapi.json" in page
    assert "https://" not in page and "http://" not in page
    for asset in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        response = client.get(f"/api/docs/assets/{asset}")
        assert response.status_code == 200
        assert len(response.get_data()) > 1000
        response.close()


def test_missing_asset_is_a_404_problem(client):
    assert_problem(client.get("/api/docs/assets/nothing.js"), 404)


@pytest.mark.parametrize("path", ["/api/v1/nothing", "/api/v2/oils", "/api", "/healthz/nothing"])
def test_unknown_paths_are_404_problems(client, path):
    assert_problem(client.get(path), 404)


def test_server_error_is_a_problem_without_internals(make_app):
    app = make_app(TESTING=False)

    @app.get("/api/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/api/boom")
    problem = assert_problem(response, 500)
    assert "secret" not in response.get_data(as_text=True)
    assert "logged" in problem["detail"]


def test_every_operation_documents_the_database_faults(client):
    """503 (and 507 for a full disk) can come from any operation that uses the database: the default response of
    each operation says so, with its Retry-After header."""
    document = client.get("/api/openapi.json").get_json()
    default = document["components"]["responses"]["DEFAULT_ERROR"]
    assert "503" in default["description"] and "507" in default["description"]
    assert default["headers"]["Retry-After"]["schema"]["type"] == "integer"
    operations = [op for path in document["paths"].values() for op in path.values() if isinstance(op, dict)]
    assert operations and all(
        op["responses"]["default"] == {"$ref": "#/components/responses/DEFAULT_ERROR"} for op in operations
    )


def test_every_member_a_problem_can_carry_is_documented(client):
    """Problem documents are closed (additionalProperties false): each extra member a view adds must be declared."""
    from oil_blends.storage import editing

    declared = set(client.get("/api/openapi.json").get_json()["components"]["schemas"]["Problem"]["properties"])
    stale = editing.EditError("the oil changed after this change was proposed", current_version=2)
    assert set(stale.extra) <= declared
    assert {"type", "title", "status", "detail", "errors", "warnings", "slug", "recipes"} <= declared
