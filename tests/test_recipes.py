"""Shipped recipes: each validates and calculates safely; scaling; clear errors naming the file."""

import pytest

from helpers_blend import codes
from oil_blends.calculator import calculate_document, check_recipes
from oil_blends.catalog import shipped_oils
from oil_blends.engine.recipes import RecipeError, load_recipes
from oil_blends.problems import Problem

RECIPES = load_recipes()


def test_at_least_eight_recipes_and_the_required_ones():
    assert len(RECIPES) >= 8
    for slug in ("neuropathy-foot-oil", "cooling-foot-rub", "calming-massage-oil", "sensitive-skin-blend",
                 "sunny-citrus-body-oil", "face-oil"):
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
        ('name = "x"\ncarrier = "jojoba"\namount = "30 mL"\ndilution = "4%"\n[[oils]]\noil = "lavender"\n',
         "above the 2 % maximum"),
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


def test_recipes_folder_from_the_environment_or_the_source_tree(monkeypatch, tmp_path):
    from oil_blends.engine.recipes import default_recipes_dir

    monkeypatch.setenv("OIL_BLENDS_RECIPES_DIR", str(tmp_path))
    assert default_recipes_dir() == tmp_path
    monkeypatch.delenv("OIL_BLENDS_RECIPES_DIR")
    assert (default_recipes_dir() / "neuropathy-foot-oil.toml").is_file()
