"""The shipped data: the oil catalog (``data/oils.json``), the dilution rules (``data/rules.toml``) and the
source registry (``data/sources.toml``), read once and turned into engine objects."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

from oil_blends.engine.model import Oil
from oil_blends.engine.rules import RuleSet, parse_rules

ENGINE_FIELDS = (
    "slug",
    "name",
    "kind",
    "botanical_name",
    "variant",
    "drops_per_ml",
    "max_dermal_percent",
    "max_dermal_reason",
    "phototoxic_max_percent",
    "sensitizer",
    "oxidizes",
    "shelf_life_months",
    "contraindications",
    "cautions",
    "allergens",
    "comedogenic",
    "solid_below_c",
)
TUPLE_FIELDS = ("contraindications", "cautions", "allergens")


@lru_cache(maxsize=1)
def catalog_document() -> dict[str, Any]:
    """The shipped catalog file: ``{"sources": {...}, "oils": [...]}``."""
    text = resources.files("oil_blends.data").joinpath("oils.json").read_text(encoding="utf-8")
    return json.loads(text)


def oil_from_entry(entry: Mapping[str, Any]) -> Oil:
    """An engine :class:`Oil` from a catalog entry (a dict shaped like ``OilSchema``)."""
    values: dict[str, Any] = {name: entry.get(name) for name in ENGINE_FIELDS if name in entry}
    for name in TUPLE_FIELDS:
        values[name] = tuple(values.get(name) or ())
    for name in ("sensitizer", "oxidizes"):
        values[name] = bool(values.get(name))
    return Oil(**values)


def oils_by_slug(entries: Iterable[Mapping[str, Any]]) -> dict[str, Oil]:
    return {entry["slug"]: oil_from_entry(entry) for entry in entries}


@lru_cache(maxsize=1)
def shipped_oils() -> dict[str, Oil]:
    """The shipped catalog as engine oils, keyed by slug."""
    return oils_by_slug(catalog_document()["oils"])


@lru_cache(maxsize=1)
def rules_document() -> dict[str, Any]:
    """The shipped rules file, as a plain document."""
    text = resources.files("oil_blends.data").joinpath("rules.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    """The shipped dilution rules."""
    return parse_rules(rules_document())


SOURCE_FIELDS = ("title", "publisher", "url", "citation")


@lru_cache(maxsize=1)
def source_registry() -> dict[str, dict[str, str | None]]:
    """Every source key the catalog and the rules cite (``data/sources.toml``): title, publisher, url, citation."""
    text = resources.files("oil_blends.data").joinpath("sources.toml").read_text(encoding="utf-8")
    return {
        key: {name: entry.get(name) for name in SOURCE_FIELDS}
        for key, entry in sorted(tomllib.loads(text).items(), key=lambda item: item[0].lower())
    }


def source_citation(entry: Mapping[str, str | None]) -> str:
    """One line for people: title, publisher, and where to find it."""
    where = entry.get("url") or entry.get("citation") or ""
    return ". ".join(part for part in (entry.get("title"), entry.get("publisher"), where) if part)
