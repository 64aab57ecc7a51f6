"""POST /api/v1/blends/check: a blend already made is an answer, safe or not; bad input is a 422 problem."""

from __future__ import annotations

import pytest

from .helpers import assert_problem

CHECK = "/api/v1/blends/check"
MADE = {"carrier": "jojoba", "amount": "30 mL", "oils": [{"oil": "lavender", "drops": 12}]}


def test_a_safe_blend(client):
    response = client.post(CHECK, json=MADE)
    assert response.status_code == 200 and response.mimetype == "application/json"
    result = response.get_json()
    # 12 drops = 0.6 mL in 30.6 mL of blend: 1.9608 %, under an adult massage's 2 %
    assert result["safe"] is True and result["verdict"] == "safe"
    assert result["dilution"]["percent"] == 1.9608
    assert result["dilution"]["max_percent"] == 2.0
    assert result["remedy"] is None


def test_a_blend_too_strong_is_answered_not_refused(client):
    response = client.post(CHECK, json={**MADE, "amount": "2 fl oz", "oils": [{"oil": "lavender", "drops": 60}]})
    assert response.status_code == 200
    result = response.get_json()
    assert result["safe"] is False and result["verdict"] == "too_strong"
    # 60 drops = 3 mL; at 2 % that is 150 mL of blend: 150 - 3 - 59.14706 = 87.85294 mL = 2.970661 fl oz more,
    # rounded up to four places so that adding the figure is never short
    assert result["remedy"]["carrier_to_add"]["ml"] == 87.853
    assert result["remedy"]["carrier_to_add"]["amount"] == 2.9707
    assert result["remedy"]["carrier_to_add"]["unit"] == "fl oz"
    assert any(w["code"] == "use_maximum" and w["severity"] == "danger" for w in result["warnings"])


def test_an_oil_not_for_the_person_has_no_remedy(client):
    body = {**MADE, "oils": [{"oil": "peppermint", "drops": 2}], "profile": {"age_years": 1}}
    result = client.post(CHECK, json=body).get_json()
    assert result["safe"] is False and result["verdict"] == "not_for_this_person"
    assert result["remedy"] is None


def test_an_unknown_oil_is_a_422_like_calculate(client):
    problem = assert_problem(client.post(CHECK, json={**MADE, "oils": [{"oil": "lavendr", "drops": 3}]}), 422)
    assert problem["type"] == "/problems/invalid-request"
    assert "lavender" in problem["errors"]["oils"]["0"]["oil"][0]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"oils": [{"oil": "lavender", "drops": 0}]}, "oils"),
        ({"oils": [{"oil": "lavender", "drops": 2.5}]}, "oils"),
        ({"oils": [{"oil": "lavender", "parts": 2}]}, "oils"),
        ({"oils": []}, "oils"),
        ({"amount": "0.01 mL"}, "amount"),
        ({"amount": "30 mls"}, "amount"),
        ({"on_limit": "cap"}, "on_limit"),
        ({"profile": {"age_years": -1}}, "profile"),
    ],
)
def test_invalid_fields_are_named(client, change, field):
    problem = assert_problem(client.post(CHECK, json={**MADE, **change}), 422)
    assert field in problem["errors"]


def test_the_body_must_be_json(client):
    assert_problem(client.post(CHECK, data="{", content_type="application/json"), 400)
    assert_problem(client.post(CHECK, data="carrier=jojoba", content_type="text/plain"), 415)
    assert_problem(client.post(CHECK, json=[MADE]), 422)


def test_the_openapi_document_describes_the_check(client):
    spec = client.get("/api/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/blends/check"]["post"]
    assert operation["operationId"] == "check_blend"
    assert operation["summary"] == "Check a blend already made"
    assert "remedy" in operation["description"]
    body = operation["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/CheckRequest"}
    assert {"200", "400", "413", "415", "422"} <= set(operation["responses"])
    schemas = spec["components"]["schemas"]
    assert set(schemas["CheckRequest"]["required"]) == {"carrier", "amount", "oils"}
    assert schemas["OilDrops"]["properties"]["drops"]["type"] == "integer"
    assert schemas["OilDrops"]["properties"]["drops"]["minimum"] == 1
    assert schemas["CheckResult"]["properties"]["remedy"]["nullable"] is True
