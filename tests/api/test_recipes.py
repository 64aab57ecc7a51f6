"""GET /api/v1/recipes and /recipes/{slug} scaled by amount, conventions and the person."""

from __future__ import annotations

import pytest

from oil_blends.engine.recipes import load_recipes

from .helpers import assert_problem

RECIPES = load_recipes()


def test_recipe_library(client):
    recipes = client.get("/api/v1/recipes").get_json()
    assert [recipe["slug"] for recipe in recipes] == list(RECIPES)
    assert {"slug", "name", "description", "carrier", "amount", "dilution", "use", "profile", "tags", "oils"} <= set(
        recipes[0]
    )


@pytest.mark.parametrize("slug", list(RECIPES))
def test_every_recipe_calculates_at_its_base_batch(client, slug):
    recipe = client.get(f"/api/v1/recipes/{slug}").get_json()
    assert recipe["slug"] == slug
    assert recipe["blend"]["amount"]["text"] == RECIPES[slug].amount
    assert recipe["blend"]["total_drops"] > 0


@pytest.mark.parametrize(("amount", "ml"), [("100 mL", 100), ("4 fl oz", 118.294), ("2 tbsp", 30), ("0.1 L", 100)])
def test_scaled_to_an_amount_in_any_unit(client, amount, ml):
    blend = client.get("/api/v1/recipes/diabetic-foot-care", query_string={"amount": amount}).get_json()["blend"]
    assert blend["blend_ml"] == pytest.approx(ml, abs=0.001)


def test_us_teaspoon_and_dropper(client):
    query = {"amount": "6 tsp", "teaspoon": "us", "drops_per_ml": 30}
    blend = client.get("/api/v1/recipes/diabetic-foot-care", query_string=query).get_json()["blend"]
    assert blend["conventions"]["teaspoon"] == "us"
    assert blend["conventions"]["drops_per_ml"] == 30
    assert blend["blend_ml"] == pytest.approx(29.574, abs=0.001)


def test_another_person_with_repeated_conditions(client):
    query = [("age_years", "70"), ("conditions", "neuropathy"), ("conditions", "diabetes"), ("skin", "sensitive")]
    blend = client.get("/api/v1/recipes/diabetic-foot-care", query_string=query).get_json()["blend"]
    assert {"age_65_plus", "reduced_sensation", "sensitive_skin"} <= set(blend["dilution"]["limited_by"])


def test_allergy_of_the_person_refuses_a_nut_carrier(client):
    slug = next(slug for slug, recipe in RECIPES.items() if recipe.carrier == "sweet-almond")
    problem = assert_problem(client.get(f"/api/v1/recipes/{slug}?allergies=tree_nut"), 422)
    assert any(w["code"] == "allergen" and w["severity"] == "danger" for w in problem["warnings"])


def test_unsafe_for_the_person_is_refused_or_capped(client):
    slug = next(slug for slug, recipe in RECIPES.items() if recipe.dilution == "2%" and recipe.use == "massage")
    problem = assert_problem(client.get(f"/api/v1/recipes/{slug}?age_years=80"), 422)
    assert problem["type"] == "/problems/unsafe-blend"
    capped = client.get(f"/api/v1/recipes/{slug}?age_years=80&on_limit=cap").get_json()["blend"]
    assert capped["capped"] is True


@pytest.mark.parametrize(
    ("query", "field"),
    [("amount=thirty", "amount"), ("amount=30%20kg", "amount"), ("amount=50%20L", "amount"),
     ("age_years=-1", "age_years"), ("age_years=abc", "age_years"), ("pregnant=maybe", "pregnant"),
     ("skin=scaly", "skin"), ("conditions=flu", "conditions"), ("drops_per_ml=1", "drops_per_ml"),
     ("teaspoon=imperial", "teaspoon"), ("on_limit=ignore", "on_limit"), ("amount_of=bottle", "amount_of")],
)
def test_bad_scaling_parameters_are_named(client, query, field):
    problem = assert_problem(client.get(f"/api/v1/recipes/diabetic-foot-care?{query}"), 422)
    assert field in problem["errors"]


def test_unknown_recipe_is_a_404(client):
    assert_problem(client.get("/api/v1/recipes/no-such-recipe"), 404)
