"""The strict JSON reader (documents/strict_json.py): what it reads, the standard library reads the same; what it
refuses on top (NaN, a key given twice, a lone surrogate) it refuses saying why."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oil_blends.documents import strict_json

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),  # past 64 bits too
    st.integers(-(2**63), 2**64),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)
# Bytes a client could send: valid JSON, JSON with a piece cut out or put in, and odd spellings of numbers
pieces = st.sampled_from(
    [
        b"NaN",
        b"Infinity",
        b"-Infinity",
        b"1e400",
        b"-0",
        b"0123",
        b"1.",
        b".5",
        b"\xff",
        b"\x00",
        b'"\\ud800"',
        b"\t",
        b"\x0b",
        b"\xef\xbb\xbf",
        b"12345678901234567890",
        b"[",
        b"}",
        b",",
        b'"a":1',
        b"\n",
        b"1E2",
        b"-0.0",
    ]
)


def mutated(document: bytes, at: int, piece: bytes, cut: int) -> bytes:
    at = at % (len(document) + 1)
    return document[:at] + piece + document[at + cut :]


bodies = st.one_of(
    values.map(lambda value: json.dumps(value).encode()),
    values.map(lambda value: json.dumps(value, ensure_ascii=False).encode()),
    st.builds(
        mutated, values.map(lambda value: json.dumps(value).encode()), st.integers(0, 200), pieces, st.integers(0, 3)
    ),
    st.binary(max_size=30),
)


def outcome(read, body: bytes):
    try:
        return "read", read(body)
    except ValueError as error:
        return "refused", str(error)


def same(left, right) -> bool:
    """Equal values of equal types all the way down (1 and 1.0 differ; -0.0 and 0.0 too)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return list(left) == list(right) and all(same(left[key], right[key]) for key in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(same(a, b) for a, b in zip(left, right, strict=True))
    if isinstance(left, float):
        return left == right and math.copysign(1, left) == math.copysign(1, right)
    return left == right


def standard_reading(body: bytes):
    """The standard library's own reading of a body, its errors as :func:`outcome` gives them."""
    try:
        text = body.decode(json.detect_encoding(body))
        return "read", json.loads(text)
    except (ValueError, RecursionError) as error:
        return "refused", str(error)


REFUSED_ON_TOP = ("is not a JSON number", "is given twice in one object", "lone surrogate escape", "nested too deeply")


@settings(max_examples=3000, deadline=None)
@given(bodies)
def test_what_the_strict_reading_reads_the_standard_one_reads_the_same(body):
    strict, standard = outcome(strict_json.loads, body), standard_reading(body)
    if strict[0] == "read":
        assert standard[0] == "read" and same(strict[1], standard[1])
    else:  # the standard decoder's words, or one of the strict reading's own rules (met first, or added)
        assert strict[1] == standard[1] or any(rule in strict[1] for rule in REFUSED_ON_TOP), strict[1]


@pytest.mark.parametrize(
    ("body", "key"),
    [
        (b'{"profile": {"age_years": 2, "age_years": 70}}', "age_years"),
        (b'{"oils": [{"oil": "lavender", "parts": 1, "oil": "clove-bud"}]}', "oil"),
        (b'{"a": 1, "b": 2, "a": 1}', "a"),  # even with the same value
        ('{"dilution": "1%", "dilution": "5%"}'.encode("utf-16"), "dilution"),
    ],
)
def test_a_key_given_twice_in_one_object_is_refused(body, key):
    with pytest.raises(ValueError, match=f"the key '{key}' is given twice in one object; give each key once"):
        strict_json.loads(body)


def test_the_same_key_in_different_objects_is_read():
    body = b'{"oils": [{"oil": "lavender", "parts": 2}, {"oil": "peppermint", "parts": 1}], "oil": "x"}'
    assert strict_json.loads(body)["oils"][1] == {"oil": "peppermint", "parts": 1}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"n": 123456789012345678901234567890}', {"n": 123456789012345678901234567890}),
        (b'{"n": -9223372036854775809}', {"n": -9223372036854775809}),
        (b'{"amount": "30 mL", "parts": 2}', {"amount": "30 mL", "parts": 2}),
        ('{"a": 1}'.encode("utf-16"), {"a": 1}),
    ],
)
def test_big_integers_stay_whole_and_other_encodings_are_read(body, expected):
    assert same(strict_json.loads(body), expected)


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b"NaN", "NaN is not a JSON number; send finite numbers only"),
        (b'{"a": -Infinity}', "-Infinity is not a JSON number"),
        (b"[" * 5000 + b"]" * 5000, "the JSON is nested too deeply"),
        (b'{"a": 1', "Expecting ',' delimiter: line 1 column 8 (char 7)"),
        (b"\xff", "'utf-8' codec can't decode byte 0xff"),
    ],
)
def test_what_is_not_standard_json_is_refused_saying_why(body, said):
    with pytest.raises(ValueError) as refused:
        strict_json.loads(body)
    assert said in str(refused.value)


@pytest.mark.parametrize("body", [b'{"\\ud800": 1}', b'["a\\uDC00"]', b'{"a": {"b": ["\\ud83d"]}}', '"\\ud800"'])
def test_a_lone_surrogate_escape_is_refused(body):
    with pytest.raises(ValueError, match="lone surrogate escape"):
        strict_json.loads(body)


def test_a_surrogate_pair_is_one_character():
    assert strict_json.loads(b'{"note": "\\ud83d\\ude00", "\\\\ud800": "\\\\udfff"}') == {
        "note": "\U0001f600",
        "\\ud800": "\\udfff",  # escaped backslashes: plain text
    }


def _read_from_depth(frames: int, body: bytes):
    """``strict_json.loads(body)`` called ``frames`` calls deep: what it says, refused or read."""
    if frames:
        return _read_from_depth(frames - 1, body)
    try:
        return strict_json.loads(body)
    except ValueError as refused:
        return str(refused)


@pytest.mark.parametrize(
    "body",
    [
        b"[" * strict_json.MAX_NESTING + b"]" * strict_json.MAX_NESTING,
        b"[" * (strict_json.MAX_NESTING + 1) + b"]" * (strict_json.MAX_NESTING + 1),
        b"[" * 972 + b'"\\ud83d\\ude00"' + b"]" * 972,  # a pair inside: was read, then failed when checked (a 500)
        b'{"a": "' + b"[" * 5000 + b'"}',  # brackets inside a string do not nest
    ],
    ids=["at the limit", "one deeper", "deep around a surrogate pair", "brackets in a string"],
)
def test_how_deep_a_document_may_nest_does_not_depend_on_the_callers_stack(body):
    answers = [_read_from_depth(frames, body) for frames in (0, 300, 700)]
    assert answers[0] == answers[1] == answers[2]
    depth = body.count(b"[") if b'"a"' not in body else 0
    if depth > strict_json.MAX_NESTING:
        assert answers[0] == "the JSON is nested too deeply: at most 100 arrays and objects inside each other"
    else:
        assert not isinstance(answers[0], str)
