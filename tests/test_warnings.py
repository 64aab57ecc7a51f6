"""Every warning code, with its severity and a message that names the oil."""

import pytest

from helpers_blend import blend, codes, drops, refusal


def message(document, code, oil=None):
    return next(w["message"] for w in document["warnings"] if w["code"] == code and w["oil"] == oil)


def test_warning_shape():
    result = blend(["lavender"], carrier="sweet-almond")
    for warning in result["warnings"]:
        assert set(warning) == {"code", "severity", "oil", "message"}
        assert warning["severity"] in {"info", "caution", "danger"}
        assert len(warning["message"]) > 20


@pytest.mark.parametrize("oil", ["sage", "birch", "wintergreen", "basil", "fennel", "cinnamon-bark", "hyssop"])
def test_pregnancy_contraindicated_oils_are_refused(oil):
    problem = refusal([oil], dilution="0.05%", profile={"pregnant": True})
    assert codes(problem)[("pregnancy", oil)] == "danger"


def test_pregnancy_cap_is_info_and_safe_oils_pass():
    result = blend(["lavender", "frankincense"], profile={"pregnant": True})
    assert codes(result)[("pregnancy", None)] == "info"
    assert result["dilution"]["actual_percent"] == pytest.approx(1.0)


def test_clary_sage_in_pregnancy_is_a_caution():
    result = blend(["clary-sage"], dilution="1%", profile={"pregnant": True})
    assert codes(result)[("pregnancy", "clary-sage")] == "caution"


def test_pregnancy_warnings_only_when_pregnant():
    result = blend(["sage"], dilution="0.4%")
    assert not [w for w in result["warnings"] if w["code"] == "pregnancy"]


@pytest.mark.parametrize("oil", ["birch", "wintergreen"])
@pytest.mark.parametrize("age", [1, 8, 14, 17])
def test_methyl_salicylate_never_on_children(oil, age):
    problem = refusal([oil], dilution="0.1%", profile={"age_years": age})
    assert codes(problem)[("child", oil)] == "danger"
    assert "Reye" in message(problem, "child", oil)


@pytest.mark.parametrize("oil", ["peppermint", "eucalyptus-globulus", "eucalyptus-radiata", "rosemary"])
def test_cineole_and_peppermint_on_a_young_childs_face_are_refused(oil):
    problem = refusal([oil], dilution="0.2%", use="face", profile={"age_years": 7})
    assert codes(problem)[("child", oil)] == "danger"


@pytest.mark.parametrize("oil", ["peppermint", "eucalyptus-radiata"])
def test_cineole_and_peppermint_on_a_young_childs_body_are_a_caution(oil):
    result = blend([oil], dilution="0.2%", profile={"age_years": 7})
    assert codes(result)[("child", oil)] == "caution"


def test_no_child_warning_from_age_10():
    result = blend(["peppermint"], dilution="0.5%", use="face", profile={"age_years": 10})
    assert ("child", "peppermint") not in codes(result)


@pytest.mark.parametrize(
    ("condition", "oil", "severity"),
    [
        ("epilepsy", "rosemary", "danger"),
        ("epilepsy", "sage", "danger"),
        ("anticoagulants", "wintergreen", "danger"),
        ("anticoagulants", "birch", "danger"),
        ("g6pd", "peppermint", "danger"),
        ("anticoagulants", "oregano", "caution"),
        ("anticoagulants", "cinnamon-leaf", "caution"),
        ("asthma", "eucalyptus-globulus", "caution"),
    ],
)
def test_condition_contraindications(condition, oil, severity):
    fields = {"dilution": "0.1%", "profile": {"conditions": [condition]}}
    if severity == "danger":
        assert codes(refusal([oil], **fields))[(condition, oil)] == "danger"
    else:
        result = blend([oil], **fields)
        assert codes(result)[(condition, oil)] == "caution"
        assert result["total_drops"] >= 0


def test_contraindications_cannot_be_capped():
    problem = refusal(["rosemary"], dilution="1%", on_limit="cap", profile={"conditions": ["epilepsy"]})
    assert codes(problem)[("epilepsy", "rosemary")] == "danger"


def test_tree_nut_carrier_is_a_caution_and_a_danger_with_the_allergy():
    result = blend(carrier="sweet-almond")
    assert codes(result)[("allergen", "sweet-almond")] == "caution"
    problem = refusal(carrier="sweet-almond", profile={"allergies": ["tree_nut"]})
    assert codes(problem)[("allergen", "sweet-almond")] == "danger"
    assert "Sweet almond" in message(problem, "allergen", "sweet-almond")


def test_peanut_carrier_with_peanut_allergy_is_refused():
    problem = refusal(carrier="peanut", profile={"allergies": ["peanut"]})
    assert codes(problem)[("allergen", "peanut")] == "danger"


def test_jojoba_has_no_allergen_warning():
    assert not [w for w in blend(carrier="jojoba")["warnings"] if w["code"] == "allergen"]


def test_sensitizer_caution_and_patch_test():
    result = blend([("ylang-ylang", 1), ("lavender", 4)], dilution="2%")
    assert codes(result)[("sensitizer", "ylang-ylang")] == "caution"
    assert codes(result)[("patch_test", None)] == "info"
    assert "Ylang" in message(result, "sensitizer", "ylang-ylang")


def test_oxidation_info_for_citrus_and_tea_tree():
    result = blend(["sweet-orange", "tea-tree"], dilution="2%")
    assert codes(result)[("oxidation", "sweet-orange")] == "info"
    assert codes(result)[("oxidation", "tea-tree")] == "info"
    assert "months" in message(result, "oxidation", "sweet-orange")


@pytest.mark.parametrize("condition", ["neuropathy", "diabetes"])
def test_reduced_sensation(condition):
    result = blend(profile={"conditions": [condition]})
    assert codes(result)[("reduced_sensation", None)] == "caution"
    assert codes(result)[("patch_test", None)] == "info"
    text = message(result, "reduced_sensation")
    assert "1 %" in text and "heat" in text and "every day" in text
    assert result["dilution"]["actual_percent"] == pytest.approx(1.0)


def test_sensitive_skin_patch_test():
    assert codes(blend(profile={"skin": "sensitive"}))[("patch_test", None)] == "info"
    assert ("patch_test", None) not in codes(blend())


def test_coconut_solidifies():
    result = blend(carrier="coconut")
    assert codes(result)[("solidifies", "coconut")] == "info"
    assert "24 °C" in message(result, "solidifies", "coconut")
    assert ("solidifies", "fractionated-coconut") not in codes(blend(carrier="fractionated-coconut"))


def test_arnica_carrier_not_in_pregnancy():
    problem = refusal(carrier="arnica-infused", profile={"pregnant": True})
    assert codes(problem)[("pregnancy", "arnica-infused")] == "danger"


def test_batch_too_small_names_the_smallest_batch():
    # 5 mL at 1 % = 1 drop, shared by three oils
    result = blend(["lavender", "geranium", "frankincense"], amount="5 mL", dilution="1%")
    assert codes(result)[("batch_too_small", None)] == "caution"
    text = message(result, "batch_too_small")
    # at 13 mL the 2.6 ideal drops round up to 3, one per oil; at 12 mL they round down to 2
    assert "make at least 13 mL" in text
    assert all(drops(blend(["lavender", "geranium", "frankincense"], amount="13 mL", dilution="1%")).values())
    assert sum(o["drops"] for o in result["essential_oils"]) == 1


def test_batch_too_small_in_the_users_unit():
    problem = refusal(["cinnamon-bark"], amount="1 fl oz")  # 0.07 % of 29.6 mL = 0.41 drop: not a drop at all
    assert problem["type"] == "/problems/batch-too-small"
    assert codes(problem)[("batch_too_small", None)] == "danger"
    text = message(problem, "batch_too_small")
    assert "fl oz" in text
    # one drop (0.05 mL) within 0.07 % needs 71.4 mL = 2.42 fl oz; 2.4 fl oz would put it at 0.0704 %
    assert "2.5 fl oz" in text
    assert refusal(["cinnamon-bark"], amount="2.4 fl oz")["type"] == "/problems/batch-too-small"
    larger = blend(["cinnamon-bark"], amount="2.5 fl oz")
    assert larger["total_drops"] == 1
    assert larger["essential_oils"][0]["percent"] <= 0.07 + 1e-9


def test_rounding_warning_when_whole_drops_move_the_dilution_by_over_5_percent():
    result = blend(amount="10 mL", dilution="1.3%")  # 2.6 drops -> 3 = 1.5 %: +15 %
    assert codes(result)[("rounding", None)] == "info"
    assert ("rounding", None) not in codes(blend(amount="30 mL", dilution="2%"))


def test_capped_warning_says_from_and_to():
    result = blend(dilution="4%", on_limit="cap")
    assert codes(result)[("capped", None)] == "caution"
    assert "4 %" in message(result, "capped") and "2 %" in message(result, "capped")


def test_warnings_sorted_danger_first():
    problem = refusal(["sage"], carrier="sweet-almond", dilution="1%", profile={"pregnant": True})
    severities = [w["severity"] for w in problem["warnings"]]
    order = {"danger": 0, "caution": 1, "info": 2}
    assert severities == sorted(severities, key=order.get)


def test_batch_too_small_names_the_true_smallest_batch():
    # 1 % lavender 5 : lemongrass 1: at 2.4 tsp (12 mL) the 2.4 ideal drops round to 2, both lavender's;
    # at 2.5 tsp the 2.5 round up to 3 and lemongrass (0.42 ideal) gets the third
    result = blend([("lavender", 5), ("lemongrass", 1)], amount="1 tsp", dilution="1%")
    assert "make at least 2.5 tsp (12.5 mL)" in message(result, "batch_too_small")
    assert drops(blend([("lavender", 5), ("lemongrass", 1)], amount="2.5 tsp", dilution="1%"))["lemongrass"] == 1
    assert drops(blend([("lavender", 5), ("lemongrass", 1)], amount="2.4 tsp", dilution="1%"))["lemongrass"] == 0


def test_batch_too_small_advice_does_not_depend_on_the_batch():
    # geranium's ideal is 0.0004 drop per mL: at 1300 mL (0.52 ideal) it wins the rounded-up drop
    for amount in ("5 mL", "100 mL", "1000 mL"):
        result = blend([("lavender", 1), ("geranium", 0.001)], amount=amount, dilution="2%")
        assert "make at least 1300 mL" in message(result, "batch_too_small")
    assert drops(blend([("lavender", 1), ("geranium", 0.001)], amount="1300 mL", dilution="2%"))["geranium"] == 1
    assert drops(blend([("lavender", 1), ("geranium", 0.001)], amount="1200 mL", dilution="2%"))["geranium"] == 0


@pytest.mark.parametrize("dilution", [5e-324, 1e-300, "1e-300%"])
def test_vanishing_dilution_is_refused_as_too_small(dilution):
    problem = refusal([("lavender", 2), ("peppermint", 1)], dilution=dilution)
    assert problem["type"] == "/problems/batch-too-small"
    assert "no batch up to 20 L" in message(problem, "batch_too_small")


def test_a_cap_that_leaves_no_drop_is_refused_not_answered_with_zero_drops():
    # capped to cinnamon bark's 0.07 %: 10 mL holds 0.14 of a drop
    problem = refusal(["cinnamon-bark"], amount="10 mL", dilution="2%", on_limit="cap")
    assert problem["status"] == 422
    assert problem["type"] == "/problems/batch-too-small"
    assert codes(problem)[("batch_too_small", None)] == "danger"
    assert ("capped", None) not in codes(problem)
    assert ("sensitizer", "cinnamon-bark") not in codes(problem)


def test_no_advice_about_an_oil_that_got_no_drop():
    result = blend([("lavender", 20), ("cinnamon-bark", 1)], amount="10 mL", dilution="1%")
    assert drops(result)["cinnamon-bark"] == 0
    assert ("sensitizer", "cinnamon-bark") not in codes(result)
    assert ("batch_too_small", None) in codes(result)


def test_a_refused_blend_carries_no_capped_warning():
    problem = refusal(["birch"], dilution="4%", on_limit="cap", profile={"age_years": 10})
    assert codes(problem)[("child", "birch")] == "danger"
    assert ("capped", None) not in codes(problem)
