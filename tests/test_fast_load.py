"""The compiled loaders (documents/fastload.py) against marshmallow's own ``Schema.load``.

Whatever document comes in, the fast way either steps aside or gives exactly what the schema gives: the same
engine request, field for field. Documents are generated around the request schemas, most of them wrong in
some way (missing, misspelt or extra keys, wrong types, values out of range, odd units), so both the accepting
and the refusing edges are crossed.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import Schema, ValidationError, fields, validate

from oil_blends.documents.fastload import _schema_loader, compile_loader
from oil_blends.documents.schemas import BlendRequestSchema, CheckRequestSchema
from oil_blends.engine.model import ALLERGIES, CONDITIONS, SKIN_TYPES, USES

anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=False),
    st.text(max_size=4),
    st.just([]),
    st.just({}),
)


def mostly(valid, *wrong):
    """A valid value nine times in ten, so that whole documents load often enough to compare the results."""
    return st.tuples(st.sampled_from(range(10)), valid, st.one_of(anything, *wrong)).map(
        lambda drawn: drawn[2] if drawn[0] == 0 else drawn[1]
    )


slugs = st.sampled_from(["sweet-almond", "jojoba", "lavender", "peppermint", "tea-tree", "frankincense", "coconut"])
bad_slugs = st.sampled_from(["", "x" * 101, "Lavender", "no-such-oil"])
numbers = st.one_of(st.integers(1, 200), st.floats(0.01, 500), st.sampled_from([0.5, 1.0, 2.0, 3]))
bad_numbers = st.sampled_from([0, -1, 1e-9, 1e400, 2001, float("inf")])
units = st.sampled_from(["mL", "ml", "tsp", "tbsp", "drops", "fl oz", "L", "cup", "dram", "oz"])
amounts = mostly(
    st.builds("{} {}".format, numbers, units),
    st.sampled_from(["0 mL", "-1 mL", "30", "thirty mL", " 30 mL ", "1e400 mL", "2 furlong", "0.001 drops"]),
)
dilutions = mostly(
    st.one_of(
        st.builds("{}%".format, st.floats(0.1, 5)),
        st.floats(0.1, 5),
        st.builds("{} drops/{}".format, st.integers(1, 6), st.sampled_from(["tsp", "tbsp", "fl oz", "mL"])),
    ),
    st.sampled_from(["0%", "101%", "x", "2 drops", 0, -1, 1e400]),
)


def keyword(choices: tuple[str, ...]):
    return mostly(st.sampled_from(choices), st.sampled_from(["", "MASSAGE", "other"]))


profiles = mostly(
    st.fixed_dictionaries(
        {},
        optional={
            "age_years": mostly(st.one_of(st.floats(0, 130), st.integers(0, 130), st.none()), bad_numbers),
            "pregnant": mostly(st.booleans(), st.just("yes")),
            "skin": keyword(SKIN_TYPES),
            "conditions": mostly(st.lists(keyword(CONDITIONS), max_size=3)),
            "allergies": mostly(st.lists(keyword(ALLERGIES), max_size=3)),
            "sun_exposure": mostly(st.one_of(st.booleans(), st.none())),
        },
    )
)
conventions = mostly(
    st.fixed_dictionaries(
        {},
        optional={
            "drops_per_ml": mostly(st.one_of(st.floats(5, 100), st.integers(5, 100), st.none()), bad_numbers),
            "teaspoon": keyword(("metric", "us")),
        },
    )
)


def oil_entries(amount_key: str, amount_values, required: bool):
    oil, share = {"oil": mostly(slugs, bad_slugs)}, {amount_key: amount_values}
    entry = st.fixed_dictionaries({**oil, **share}) if required else st.fixed_dictionaries(oil, optional=share)
    return mostly(st.lists(mostly(entry), min_size=1, max_size=4), st.lists(entry, min_size=5, max_size=6))


COMMON = {"use": keyword(USES), "profile": profiles, "conventions": conventions}


def requests(oils, **optional):
    """Request documents: now and then a required key left out, or a key the schema does not know."""
    body = st.fixed_dictionaries(
        {"carrier": mostly(slugs, bad_slugs), "amount": amounts, "oils": oils}, optional={**COMMON, **optional}
    )
    damage = st.sampled_from([None, None, None, None, None, None, "carrier", "amount", "oils", "+extra"])
    return st.builds(_damaged, body, damage)


def _damaged(document: dict, damage: str | None) -> dict:
    if damage == "+extra":
        return {**document, "extra": 1}
    return {key: value for key, value in document.items() if key != damage}


blend_requests = requests(
    oil_entries("parts", mostly(numbers, bad_numbers), required=False),
    amount_of=keyword(("blend", "carrier")),
    dilution=dilutions,
    on_limit=keyword(("reject", "cap")),
)
check_requests = requests(
    oil_entries("drops", mostly(st.integers(1, 100_000), st.just(2.5), st.integers(100_001, 10**6)), required=True)
)
SCHEMAS = {"blend": (BlendRequestSchema(), blend_requests), "check": (CheckRequestSchema(), check_requests)}


def schema_outcome(schema: Schema, document):
    try:
        return "loaded", schema.load(document)
    except ValidationError as error:
        return "refused", error.messages


@pytest.mark.parametrize("kind", SCHEMAS)
@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_fast_way_gives_what_the_schema_gives_or_steps_aside(kind, data):
    schema, documents = SCHEMAS[kind]
    fast = _schema_loader(schema)
    assert fast is not None  # the request schemas are ones it follows: the fast way is really taken
    document = data.draw(documents)
    expected = schema_outcome(schema, document)
    try:
        result = fast(document)
    except Exception:
        return  # stepped aside: compile_loader hands the document to the schema
    assert expected == ("loaded", result)


@pytest.mark.parametrize("kind", SCHEMAS)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_the_compiled_loader_answers_exactly_as_the_schema(kind, data):
    schema, documents = SCHEMAS[kind]
    document = data.draw(documents)
    load = compile_loader(schema)
    try:
        outcome = "loaded", load(document)
    except ValidationError as error:
        outcome = "refused", error.messages
    assert outcome == schema_outcome(schema, document)


VALID = {
    "blend": {
        "carrier": "sweet-almond",
        "amount": "4 fl oz",
        "dilution": "2 drops/tsp",
        "oils": [{"oil": "lavender", "parts": 2}, {"oil": "peppermint"}],
        "profile": {"age_years": 70, "conditions": ["neuropathy", "diabetes"], "sun_exposure": None},
        "conventions": {"drops_per_ml": 25, "teaspoon": "us"},
        "on_limit": "cap",
    },
    "check": {"carrier": "jojoba", "amount": "2 tbsp", "oils": [{"oil": "lavender", "drops": 12}]},
}


@pytest.mark.parametrize("kind", SCHEMAS)
def test_a_typical_request_takes_the_fast_way(kind):
    schema, _ = SCHEMAS[kind]
    assert _schema_loader(schema)(VALID[kind]) == schema.load(VALID[kind])


def test_a_schema_with_a_hook_it_does_not_follow_is_left_to_marshmallow():
    from marshmallow import fields, pre_load

    class Trimmed(Schema):
        name = fields.String()

        @pre_load
        def trim(self, data, **kwargs):
            return {key: value.strip() for key, value in data.items()}

    schema = Trimmed()
    assert _schema_loader(schema) is None
    assert compile_loader(schema) == schema.load
    assert compile_loader(schema)({"name": " x "}) == {"name": "x"}


class Plain(Schema):
    """Fields with no validator behind them, so that a shortcut's result is compared as it is."""

    text = fields.String()
    number = fields.Float()
    any_number = fields.Float(allow_nan=True)
    texts = fields.List(fields.String())
    numbers = fields.List(fields.Float(allow_none=True))


plain_values = st.one_of(
    anything,
    st.floats(),  # NaN and infinities too
    st.integers(),  # past float range too
    st.sampled_from([10**400, -(10**400), 2**1023, 1e300, True, False, b"bytes"]),
    st.text(),
)


@settings(max_examples=1500, deadline=None)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "text": plain_values,
            "number": plain_values,
            "any_number": plain_values,
            "texts": st.lists(plain_values, max_size=3),
            "numbers": st.lists(plain_values, max_size=3),
        },
    )
)
def test_the_shortcuts_for_common_inputs_give_the_fields_own_results(document):
    fast = _schema_loader(Plain())
    assert fast is not None
    expected = schema_outcome(Plain(), document)
    try:
        result = fast(document)
    except Exception:
        return
    assert expected[0] == "loaded"
    assert repr(result) == repr(expected[1])  # 1 and 1.0 differ here


class Bounded(Schema):
    """Fields whose validators the loader writes out as comparisons, each bound open and closed."""

    closed = fields.Float(validate=validate.Range(1, 10))
    open = fields.Float(validate=validate.Range(1, 10, min_inclusive=False, max_inclusive=False))
    floor = fields.Float(validate=validate.Range(min=1))
    below = fields.Integer(validate=validate.Range(max=10, max_inclusive=False))
    word = fields.String(validate=validate.Length(2, 4))
    exact = fields.String(validate=validate.Length(equal=3))
    short = fields.String(validate=validate.Length(max=2))
    choice = fields.String(validate=validate.OneOf(("a", "bc")))
    choices = fields.List(fields.String(validate=validate.OneOf(("a", "bc"))), validate=validate.Length(min=1, max=2))


edges = st.one_of(
    st.sampled_from([0, 1, 10, 11, 0.999999, 1.0, 1.000001, 9.999999, 10.0, 10.000001, -1e308, 1e308]),
    st.sampled_from([float("nan"), float("inf"), float("-inf"), True, None, "5"]),
    st.floats(0, 12),
    st.integers(-2, 12),
)
words = st.one_of(st.sampled_from(["", "a", "bc", "abc", "abcd", "abcde", "A", "b"]), st.text(max_size=5), edges)


@settings(max_examples=1500, deadline=None)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "closed": edges,
            "open": edges,
            "floor": edges,
            "below": edges,
            "word": words,
            "exact": words,
            "short": words,
            "choice": words,
            "choices": st.lists(words, max_size=3),
        },
    )
)
def test_the_written_out_validators_accept_exactly_what_marshmallows_accept(document):
    fast = _schema_loader(Bounded())
    assert fast is not None
    expected = schema_outcome(Bounded(), document)
    if expected[0] == "loaded":  # never stricter: a document the schema accepts does not step aside
        assert repr(fast(document)) == repr(expected[1])
    else:  # never laxer: a document the schema refuses never comes out of the fast way
        with pytest.raises(Exception):  # noqa: B017, PT011 - NotSure, or the field's own ValidationError
            fast(document)
