"""Standard JSON only: no NaN or Infinity, no integer that cannot become a float, no endless nesting.

Both the API and the command line read request documents with it, so the same body gets the same answer.
"""

from __future__ import annotations

import json
from typing import Any

_FLOAT_DIGITS = 308  # an integer longer than this cannot become a float; decode it as one (inf)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number; send finite numbers only")


def _integer(text: str) -> int | float:
    return int(text) if len(text) <= _FLOAT_DIGITS else float(text)


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant, parse_int=_integer)


def loads(document: str | bytes) -> Any:
    """Decode a JSON document strictly; any problem is a ``ValueError`` that says what was wrong."""
    if isinstance(document, bytes | bytearray):
        document = document.decode(json.detect_encoding(document))
    try:
        return _DECODER.decode(document)
    except RecursionError:
        raise ValueError("the JSON is nested too deeply") from None
