"""Volumes and dilutions: parsing at the edge, conversion to millilitres, one pint registry.

The kitchen and apothecary units people type ("30 mL", "1 fl oz", "2 tbsp", "600 drops") are
resolved from a table of exact definitions; any other spelling goes to the program's single pint
registry, built on first use. Both paths are memoised per string, so a repeated amount costs a
dictionary lookup, and the command line never pays for building the registry on common input.
``tests/test_units.py`` checks every table factor against pint.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from oil_blends.engine.model import MAX_BATCH_ML, METRIC_TSP_ML, STANDARD_CONVENTIONS, US_FL_OZ_ML, Conventions

if TYPE_CHECKING:  # pragma: no cover
    import pint

US_TSP_ML = US_FL_OZ_ML / 6
US_TBSP_ML = US_FL_OZ_ML / 2
METRIC_TBSP_ML = 15.0

# Canonical unit -> mL, for units whose size does not depend on a convention.
FIXED_ML: dict[str, float] = {
    "mL": 1.0,
    "L": 1000.0,
    "fl oz": US_FL_OZ_ML,
    "cup": US_FL_OZ_ML * 8,
    "dram": US_FL_OZ_ML / 8,
    "metric_tsp": METRIC_TSP_ML,
    "metric_tbsp": METRIC_TBSP_ML,
    "us_tsp": US_TSP_ML,
    "us_tbsp": US_TBSP_ML,
}
# Units whose size follows the request's conventions (teaspoon system, drop size).
CONVENTION_UNITS = ("tsp", "tbsp", "drop")

# How the pint registry spells each canonical unit (used to check the table against pint).
PINT_NAMES: dict[str, str] = {
    "mL": "milliliter",
    "L": "liter",
    "fl oz": "US_fluid_ounce",
    "cup": "cup",
    "dram": "fluid_dram",
    "metric_tsp": "metric_tsp",
    "metric_tbsp": "metric_tbsp",
    "us_tsp": "us_tsp",
    "us_tbsp": "us_tbsp",
}

_ALIASES: dict[str, tuple[str, ...]] = {
    "mL": ("ml", "millilitre", "milliliter", "millilitres", "milliliters", "cc", "cm3", "cm^3"),
    "L": ("l", "litre", "liter", "litres", "liters", "ltr"),
    "fl oz": (
        "fl oz",
        "floz",
        "fl. oz",
        "fl. oz.",
        "fl oz.",
        "fl.oz",
        "fl.oz.",
        "oz",
        "oz.",
        "ounce",
        "ounces",
        "fluid ounce",
        "fluid ounces",
        "us fl oz",
        "fl ounce",
        "fl ounces",
    ),
    "cup": ("cup", "cups", "c"),
    "dram": ("dram", "drams", "dr", "fl dr", "fluid dram", "fluid drams", "fldr"),
    "tsp": ("tsp", "tsp.", "teaspoon", "teaspoons", "tsps"),
    "tbsp": ("tbsp", "tbsp.", "tbs", "tbs.", "tb", "tablespoon", "tablespoons", "tbsps", "tbl", "tbl."),
    "drop": ("drop", "drops", "gtt", "gtts", "gt"),
    "metric_tsp": ("metric_tsp", "metric tsp", "metric teaspoon", "metric teaspoons"),
    "metric_tbsp": ("metric_tbsp", "metric tbsp", "metric tablespoon", "metric tablespoons"),
    "us_tsp": ("us_tsp", "us tsp", "us teaspoon", "us teaspoons"),
    "us_tbsp": ("us_tbsp", "us tbsp", "us tablespoon", "us tablespoons"),
}
_CANONICAL: dict[str, str] = {
    alias: canonical for canonical, aliases in _ALIASES.items() for alias in (*aliases, canonical.lower())
}
# Recipe notation, where case tells the spoons apart: T (and Tb, TB, Tbsp) is a tablespoon, t a teaspoon.
_CASE_SENSITIVE: dict[str, str] = {"T": "tbsp", "T.": "tbsp", "t": "tsp", "t.": "tsp"}
# Spellings pint may be asked about: words only. Anything else ("L**400/L**399") is unit algebra, refused.
_UNIT_WORDS = re.compile(r"^[^\W\d]+(?:[ _.][^\W\d]+)*\.?$")
_DECIMAL_COMMA = re.compile(r"^\s*[+-]?\d+,\d")
# The fraction characters a phone keyboard offers, read as the "1/2" they stand for ("1½ tsp" is "1 1/2 tsp")
_VULGAR_FRACTIONS = {"½": "1/2", "⅓": "1/3", "⅔": "2/3", "¼": "1/4", "¾": "3/4", "⅛": "1/8", "⅜": "3/8", "⅝": "5/8"}
_VULGAR_FRACTION = re.compile(rf"(\d?)\s*([{''.join(_VULGAR_FRACTIONS)}])")

ACCEPTED_UNITS_HINT = (
    "mL, L, tsp, tbsp, fl oz (or oz), cup, dram, drop(s)/gtt, metric_tsp, us_tsp, or any volume unit pint knows"
)

_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_AMOUNT_RE = re.compile(
    rf"^\s*(?:(?P<whole>\d+)\s+(?=\d+\s*/))?(?P<num>{_NUMBER})(?:\s*/\s*(?P<den>{_NUMBER}))?\s*(?P<unit>.*?)\s*$"
)
_PERCENT_RE = re.compile(rf"^\s*(?P<num>[+-]?{_NUMBER})\s*(?:%|percent|pct)?\s*$", re.IGNORECASE)
_DROPS_PER_RE = re.compile(
    rf"^\s*(?P<drops>{_NUMBER})\s*(?:drops?|gtts?|gtt)\s*(?:/|per|in|to|for each|each)\s*"
    rf"(?:an?\s+|one\s+)?(?P<volume>.+?)\s*$",
    re.IGNORECASE,
)


class UnitError(ValueError):
    """An amount or dilution that cannot be understood; the message says what is accepted."""


@dataclass(frozen=True)
class Volume:
    """A parsed volume: ``value`` of ``unit`` (a canonical name or a pint unit name)."""

    value: float
    unit: str
    text: str
    ml_per_unit: float | None = None  # None for convention units (tsp, tbsp, drop)

    def to_ml(self, conventions: Conventions | None = None) -> float:
        return self.value * unit_ml(self.unit, conventions, self.ml_per_unit)


def unit_ml(unit: str, conventions: Conventions | None = None, ml_per_unit: float | None = None) -> float:
    """Millilitres in one ``unit`` under the given conventions."""
    conventions = conventions or STANDARD_CONVENTIONS
    if unit == "tsp":
        return conventions.teaspoon_ml
    if unit == "tbsp":
        return 3 * conventions.teaspoon_ml
    if unit == "drop":
        return 1.0 / conventions.dropper
    if unit in FIXED_ML:
        return FIXED_ML[unit]
    if ml_per_unit is None:
        raise UnitError(f"unknown unit {unit!r}")
    return ml_per_unit


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry:
    """The program's one pint registry, with the drop and the metric and US spoons defined."""
    import pint

    ureg: pint.UnitRegistry
    try:  # pint caches its parsed definitions on disk: a cold start then skips most of the parsing
        ureg = pint.UnitRegistry(cache_folder=":auto:")
    except OSError:  # no writable cache folder
        ureg = pint.UnitRegistry(cache_folder=None)
    ureg.define("drop = milliliter / 20 = gtt = drops")
    ureg.define("metric_tsp = 5 * milliliter")
    ureg.define("metric_tbsp = 15 * milliliter")
    ureg.define("us_tsp = US_fluid_ounce / 6")
    ureg.define("us_tbsp = US_fluid_ounce / 2")
    return ureg


@lru_cache(maxsize=256)
def _pint_unit_ml(unit_text: str) -> tuple[str, float]:
    """Resolve a spelling the table does not know through pint: (unit name, mL per unit)."""
    if not _UNIT_WORDS.match(unit_text):
        raise UnitError(
            f"{unit_text!r} is not a unit name; give one unit, e.g. '30 mL' or '1 fl oz' (accepted units: "
            f"{ACCEPTED_UNITS_HINT})"
        )
    ureg = registry()
    try:
        unit = ureg.Unit(unit_text.replace(" ", "_"))
    except Exception:  # pint raises many kinds of error on garbage; all mean "not a unit"
        raise UnitError(f"unknown unit {unit_text!r}; accepted units: {ACCEPTED_UNITS_HINT}") from None
    if unit.dimensionality != ureg.milliliter.dimensionality:
        raise UnitError(
            f"{unit_text!r} is not a volume (it measures {unit.dimensionality}); give a volume such as "
            f"'30 mL' or '1 fl oz'"
        )
    return str(unit), float(ureg.Quantity(1, unit).to(ureg.milliliter).magnitude)


def _spelt_fraction(match: re.Match[str]) -> str:
    whole, fraction = match.groups()
    return f"{whole} {_VULGAR_FRACTIONS[fraction]}" if whole else _VULGAR_FRACTIONS[fraction]


def _spelling_hint(unit_text: str) -> str | None:
    """The unit meant by a near miss such as "mls" or "teaspon", if there is one (only for a word: "m^3" or
    "½ tsp" is no misspelt unit, and a hint that dropped the rest would give another amount)."""
    if not _UNIT_WORDS.match(unit_text.strip()):
        return None
    key = " ".join(unit_text.strip().split()).lower()
    candidates = [key[:-1]] if key.endswith("s") else []
    candidates += difflib.get_close_matches(key, list(_CANONICAL), n=1, cutoff=0.75)
    return next((_CANONICAL[candidate] for candidate in candidates if candidate in _CANONICAL), None)


def resolve_unit(unit_text: str) -> tuple[str, float | None]:
    """Canonical unit for a spelling and its fixed size in mL (None when a convention decides)."""
    stripped = unit_text.strip()
    canonical = _CASE_SENSITIVE.get(stripped)
    if canonical is not None:
        return canonical, None
    key = " ".join(stripped.split()).lower()
    canonical = _CANONICAL.get(key)
    if canonical is not None:
        return canonical, FIXED_ML.get(canonical)
    if not key:
        raise UnitError(f"the amount needs a unit; accepted units: {ACCEPTED_UNITS_HINT}")
    return _pint_unit_ml(unit_text.strip())


def _number(text: str, what: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise UnitError(f"{what} is too large a number; a batch is at most 20 L, e.g. '30 mL'")
    return value


@lru_cache(maxsize=4096)
def parse_volume(text: str, *, default_unit_value: float | None = None) -> Volume:
    """Parse "30 mL", "1 fl oz", "2 tbsp", "1/2 cup", "600 drops" into a :class:`Volume`.

    ``default_unit_value`` lets a bare unit stand for one of it ("per teaspoon").
    """
    if not isinstance(text, str):
        raise UnitError("the amount must be a string such as '30 mL'")
    if len(text) > 100:
        raise UnitError("the amount is too long; write it like '30 mL'")
    if _DECIMAL_COMMA.match(text):
        raise UnitError(_decimal_comma_message(text, "amount"))
    match = _AMOUNT_RE.match(_VULGAR_FRACTION.sub(_spelt_fraction, text))
    if match is None:
        if default_unit_value is not None and text.strip() and text.strip()[0] not in "+-":
            unit, ml = resolve_unit(text)
            return Volume(default_unit_value, unit, text, ml)
        raise UnitError(
            f"could not read {text!r} as an amount; write a positive number and a unit, e.g. '30 mL', "
            f"'2 tbsp', '1 fl oz', '600 drops'"
        )
    value = _number(match["num"], "the amount")
    if match["den"] is not None:
        denominator = _number(match["den"], "the amount")
        if denominator == 0:
            raise UnitError("the amount divides by zero")
        value /= denominator
    if match["whole"] is not None:
        value += int(match["whole"])
    try:
        unit, ml = resolve_unit(match["unit"])
    except UnitError:
        meant = _spelling_hint(match["unit"])
        if meant is None:
            raise
        number = text.strip()[: len(text.strip()) - len(match["unit"])].strip()
        raise UnitError(f"unknown unit {match['unit']!r}: write it as '{number} {meant}'") from None
    return Volume(value, unit, text, ml)


def parse_amount(text: str, conventions: Conventions | None = None) -> tuple[Volume, float]:
    """Parse a batch amount and convert it to mL, refusing zero, negative and absurd values."""
    if isinstance(text, str) and text.strip().startswith(("-", "+")):
        raise UnitError(f"the amount must be positive, got {text!r}")
    volume = parse_volume(text)
    return volume, amount_ml(volume, conventions)


def amount_ml(volume: Volume, conventions: Conventions | None = None) -> float:
    """A batch amount already read (by :func:`parse_volume`) in mL, refusing zero, negative and absurd values."""
    text = volume.text
    ml = volume.to_ml(conventions)
    if not math.isfinite(ml):
        raise UnitError(f"the amount must be a finite number, at most 20 L, got {text!r}")
    if ml <= 0:
        raise UnitError(f"the amount must be more than zero, got {text!r}")
    if ml > MAX_BATCH_ML:
        raise UnitError(f"the amount {text!r} is over the 20 L maximum batch")
    drop_ml = 1.0 / (conventions or STANDARD_CONVENTIONS).dropper
    if ml < drop_ml * (1 - 1e-9):
        raise UnitError(
            f"the amount {text!r} is less than one drop ({drop_ml:g} mL); give the batch you will make, e.g. '30 mL'"
        )
    return ml


def _decimal_comma_message(text: str, what: str) -> str:
    """What to write instead of a number with a comma ("1,5 mL", "1,500 mL")."""
    found = re.match(r"\s*([+-]?\d+,\d+)", text)
    assert found is not None, "called only for text that _DECIMAL_COMMA matches"
    number = found[1]
    rest = text.strip()[len(number) :]
    whole, _, fraction = number.partition(",")
    point = f"{whole}.{fraction}"
    if len(fraction) == 3:  # a thousands separator or a decimal comma: ambiguous, so both readings are offered
        return (
            f"could not read {text!r}: write the {what} without a comma, as '{whole}{fraction}{rest}' or "
            f"'{point.rstrip('0').rstrip('.')}{rest}'"
        )
    return f"could not read {text!r}: write decimals with a point, as '{point}{rest}'"


def drops_per_volume_to_percent(drops: float, carrier_ml: float, drops_per_ml: float) -> float:
    """N drops of essential oil per ``carrier_ml`` of carrier, as percent of the finished blend."""
    oil_ml = drops / drops_per_ml
    return 100.0 * oil_ml / (carrier_ml + oil_ml)


def parse_dilution(value: object, conventions: Conventions | None = None) -> float:
    """Parse "2%", "2 %", 2, "2 drops/tsp", "1 drop per teaspoon", "12 drops per fl oz" to percent of blend."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise UnitError("the dilution must be a percent such as '2%' or 2, or drops per volume such as '2 drops/tsp'")
    return _parse_dilution(value, conventions or STANDARD_CONVENTIONS)


# A few dilutions ("1%", "2%", "2 drops/tsp") make up most requests, and each is read twice (checked by the
# field, converted with the conventions after): remembered, with 2, 2.0 and "2" kept apart.
@lru_cache(maxsize=1024, typed=True)
def _parse_dilution(value: int | float | str, conventions: Conventions) -> float:
    if isinstance(value, int | float):
        try:
            percent = float(value)
        except OverflowError:  # an integer past float range
            raise UnitError("the dilution is too large; it must be under 100 %") from None
    else:
        if len(value) > 100:
            raise UnitError("the dilution is too long; write it like '2%' or '2 drops per tsp'")
        if _DECIMAL_COMMA.match(value):
            raise UnitError(_decimal_comma_message(value, "dilution"))
        percent_match = _PERCENT_RE.match(value)
        drops_match = None if percent_match else _DROPS_PER_RE.match(value)
        if percent_match:
            percent = float(percent_match["num"])
        elif drops_match:
            drops = float(drops_match["drops"])
            volume = parse_volume(drops_match["volume"], default_unit_value=1.0)
            if volume.unit == "drop":
                raise UnitError("give the dilution as drops per a volume of carrier, e.g. '2 drops per tsp'")
            carrier_ml = volume.to_ml(conventions)
            if not math.isfinite(drops) or not math.isfinite(carrier_ml) or carrier_ml <= 0:
                raise UnitError(f"could not read the dilution {value!r}")
            if drops <= 0:
                raise UnitError(f"the dilution must be more than zero, got {value!r}")
            percent = drops_per_volume_to_percent(drops, carrier_ml, conventions.dropper)
        else:
            raise UnitError(
                f"could not read the dilution {value!r}; write a percent ('2%', '2 %', 2) or drops per volume "
                f"of carrier ('2 drops/tsp', '1 drop per teaspoon', '12 drops per fl oz')"
            )
    if not math.isfinite(percent):
        raise UnitError(f"the dilution must be a finite number more than zero and under 100 %, got {value!r}")
    if percent <= 0:
        raise UnitError(f"the dilution must be more than zero, got {value!r}")
    if percent >= 100:
        raise UnitError(f"the dilution must be under 100 %, got {value!r}")
    return percent


def units_document() -> dict:
    """The accepted units and conventions, for ``GET /api/v1/units`` and the CLI."""
    return {
        "volume_units": {
            canonical: {"ml": FIXED_ML.get(canonical), "spellings": sorted(set(_ALIASES[canonical]) | {canonical})}
            for canonical in _ALIASES
        },
        "convention_units": {
            "tsp": {"metric": METRIC_TSP_ML, "us": US_TSP_ML},
            "tbsp": {"metric": METRIC_TBSP_ML, "us": US_TBSP_ML},
            "drop": {"default_drops_per_ml": Conventions.DEFAULT_DROPS_PER_ML},
        },
        "other_units": "any volume unit pint knows, e.g. 'gallon', 'pint', 'quart', 'cL', 'minim'",
        "max_amount_ml": MAX_BATCH_ML,
        "conventions": {
            "drops_per_ml": Conventions.DEFAULT_DROPS_PER_ML,
            "teaspoon": "metric",
            "fluid_ounce": "US, 29.5735295625 mL",
            "percent": "volume of essential oils / volume of the finished blend",
            "drops_per_volume": "N drops of essential oil per that volume of carrier",
            "amount_of": "blend (the finished volume) unless amount_of is 'carrier'",
        },
    }
