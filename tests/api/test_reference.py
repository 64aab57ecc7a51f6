"""GET /api/v1/rules, /api/v1/units and /healthz."""

from __future__ import annotations

from oil_blends.documents.catalog import rules_document
from oil_blends.documents.units import units_document


def test_rules_are_the_shipped_rules(client):
    assert client.get("/api/v1/rules").get_json() == rules_document()


def test_units_and_conventions(client):
    units = client.get("/api/v1/units").get_json()
    assert units == units_document()
    assert units["conventions"]["drops_per_ml"] == 20


def test_health_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["database"] == "ok"
