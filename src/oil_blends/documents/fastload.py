"""A quicker way through a marshmallow schema for the documents it accepts, compiled from the schema itself.

Most of a ``Schema.load`` is marshmallow's own bookkeeping (an error store, a getter closure and a validator
chain built per field, hook look-ups), not the fields' rules. :func:`compile_loader` walks a schema's load
fields once and builds a function that does, for each field, what ``Field.deserialize`` does (the field's own
``_deserialize``, then its own validators, or its load default when the key is absent), nested schemas and
lists alike, then runs the schema's own ``validates_schema`` and ``post_load`` hooks. It holds no rule of its
own: every check and every conversion is the schema's.

Only a document the fast way is sure of comes out of it. Anything else (a missing required field, a value a
validator refuses, an unknown key, a field or hook kind it does not know) ends the fast way and the document
goes through ``schema.load``, so every error and its wording is marshmallow's. ``tests/test_fast_load.py``
checks on generated documents, valid and not, that both ways give equal results.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import RAISE, Schema, fields
from marshmallow.decorators import POST_LOAD, PRE_LOAD, VALIDATES, VALIDATES_SCHEMA
from marshmallow.utils import missing

FieldLoader = Callable[[Any, Any], Any]  # (raw value or ``missing``, the document it came from) -> value


class _NotSure(Exception):
    """The fast way cannot settle this document: the schema must judge it."""


def compile_loader(schema: Schema) -> Callable[[Any], Any]:
    """``schema.load``, quicker for the documents the schema accepts, with the same result for every document."""
    fast = _schema_loader(schema)
    if fast is None:
        return schema.load

    def load(document: Any) -> Any:
        try:
            return fast(document)
        except Exception:  # not sure, or refused: the schema judges it and says what is wrong
            return schema.load(document)

    return load


def _schema_loader(schema: Schema, unknown: str | None = None) -> Callable[[Any], Any] | None:
    """A function loading one document as ``schema.load`` does when it succeeds, or None if the schema uses a
    feature this module does not follow."""
    hooks = schema._hooks
    if schema.many or schema.partial or (unknown or schema.unknown) != RAISE:
        return None
    if hooks[PRE_LOAD] or hooks[VALIDATES]:
        return None
    schema_validators: list[Callable[..., Any]] = []
    post_loads: list[Callable[..., Any]] = []
    for tag, kept in ((VALIDATES_SCHEMA, schema_validators), (POST_LOAD, post_loads)):
        for name, many, options in hooks[tag]:
            if many or options.get("pass_original"):
                return None
            kept.append(getattr(schema, name))
    plan = []
    for attribute, field in schema.load_fields.items():
        key = field.data_key if field.data_key is not None else attribute
        target = field.attribute or attribute
        loader = _field_loader(field, key)
        if loader is None or "." in target:
            return None
        plan.append((key, target, loader))
    known = frozenset(key for key, _, _ in plan)
    make_dict = schema.dict_class
    options = {"many": False, "partial": None, "unknown": unknown or schema.unknown}

    def load(document: Any) -> Any:
        if type(document) is not dict or not known.issuperset(document):
            raise _NotSure
        result = make_dict()
        for key, target, loader in plan:
            value = loader(document.get(key, missing), document)
            if value is not missing:
                result[target] = value
        for validator in schema_validators:  # each raises ValidationError, or returns False, when it refuses
            if validator(result, **options) is False:
                raise _NotSure
        for post_load in post_loads:
            result = post_load(result, **options)
        return result

    return load


def _field_loader(field: fields.Field, key: str | None) -> FieldLoader | None:
    """What ``field.deserialize`` returns for a value it accepts, or None for a field kind not followed here."""
    kind = type(field)
    if field.pre_load or field.post_load or kind.deserialize is not fields.Field.deserialize:
        return None
    if kind._validate is not fields.Field._validate or kind._validate_missing is not fields.Field._validate_missing:
        return None
    if isinstance(field, fields.Nested):
        if field.many or not isinstance(field.schema, Schema):
            return None
        inner = _schema_loader(field.schema, field.unknown)
        if inner is None:
            return None

        def convert(raw: Any, document: Any) -> Any:
            return inner(raw)

    elif isinstance(field, fields.List):
        item = _field_loader(field.inner, None)
        if item is None:
            return None

        def convert(raw: Any, document: Any) -> Any:
            if type(raw) is not list:
                raise _NotSure
            return [item(each, None) for each in raw]

    else:
        deserialize = field._deserialize

        def convert(raw: Any, document: Any) -> Any:
            return deserialize(raw, key, document)

    validators = tuple(field.validators)
    required, allow_none, default = field.required, field.allow_none, field.load_default

    def load(raw: Any, document: Any) -> Any:
        if raw is missing:
            if required:
                raise _NotSure
            return default() if callable(default) else default
        if raw is None:
            if allow_none:
                return None
            raise _NotSure
        value = convert(raw, document)
        for validator in validators:
            if validator(value) is False:
                raise _NotSure
        return value

    return load
