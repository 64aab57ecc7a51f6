"""The safety cases an outside reviewer runs through the CLI and the API, on the real shipped catalog.

Each case is checked on the engine's documents (``helpers_blend``); the last few are run again through
``python -m oil_blends.cli calc --request - --json`` in a real process and through POST /api/v1/blends/calculate.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from helpers_blend import blend, codes, refusal, request
from oil_blends.documents.catalog import catalog_document
from oil_blends.documents.problems import PROBLEM_CONTENT_TYPE

CALCULATE = "/api/v1/blends/calculate"
ENTRIES = {entry["slug"]: entry for entry in catalog_document()["oils"]}


def entry(slug: str) -> dict[str, Any]:
    return ENTRIES[slug]


def with_contraindication(code: str, kind: str = "essential") -> list[str]:
    """Every oil of the shipped catalog that lists ``code`` among its contraindications."""
    return sorted(slug for slug, e in ENTRIES.items() if e["kind"] == kind and code in e["contraindications"])


def messages(document: dict[str, Any], code: str, oil: str | None = None) -> list[str]:
    return [w["message"] for w in document["warnings"] if w["code"] == code and w["oil"] == oil]


def message(document: dict[str, Any], code: str, oil: str | None = None) -> str:
    found = messages(document, code, oil)
    assert len(found) == 1, (code, oil, document["warnings"])
    return found[0]


def assert_unsafe(problem: dict[str, Any], code: str, oil: str | None) -> None:
    assert problem["status"] == 422
    assert problem["type"] == "/problems/unsafe-blend"
    assert codes(problem)[(code, oil)] == "danger"
    assert any(text in problem["detail"] for text in messages(problem, code, oil))
    assert ("capped", None) not in codes(problem)


CHEST_RUB_OILS = [
    "peppermint",
    "eucalyptus-globulus",
    "eucalyptus-radiata",
    "rosemary",
    "cajeput",
    "niaouli",
    "spike-lavender",
    "laurel-leaf",
    "camphor",
]
UNDER_30_MONTHS = with_contraindication("child_under_30_months")
FACE_UNDER_10 = with_contraindication("child_face_under_10")
SENSITIZERS = [
    "cinnamon-bark",
    "cassia",
    "cinnamon-leaf",
    "clove-bud",
    "clove-leaf",
    "lemongrass",
    "may-chang",
    "melissa",
]
METHYL_SALICYLATE = ["birch", "wintergreen"]
EPILEPSY = with_contraindication("epilepsy")
EPILEPSY_NAMED = [
    "camphor",
    "spanish-lavender",
    "sage",
    "hyssop",
    "rosemary",
    "birch",
    "wintergreen",
    "fennel",
    "eucalyptus-globulus",
    "eucalyptus-radiata",
]
PREGNANCY = with_contraindication("pregnancy")
PREGNANCY_NAMED = ["star-anise", "sage", "birch", "wintergreen", "camphor", "hyssop", "cassia", "cinnamon-bark"]


# ---- babies and toddlers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("age", [0, 0.1, 0.2, 0.249])
@pytest.mark.parametrize("on_limit", ["reject", "cap"])
def test_no_essential_oil_on_a_baby_under_3_months(age, on_limit):
    problem = refusal(["lavender"], amount="100 mL", on_limit=on_limit, profile={"age_years": age})
    assert_unsafe(problem, "child", None)
    assert "3 months" in message(problem, "child", None)


@pytest.mark.parametrize("age", [0.25, 0.5, 1, 1.99])
def test_3_to_24_months_is_kept_to_0_1_percent(age):
    result = blend(["lavender"], amount="100 mL", profile={"age_years": age})
    assert result["dilution"]["max_percent"] == 0.1
    assert result["dilution"]["limited_by"] == ["child_3_to_24_months"]
    assert 0 < result["dilution"]["actual_percent"] <= 0.1
    problem = refusal(["lavender"], amount="100 mL", dilution="0.2%", profile={"age_years": age})
    assert_unsafe(problem, "use_maximum", None)
    assert "0.1 % maximum" in problem["detail"]


def test_the_chest_rub_oils_carry_the_30_month_contraindication():
    assert set(CHEST_RUB_OILS) <= set(UNDER_30_MONTHS)
    assert set(CHEST_RUB_OILS) - {"camphor"} <= set(FACE_UNDER_10)


@pytest.mark.parametrize("oil", UNDER_30_MONTHS)
@pytest.mark.parametrize("age", [1, 2, 2.49])
def test_chest_rub_for_a_toddler_is_refused(oil, age):
    problem = refusal([oil], amount="100 mL", dilution="0.05%", use="massage", profile={"age_years": age})
    assert_unsafe(problem, "child", oil)
    assert any("30 months" in text for text in messages(problem, "child", oil))


@pytest.mark.parametrize("age", [1, 2])
def test_a_whole_chest_rub_for_a_toddler_names_every_oil(age):
    oils = ["peppermint", "eucalyptus-globulus", "eucalyptus-radiata", "rosemary", "camphor"]
    problem = refusal(oils, amount="100 mL", dilution="0.1%", on_limit="cap", profile={"age_years": age})
    for oil in oils:
        assert_unsafe(problem, "child", oil)


@pytest.mark.parametrize("oil", UNDER_30_MONTHS)
def test_at_30_months_the_body_is_allowed(oil):
    result = blend([oil], amount="100 mL", dilution="0.2%", profile={"age_years": 2.5})
    assert result["total_drops"] == 4
    assert not [w for w in result["warnings"] if w["severity"] == "danger"]
    if oil in FACE_UNDER_10:
        assert codes(result)[("child", oil)] == "caution"
        assert "face" in message(result, "child", oil)


@pytest.mark.parametrize("oil", FACE_UNDER_10)
@pytest.mark.parametrize("age", [2.5, 6, 9.99])
def test_on_the_face_of_a_child_under_10_is_refused(oil, age):
    problem = refusal([oil], amount="100 mL", dilution="0.2%", use="face", profile={"age_years": age})
    assert_unsafe(problem, "child", oil)
    assert "face" in message(problem, "child", oil)


@pytest.mark.parametrize("oil", FACE_UNDER_10)
def test_on_the_face_from_10_is_allowed(oil):
    result = blend([oil], amount="100 mL", dilution="0.2%", use="face", profile={"age_years": 10})
    assert ("child", oil) not in codes(result)


@pytest.mark.parametrize("oil", UNDER_30_MONTHS)
def test_without_an_age_the_30_month_oils_ask_for_it(oil):
    result = blend([oil], amount="100 mL", dilution="0.2%")
    assert codes(result)[("child", oil)] == "caution"
    text = message(result, "child", oil)
    assert "not for children under 30 months" in text
    assert "give their age" in text


# ---- strong sensitizers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("oil", SENSITIZERS)
def test_strong_sensitizers_in_the_catalog(oil):
    assert entry(oil)["sensitizer"] is True
    assert {"child_under_2", "damaged_skin"} <= set(entry(oil)["contraindications"])


@pytest.mark.parametrize("oil", SENSITIZERS)
@pytest.mark.parametrize("age", [0.25, 1, 1.99])
def test_strong_sensitizers_refused_under_2(oil, age):
    assert_unsafe(refusal([oil], amount="200 mL", profile={"age_years": age}), "child", oil)


@pytest.mark.parametrize("oil", SENSITIZERS)
def test_strong_sensitizers_allowed_from_2(oil):
    result = blend([oil], amount="200 mL", profile={"age_years": 2})
    assert ("child", oil) not in codes(result)
    assert result["total_drops"] >= 1


@pytest.mark.parametrize("oil", SENSITIZERS)
@pytest.mark.parametrize("on_limit", ["reject", "cap"])
def test_strong_sensitizers_refused_on_damaged_skin(oil, on_limit):
    problem = refusal([oil], amount="200 mL", on_limit=on_limit, profile={"skin": "damaged", "age_years": 40})
    assert_unsafe(problem, "damaged_skin", oil)
    assert "sensitizer" in message(problem, "damaged_skin", oil)


@pytest.mark.parametrize("oil", SENSITIZERS)
def test_strong_sensitizers_on_sensitive_skin_are_a_caution(oil):
    result = blend([oil], amount="200 mL", profile={"skin": "sensitive", "age_years": 40})
    assert codes(result)[("damaged_skin", oil)] == "caution"
    assert "sensitive skin" in message(result, "damaged_skin", oil)
    assert codes(result)[("sensitizer", oil)] == "caution"
    assert codes(result)[("patch_test", None)] == "info"


def test_arnica_carrier_refused_on_damaged_skin():
    problem = refusal(["lavender"], carrier="arnica-infused", profile={"skin": "damaged", "age_years": 40})
    assert_unsafe(problem, "damaged_skin", "arnica-infused")


# ---- methyl salicylate -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("oil", METHYL_SALICYLATE)
def test_methyl_salicylate_maximum_is_2_5_percent(oil):
    assert entry(oil)["max_dermal_percent"] == 2.5
    assert "salicylate" in entry(oil)["allergens"]
    result = blend([oil], use="small_area", dilution="2.5%", profile={"age_years": 40})
    assert result["essential_oils"][0]["percent"] == pytest.approx(2.5)


@pytest.mark.parametrize("oil", METHYL_SALICYLATE)
@pytest.mark.parametrize("on_limit", ["reject", "cap"])
def test_methyl_salicylate_at_5_percent_small_area(oil, on_limit):
    fields = {"use": "small_area", "dilution": "5%", "on_limit": on_limit, "profile": {"age_years": 40}}
    if on_limit == "reject":
        problem = refusal([oil], **fields)
        assert_unsafe(problem, "oil_maximum", oil)
        assert "2.5 %" in message(problem, "oil_maximum", oil)
    else:
        result = blend([oil], **fields)
        assert result["capped"] is True
        assert result["essential_oils"][0]["percent"] <= 2.5


@pytest.mark.parametrize("oil", METHYL_SALICYLATE)
@pytest.mark.parametrize("profile", [{}, {"age_years": 40}, {"age_years": 70, "skin": "sensitive"}])
def test_methyl_salicylate_always_carries_its_caution(oil, profile):
    result = blend([oil], dilution="1%", profile=profile)
    assert codes(result)[("methyl_salicylate", oil)] == "caution"
    text = message(result, "methyl_salicylate", oil)
    assert "heat" in text and "children" in text and "aspirin" in text


@pytest.mark.parametrize("oil", METHYL_SALICYLATE)
@pytest.mark.parametrize("allergy", ["salicylate", "aspirin"])
def test_methyl_salicylate_refused_with_a_salicylate_or_aspirin_allergy(oil, allergy):
    problem = refusal([oil], dilution="1%", on_limit="cap", profile={"age_years": 40, "allergies": [allergy]})
    assert_unsafe(problem, "allergen", oil)
    assert codes(problem)[("methyl_salicylate", oil)] == "caution"


@pytest.mark.parametrize("oil", METHYL_SALICYLATE)
@pytest.mark.parametrize("age", [0.5, 2.5, 10, 15, 17.99])
def test_methyl_salicylate_never_under_18(oil, age):
    problem = refusal([oil], amount="100 mL", dilution="0.1%", profile={"age_years": age})
    assert_unsafe(problem, "child", oil)
    assert "Reye" in " ".join(messages(problem, "child", oil))
    assert codes(problem)[("methyl_salicylate", oil)] == "caution"


@pytest.mark.parametrize("oil", METHYL_SALICYLATE)
def test_methyl_salicylate_allowed_at_18(oil):
    assert ("child", oil) not in codes(blend([oil], dilution="1%", profile={"age_years": 18}))


# ---- conditions ------------------------------------------------------------------------------------------------


def test_the_named_epilepsy_oils_are_in_the_catalog_list():
    assert set(EPILEPSY_NAMED) <= set(EPILEPSY)


@pytest.mark.parametrize("oil", EPILEPSY)
@pytest.mark.parametrize("on_limit", ["reject", "cap"])
def test_epilepsy_oils_are_refused(oil, on_limit):
    problem = refusal(
        [oil],
        amount="100 mL",
        dilution="0.1%",
        on_limit=on_limit,
        profile={"age_years": 40, "conditions": ["epilepsy"]},
    )
    assert_unsafe(problem, "epilepsy", oil)
    assert "epilepsy" in message(problem, "epilepsy", oil)


@pytest.mark.parametrize("oil", ["cajeput", "niaouli", "laurel-leaf"])
def test_epilepsy_caution_oils_are_not_refused(oil):
    assert "epilepsy" in entry(oil)["cautions"]
    result = blend([oil], amount="100 mL", dilution="0.1%", profile={"age_years": 40, "conditions": ["epilepsy"]})
    assert codes(result)[("epilepsy", oil)] == "caution"


@pytest.mark.parametrize("oil", ["clove-bud", "clove-leaf"])
def test_clove_with_anticoagulants_is_a_caution(oil):
    result = blend([oil], amount="100 mL", profile={"age_years": 40, "conditions": ["anticoagulants"]})
    assert codes(result)[("anticoagulants", oil)] == "caution"
    assert "blood thinners" in message(result, "anticoagulants", oil)
    assert result["total_drops"] >= 1


@pytest.mark.parametrize("oil", METHYL_SALICYLATE)
def test_methyl_salicylate_with_anticoagulants_is_refused(oil):
    problem = refusal([oil], dilution="1%", profile={"age_years": 40, "conditions": ["anticoagulants"]})
    assert_unsafe(problem, "anticoagulants", oil)


def test_the_named_pregnancy_oils_are_in_the_catalog_list():
    assert set(PREGNANCY_NAMED) <= set(PREGNANCY)


@pytest.mark.parametrize("oil", PREGNANCY)
@pytest.mark.parametrize("on_limit", ["reject", "cap"])
def test_pregnancy_oils_are_refused(oil, on_limit):
    problem = refusal(
        [oil], amount="200 mL", dilution="0.05%", on_limit=on_limit, profile={"age_years": 30, "pregnant": True}
    )
    assert_unsafe(problem, "pregnancy", oil)


def test_arnica_carrier_refused_in_pregnancy():
    assert_unsafe(refusal(carrier="arnica-infused", profile={"pregnant": True}), "pregnancy", "arnica-infused")


def test_pregnancy_caps_at_1_percent():
    result = blend(["lavender"], profile={"pregnant": True, "age_years": 30})
    assert result["dilution"]["max_percent"] == 1.0
    assert result["dilution"]["actual_percent"] == pytest.approx(1.0)
    assert codes(result)[("pregnancy", None)] == "info"
    problem = refusal(["lavender"], dilution="1.5%", profile={"pregnant": True, "age_years": 30})
    assert_unsafe(problem, "use_maximum", None)
    capped = blend(["lavender"], dilution="1.5%", on_limit="cap", profile={"pregnant": True, "age_years": 30})
    assert capped["capped"] is True
    assert capped["dilution"]["actual_percent"] == pytest.approx(1.0)


@pytest.mark.parametrize("oil", ["fennel", "fennel-bitter", "star-anise"])
@pytest.mark.parametrize("age", [2.5, 3, 4.99])
def test_anethole_oils_refused_under_5(oil, age):
    assert "child_under_5" in entry(oil)["contraindications"]
    problem = refusal([oil], amount="100 mL", profile={"age_years": age})
    assert_unsafe(problem, "child", oil)
    assert "under 5" in message(problem, "child", oil)


@pytest.mark.parametrize("oil", ["fennel", "fennel-bitter", "star-anise"])
def test_anethole_oils_allowed_from_5(oil):
    result = blend([oil], amount="100 mL", profile={"age_years": 5})
    assert ("child", oil) not in codes(result)
    assert result["total_drops"] >= 1


@pytest.mark.parametrize("condition", ["cardiac_fibrillation", "g6pd"])
@pytest.mark.parametrize("on_limit", ["reject", "cap"])
def test_peppermint_with_fibrillation_or_g6pd_is_refused(condition, on_limit):
    problem = refusal(
        ["peppermint"], dilution="1%", on_limit=on_limit, profile={"age_years": 40, "conditions": [condition]}
    )
    assert_unsafe(problem, condition, "peppermint")


# ---- carriers ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("carrier", ["coconut", "fractionated-coconut"])
def test_coconut_is_its_own_allergen(carrier):
    result = blend(carrier=carrier)
    assert codes(result)[("allergen", carrier)] == "caution"
    text = message(result, "allergen", carrier)
    assert "FDA" in text and "tree-nut" in text
    assert_unsafe(refusal(carrier=carrier, profile={"allergies": ["coconut"]}), "allergen", carrier)
    not_refused = blend(carrier=carrier, profile={"allergies": ["tree_nut"]})
    assert codes(not_refused)[("allergen", carrier)] == "caution"
    assert not [w for w in not_refused["warnings"] if w["severity"] == "danger"]


def test_sunflower_is_daisy_family():
    assert "asteraceae" in entry("sunflower")["allergens"]
    result = blend(carrier="sunflower")
    assert codes(result)[("allergen", "sunflower")] == "caution"
    assert "daisy-family (Asteraceae)" in message(result, "allergen", "sunflower")
    assert_unsafe(refusal(carrier="sunflower", profile={"allergies": ["asteraceae"]}), "allergen", "sunflower")


@pytest.mark.parametrize("carrier", ["sweet-almond", "apricot-kernel", "argan", "macadamia"])
def test_tree_nut_carriers_refused_with_a_tree_nut_allergy(carrier):
    assert_unsafe(refusal(carrier=carrier, profile={"allergies": ["tree_nut"]}), "allergen", carrier)


# ---- oxidation and oil maxima ----------------------------------------------------------------------------------


@pytest.mark.parametrize("oil", ["frankincense", "juniper", "cypress", "black-pepper", "lemongrass"])
def test_oxidation_info(oil):
    assert entry(oil)["oxidizes"] is True
    result = blend([oil], amount="100 mL", dilution="0.5%")
    assert codes(result)[("oxidation", oil)] == "info"
    months = entry(oil)["shelf_life_months"]
    if oil == "lemongrass":
        assert months
    if months:
        assert f"{months} months" in message(result, "oxidation", oil)


def test_oxidation_info_for_each_oil_of_a_mixed_blend():
    oils = ["frankincense", "juniper", "cypress", "black-pepper", "lemongrass"]
    result = blend(oils, amount="100 mL", dilution="1%")
    for oil in oils:
        assert codes(result)[("oxidation", oil)] == "info"


@pytest.mark.parametrize(("oil", "maximum", "above"), [("jasmine", 0.7, "0.8%"), ("sage", 0.4, "0.5%")])
def test_oil_maxima(oil, maximum, above):
    assert entry(oil)["max_dermal_percent"] == maximum
    at = blend([oil], amount="100 mL", dilution=f"{maximum}%", profile={"age_years": 40})
    assert at["essential_oils"][0]["percent"] == pytest.approx(maximum)
    problem = refusal([oil], amount="100 mL", dilution=above, profile={"age_years": 40})
    assert_unsafe(problem, "oil_maximum", oil)
    assert f"{maximum:g} %" in message(problem, "oil_maximum", oil)
    capped = blend([oil], amount="100 mL", dilution=above, on_limit="cap", profile={"age_years": 40})
    assert capped["capped"] is True
    assert capped["essential_oils"][0]["percent"] <= maximum + 1e-9


# ---- reject versus cap -------------------------------------------------------------------------------------------


REFUSED_WITH_CAP = [
    ({"oils": ["sage"], "dilution": "2%", "profile": {"pregnant": True}}, "pregnancy", "sage"),
    ({"oils": ["rosemary"], "dilution": "3%", "profile": {"conditions": ["epilepsy"]}}, "epilepsy", "rosemary"),
    (
        {"oils": ["wintergreen"], "dilution": "5%", "use": "small_area", "profile": {"allergies": ["aspirin"]}},
        "allergen",
        "wintergreen",
    ),
    ({"oils": ["peppermint"], "dilution": "1%", "profile": {"age_years": 1}}, "child", "peppermint"),
    ({"oils": ["lavender"], "dilution": "2%", "profile": {"age_years": 0.1}}, "child", None),
    ({"oils": ["lemongrass"], "dilution": "3%", "profile": {"skin": "damaged"}}, "damaged_skin", "lemongrass"),
]


@pytest.mark.parametrize(("fields", "code", "oil"), REFUSED_WITH_CAP)
def test_a_refused_blend_never_carries_a_capped_warning(fields, code, oil):
    fields = dict(fields)
    oils = fields.pop("oils")
    problem = refusal(oils, on_limit="cap", **fields)
    assert_unsafe(problem, code, oil)
    assert not [w for w in problem["warnings"] if w["code"] == "capped"]


def test_a_cap_that_leaves_no_drop_is_batch_too_small():
    # capped to cinnamon bark's 0.07 %: 0.41 of a drop in 1 fl oz, so no drop at all
    problem = refusal(["cinnamon-bark"], amount="1 fl oz", dilution="1%", on_limit="cap")
    assert problem["status"] == 422
    assert problem["type"] == "/problems/batch-too-small"
    assert codes(problem)[("batch_too_small", None)] == "danger"
    assert not [w for w in problem["warnings"] if w["code"] == "capped"]


# ---- the same cases through the command line and the API -----------------------------------------------------------


END_TO_END = [
    pytest.param(
        request(["peppermint", "eucalyptus-globulus"], amount="100 mL", dilution="0.1%", profile={"age_years": 1}),
        "/problems/unsafe-blend",
        ("child", "peppermint"),
        id="chest-rub-1-year-old",
    ),
    pytest.param(
        request(["wintergreen"], use="small_area", dilution="2%", profile={"allergies": ["aspirin"]}),
        "/problems/unsafe-blend",
        ("allergen", "wintergreen"),
        id="wintergreen-aspirin-allergy",
    ),
    pytest.param(
        request(["camphor"], amount="100 mL", dilution="0.1%", on_limit="cap", profile={"conditions": ["epilepsy"]}),
        "/problems/unsafe-blend",
        ("epilepsy", "camphor"),
        id="camphor-epilepsy",
    ),
    pytest.param(
        request(["wintergreen"], use="small_area", dilution="5%", profile={"age_years": 40}),
        "/problems/unsafe-blend",
        ("oil_maximum", "wintergreen"),
        id="wintergreen-5-percent",
    ),
    pytest.param(
        request(["lavender"], carrier="coconut", profile={"allergies": ["coconut"]}),
        "/problems/unsafe-blend",
        ("allergen", "coconut"),
        id="coconut-allergy",
    ),
    pytest.param(
        request(["cinnamon-bark"], amount="1 fl oz", dilution="1%", on_limit="cap"),
        "/problems/batch-too-small",
        ("batch_too_small", None),
        id="cap-leaves-no-drop",
    ),
]


def check_problem(problem: dict[str, Any], type_: str, danger: tuple[str, str | None]) -> None:
    assert problem["status"] == 422
    assert problem["type"] == type_
    assert codes(problem)[danger] == "danger"
    assert not [w for w in problem["warnings"] if w["code"] == "capped"]


@pytest.mark.parametrize(("document", "type_", "danger"), END_TO_END)
def test_refusals_through_the_command_line(document, type_, danger):
    done = subprocess.run(
        [sys.executable, "-m", "oil_blends.cli", "calc", "--request", "-", "--json"],
        input=json.dumps(document),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    check_problem(json.loads(done.stdout), type_, danger)


@pytest.mark.parametrize(("document", "type_", "danger"), END_TO_END)
def test_refusals_through_the_api(client, document, type_, danger):
    response = client.post(CALCULATE, json=document)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM_CONTENT_TYPE
    check_problem(response.get_json(force=True), type_, danger)


def test_an_allowed_case_through_the_command_line_and_the_api(client):
    document = request(["peppermint"], amount="100 mL", dilution="0.2%", profile={"age_years": 2.5})
    done = subprocess.run(
        [sys.executable, "-m", "oil_blends.cli", "calc", "--request", "-", "--json"],
        input=json.dumps(document),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert codes(json.loads(done.stdout))[("child", "peppermint")] == "caution"
    response = client.post(CALCULATE, json=document)
    assert response.status_code == 200
    assert codes(response.get_json())[("child", "peppermint")] == "caution"


def test_every_oil_refused_under_30_months_is_also_kept_off_a_young_childs_face():
    for entry in catalog_document()["oils"]:
        if "child_under_30_months" in entry["contraindications"]:
            assert "child_face_under_10" in entry["contraindications"], entry["slug"]


def test_one_child_warning_per_oil_with_every_reason():
    # laurel leaf is both a 1,8-cineole oil (under 30 months) and a strong sensitizer (under 2)
    problem = refusal(["laurel-leaf"], dilution="0.1%", profile={"age_years": 1})
    child = [w for w in problem["warnings"] if w["code"] == "child" and w["oil"] == "laurel-leaf"]
    assert len(child) == 1 and child[0]["severity"] == "danger"
    assert "under 30 months" in child[0]["message"]
    assert "breathing" in child[0]["message"] and "sensitizer" in child[0]["message"]
    note = next(w for w in blend(["laurel-leaf"], dilution="0.1%")["warnings"] if w["code"] == "child")
    assert note["message"].count("not for children under") == 1 and "30 months" in note["message"]
