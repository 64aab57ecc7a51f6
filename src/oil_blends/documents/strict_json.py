"""Standard JSON only: no NaN or Infinity, no integer that cannot become a float, no endless nesting.

Both the API and the command line read request documents with it, so the same body gets the same answer.

A body is read by orjson when orjson's reading is certain to equal the standard library's: no run of 19 or more
digits (orjson reads an integer past 64 bits as a float, the standard decoder keeps it whole) and little
nesting (the standard decoder's depth limit depends on the stack it is called from). Anything orjson refuses
goes to the standard decoder, whose error message is the one the user sees; a lone surrogate escape (``"\\ud800"``,
which orjson refuses and the standard decoder keeps) is refused too, since no UTF-8 text can hold it.
``tests/test_strict_json.py`` checks on generated bodies that both readings agree.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

_FLOAT_DIGITS = 308  # an integer longer than this cannot become a float; decode it as one (inf)
_LONG_DIGITS = re.compile(rb"\d{19}")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")  # an escape of a UTF-16 surrogate, paired or not
_MOST_OPENINGS = 100  # brackets and braces: far more than any request, far fewer than either decoder's limit


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number; send finite numbers only")


def _integer(text: str) -> int | float:
    return int(text) if len(text) <= _FLOAT_DIGITS else float(text)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose keys are all different: of two values for one key, neither is silently dropped."""
    document = dict(pairs)
    if len(document) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"the key {key!r} is given twice in one object; give each key once")
            seen.add(key)
    return document


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant, parse_int=_integer)
_UNIQUE_KEYS_DECODER = json.JSONDecoder(
    parse_constant=_refuse_constant, parse_int=_integer, object_pairs_hook=_unique_keys
)


def loads(document: str | bytes, *, unique_keys: bool = False) -> Any:
    """Decode a JSON document strictly; any problem is a ``ValueError`` that says what was wrong. ``unique_keys``
    refuses an object that gives a key twice (by the standard decoder: orjson keeps the last value unseen)."""
    if unique_keys:
        return standard_loads(document, _UNIQUE_KEYS_DECODER)
    if (
        isinstance(document, bytes)
        and _LONG_DIGITS.search(document) is None
        and document.count(b"[") + document.count(b"{") <= _MOST_OPENINGS
    ):
        try:
            return orjson.loads(document)
        except orjson.JSONDecodeError:
            pass  # refused: the standard decoder says why in its own words (or reads a UTF-16 or UTF-32 body)
    return standard_loads(document)


def standard_loads(document: str | bytes, decoder: json.JSONDecoder = _DECODER) -> Any:
    """:func:`loads` by the standard library's decoder alone."""
    if isinstance(document, bytes | bytearray):
        document = document.decode(json.detect_encoding(document))
    try:
        decoded = decoder.decode(document)
    except RecursionError:
        raise ValueError("the JSON is nested too deeply") from None
    if _SURROGATE_ESCAPE.search(document) and not _encodable(decoded):
        raise ValueError(
            "a string holds a lone surrogate escape such as \\ud800, which is no character: send text as UTF-8"
        )
    return decoded


def _encodable(decoded: Any) -> bool:
    """Whether every string of a decoded document, keys included, can be written as UTF-8."""
    try:
        json.dumps(decoded, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return False
    return True
