"""One calculation from request document to response document, shared by the API and the CLI."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from marshmallow import ValidationError

from oil_blends.documents.catalog import default_rules
from oil_blends.documents.fastload import compile_loader
from oil_blends.documents.problems import INVALID_REQUEST, Problem, invalid_request, unsafe_blend, warning_document
from oil_blends.documents.recipes import Recipe, RecipeError
from oil_blends.documents.schemas import BlendRequestSchema, CheckRequestSchema
from oil_blends.documents.wording import error_lines
from oil_blends.engine import (
    BatchTooSmall,
    BlendRequest,
    BlendResult,
    CheckRequest,
    CheckResult,
    Conventions,
    InvalidBlend,
    Oil,
    RuleSet,
    UnsafeBlend,
    calculate,
    check_blend,
)
from oil_blends.engine.model import US_FL_OZ_ML

# Each request schema's load, compiled once: the same rules and results, without marshmallow's per-call bookkeeping
_load_blend_request = compile_loader(BlendRequestSchema())
_load_check_request = compile_loader(CheckRequestSchema())


def _load(load: Callable[[Any], Any], payload: Any, expected: str) -> Any:
    """``payload`` loaded by a schema's ``load``, or a 422 :class:`Problem` naming each bad field (``expected``
    says what the body must be when it is not a JSON object)."""
    if type(payload) is not dict and not isinstance(payload, Mapping):  # the ABC check is the slow one
        raise invalid_request({"body": [f"must be a JSON object with {expected}"]})
    try:
        return load(payload)
    except ValidationError as error:
        raise invalid_request(error.messages_dict) from None  # a schema's load always has a dict


def load_request(payload: Any) -> BlendRequest:
    """Validate a request document, or raise a 422 :class:`Problem` naming each bad field."""
    return _load(_load_blend_request, payload, "carrier, amount and oils")


def run_calculation(request: BlendRequest, catalog: Mapping[str, Oil], rules: RuleSet | None = None) -> BlendResult:
    """The engine's calculation, with its refusals turned into problems."""
    try:
        return calculate(request, catalog, rules or default_rules())
    except InvalidBlend as error:
        raise invalid_request(error.errors) from None
    except UnsafeBlend as error:
        raise unsafe_blend(error.warnings, too_small=isinstance(error, BatchTooSmall)) from None


def calculate_document(payload: Any, catalog: Mapping[str, Oil], rules: RuleSet | None = None) -> dict[str, Any]:
    """Request document in, response document out; raises :class:`Problem` for anything refused."""
    return result_document(run_calculation(load_request(payload), catalog, rules))


BLEND_FIELDS = ("carrier", "amount", "amount_of", "dilution", "oils", "use", "on_limit")
PERSON_FIELDS = ("age_years", "pregnant", "skin", "conditions", "allergies", "sun_exposure")
CONVENTION_FIELDS = ("drops_per_ml", "teaspoon")


def nest_flat_fields(flat: Mapping[str, Any]) -> dict[str, Any]:
    """A request document from flat fields (command-line flags, query parameters, form fields): the person's
    fields go under ``profile``, the measuring ones under ``conventions``; a field that is None is left out."""
    document = {name: flat[name] for name in BLEND_FIELDS if flat.get(name) is not None}
    for key, names in (("profile", PERSON_FIELDS), ("conventions", CONVENTION_FIELDS)):
        if nested := {name: flat[name] for name in names if flat.get(name) is not None}:
            document[key] = nested
    return document


def recipe_request(recipe: Recipe, flat: Mapping[str, Any]) -> dict[str, Any]:
    """The calculation request of a recipe scaled as the flat fields say (batch, use, person, conventions)."""
    nested = nest_flat_fields(flat)
    return recipe.request_document(
        amount=nested.get("amount"),
        profile=nested.get("profile"),
        conventions=nested.get("conventions"),
        on_limit=nested.get("on_limit"),
        amount_of=nested.get("amount_of"),
        use=nested.get("use"),
    )


def _conventions_document(conventions: Conventions, teaspoon_ml: float) -> dict[str, Any]:
    return {
        "drops_per_ml": conventions.dropper,
        "teaspoon": conventions.teaspoon,
        "teaspoon_ml": teaspoon_ml,
        "fluid_ounce_ml": US_FL_OZ_ML,
        "percent_of": "blend",
    }


def result_document(result: BlendResult) -> dict[str, Any]:
    """The response document of the API contract (see the README's JSON API section)."""
    conventions = result.conventions
    return {
        "essential_oils": [
            {
                "oil": item.oil,
                "name": item.name,
                "parts": item.parts,
                "drops": item.drops,
                "ml": round(item.ml, 4),
                "percent": round(item.percent, 4),
                "ideal_drops": round(item.ideal_drops, 3),
                "drops_per_ml": item.drops_per_ml,
            }
            for item in result.essential_oils
        ],
        "total_drops": result.total_drops,
        "carrier": {"oil": result.carrier.slug, "name": result.carrier.name, "ml": round(result.carrier_ml, 4)},
        "amount": {
            "text": result.amount_text,
            "of": result.amount_of,
            "ml": round(result.blend_ml if result.amount_of == "blend" else result.carrier_ml, 4),
        },
        "blend_ml": round(result.blend_ml, 4),
        "dilution": {
            "requested_percent": None
            if result.dilution.requested_percent is None
            else round(result.dilution.requested_percent, 4),
            "target_percent": round(result.dilution.target_percent, 4),
            "actual_percent": round(result.dilution.actual_percent, 4),
            "max_percent": result.dilution.max_percent,
            "drops_per_tsp": round(result.dilution.drops_per_tsp, 3),
            "limited_by": list(result.dilution.limited_by),
        },
        "conventions": _conventions_document(conventions, result.teaspoon_ml),
        "capped": result.capped,
        "warnings": [warning_document(w) for w in result.warnings],
    }


def check_recipes(recipes: Mapping[str, Recipe], catalog: Mapping[str, Oil], rules: RuleSet | None = None) -> None:
    """Calculate every recipe at its base batch; raise :class:`RecipeError` naming the first bad file."""
    for recipe in recipes.values():
        error = recipe_error(recipe, catalog, rules)
        if error is not None:
            raise error


def recipe_errors(
    recipes: Mapping[str, Recipe], catalog: Mapping[str, Oil], rules: RuleSet | None = None
) -> dict[str, RecipeError]:
    """Every recipe that does not calculate at its base batch, by slug, with what is wrong."""
    errors = {slug: recipe_error(recipe, catalog, rules) for slug, recipe in recipes.items()}
    return {slug: error for slug, error in errors.items() if error is not None}


def recipe_error(recipe: Recipe, catalog: Mapping[str, Oil], rules: RuleSet | None = None) -> RecipeError | None:
    """Why the recipe does not calculate at its base batch (one line naming the file), or None."""
    try:
        calculate_document(recipe.request_document(), catalog, rules)
    except Problem as problem:
        errors = problem.extra.get("errors")
        if problem.type == INVALID_REQUEST and errors:
            reason = "; ".join(error_lines(errors))
        else:
            reason = f"{problem.title.lower()}: {problem.detail}"
        return RecipeError(f"{recipe.path or recipe.slug}: {reason}")
    return None


# ---- checking a blend already made ------------------------------------------------------------------


def load_check_request(payload: Any) -> CheckRequest:
    """Validate a check document, or raise a 422 :class:`Problem` naming each bad field."""
    return _load(_load_check_request, payload, "carrier, amount and oils (each with its drops)")


def run_check(request: CheckRequest, catalog: Mapping[str, Oil], rules: RuleSet | None = None) -> CheckResult:
    """The engine's check, an unknown oil or an impossible amount turned into a 422 problem."""
    try:
        return check_blend(request, catalog, rules or default_rules())
    except InvalidBlend as error:
        raise invalid_request(error.errors) from None


def check_document(payload: Any, catalog: Mapping[str, Oil], rules: RuleSet | None = None) -> dict[str, Any]:
    """A blend already made, checked: document in, document out. A blend too strong or not for the person is
    an answer (``safe`` false), not a problem; only invalid input raises :class:`Problem`."""
    return check_result_document(run_check(load_check_request(payload), catalog, rules))


def _up(value: float, places: int = 4) -> float:
    """Rounded up, so that adding the figure given is never short of the least needed."""
    scale = 10**places
    return math.ceil(value * scale - 1e-6) / scale


def check_result_document(result: CheckResult) -> dict[str, Any]:
    """The response document of ``POST /api/v1/blends/check`` and ``oil-blends check --json``."""
    remedy = result.remedy
    return {
        "safe": result.safe,
        "verdict": result.verdict,
        "message": result.message,
        "carrier": {"oil": result.carrier.slug, "name": result.carrier.name, "ml": round(result.carrier_ml, 4)},
        "amount": {"text": result.amount_text, "of": "carrier", "ml": round(result.carrier_ml, 4)},
        "essential_oils": [
            {
                "oil": item.oil,
                "name": item.name,
                "drops": item.drops,
                "ml": round(item.ml, 4),
                "percent": round(item.percent, 4),
                "drops_per_ml": item.drops_per_ml,
                "max_percent": item.max_percent,
            }
            for item in result.essential_oils
        ],
        "total_drops": result.total_drops,
        "essential_oil_ml": round(result.oil_ml, 4),
        "blend_ml": round(result.blend_ml, 4),
        "dilution": {
            "percent": round(result.percent, 4),
            "max_percent": result.max_percent,
            "limited_by": list(result.limited_by),
            "allowed_percent": round(result.allowed_percent, 4),
            "drops_per_tsp": round(result.drops_per_tsp, 3),
        },
        "conventions": _conventions_document(result.conventions, result.teaspoon_ml),
        "warnings": [warning_document(w) for w in result.warnings],
        "remedy": None
        if remedy is None
        else {
            "carrier_to_add": {
                "ml": _up(remedy.carrier_to_add_ml),
                "amount": _up(remedy.carrier_to_add_ml / result.amount_unit_ml),
                "unit": result.amount_unit,
            },
            "percent_after_adding": round(remedy.percent_after_adding, 4),
            "drops_to_leave_out": [
                {
                    "oil": item.oil,
                    "name": item.name,
                    "drops_used": item.drops_used,
                    "drops": item.drops,
                    "leave_out": item.leave_out,
                }
                for item in remedy.drops_to_leave_out
            ],
            "percent_made_again": round(remedy.percent_made_again, 4),
            "advice": list(remedy.advice),
        },
    }


__all__ = [
    "Problem",
    "calculate_document",
    "check_document",
    "check_recipes",
    "check_result_document",
    "load_check_request",
    "load_request",
    "recipe_error",
    "recipe_errors",
    "result_document",
    "run_calculation",
    "run_check",
]
