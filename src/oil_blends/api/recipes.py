"""``/api/v1/recipes``: the shipped recipe library, each scaled to any batch and person on request."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import abort

from oil_blends.api.spec import ApiBlueprint as Blueprint
from oil_blends.calculator import calculate_document
from oil_blends.engine.recipes import Recipe
from oil_blends.schemas import RecipeQuerySchema, RecipeSchema, ScaledRecipeSchema
from oil_blends.storage.cache import current_catalog

blp = Blueprint("recipes", __name__, url_prefix="/api/v1/recipes", description="Recipe library")

PERSON_FIELDS = ("age_years", "pregnant", "skin", "conditions", "allergies", "sun_exposure")
CONVENTION_FIELDS = ("drops_per_ml", "teaspoon")


def recipes() -> Mapping[str, Recipe]:
    return current_app.extensions["oil_blends.recipes"]


def scaled_request(recipe: Recipe, args: Mapping[str, Any]) -> dict[str, Any]:
    """The recipe's calculation request for the batch, conventions and person given in ``args``."""
    person = {name: args[name] for name in PERSON_FIELDS if name in args}
    conventions = {name: args[name] for name in CONVENTION_FIELDS if name in args}
    return recipe.request_document(
        amount=args.get("amount"), profile=person or None, conventions=conventions or None,
        on_limit=args.get("on_limit"), amount_of=args.get("amount_of"),
    )


@blp.route("")
class Recipes(MethodView):
    @blp.response(200, RecipeSchema(many=True))
    def get(self):
        """List the recipes at their base batch"""
        return [recipe.summary() for recipe in recipes().values()]


@blp.route("/<slug>")
class ScaledRecipe(MethodView):
    @blp.arguments(RecipeQuerySchema, location="query")
    @blp.response(200, ScaledRecipeSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args, slug):
        """Get a recipe scaled to a batch and a person

        `amount` takes any volume unit ("4 fl oz", "100 mL", "3 tbsp"). Giving any of the person's
        fields (`age_years`, `pregnant`, `skin`, `conditions`, `allergies`, `sun_exposure`) describes
        the whole person instead of the recipe's own profile. A blend unsafe for that person gets a 422
        problem with its `warnings` (or, with `on_limit=cap`, is lowered to the safe maximum).
        """
        recipe = recipes().get(slug)
        if recipe is None:
            abort(404, message=f"no recipe {slug!r}; see GET /api/v1/recipes")
        blend = calculate_document(scaled_request(recipe, args), current_catalog())
        return {**recipe.summary(), "blend": blend}
