"""Finding a request's oils in the catalog, and the nearest slugs when one is not there."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

from oil_blends.engine.errors import InvalidBlend
from oil_blends.engine.model import MAX_OILS, Oil


def resolve_oils(
    carrier_slug: str, oil_slugs: Sequence[str], catalog: Mapping[str, Oil], *, measure: str = "parts"
) -> tuple[Oil, tuple[Oil, ...]]:
    """The carrier and the essential oils, or :class:`InvalidBlend` naming each bad field.

    ``measure`` is what a person adds up when an oil is listed twice ("parts", "drops").
    """
    errors: dict[str, Any] = {}
    carrier = catalog.get(carrier_slug)
    if carrier is None:
        errors["carrier"] = [_unknown(carrier_slug, catalog, "carrier")]
    elif carrier.kind != "carrier":
        errors["carrier"] = [
            f"{carrier.name} ({carrier.slug}) is an essential oil, not a carrier; carriers include "
            + ", ".join(_slugs_of(catalog, "carrier")[:6])
        ]
    if len(oil_slugs) > MAX_OILS:
        errors["oils"] = [f"at most {MAX_OILS} essential oils per blend, got {len(oil_slugs)}"]
        raise InvalidBlend(errors)
    oils: list[Oil] = []
    seen: dict[str, int] = {}
    oil_errors: dict[int, dict[str, list[str]]] = {}
    for index, slug in enumerate(oil_slugs):
        oil = catalog.get(slug)
        if oil is None:
            oil_errors[index] = {"oil": [_unknown(slug, catalog, "essential")]}
        elif oil.kind != "essential":
            oil_errors[index] = {
                "oil": [f'{oil.name} ({oil.slug}) is a carrier oil, not an essential oil; give it as "carrier"']
            }
        elif slug in seen:
            oil_errors[index] = {
                "oil": [
                    f"{oil.name} is listed twice (items {seen[slug]} and {index}); give it once and add the {measure}"
                ]
            }
        else:
            seen[slug] = index
            oils.append(oil)
    if oil_errors:
        errors["oils"] = oil_errors
    if errors or carrier is None:
        raise InvalidBlend(errors)
    return carrier, tuple(oils)


def _slugs_of(catalog: Mapping[str, Oil], kind: str) -> list[str]:
    return sorted(slug for slug, oil in catalog.items() if oil.kind == kind)


def suggest_slugs(text: str, catalog: Mapping[str, Oil], kind: str | None = None, limit: int = 3) -> list[str]:
    """The catalog slugs nearest to what was typed: containing matches first, then close spellings."""
    slugs = sorted(slug for slug, oil in catalog.items() if kind is None or oil.kind == kind)
    key = str(text).strip().lower().replace(" ", "-").replace("_", "-")
    containing = [slug for slug in slugs if key and (key in slug or slug in key)]
    close = difflib.get_close_matches(key, slugs, n=limit, cutoff=0.6)
    ordered = list(dict.fromkeys([*close[:1], *containing, *close]))
    return ordered[:limit]


def _unknown(slug: str, catalog: Mapping[str, Oil], kind: str) -> str:
    what = "carrier oil" if kind == "carrier" else "essential oil"
    suggestions = suggest_slugs(slug, catalog, kind)
    hint = f" Did you mean {', '.join(suggestions)}?" if suggestions else " See the catalog for the oils it holds."
    return f"unknown {what} {slug!r}.{hint}"
