"""A quicker way through a marshmallow schema for the documents it accepts, generated from the schema itself.

Most of a ``Schema.load`` is marshmallow's own bookkeeping (an error store, a getter closure and a validator
chain built per field, hook look-ups), not the fields' rules. :func:`compile_loader` walks a schema's load
fields once and writes the source of one function per schema that does, for each field, what
``Field.deserialize`` does (the field's own ``_deserialize``, then its own validators, or its load default when
the key is absent), nested schemas and lists alike, then runs the schema's own ``validates_schema`` and
``post_load`` hooks; marshmallow's range, length and choice validators are written out as the comparisons they
make. The generated code names the schema's own field methods, validators and hooks: it holds
no rule of its own, only the order in which marshmallow applies them, written out so that a request runs
one function per document instead of two closures per field.

Only a document the fast way is sure of comes out of it. Anything else (a missing required field, a value a
validator refuses, an unknown key, a field or hook kind it does not know) ends the fast way and the document
goes through ``schema.load``, so every error and its wording is marshmallow's. ``tests/test_fast_load.py``
checks on generated documents, valid and not, that both ways give equal results.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from marshmallow import RAISE, Schema, fields, validate
from marshmallow.decorators import POST_LOAD, PRE_LOAD, VALIDATES, VALIDATES_SCHEMA
from marshmallow.utils import missing

_NOT_IN_NAMES = re.compile(r"\W")


# What ``_deserialize`` returns for the commonest input of two marshmallow fields, without its calls: a ``str`` is
# returned as it is by fields.String (``str(value)``); a finite float is returned as it is, and an int well inside
# float range as ``float(value)``, by fields.Float (``float(value)``, then the check for NaN and infinities). Any
# other input goes through the field's own method; tests/test_fast_load.py checks the results are the schema's.
_SHORTCUTS: dict[type, tuple[str, ...]] = {
    fields.String: ("if type({raw}) is str:", "    value = {raw}"),
    fields.Float: (
        "if type({raw}) is float and {raw} - {raw} == 0.0:",
        "    value = {raw}",
        "elif type({raw}) is int and -1e300 < {raw} < 1e300:",
        "    value = float({raw})",
    ),
}


class _NotSure(Exception):
    """The fast way cannot settle this document: the schema must judge it."""


class _Unfollowed(Exception):
    """The schema uses a feature this module does not follow: it is left to marshmallow."""


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


def _schema_loader(schema: Schema) -> Callable[[Any], Any] | None:
    """A function loading one document as ``schema.load`` does when it succeeds, or None if the schema uses a
    feature this module does not follow."""
    writer = _Writer()
    try:
        name = writer.schema_function(schema)
    except _Unfollowed:
        return None
    return writer.compile(name)


class _Writer:
    """Writes the loader functions' source, and keeps the objects (fields' methods, validators, hooks) it names."""

    def __init__(self) -> None:
        self.namespace: dict[str, Any] = {"NotSure": _NotSure, "missing": missing}
        self.functions: list[str] = []

    def compile(self, name: str) -> Callable[[Any], Any]:
        source = "\n\n".join(self.functions)
        exec(compile(source, f"<fast loader {name}>", "exec"), self.namespace)  # noqa: S102 - our own source
        return self.namespace[name]

    def refer(self, value: Any, hint: str) -> str:
        """A name in the generated code for ``value``."""
        name = f"{_NOT_IN_NAMES.sub('_', hint)}_{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def schema_function(self, schema: Schema, unknown: str | None = None) -> str:
        """Write the loader of one (possibly nested) schema; returns its function's name."""
        hooks = schema._hooks
        if schema.many or schema.partial or (unknown or schema.unknown) != RAISE:
            raise _Unfollowed
        if hooks[PRE_LOAD] or hooks[VALIDATES]:
            raise _Unfollowed
        function = self.refer(None, f"load_{type(schema).__name__}")
        options = self.refer({"many": False, "partial": None, "unknown": unknown or schema.unknown}, "options")
        body: list[str] = []
        keys = []
        for attribute, field in schema.load_fields.items():
            key = field.data_key if field.data_key is not None else attribute
            target = field.attribute or attribute
            if "." in target:
                raise _Unfollowed
            keys.append(key)
            body += self.field_lines(field, key, "document", target)
        known = self.refer(frozenset(keys), "known")
        lines = [
            f"def {function}(document):",
            f"    if type(document) is not dict or not {known}.issuperset(document):",
            "        raise NotSure",
            f"    result = {self.refer(schema.dict_class, 'dict_class')}()",
            *("    " + line for line in body),
        ]
        for tag in (VALIDATES_SCHEMA, POST_LOAD):
            for hook_name, many, hook_options in hooks[tag]:
                if many or hook_options.get("pass_original"):
                    raise _Unfollowed
                hook = self.refer(getattr(schema, hook_name), hook_name)
                if tag == VALIDATES_SCHEMA:  # each raises ValidationError, or returns False, when it refuses
                    lines += [f"    if {hook}(result, **{options}) is False:", "        raise NotSure"]
                else:
                    lines.append(f"    result = {hook}(result, **{options})")
        lines.append("    return result")
        self.functions.append("\n".join(lines))
        return function

    def field_lines(self, field: fields.Field, key: str, document: str, target: str) -> list[str]:
        """Lines that set ``result[target]`` from ``document[key]`` as ``field.deserialize`` would."""
        self.check_followed(field)
        default = field.load_default
        lines = [f"raw = {document}.get({key!r}, missing)", "if raw is missing:"]
        if field.required:
            lines.append("    raise NotSure")
        elif default is missing:
            lines.append("    pass")
        elif callable(default):
            lines.append(f"    result[{target!r}] = {self.refer(default, 'default')}()")
        else:
            lines.append(f"    result[{target!r}] = {self.refer(default, 'default')}")
        lines.append("elif raw is None:")
        lines.append(f"    result[{target!r}] = None" if field.allow_none else "    raise NotSure")
        lines.append("else:")
        lines += ["    " + line for line in self.value_lines(field, "raw", key, document, depth=0)]
        lines.append(f"    result[{target!r}] = value")
        return lines

    def value_lines(self, field: fields.Field, raw: str, key: str | None, document: str, depth: int) -> list[str]:
        """Lines that set ``value`` from ``raw`` (neither missing nor None): the conversion, then the validators."""
        if isinstance(field, fields.Nested):
            if field.many or not isinstance(field.schema, Schema):
                raise _Unfollowed
            lines = [f"value = {self.schema_function(field.schema, field.unknown)}({raw})"]
        elif isinstance(field, fields.List):
            inner = field.inner
            self.check_followed(inner)
            items, each = f"items_{depth}", f"each_{depth}"
            lines = [f"if type({raw}) is not list:", "    raise NotSure", f"{items} = []", f"for {each} in {raw}:"]
            if inner.allow_none:
                lines += [f"    if {each} is None:", f"        {items}.append(None)", "        continue"]
            else:
                lines += [f"    if {each} is None:", "        raise NotSure"]
            lines += ["    " + line for line in self.value_lines(inner, each, None, "None", depth + 1)]
            lines += [f"    {items}.append(value)", f"value = {items}"]
        else:
            deserialize = self.refer(field._deserialize, f"deserialize_{key or 'item'}")
            lines = [f"value = {deserialize}({raw}, {key!r}, {document})"]
            shortcut = _SHORTCUTS.get(type(field))
            if shortcut is not None:  # the commonest input, whose result is known, skips the field's method calls
                lines = [*(line.format(raw=raw) for line in shortcut), "else:", "    " + lines[0]]
        for validator in field.validators:
            lines += self.validator_lines(validator)
        return lines

    def validator_lines(self, validator: Callable[[Any], Any]) -> list[str]:
        """Lines that end the fast way unless ``validator`` accepts ``value``. marshmallow's range, length and
        choice validators are written out as the comparisons they make, only ever accepting what they accept (a
        value that is not clearly inside, NaN say, steps aside and the validator itself judges it); any other
        validator is called."""
        kind = type(validator)
        if kind is validate.Range:
            assert isinstance(validator, validate.Range)
            above = ">=" if validator.min_inclusive else ">"
            below = "<=" if validator.max_inclusive else "<"
            tests = self.bound_tests("value", validator.min, above, validator.max, below)
        elif kind is validate.Length:
            assert isinstance(validator, validate.Length)
            if validator.equal is not None:
                tests = [f"len(value) == {self.refer(validator.equal, 'length')}"]
            else:
                tests = self.bound_tests("len(value)", validator.min, ">=", validator.max, "<=")
        elif kind is validate.OneOf:
            assert isinstance(validator, validate.OneOf)
            tests = [f"value in {self.refer(validator.choices, 'choices')}"]
        else:
            return [f"if {self.refer(validator, 'validate')}(value) is False:", "    raise NotSure"]
        return [f"if not ({' and '.join(tests)}):", "    raise NotSure"] if tests else []

    def bound_tests(self, subject: str, low: Any, above: str, high: Any, below: str) -> list[str]:
        """The comparisons of ``subject`` with each bound that is set (``above`` low, ``below`` high)."""
        tests = [f"{subject} {above} {self.refer(low, 'low')}"] if low is not None else []
        if high is not None:
            tests.append(f"{subject} {below} {self.refer(high, 'high')}")
        return tests

    @staticmethod
    def check_followed(field: fields.Field) -> None:
        """Refuse a field whose kind changes how ``deserialize`` works (hooks, its own validation steps)."""
        kind = type(field)
        if field.pre_load or field.post_load or kind.deserialize is not fields.Field.deserialize:
            raise _Unfollowed
        if kind._validate is not fields.Field._validate or kind._validate_missing is not fields.Field._validate_missing:
            raise _Unfollowed
