"""``/api/v1/recipes``: the shipped recipe library, each scaled to any batch and person on request."""

from __future__ import annotations

from collections.abc import Mapping

from flask import current_app
from flask.views import MethodView
from flask_smorest import abort

from oil_blends.api.spec import ApiBlueprint as Blueprint
from oil_blends.api.spec import known_query_parameters
from oil_blends.documents.calculator import calculate_document, recipe_request
from oil_blends.documents.recipes import Recipe
from oil_blends.documents.schemas import RecipeQuerySchema, RecipeSchema, ScaledRecipeSchema
from oil_blends.storage.cache import current_catalog

blp = Blueprint("recipes", __name__, url_prefix="/api/v1/recipes", description="Recipe library")


def recipes() -> Mapping[str, Recipe]:
    return current_app.extensions["oil_blends.recipes"]


@blp.route("")
class Recipes(MethodView):
    @known_query_parameters(None)
    @blp.response(200, RecipeSchema(many=True))
    @blp.alt_response(400, response="BAD_REQUEST")
    @blp.doc(operationId="list_recipes")
    def get(self):
        """List the recipes at their base batch"""
        return [recipe.summary() for recipe in recipes().values()]


@blp.route("/<slug>")
class ScaledRecipe(MethodView):
    @known_query_parameters(RecipeQuerySchema())
    @blp.arguments(RecipeQuerySchema, location="query")
    @blp.response(200, ScaledRecipeSchema)
    @blp.alt_response(400, response="BAD_REQUEST")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.doc(operationId="get_recipe")
    def get(self, args, slug):
        """Get a recipe scaled to a batch, a use and a person

        `amount` takes any volume unit ("4 fl oz", "100 mL", "3 tbsp"); `use` (massage, face, small_area)
        replaces the recipe's use, with its limit. The person's fields (`age_years`, `pregnant`, `skin`,
        `conditions`, `allergies`, `sun_exposure`) are added to the recipe's own profile, the one it was
        written for, and the strictest wins: conditions and allergies are united, pregnant if either says
        so, the stricter skin, `sun_exposure` false only when both say false, and of two ages the one with
        the lower maximum for the use (on a tie the younger). A blend unsafe for that person gets a 422
        problem with its `warnings` (or, with `on_limit=cap`, is lowered to the safe maximum). A query
        parameter not listed here is refused with a 400 problem naming it.
        """
        recipe = recipes().get(slug)
        if recipe is None:
            abort(404, message=f"no recipe {slug!r}; see GET /api/v1/recipes")
        blend = calculate_document(recipe_request(recipe, args), current_catalog())
        return {**recipe.summary(), "blend": blend}
