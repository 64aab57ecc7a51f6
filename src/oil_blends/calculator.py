"""One calculation from request document to response document, shared by the API and the CLI."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import ValidationError

from oil_blends.engine import BlendRequest, BlendResult, InvalidBlend, Oil, RuleSet, UnsafeBlend, calculate
from oil_blends.engine.model import US_FL_OZ_ML
from oil_blends.engine.recipes import Recipe, RecipeError
from oil_blends.problems import Problem, invalid_request, unsafe_blend, warning_document
from oil_blends.schemas import BlendRequestSchema

_request_schema = BlendRequestSchema()


def load_request(payload: Any) -> BlendRequest:
    """Validate a request document, or raise a 422 :class:`Problem` naming each bad field."""
    if not isinstance(payload, Mapping):
        raise invalid_request({"body": ["must be a JSON object with carrier, amount and oils"]})
    try:
        return _request_schema.load(payload)
    except ValidationError as error:
        raise invalid_request(error.messages) from None


def run_calculation(request: BlendRequest, catalog: Mapping[str, Oil], rules: RuleSet | None = None) -> BlendResult:
    """The engine's calculation, with its refusals turned into problems."""
    try:
        return calculate(request, catalog, rules)
    except InvalidBlend as error:
        raise invalid_request(error.errors) from None
    except UnsafeBlend as error:
        raise unsafe_blend(error.warnings) from None


def calculate_document(payload: Any, catalog: Mapping[str, Oil], rules: RuleSet | None = None) -> dict[str, Any]:
    """Request document in, response document out; raises :class:`Problem` for anything refused."""
    return result_document(run_calculation(load_request(payload), catalog, rules))


def _r(value: float, places: int = 4) -> float:
    return round(value, places)


def result_document(result: BlendResult) -> dict[str, Any]:
    """The response document of the API contract (DESIGN.md section 7)."""
    conventions = result.conventions
    return {
        "essential_oils": [
            {
                "oil": item.oil,
                "name": item.name,
                "parts": item.parts,
                "drops": item.drops,
                "ml": _r(item.ml),
                "percent": _r(item.percent),
                "ideal_drops": _r(item.ideal_drops, 3),
                "drops_per_ml": item.drops_per_ml,
            }
            for item in result.essential_oils
        ],
        "total_drops": result.total_drops,
        "carrier": {"oil": result.carrier.slug, "name": result.carrier.name, "ml": _r(result.carrier_ml)},
        "amount": {"text": result.amount_text, "of": result.amount_of,
                   "ml": _r(result.blend_ml if result.amount_of == "blend" else result.carrier_ml)},
        "blend_ml": _r(result.blend_ml),
        "dilution": {
            "requested_percent": None if result.dilution.requested_percent is None
            else _r(result.dilution.requested_percent),
            "target_percent": _r(result.dilution.target_percent),
            "actual_percent": _r(result.dilution.actual_percent),
            "max_percent": result.dilution.max_percent,
            "drops_per_tsp": _r(result.dilution.drops_per_tsp, 3),
            "limited_by": list(result.dilution.limited_by),
        },
        "conventions": {
            "drops_per_ml": conventions.dropper,
            "teaspoon": conventions.teaspoon,
            "teaspoon_ml": result.teaspoon_ml,
            "fluid_ounce_ml": US_FL_OZ_ML,
            "percent_of": "blend",
        },
        "capped": result.capped,
        "warnings": [warning_document(w) for w in result.warnings],
    }


def check_recipes(recipes: Mapping[str, Recipe], catalog: Mapping[str, Oil], rules: RuleSet | None = None) -> None:
    """Calculate every recipe at its base batch; raise :class:`RecipeError` naming the first bad file."""
    for recipe in recipes.values():
        try:
            calculate_document(recipe.request_document(), catalog, rules)
        except Problem as problem:
            raise RecipeError(f"{recipe.path or recipe.slug}: {problem.title.lower()}: {problem.detail}") from None


__all__ = [
    "Problem", "calculate_document", "check_recipes", "load_request", "result_document", "run_calculation",
]
