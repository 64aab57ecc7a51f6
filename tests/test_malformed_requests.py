"""Bad input: every malformed request gets a 4xx problem that says what was wrong; nothing crashes."""

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers_blend import request
from oil_blends.documents.calculator import calculate_document
from oil_blends.documents.catalog import shipped_oils
from oil_blends.documents.problems import Problem

BASE = request()


def with_(**changes):
    document = json.loads(json.dumps(BASE))
    document.update(changes)
    return document


def profile(**fields):
    return with_(profile=fields)


def oil(**fields):
    return with_(oils=[fields])


def without(key):
    document = dict(BASE)
    del document[key]
    return document


CASES = [
    # (id, document, error path, fragment of the message)
    ("body is a list", [BASE], "body", "JSON object"),
    ("body is a string", "lavender", "body", "JSON object"),
    ("body is a number", 42, "body", "JSON object"),
    ("body is null", None, "body", "JSON object"),
    ("missing carrier", without("carrier"), "carrier", "this field is required"),
    ("missing amount", without("amount"), "amount", "this field is required"),
    ("missing oils", without("oils"), "oils", "this field is required"),
    ("unknown field", with_(dilutoin="2%"), "dilutoin", "the fields here are carrier, amount, amount_of"),
    ("carrier not a string", with_(carrier=5), "carrier", 'must be a string, e.g. "sweet-almond"'),
    ("unknown carrier", with_(carrier="almond"), "carrier", "sweet-almond"),
    ("essential oil as carrier", with_(carrier="lavender"), "carrier", "not a carrier"),
    ("carrier as essential oil", oil(oil="jojoba"), "oils.0.oil", "carrier oil, not an essential oil"),
    ("unknown essential oil", oil(oil="lavendar"), "oils.0.oil", "lavender"),
    ("vague essential oil", oil(oil="eucalyptus"), "oils.0.oil", "eucalyptus-globulus"),
    ("oil missing", oil(parts=2), "oils.0.oil", "this field is required"),
    ("duplicate oils", with_(oils=[{"oil": "lavender"}, {"oil": "lavender"}]), "oils.1.oil", "twice"),
    (
        "too many oils",
        with_(
            oils=[
                {"oil": s}
                for s in [
                    "lavender",
                    "peppermint",
                    "tea-tree",
                    "rosemary",
                    "frankincense",
                    "geranium",
                    "ginger",
                    "black-pepper",
                    "clary-sage",
                    "sweet-orange",
                    "lemon-distilled",
                    "roman-chamomile",
                    "german-chamomile",
                ]
            ]
        ),
        "oils",
        "between 1 and 12",
    ),
    ("no oils", with_(oils=[]), "oils", "between 1 and 12"),
    ("oils not a list", with_(oils="lavender"), "oils", 'must be a list, e.g. [{"oil": "lavender"'),
    ("oil item a string", with_(oils=["lavender"]), "oils.0", "must be an object"),
    ("parts zero", oil(oil="lavender", parts=0), "oils.0.parts", "more than 0"),
    ("parts negative", oil(oil="lavender", parts=-1), "oils.0.parts", "more than 0"),
    ("parts NaN", oil(oil="lavender", parts=math.nan), "oils.0.parts", "must be a finite number, e.g. 2"),
    ("parts infinite", oil(oil="lavender", parts=math.inf), "oils.0.parts", "must be a finite number"),
    ("parts a word", oil(oil="lavender", parts="two"), "oils.0.parts", "must be a number, e.g. 2"),
    ("parts absurd", oil(oil="lavender", parts=1e9), "oils.0.parts", "at most 1000"),
    ("amount unknown unit", with_(amount="30 blorbs"), "amount", "unknown unit"),
    ("amount wrong dimension", with_(amount="30 kg"), "amount", "not a volume"),
    ("amount without unit", with_(amount="30"), "amount", "needs a unit"),
    ("amount a number", with_(amount=30), "amount", "a number and a unit"),
    ("amount zero", with_(amount="0 mL"), "amount", "more than zero"),
    ("amount negative", with_(amount="-30 mL"), "amount", "positive"),
    ("amount NaN", with_(amount="NaN mL"), "amount", "could not read"),
    ("amount infinite", with_(amount="Infinity mL"), "amount", "could not read"),
    ("amount overflow", with_(amount="1e999 mL"), "amount", "too large"),
    ("amount absurd", with_(amount="25 L"), "amount", "20 L"),
    ("amount empty", with_(amount=""), "amount", "could not read"),
    ("dilution zero", with_(dilution="0%"), "dilution", "more than zero"),
    ("dilution negative", with_(dilution=-2), "dilution", "more than zero"),
    ("dilution 100", with_(dilution="100%"), "dilution", "under 100"),
    ("dilution word", with_(dilution="strong"), "dilution", "could not read"),
    ("dilution bool", with_(dilution=True), "dilution", "percent"),
    ("dilution drops per mass", with_(dilution="2 drops per kg"), "dilution", "not a volume"),
    ("dilution NaN", with_(dilution=math.nan), "dilution", "finite"),
    ("dilution huge integer", with_(dilution=10**400), "dilution", "too large"),
    ("parts huge integer", oil(oil="lavender", parts=10**400), "oils.0.parts", "too large"),
    ("use unknown", with_(use="neck"), "use", "must be one of"),
    ("amount_of unknown", with_(amount_of="bottle"), "amount_of", "must be one of"),
    ("on_limit unknown", with_(on_limit="ignore"), "on_limit", "must be one of"),
    ("profile a list", with_(profile=[]), "profile", "must be an object"),
    ("age negative", profile(age_years=-1), "profile.age_years", "must be from 0 to 130"),
    ("age absurd", profile(age_years=500), "profile.age_years", "must be from 0 to 130"),
    ("age a word", profile(age_years="old"), "profile.age_years", "must be a number, e.g. 70"),
    ("pregnant a word", profile(pregnant="maybe"), "profile.pregnant", "true or false"),
    ("pregnant a yes", profile(pregnant="yes"), "profile.pregnant", "true or false"),
    ("sun exposure a number", profile(sun_exposure=1), "profile.sun_exposure", "true or false"),
    ("skin unknown", profile(skin="oily"), "profile.skin", "must be one of"),
    ("conditions a string", profile(conditions="neuropathy"), "profile.conditions", "a list, each one of:"),
    ("condition unknown", profile(conditions=["flu"]), "profile.conditions.0", "must be one of"),
    ("allergy unknown", profile(allergies=["cats"]), "profile.allergies.0", "must be one of"),
    ("profile unknown field", profile(weight=80), "profile.weight", "the fields here are age_years, pregnant, skin"),
    ("drops_per_ml zero", with_(conventions={"drops_per_ml": 0}), "conventions.drops_per_ml", "must be from 5 to 100"),
    ("drops_per_ml absurd", with_(conventions={"drops_per_ml": 5000}), "conventions.drops_per_ml", "from 5 to 100"),
    ("teaspoon unknown", with_(conventions={"teaspoon": "imperial"}), "conventions.teaspoon", "must be one of"),
    ("deeply nested junk", with_(profile={"conditions": [[[[["x"]]]]]}), "profile.conditions.0", "a string, one of:"),
]


def flat(errors, prefix=""):
    out = {}
    for key, value in errors.items():
        path = prefix if key == "_schema" else f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            out.update(flat(value, path))
        else:
            out[path] = " ".join(map(str, value))
    return out


@pytest.mark.parametrize(("document", "path", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_malformed_request(document, path, fragment):
    with pytest.raises(Problem) as raised:
        calculate_document(document, shipped_oils())
    problem = raised.value.to_dict()
    assert 400 <= problem["status"] < 500
    assert problem["title"] == "Invalid request"
    assert problem["type"] == "/problems/invalid-request"
    errors = flat(problem["errors"])
    assert path in errors, errors
    assert fragment in errors[path]
    assert fragment in problem["detail"]
    json.dumps(problem, allow_nan=False)  # serialisable as strict JSON


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
FIELDS = ["carrier", "amount", "amount_of", "dilution", "oils", "use", "profile", "conventions", "on_limit"]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(FIELDS), json_values)
def test_any_value_in_any_field_is_answered_or_refused_never_crashes(field, value):
    document = with_(**{field: value})
    try:
        calculate_document(document, shipped_oils())
    except Problem as problem:
        assert 400 <= problem.status < 500
        json.dumps(problem.to_dict(), allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_any_document_is_answered_or_refused_never_crashes(document):
    try:
        calculate_document(document, shipped_oils())
    except Problem as problem:
        assert 400 <= problem.status < 500


NESTED = [("profile", f) for f in ("age_years", "pregnant", "skin", "conditions", "allergies", "sun_exposure")] + [
    ("conventions", "drops_per_ml"),
    ("conventions", "teaspoon"),
]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(NESTED), json_values, json_values)
def test_any_value_in_nested_fields_never_crashes(place, value, parts):
    section, field = place
    document = with_(**{section: {field: value}}, oils=[{"oil": "lavender", "parts": parts}])
    try:
        calculate_document(document, shipped_oils())
    except Problem as problem:
        assert 400 <= problem.status < 500
