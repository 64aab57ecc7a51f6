"""POST /api/v1/blends/calculate: the contract's response, and a 4xx problem for every bad input."""

from __future__ import annotations

import io
import json

import pytest

from .helpers import BLEND, CALCULATE, assert_problem


def test_calculation_answers_with_the_contract_fields(client):
    response = client.post(CALCULATE, json=BLEND)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    result = response.get_json()
    assert {"essential_oils", "total_drops", "carrier", "dilution", "conventions", "capped", "warnings"} <= set(result)
    assert [(item["oil"], item["drops"]) for item in result["essential_oils"]] == [("lavender", 8), ("peppermint", 4)]
    assert result["total_drops"] == 12
    assert result["carrier"] == {"oil": "sweet-almond", "name": "Sweet almond", "ml": 29.4}
    assert {"requested_percent", "actual_percent", "max_percent", "drops_per_tsp", "limited_by"} <= set(
        result["dilution"]
    )
    assert {"code", "severity", "oil", "message"} == set(result["warnings"][0])


def test_any_json_content_type_is_accepted(client):
    response = client.post(CALCULATE, data=json.dumps(BLEND), content_type="application/merge-patch+json")
    assert response.status_code == 200


def test_unsafe_blend_is_refused_with_its_warnings(client):
    response = client.post(CALCULATE, json={**BLEND, "dilution": "5%"})
    problem = assert_problem(response, 422)
    assert problem["type"] == "/problems/unsafe-blend"
    assert any(w["code"] == "use_maximum" and w["severity"] == "danger" for w in problem["warnings"])


def test_cap_lowers_the_blend_instead(client):
    result = client.post(CALCULATE, json={**BLEND, "dilution": "5%", "on_limit": "cap"}).get_json()
    assert result["capped"] is True
    assert result["dilution"]["actual_percent"] <= 2


def test_unknown_oil_suggests_the_nearest_slugs(client):
    problem = assert_problem(client.post(CALCULATE, json={**BLEND, "oils": [{"oil": "lavendr"}]}), 422)
    assert "lavender" in problem["errors"]["oils"]["0"]["oil"][0]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "30 kg"}, "amount"),
        ({"amount": "0 mL"}, "amount"),
        ({"amount": "-5 mL"}, "amount"),
        ({"amount": "NaN mL"}, "amount"),
        ({"amount": "inf mL"}, "amount"),
        ({"amount": "21 L"}, "amount"),
        ({"amount": "30 smidgens"}, "amount"),
        ({"amount": 30}, "amount"),
        ({"amount": "9" * 5000 + " mL"}, "amount"),
        ({"carrier": "lavender"}, "carrier"),
        ({"oils": [{"oil": "sweet-almond"}]}, "oils"),
        ({"oils": [{"oil": "lavender"}, {"oil": "lavender"}]}, "oils"),
        ({"oils": [{"oil": "lavender"}] * 13}, "oils"),
        ({"oils": [{"oil": "lavender", "parts": 0}]}, "oils"),
        ({"oils": [{"oil": "lavender", "parts": -1}]}, "oils"),
        ({"oils": []}, "oils"),
        ({"dilution": "lots"}, "dilution"),
        ({"dilution": 10**400}, "dilution"),
        ({"use": "bath"}, "use"),
        ({"profile": {"skin": "scaly"}}, "profile"),
        ({"conventions": {"teaspoon": "imperial"}}, "conventions"),
        ({"on_limit": "ignore"}, "on_limit"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_invalid_fields_are_named(client, change, field):
    problem = assert_problem(client.post(CALCULATE, json={**BLEND, **change}), 422)
    assert problem["type"] == "/problems/invalid-request"
    assert field in problem["errors"]


@pytest.mark.parametrize("field", ["carrier", "amount", "oils"])
def test_missing_required_fields_are_named(client, field):
    body = {name: value for name, value in BLEND.items() if name != field}
    assert field in assert_problem(client.post(CALCULATE, json=body), 422)["errors"]


WRONG_TYPES = [None, True, 1, 1.5, "text", [], {}, [1], {"a": 1}, 10**400, -(10**400)]


@pytest.mark.parametrize(
    "field", ["carrier", "amount", "amount_of", "dilution", "oils", "use", "profile", "conventions", "on_limit"]
)
@pytest.mark.parametrize("value", WRONG_TYPES, ids=repr)
def test_wrong_types_never_yield_a_server_error(client, field, value):
    response = client.post(CALCULATE, data=json.dumps({**BLEND, field: value}), content_type="application/json")
    assert response.status_code in (200, 422), response.get_data(as_text=True)


@pytest.mark.parametrize("field", ["age_years", "pregnant", "skin", "conditions", "allergies", "sun_exposure"])
@pytest.mark.parametrize("value", WRONG_TYPES, ids=repr)
def test_wrong_profile_types_never_yield_a_server_error(client, field, value):
    body = {**BLEND, "profile": {field: value}}
    response = client.post(CALCULATE, data=json.dumps(body), content_type="application/json")
    assert response.status_code in (200, 422), response.get_data(as_text=True)


@pytest.mark.parametrize(
    "body", ["[]", "[1, 2]", "3", "-1e999", '"text"', "null", "true", '{"oils": [[[[[]]]]]}'], ids=repr
)
def test_json_that_is_not_an_object_is_a_422(client, body):
    assert_problem(client.post(CALCULATE, data=body, content_type="application/json"), 422)


@pytest.mark.parametrize(
    "body",
    [
        "{",
        "not json",
        '{"amount": NaN}',
        '{"parts": Infinity}',
        '{"a": -Infinity}',
        "[" * 50_000,
        '{"a": 1} trailing',
        b"\xff\xfe\xfa",
        '{"carrier": "jojoba", "amount": "30 mL", "oils": [{"oil": "lavender"}], "\\ud800": 1}',
        '{"carrier": "jojoba", "amount": "30 mL", "oils": [{"oil": "lavender", "\\uDFFF": 1}]}',
        '{"carrier": "x\\ud800y", "amount": "30 mL", "oils": [{"oil": "lavender"}]}',
    ],
    ids=[
        "truncated",
        "text",
        "NaN",
        "Infinity",
        "-Infinity",
        "deep-nesting",
        "trailing",
        "bad-utf8",
        "surrogate-key",
        "surrogate-nested-key",
        "surrogate-value",
    ],
)
def test_malformed_json_is_a_400(client, body):
    problem = assert_problem(client.post(CALCULATE, data=body, content_type="application/json"), 400)
    assert "JSON" in problem["detail"]


@pytest.mark.parametrize(
    ("path", "body", "key"),
    [
        (
            "/api/v1/blends/calculate",
            '{"carrier": "sweet-almond", "amount": "30 mL", "oils": [{"oil": "peppermint"}], '
            '"profile": {"age_years": 2, "age_years": 70}}',
            "age_years",
        ),
        (
            "/api/v1/blends/calculate",
            '{"carrier": "sweet-almond", "amount": "30 mL", "dilution": "1%", "oils": [{"oil": "lavender"}], '
            '"dilution": "5%"}',
            "dilution",
        ),
        (
            "/api/v1/blends/check",
            '{"carrier": "jojoba", "amount": "30 mL", "oils": [{"oil": "lavender", "drops": 3, "drops": 30}]}',
            "drops",
        ),
    ],
)
def test_a_key_given_twice_is_a_400_not_read_one_way(client, path, body, key):
    """A child of 2 must not be calculated for as a person of 70 because a client sent the age twice."""
    problem = assert_problem(client.post(path, data=body, content_type="application/json"), 400)
    assert problem["detail"] == (
        f"the body is not valid JSON: the key {key!r} is given twice in one object; give each key once"
    )


@pytest.mark.parametrize("body", ["", "   \n"])
def test_empty_body_is_a_400(client, body):
    assert "empty" in assert_problem(client.post(CALCULATE, data=body, content_type="application/json"), 400)["detail"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml", None])
def test_wrong_content_type_is_a_415(client, content_type):
    response = client.post(CALCULATE, data=json.dumps(BLEND), content_type=content_type)
    assert "application/json" in assert_problem(response, 415)["detail"]


def test_body_over_64_kib_is_a_413(client):
    body = json.dumps({**BLEND, "padding": "x" * 70_000})
    assert_problem(client.post(CALCULATE, data=body, content_type="application/json"), 413)


def test_body_just_under_the_limit_is_read(client):
    body = json.dumps({**BLEND, "padding": "x" * 60_000})
    assert (
        "padding" in assert_problem(client.post(CALCULATE, data=body, content_type="application/json"), 422)["errors"]
    )


def test_get_is_a_405_with_allow(client):
    response = client.get(CALCULATE)
    assert_problem(response, 405)
    assert "POST" in response.headers["Allow"]


def test_chunked_body_over_64_kib_is_a_413(client):
    body = json.dumps({**BLEND, "padding": "x" * 70_000}).encode()
    response = client.post(
        CALCULATE,
        input_stream=io.BytesIO(body),
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert_problem(response, 413)
