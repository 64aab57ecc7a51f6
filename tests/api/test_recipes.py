"""GET /api/v1/recipes and /recipes/{slug} scaled by amount, conventions and the person."""

from __future__ import annotations

import pytest

from oil_blends.documents.recipes import load_recipes

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
    [
        ("amount=thirty", "amount"),
        ("amount=30%20kg", "amount"),
        ("amount=50%20L", "amount"),
        ("age_years=-1", "age_years"),
        ("age_years=abc", "age_years"),
        ("pregnant=maybe", "pregnant"),
        ("skin=scaly", "skin"),
        ("conditions=flu", "conditions"),
        ("drops_per_ml=1", "drops_per_ml"),
        ("teaspoon=imperial", "teaspoon"),
        ("on_limit=ignore", "on_limit"),
        ("amount_of=bottle", "amount_of"),
    ],
)
def test_bad_scaling_parameters_are_named(client, query, field):
    problem = assert_problem(client.get(f"/api/v1/recipes/diabetic-foot-care?{query}"), 422)
    assert field in problem["errors"]


def test_unknown_recipe_is_a_404(client):
    assert_problem(client.get("/api/v1/recipes/no-such-recipe"), 404)


def test_readme_example_keeps_the_recipes_neuropathy_profile(client):
    query = {"amount": "4 fl oz", "age_years": 72}
    blend = client.get("/api/v1/recipes/neuropathy-foot-oil", query_string=query).get_json()["blend"]
    assert {"reduced_sensation", "age_65_plus"} <= set(blend["dilution"]["limited_by"])
    assert "reduced_sensation" in {w["code"] for w in blend["warnings"]}


def test_a_recipe_for_age_70_scaled_for_age_40_or_5(client):
    blend = client.get("/api/v1/recipes/gentle-senior-hand-oil?age_years=40").get_json()["blend"]
    assert blend["dilution"]["max_percent"] == 1.0 and "age_65_plus" in blend["dilution"]["limited_by"]
    child = client.get("/api/v1/recipes/gentle-senior-hand-oil?age_years=5&on_limit=cap").get_json()["blend"]
    assert child["dilution"]["max_percent"] == 0.25 and child["dilution"]["limited_by"] == ["child_2_to_6_years"]


def test_the_persons_conditions_are_added_to_the_recipes(client):
    blend = client.get("/api/v1/recipes/neuropathy-foot-oil?conditions=diabetes").get_json()["blend"]
    assert "reduced_sensation" in blend["dilution"]["limited_by"]
    problem = assert_problem(client.get("/api/v1/recipes/neuropathy-foot-oil?conditions=g6pd"), 422)
    assert any(w["code"] == "g6pd" and w["severity"] == "danger" for w in problem["warnings"])


def test_use_is_honoured_with_its_limit(client):
    problem = assert_problem(client.get("/api/v1/recipes/calming-massage-oil?use=face"), 422)
    assert problem["warnings"][0]["code"] == "use_maximum"
    capped = client.get("/api/v1/recipes/calming-massage-oil?use=face&on_limit=cap").get_json()["blend"]
    assert capped["capped"] is True
    assert capped["dilution"]["max_percent"] == 1.0 and capped["dilution"]["limited_by"] == ["use_face"]
    problem = assert_problem(client.get("/api/v1/recipes/calming-massage-oil?use=feet"), 422)
    assert "use" in problem["errors"]


@pytest.mark.parametrize(
    ("query", "unknown"),
    [
        ("colour=red", ["colour"]),
        ("age=70", ["age"]),
        ("use=face&kind=x&condition=flu", ["kind", "condition"]),
        ("age_years=-1&dilution=5%25", ["dilution"]),
    ],
)
def test_unknown_query_parameters_are_a_400_naming_them(client, query, unknown):
    problem = assert_problem(client.get(f"/api/v1/recipes/calming-massage-oil?{query}"), 400)
    assert sorted(problem["errors"]) == sorted(unknown)
    for name in unknown:
        assert name in problem["detail"]
        (message,) = problem["errors"][name]
        for accepted in ("amount", "use", "age_years", "conditions", "on_limit", "drops_per_ml"):
            assert accepted in message


def test_the_openapi_document_lists_use_and_the_400(client):
    operation = client.get("/api/openapi.json").get_json()["paths"]["/api/v1/recipes/{slug}"]["get"]
    assert "use" in {parameter["name"] for parameter in operation["parameters"]}
    assert "400" in operation["responses"]
