"""Standard JSON only: no NaN or Infinity, no key given twice in one object, no integer that cannot become a float,
no endless nesting.

Every JSON document the app reads goes through :func:`loads`: API bodies (calculations, checks, oil entries,
reviews, tokens), the command line's request files and ``import-oils``, so the same document gets the same answer
everywhere. It is the standard library's decoder with three refusals added, each a ``ValueError`` that says what was
wrong: a constant such as NaN, a key given twice (``{"age_years": 2, "age_years": 70}`` would otherwise be read as
70 without a word) and a lone surrogate escape (``"\\ud800"``, which no UTF-8 text can hold).
``tests/test_strict_json.py`` checks on generated bodies that whatever it reads, the standard library reads the same.
"""

from __future__ import annotations

import json
import re
from typing import Any

_FLOAT_DIGITS = 308  # an integer longer than this cannot become a float; decode it as one (inf)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")  # an escape of a UTF-16 surrogate, paired or not
# Arrays and objects inside each other at most this deep (an API document needs four). A fixed limit, so that
# whether a document is refused never depends on how deep the reader's caller already is in the stack.
MAX_NESTING = 100
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


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


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant, parse_int=_integer, object_pairs_hook=_unique_keys)


def loads(document: str | bytes) -> Any:
    """Decode a JSON document strictly (bytes in UTF-8, -16 or -32, a BOM allowed); any problem is a
    ``ValueError`` that says what was wrong."""
    if isinstance(document, bytes | bytearray):
        document = document.decode(json.detect_encoding(document))
    if _nesting(document) > MAX_NESTING:
        raise ValueError(f"the JSON is nested too deeply: at most {MAX_NESTING} arrays and objects inside each other")
    try:
        decoded = _DECODER.decode(document)
    except RecursionError:  # not reached within MAX_NESTING; kept so that a deeper stack is still a clear refusal
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


def _nesting(text: str) -> int:
    """How deep the document's arrays and objects go (brackets inside strings do not count); a document with
    fewer brackets than the limit is not looked at further."""
    if text.count("[") + text.count("{") <= MAX_NESTING:
        return 0
    depth = deepest = 0
    for bracket in _NOT_BRACKET.sub("", _STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest
