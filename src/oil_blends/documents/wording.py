"""Plain words for people: field paths, contraindication and allergen codes (the command line uses them).

The JSON documents keep their codes and field paths; only text written for a person goes through here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

# A request field, as a person would name it.
FIELD_WORDS = {
    "body": "the request",
    "carrier": "carrier",
    "amount": "amount",
    "amount_of": "amount of",
    "dilution": "dilution",
    "oils": "essential oils",
    "use": "use",
    "on_limit": "on limit",
    "profile": "the person",
    "profile.age_years": "age",
    "profile.pregnant": "pregnant",
    "profile.skin": "skin",
    "profile.conditions": "conditions",
    "profile.allergies": "allergies",
    "profile.sun_exposure": "sun exposure",
    "conventions": "conventions",
    "conventions.drops_per_ml": "drop size",
    "conventions.teaspoon": "teaspoon",
}
# The same fields as the command-line flags that set them (calc and recipes without --request).
FIELD_FLAGS = {
    "carrier": "--carrier",
    "amount": "--amount",
    "amount_of": "--amount-of",
    "dilution": "--dilution",
    "oils": "--oil",
    "use": "--use",
    "on_limit": "--on-limit",
    "profile.age_years": "--age",
    "profile.pregnant": "--pregnant",
    "profile.skin": "--skin",
    "profile.conditions": "--condition",
    "profile.allergies": "--allergy",
    "profile.sun_exposure": "--sun / --no-sun",
    "conventions.drops_per_ml": "--drops-per-ml",
    "conventions.teaspoon": "--teaspoon",
}
_NUMBERED = {"oils": "oil number", "profile.conditions": "condition number", "profile.allergies": "allergy number"}
_ITEM_FIELDS = {"oil": "", "parts": "parts"}

CONTRAINDICATION_WORDS = {
    "pregnancy": "pregnancy",
    "child_never": "children under 18",
    "child_under_5": "children under 5",
    "child_under_30_months": "children under 30 months (2.5 years)",
    "child_under_2": "children under 2",
    "child_face_under_10": "on or near the face (chest and neck count) of children under 10",
    "damaged_skin": "damaged or broken skin (caution on sensitive skin)",
    "epilepsy": "epilepsy",
    "anticoagulants": "people taking blood thinners",
    "g6pd": "G6PD deficiency",
    "asthma": "asthma",
    "cardiac_fibrillation": "cardiac fibrillation",
}
ALLERGEN_WORDS = {
    "tree_nut": "tree nuts",
    "peanut": "peanut",
    "coconut": "coconut",
    "asteraceae": "daisy family (Asteraceae)",
    "salicylate": "salicylates (aspirin)",
}


def in_words(code: str, words: Mapping[str, str]) -> str:
    """A code in words; a code the table does not know yet reads as itself, with spaces."""
    return words.get(code) or str(code).replace("_", " ")


def _walk(errors: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    if isinstance(errors, Mapping):
        for key, value in errors.items():
            about_the_object = key == "_schema" or (key == "body" and not path)
            yield from _walk(value, path if about_the_object else (*path, str(key)))
    elif isinstance(errors, list | tuple):
        for item in errors:
            yield from _walk(item, path)
    else:
        yield path, str(errors)


def field_label(path: tuple[str, ...] | str, flags: bool = False) -> str:
    """``oils.0.parts`` -> "oil number 1, parts"; ``profile.age_years`` -> "age" (or "--age" with ``flags``)."""
    parts = tuple(path.split(".")) if isinstance(path, str) else tuple(path)
    if not parts:
        return FIELD_WORDS["body"]
    for size in (2, 1):
        head = ".".join(parts[:size])
        if len(parts) > size and head in _NUMBERED and parts[size].isdigit():
            label = f"{_NUMBERED[head]} {int(parts[size]) + 1}"
            rest = parts[size + 1 :]
            if not rest:
                return label
            field = _ITEM_FIELDS.get(rest[0], rest[0].replace("_", " "))
            return ", ".join(part for part in (label, field, *rest[1:]) if part)
    dotted = ".".join(parts)
    if flags and dotted in FIELD_FLAGS:
        return FIELD_FLAGS[dotted]
    if dotted in FIELD_WORDS:
        return FIELD_WORDS[dotted]
    return " ".join(part.replace("_", " ") for part in parts)


def error_lines(errors: Mapping, flags: bool = False) -> list[str]:
    """Each field error as "<field in words>: <what was wrong>"."""
    return [f"{field_label(path, flags)}: {message}" for path, message in _walk(errors)]
