"""Shipped recipes: each validates and calculates safely; scaling; clear errors naming the file."""

import os
from pathlib import Path

import pytest

from helpers_blend import codes
from oil_blends.documents.calculator import calculate_document, check_recipes, recipe_errors
from oil_blends.documents.catalog import shipped_oils
from oil_blends.documents.problems import Problem
from oil_blends.documents.recipes import Recipe, RecipeError, load_recipes, load_recipes_collecting, merge_profiles

RECIPES = load_recipes()


def test_at_least_eight_recipes_and_the_required_ones():
    assert len(RECIPES) >= 8
    for slug in (
        "neuropathy-foot-oil",
        "cooling-foot-rub",
        "calming-massage-oil",
        "sensitive-skin-blend",
        "sunny-citrus-body-oil",
        "face-oil",
    ):
        assert slug in RECIPES


def test_all_recipes_check():
    check_recipes(RECIPES, shipped_oils())


@pytest.mark.parametrize("slug", sorted(RECIPES))
def test_recipe_calculates_without_danger(slug):
    result = calculate_document(RECIPES[slug].request_document(), shipped_oils())
    assert result["total_drops"] > 0
    assert result["capped"] is False
    assert all(w["severity"] != "danger" for w in result["warnings"])
    assert result["dilution"]["actual_percent"] <= result["dilution"]["max_percent"] + 1e-9
    assert not [w for w in result["warnings"] if w["code"] == "batch_too_small"]


def test_neuropathy_foot_oil():
    recipe = RECIPES["neuropathy-foot-oil"]
    assert recipe.carrier == "sweet-almond"
    assert {o["oil"] for o in recipe.oils} == {"lavender", "peppermint"}
    result = calculate_document(recipe.request_document(), shipped_oils())
    assert result["total_drops"] == 6
    assert result["dilution"]["max_percent"] == 1.0
    assert ("reduced_sensation", None) in codes(result)


@pytest.mark.parametrize("teaspoon", ["metric", "us"])
@pytest.mark.parametrize("slug", sorted(RECIPES))
def test_every_recipe_can_be_made_as_written_with_either_teaspoon(slug, teaspoon):
    # "1 drop per teaspoon" is 1.004 % with a US teaspoon: a recipe written that way at a 1 % limit was refused
    result = scaled(slug, conventions={"teaspoon": teaspoon})
    assert result["total_drops"] > 0
    assert result["dilution"]["actual_percent"] <= result["dilution"]["max_percent"] * (1 + 1e-9)


def test_sunny_citrus_is_safe_in_the_sun():
    recipe = RECIPES["sunny-citrus-body-oil"]
    assert recipe.profile.get("sun_exposure") is True
    result = calculate_document(recipe.request_document(), shipped_oils())
    assert not [w for w in result["warnings"] if w["code"] == "phototoxic" and w["severity"] != "caution"]


def test_face_oil_is_for_the_face_at_one_percent():
    recipe = RECIPES["face-oil"]
    assert recipe.use == "face"
    result = calculate_document(recipe.request_document(), shipped_oils())
    assert result["dilution"]["actual_percent"] <= 1.0 + 1e-9


def test_scaling_to_another_amount_and_unit():
    recipe = RECIPES["calming-massage-oil"]
    base = calculate_document(recipe.request_document(), shipped_oils())
    scaled = calculate_document(recipe.request_document(amount="4 fl oz"), shipped_oils())
    assert scaled["blend_ml"] == pytest.approx(118.2941, abs=1e-3)
    assert scaled["total_drops"] == 47
    assert base["dilution"]["requested_percent"] == scaled["dilution"]["requested_percent"]


def test_scaling_for_another_person_applies_their_limit():
    recipe = RECIPES["calming-massage-oil"]  # 2 %
    with pytest.raises(Problem) as refused:
        calculate_document(recipe.request_document(profile={"age_years": 70}), shipped_oils())
    assert refused.value.to_dict()["warnings"][0]["code"] == "use_maximum"
    capped = calculate_document(recipe.request_document(profile={"age_years": 70}, on_limit="cap"), shipped_oils())
    assert capped["dilution"]["actual_percent"] <= 1.0 + 1e-9


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('name = "x"\ncarrier = "jojoba"\namount = "30 mL"\n[[oils]]\noil = "lavendar"\nparts = 1\n', "lavendar"),
        ('name = "x"\ncarrier = "jojoba"\namount = "30 kg"\n[[oils]]\noil = "lavender"\n', "not a volume"),
        (
            'name = "x"\ncarrier = "jojoba"\namount = "30 mL"\ndilution = "4%"\n[[oils]]\noil = "lavender"\n',
            "above the 2 % maximum",
        ),
        ('name = "x"\ncarrier = "jojoba"\namount = "30 mL"\n', "missing oils"),
        ('name = "x"\ncarrier = "jojoba"\namount = "30 mL"\ncolour = 1\n[[oils]]\noil = "lavender"\n', "unknown keys"),
        ('name = "x\n', "cannot read"),
    ],
)
def test_bad_recipe_files_name_the_file(tmp_path, text, fragment):
    path = tmp_path / "bad-recipe.toml"
    path.write_text(text)
    with pytest.raises(RecipeError) as error:
        check_recipes(load_recipes(tmp_path), shipped_oils())
    assert "bad-recipe.toml" in str(error.value)
    assert fragment in str(error.value)


@pytest.mark.parametrize("make", [os.mkfifo, os.mkdir], ids=["pipe", "folder"])
def test_a_recipe_that_is_not_a_regular_file_is_refused_at_once(tmp_path, make):
    make(tmp_path / "odd.toml")  # reading a pipe no one writes to would hold the start for ever
    with pytest.raises(RecipeError, match=r"odd\.toml: cannot read the recipe: not a regular file"):
        load_recipes(tmp_path)


@pytest.mark.parametrize("name", ["trailing\n.toml", "Upper.toml", "two--hyphens.toml"])
def test_a_recipe_file_name_that_is_not_a_whole_slug_is_refused(tmp_path, name):
    (tmp_path / name).write_text('name = "x"\ncarrier = "jojoba"\namount = "30 mL"\n[[oils]]\noil = "lavender"\n')
    with pytest.raises(RecipeError, match="the file name must be a slug"):
        load_recipes(tmp_path)


def test_recipes_folder_from_the_environment_or_the_source_tree(monkeypatch, tmp_path):
    from oil_blends.documents.recipes import default_recipes_dir

    monkeypatch.setenv("OIL_BLENDS_RECIPES_DIR", str(tmp_path))
    assert default_recipes_dir() == tmp_path
    monkeypatch.delenv("OIL_BLENDS_RECIPES_DIR")
    assert (default_recipes_dir() / "neuropathy-foot-oil.toml").is_file()


# --- scaling for another person keeps the recipe's own profile (merge_profiles) --------------------------


def scaled(slug, **kwargs):
    return calculate_document(RECIPES[slug].request_document(**kwargs), shipped_oils())


def test_readme_example_keeps_the_neuropathy_limit_and_warnings():
    result = scaled("neuropathy-foot-oil", amount="4 fl oz", profile={"age_years": 72})
    assert {"reduced_sensation", "age_65_plus"} <= set(result["dilution"]["limited_by"])
    assert ("reduced_sensation", None) in codes(result)


def test_recipe_for_age_70_scaled_for_age_40_keeps_one_percent():
    result = scaled("gentle-senior-hand-oil", profile={"age_years": 40})
    assert result["dilution"]["max_percent"] == 1.0
    assert "age_65_plus" in result["dilution"]["limited_by"]


def written_for_70(*slugs):
    """A recipe without a dilution, written for a 70-year-old."""
    oils = tuple({"oil": slug} for slug in slugs)
    return Recipe(slug="older-hands", name="x", carrier="jojoba", amount="30 mL", oils=oils, profile={"age_years": 70})


def scaled_recipe(recipe, profile):
    return calculate_document(recipe.request_document(profile=profile), shipped_oils())


def test_recipe_without_a_dilution_for_age_70_stays_at_one_percent_for_age_40():
    result = scaled_recipe(written_for_70("lavender"), {"age_years": 40})
    assert result["dilution"]["actual_percent"] <= 1.0 + 1e-9
    assert result["dilution"]["limited_by"] == ["age_65_plus"]


def test_recipe_for_age_70_scaled_for_age_5_uses_the_child_maximum():
    document = RECIPES["gentle-senior-hand-oil"].request_document(profile={"age_years": 5})
    assert document["profile"]["age_years"] == 5
    with pytest.raises(Problem) as refused:
        calculate_document(document, shipped_oils())
    assert "use_maximum" in {w["code"] for w in refused.value.to_dict()["warnings"]}
    capped = scaled("gentle-senior-hand-oil", profile={"age_years": 5}, on_limit="cap")
    assert capped["dilution"]["max_percent"] == 0.25
    assert capped["dilution"]["limited_by"] == ["child_2_to_6_years"]


def test_recipe_for_age_70_scaled_for_age_16_keeps_the_refusals_for_children():
    # the recipe passes its own (age 70) rules; birch is never for anyone under 18, whoever it was written for
    recipe = written_for_70("birch", "lavender")
    assert scaled_recipe(recipe, {"age_years": 40})["dilution"]["limited_by"] == ["age_65_plus"]
    with pytest.raises(Problem) as refused:
        scaled_recipe(recipe, {"age_years": 16})
    assert codes(refused.value.to_dict())[("child", "birch")] == "danger"


def test_conditions_are_united():
    document = RECIPES["neuropathy-foot-oil"].request_document(profile={"conditions": ["g6pd", "neuropathy"]})
    assert document["profile"]["conditions"] == ["neuropathy", "g6pd"]
    with pytest.raises(Problem) as refused:
        calculate_document(document, shipped_oils())
    assert codes(refused.value.to_dict())[("g6pd", "peppermint")] == "danger"
    result = scaled("neuropathy-foot-oil", profile={"conditions": ["diabetes"]})
    assert ("reduced_sensation", None) in codes(result)
    assert "reduced_sensation" in result["dilution"]["limited_by"]


def test_use_replaces_the_recipes_use_with_its_limit():
    document = RECIPES["calming-massage-oil"].request_document(use="face")
    assert document["use"] == "face"
    with pytest.raises(Problem) as refused:
        calculate_document(document, shipped_oils())
    assert refused.value.to_dict()["warnings"][0]["code"] == "use_maximum"
    capped = scaled("calming-massage-oil", use="face", on_limit="cap")
    assert capped["dilution"]["max_percent"] == 1.0 and capped["dilution"]["limited_by"] == ["use_face"]


@pytest.mark.parametrize(
    ("recipe", "person", "use", "expected"),
    [
        ({}, {}, "massage", {}),
        ({"sun_exposure": False}, {}, "massage", {"sun_exposure": False}),  # no person: the recipe as written
        ({"conditions": ["neuropathy"]}, {"age_years": 40}, "massage", {"conditions": ["neuropathy"], "age_years": 40}),
        (
            {"conditions": ["neuropathy", "diabetes"]},
            {"conditions": ["epilepsy", "neuropathy"]},
            "massage",
            {"conditions": ["neuropathy", "diabetes", "epilepsy"]},
        ),
        (
            {"allergies": ["tree_nut"]},
            {"allergies": ["peanut", "tree_nut"]},
            "massage",
            {"allergies": ["tree_nut", "peanut"]},
        ),
        ({"pregnant": True}, {"pregnant": False}, "massage", {"pregnant": True}),
        ({"pregnant": False}, {"pregnant": True}, "massage", {"pregnant": True}),
        ({}, {"pregnant": True}, "massage", {"pregnant": True}),
        ({"skin": "sensitive"}, {"skin": "normal"}, "massage", {"skin": "sensitive"}),
        ({"skin": "sensitive"}, {"skin": "damaged"}, "massage", {"skin": "damaged"}),
        ({"skin": "damaged"}, {"skin": "sensitive"}, "massage", {"skin": "damaged"}),
        ({"sun_exposure": False}, {"sun_exposure": False}, "massage", {"sun_exposure": False}),
        ({"sun_exposure": False}, {"age_years": 40}, "massage", {"age_years": 40}),  # may see sun
        ({}, {"sun_exposure": False}, "massage", {}),
        ({"sun_exposure": False}, {"sun_exposure": True}, "massage", {"sun_exposure": True}),
        ({"sun_exposure": True}, {"sun_exposure": False}, "massage", {"sun_exposure": True}),
        ({"age_years": 70}, {"age_years": 40}, "massage", {"age_years": 70}),  # 1 % against 2 %
        ({"age_years": 40}, {"age_years": 70}, "massage", {"age_years": 70}),
        ({"age_years": 70}, {"age_years": 5}, "massage", {"age_years": 5}),  # 0.25 % against 1 %
        ({"age_years": 40}, {"age_years": 30}, "massage", {"age_years": 30}),  # a tie: the younger
        ({"age_years": 70}, {"age_years": 10}, "massage", {"age_years": 10}),  # 1 % each: the younger
        ({"age_years": 70}, {"age_years": 16}, "massage", {"age_years": 16}),  # a child's rules are the child's
        ({"age_years": 40}, {"age_years": 17.9}, "massage", {"age_years": 17.9}),
        ({"age_years": 16}, {"age_years": 70}, "massage", {"age_years": 70}),  # 1 % against 2 %
        ({"age_years": 70}, {"age_years": 40}, "face", {"age_years": 40}),  # 1 % each for the face
        ({"age_years": 70}, {"age_years": "abc"}, "massage", {"age_years": "abc"}),  # left for the schema
        ({"skin": "sensitive"}, {"skin": "scaly"}, "massage", {"skin": "scaly"}),
    ],
)
def test_merge_profiles(recipe, person, use, expected):
    assert merge_profiles(recipe, person, use) == expected


def test_merge_profiles_does_not_change_its_arguments():
    recipe, person = {"conditions": ["neuropathy"]}, {"conditions": ["diabetes"]}
    merge_profiles(recipe, person, "massage")
    assert recipe == {"conditions": ["neuropathy"]} and person == {"conditions": ["diabetes"]}


# --- invalid recipes: collected for the listing, strict for start-up ------------------------------------

BAD_OIL = 'name = "x"\ncarrier = "jojoba"\namount = "30 mL"\n[[oils]]\noil = "lavendr"\nparts = 1\n'


def test_load_recipes_collecting_keeps_the_good_ones(tmp_path):
    (tmp_path / "face-oil.toml").write_text(Path(RECIPES["face-oil"].path).read_text(encoding="utf-8"))
    (tmp_path / "broken.toml").write_text('name = "x\n')
    (tmp_path / "bad-oil.toml").write_text(BAD_OIL)
    recipes, unreadable = load_recipes_collecting(tmp_path)
    assert list(recipes) == ["bad-oil", "face-oil"]
    assert list(unreadable) == ["broken"] and "broken.toml" in str(unreadable["broken"])
    errors = recipe_errors(recipes, shipped_oils())
    assert list(errors) == ["bad-oil"]
    message = str(errors["bad-oil"])
    assert "bad-oil.toml" in message and "unknown essential oil 'lavendr'" in message and "lavender" in message
    assert "oils.0" not in message
    with pytest.raises(RecipeError):
        load_recipes(tmp_path)
    with pytest.raises(RecipeError, match="bad-oil.toml"):
        check_recipes(recipes, shipped_oils())


def test_a_missing_recipes_folder_is_an_error(tmp_path):
    with pytest.raises(RecipeError, match="does not exist"):
        load_recipes_collecting(tmp_path / "none")


def test_flat_fields_nest_into_one_request_document():
    """CLI flags, recipe query parameters (and later the web form) map to a request document one way."""
    from oil_blends.documents.calculator import nest_flat_fields

    flat = {
        "carrier": "jojoba",
        "amount": "30 mL",
        "oils": [{"oil": "lavender"}],
        "use": None,
        "age_years": 70,
        "pregnant": None,
        "conditions": ["neuropathy"],
        "sun_exposure": False,
        "teaspoon": "us",
        "drops_per_ml": None,
    }
    assert nest_flat_fields(flat) == {
        "carrier": "jojoba",
        "amount": "30 mL",
        "oils": [{"oil": "lavender"}],
        "profile": {"age_years": 70, "conditions": ["neuropathy"], "sun_exposure": False},
        "conventions": {"teaspoon": "us"},
    }
    assert nest_flat_fields({"amount": "1 fl oz"}) == {"amount": "1 fl oz"}
