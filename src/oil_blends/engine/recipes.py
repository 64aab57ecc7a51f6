"""Shipped recipes (``blends/*.toml``): reading them and turning them into calculation requests."""

from __future__ import annotations

import os
import re
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RECIPE_KEYS = {"name", "description", "carrier", "amount", "dilution", "use", "profile", "tags", "oils", "amount_of"}
REQUIRED_KEYS = ("name", "carrier", "amount", "oils")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class RecipeError(ValueError):
    """A recipe file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Recipe:
    slug: str
    name: str
    carrier: str
    amount: str
    oils: tuple[dict[str, Any], ...]
    description: str = ""
    dilution: str | float | None = None
    use: str = "massage"
    amount_of: str = "blend"
    profile: Mapping[str, Any] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    path: str = ""

    def summary(self) -> dict[str, Any]:
        """The recipe as it is written (its base batch), as a plain document."""
        return {
            "slug": self.slug, "name": self.name, "description": self.description,
            "carrier": self.carrier, "amount": self.amount, "amount_of": self.amount_of,
            "dilution": self.dilution, "use": self.use, "profile": dict(self.profile),
            "tags": list(self.tags), "oils": [dict(item) for item in self.oils],
        }

    def request_document(
        self,
        amount: str | None = None,
        profile: Mapping[str, Any] | None = None,
        conventions: Mapping[str, Any] | None = None,
        on_limit: str | None = None,
        amount_of: str | None = None,
    ) -> dict[str, Any]:
        """The calculation request for this recipe, scaled to ``amount`` and for another person if given."""
        document: dict[str, Any] = {
            "carrier": self.carrier,
            "amount": amount if amount is not None else self.amount,
            "amount_of": amount_of or self.amount_of,
            "oils": [dict(item) for item in self.oils],
            "use": self.use,
            "profile": dict(profile if profile is not None else self.profile),
        }
        if self.dilution is not None:
            document["dilution"] = self.dilution
        if conventions:
            document["conventions"] = dict(conventions)
        if on_limit:
            document["on_limit"] = on_limit
        return document


def default_recipes_dir() -> Path:
    """``$OIL_BLENDS_RECIPES_DIR``; else ``blends/`` beside the source tree (a checkout or an editable
    install), else the copy a regular install puts in ``<prefix>/share/oil-blends/blends``."""
    configured = os.environ.get("OIL_BLENDS_RECIPES_DIR")
    if configured:
        return Path(configured)
    source_tree = Path(__file__).resolve().parents[3] / "blends"
    installed = Path(sys.prefix) / "share" / "oil-blends" / "blends"
    return source_tree if source_tree.is_dir() or not installed.is_dir() else installed


def parse_recipe(slug: str, document: Mapping[str, Any], path: str = "") -> Recipe:
    """Check a recipe's structure (names, types); the calculation checks the rest."""
    where = path or slug
    if not _SLUG.match(slug):
        raise RecipeError(f"{where}: the file name must be a slug (lowercase words joined by hyphens)")
    unknown = set(document) - RECIPE_KEYS
    if unknown:
        raise RecipeError(f"{where}: unknown keys {sorted(unknown)}; allowed: {sorted(RECIPE_KEYS)}")
    missing = [key for key in REQUIRED_KEYS if key not in document]
    if missing:
        raise RecipeError(f"{where}: missing {', '.join(missing)}")
    oils = document["oils"]
    if not isinstance(oils, list) or not oils or not all(isinstance(item, dict) for item in oils):
        raise RecipeError(f"{where}: 'oils' must be one or more [[oils]] tables with oil and parts")
    for key in ("name", "carrier", "amount"):
        if not isinstance(document[key], str):
            raise RecipeError(f"{where}: {key!r} must be a string")
    profile = document.get("profile", {})
    if not isinstance(profile, dict):
        raise RecipeError(f"{where}: [profile] must be a table")
    tags = document.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise RecipeError(f"{where}: 'tags' must be a list of strings")
    return Recipe(
        slug=slug,
        name=document["name"],
        description=str(document.get("description", "")),
        carrier=document["carrier"],
        amount=document["amount"],
        dilution=document.get("dilution"),
        use=str(document.get("use", "massage")),
        amount_of=str(document.get("amount_of", "blend")),
        profile=profile,
        tags=tuple(tags),
        oils=tuple(oils),
        path=path,
    )


def load_recipe_file(path: Path) -> Recipe:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise RecipeError(f"{path}: cannot read the recipe: {error}") from None
    return parse_recipe(path.stem, document, str(path))


def load_recipes(directory: Path | None = None) -> dict[str, Recipe]:
    """Every ``*.toml`` recipe in ``directory``, keyed by slug (the file name), in name order."""
    directory = directory or default_recipes_dir()
    if not directory.is_dir():
        raise RecipeError(f"{directory}: the recipes folder does not exist")
    return {path.stem: load_recipe_file(path) for path in sorted(directory.glob("*.toml"))}
