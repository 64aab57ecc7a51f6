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

from oil_blends.documents.catalog import default_rules
from oil_blends.engine.model import Profile
from oil_blends.engine.rules import RuleSet, effective_max_percent

RECIPE_KEYS = {"name", "description", "carrier", "amount", "dilution", "use", "profile", "tags", "oils", "amount_of"}
REQUIRED_KEYS = ("name", "carrier", "amount", "oils")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SKIN_STRICTNESS = ("normal", "sensitive", "damaged")  # least to most strict


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
            "slug": self.slug,
            "name": self.name,
            "description": self.description,
            "carrier": self.carrier,
            "amount": self.amount,
            "amount_of": self.amount_of,
            "dilution": self.dilution,
            "use": self.use,
            "profile": dict(self.profile),
            "tags": list(self.tags),
            "oils": [dict(item) for item in self.oils],
        }

    def request_document(
        self,
        amount: str | None = None,
        profile: Mapping[str, Any] | None = None,
        conventions: Mapping[str, Any] | None = None,
        on_limit: str | None = None,
        amount_of: str | None = None,
        use: str | None = None,
        rules: RuleSet | None = None,
    ) -> dict[str, Any]:
        """The calculation request for this recipe, scaled to ``amount``, for ``use`` (default: the
        recipe's) and for another person if given: ``profile`` is added to the recipe's own profile by
        :func:`merge_profiles`, so what the recipe was written for still applies."""
        use = use or self.use
        document: dict[str, Any] = {
            "carrier": self.carrier,
            "amount": amount if amount is not None else self.amount,
            "amount_of": amount_of or self.amount_of,
            "oils": [dict(item) for item in self.oils],
            "use": use,
            "profile": merge_profiles(self.profile, profile or {}, use, rules),
        }
        if self.dilution is not None:
            document["dilution"] = self.dilution
        if conventions:
            document["conventions"] = dict(conventions)
        if on_limit:
            document["on_limit"] = on_limit
        return document


def merge_profiles(
    recipe: Mapping[str, Any], person: Mapping[str, Any], use: str, rules: RuleSet | None = None
) -> dict[str, Any]:
    """The profile a scaled recipe is calculated for: the recipe's own profile (who it was written for)
    with the person's fields added. The strictest wins; nothing of the recipe's is ever dropped:

    - ``conditions`` and ``allergies``: united, in order (the recipe's first), without duplicates;
    - ``pregnant``: true when either says true;
    - ``skin``: the stricter of the two (damaged > sensitive > normal; a missing value is normal);
    - ``sun_exposure``: false only when both say false, since a missing value means "may see sun";
      otherwise true when either says true, else missing (null, "may see sun");
    - ``age_years``: when only one gives an age, that one; when both do and the person is young enough for a
      child rule to apply (``RuleSet.child_ages_end``), the person's own, since the refusals for children (no
      birch or wintergreen under 18) are about who wears the blend; else the age whose dilution rules give the
      lower maximum for ``use`` (``rules``, default the shipped ones), and on a tie the younger.

    With no person fields at all the recipe's profile is used as it is (the recipe at another batch size).
    Values are passed through as given (the request schema validates them afterwards): a value that is
    not understood (an unknown skin type, an age that is not a number) is kept from the person, so the
    request is refused naming it.
    """
    if not person:
        return dict(recipe)
    merged: dict[str, Any] = {**recipe, **person}
    for name in ("conditions", "allergies"):
        if name in recipe and name in person:
            merged[name] = _united(recipe[name], person[name])
    if "pregnant" in recipe and "pregnant" in person:
        merged["pregnant"] = True if recipe["pregnant"] is True else person["pregnant"]
    if "skin" in recipe and "skin" in person:
        merged["skin"] = _stricter_skin(recipe["skin"], person["skin"])
    if "sun_exposure" in recipe or "sun_exposure" in person:
        sun = _sun_exposure(recipe.get("sun_exposure"), person.get("sun_exposure"))
        if sun is None:
            merged.pop("sun_exposure", None)
        else:
            merged["sun_exposure"] = sun
    if recipe.get("age_years") is not None and person.get("age_years") is not None:
        merged["age_years"] = _stricter_age(recipe["age_years"], person["age_years"], use, rules)
    return merged


def _united(first: Any, second: Any) -> Any:
    if not isinstance(first, list | tuple) or not isinstance(second, list | tuple):
        return second  # not a list: the schema names it
    try:
        return list(dict.fromkeys([*first, *second]))
    except TypeError:  # an item that is not a string: the schema names it
        return [*first, *second]


def _stricter_skin(first: Any, second: Any) -> Any:
    if second not in SKIN_STRICTNESS:
        return second
    if first not in SKIN_STRICTNESS:
        return first
    return max(first, second, key=SKIN_STRICTNESS.index)


def _sun_exposure(first: Any, second: Any) -> Any:
    if first is False and second is False:
        return False
    if first is True or second is True:
        return True
    for value in (second, first):  # something the schema must judge (e.g. "maybe"): keep it
        if value is not None and value is not False:
            return value
    return None


def _age(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        age = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return age if age == age and abs(age) != float("inf") else None


def _stricter_age(recipe_age: Any, person_age: Any, use: str, rules: RuleSet | None) -> Any:
    first, second = _age(recipe_age), _age(person_age)
    if first is None or second is None:
        return person_age if second is None else recipe_age
    rules = rules or default_rules()
    if second < rules.child_ages_end:
        return person_age  # a recipe's own oils pass its own age's rules at start-up; the child's must hold too
    try:
        first_max = effective_max_percent(rules, use, Profile(age_years=first))[0]
        second_max = effective_max_percent(rules, use, Profile(age_years=second))[0]
    except ValueError:  # no rule covers this use (the request is refused for it): the younger
        first_max = second_max = 0.0
    if first_max != second_max:
        return recipe_age if first_max < second_max else person_age
    return recipe_age if first <= second else person_age


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
    if not _SLUG.fullmatch(slug):  # match's $ would let a final newline through
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
    if not path.is_file():  # a pipe, a device or a folder named *.toml: reading one could wait for ever
        raise RecipeError(f"{path}: cannot read the recipe: not a regular file")
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise RecipeError(f"{path}: cannot read the recipe: {error}") from None
    return parse_recipe(path.stem, document, str(path))


def load_recipes(directory: Path | None = None) -> dict[str, Recipe]:
    """Every ``*.toml`` recipe in ``directory``, keyed by slug (the file name), in name order.

    Strict: the first file that cannot be read raises :class:`RecipeError` naming it (start-up uses this).
    """
    recipes, errors = load_recipes_collecting(directory)
    if errors:
        raise next(iter(errors.values()))
    return recipes


def load_recipes_collecting(directory: Path | None = None) -> tuple[dict[str, Recipe], dict[str, RecipeError]]:
    """Every recipe in ``directory`` that can be read, and the error of each one that cannot, both keyed by
    slug (the file name) in name order. Only a missing folder raises :class:`RecipeError`."""
    directory = directory or default_recipes_dir()
    if not directory.is_dir():
        raise RecipeError(f"{directory}: the recipes folder does not exist")
    recipes: dict[str, Recipe] = {}
    errors: dict[str, RecipeError] = {}
    for path in sorted(directory.glob("*.toml")):
        try:
            recipes[path.stem] = load_recipe_file(path)
        except RecipeError as error:
            errors[path.stem] = error
    return recipes, errors
