"""Every input schema's errors say what was wrong and what is taken, in the contract's words, never marshmallow's
bare "Not a valid number." or "Unknown field."."""

from __future__ import annotations

import inspect

import pytest
from marshmallow import fields, validate
from marshmallow.exceptions import ValidationError

from oil_blends.api.tokens import TokenRequestSchema
from oil_blends.documents import schemas
from oil_blends.documents.schemas import Document

MARSHMALLOW_WORDS = (
    "Not a valid",
    "Unknown field.",
    "Field may not be null.",
    "Missing data for required field.",
    "Special numeric values",
    "Number too large.",
    "Must be greater than",
    "Must be less than",
    "Length must be",
    "Shorter than",
    "Longer than",
)
SCHEMAS = [
    cls
    for _, cls in inspect.getmembers(schemas, inspect.isclass)
    if issubclass(cls, Document) and cls is not Document and cls.__module__ == schemas.__name__
] + [TokenRequestSchema]


def every_field(schema):
    for field in schema.load_fields.values():
        yield field
        if isinstance(field, fields.List):
            yield field.inner
        if isinstance(field, fields.Nested):
            yield from every_field(field.schema)


def made(field, key):
    """The message ``field`` gives for ``key``, made as marshmallow makes it (formatted with the field's values)."""
    with pytest.raises(ValidationError) as raised:
        raise field.make_error(
            key, input="x", obj_type="datetime", type="str", awareness="naive"
        )  # marshmallow passes them
    return " ".join(raised.value.messages)


@pytest.mark.parametrize("schema_class", SCHEMAS, ids=lambda cls: cls.__name__)
def test_every_message_is_worded_and_can_be_made(schema_class):
    schema = schema_class()
    for field in every_field(schema):
        for key in field.error_messages:
            message = made(field, key)  # a message with a brace marshmallow cannot format would raise KeyError
            assert not message.startswith(MARSHMALLOW_WORDS), (schema_class.__name__, field.name, key, message)
        for validator in field.validators:
            if isinstance(validator, validate.Length):
                with pytest.raises(ValidationError) as raised:
                    validator("x" * (validator.max + 1) if validator.max is not None else "")
                assert not raised.value.messages[0].startswith(MARSHMALLOW_WORDS), raised.value.messages
            if isinstance(validator, validate.Range):
                with pytest.raises(ValidationError) as raised:
                    validator(validator.min - 1 if validator.min is not None else validator.max + 1)
                assert not raised.value.messages[0].startswith(MARSHMALLOW_WORDS), raised.value.messages
    assert not schema.error_messages["unknown"].startswith(MARSHMALLOW_WORDS)


def test_an_unknown_field_is_answered_with_the_fields_there_are():
    errors = schemas.ProfileSchema().validate({"weight": 80})
    assert errors == {
        "weight": ["unknown field; the fields here are age_years, pregnant, skin, conditions, allergies, sun_exposure"]
    }


@pytest.mark.parametrize(
    ("document", "words"),
    [
        ({"age_years": "old"}, {"age_years": ["must be a number, e.g. 70"]}),
        ({"age_years": 131}, {"age_years": ["must be from 0 to 130"]}),
        ({"skin": 3}, {"skin": ["must be a string, one of: normal, sensitive, damaged"]}),
        (
            {"conditions": "diabetes"},
            {
                "conditions": [
                    "must be a list, each one of: neuropathy, diabetes, epilepsy, anticoagulants, g6pd, asthma, "
                    "cardiac_fibrillation"
                ]
            },
        ),
        ({"skin": None}, {"skin": ["must not be null; leave the field out for its default"]}),
    ],
)
def test_a_wrong_value_is_answered_with_what_the_field_takes(document, words):
    assert schemas.ProfileSchema().validate(document) == words


def test_a_range_that_excludes_its_bound_says_so():
    assert schemas._range_words(validate.Range(min=0, max=100, min_inclusive=False)) == (
        "must be more than 0 and at most 100"
    )


def test_a_length_says_what_it_counts():
    errors = schemas.OilSchema().validate({"name": "x" * 101, "sources": []})
    assert errors["name"] == ["must be 1 to 100 characters long"]
    assert errors["sources"] == ["must hold at least 1 item"]
