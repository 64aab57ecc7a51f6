"""Every use and person maximum, per-oil maxima, additive phototoxicity, reject versus cap."""

import pytest

from helpers_blend import blend, codes, drops, refusal
from oil_blends.documents.catalog import default_rules
from oil_blends.engine import Profile, effective_max_percent


@pytest.mark.parametrize(
    ("use", "profile", "expected", "rule_ids"),
    [
        ("massage", {}, 2.0, {"use_massage"}),
        ("face", {}, 1.0, {"use_face"}),
        ("small_area", {}, 5.0, {"use_small_area"}),
        ("massage", {"pregnant": True}, 1.0, {"pregnancy"}),
        ("massage", {"age_years": 65}, 1.0, {"age_65_plus"}),
        ("massage", {"age_years": 64.9}, 2.0, {"use_massage"}),
        ("massage", {"skin": "sensitive"}, 1.0, {"sensitive_skin"}),
        ("massage", {"skin": "damaged"}, 1.0, {"sensitive_skin"}),
        ("massage", {"conditions": ("neuropathy",)}, 1.0, {"reduced_sensation"}),
        ("massage", {"conditions": ("diabetes",)}, 1.0, {"reduced_sensation"}),
        ("massage", {"age_years": 0.2}, 0.0, {"infant_under_3_months"}),
        ("massage", {"age_years": 0.25}, 0.1, {"child_3_to_24_months"}),
        ("massage", {"age_years": 1.99}, 0.1, {"child_3_to_24_months"}),
        ("massage", {"age_years": 2}, 0.25, {"child_2_to_6_years"}),
        ("massage", {"age_years": 5.9}, 0.25, {"child_2_to_6_years"}),
        ("massage", {"age_years": 6}, 1.0, {"child_6_to_15_years"}),
        ("small_area", {"age_years": 14}, 1.0, {"child_6_to_15_years"}),
        ("small_area", {"age_years": 15}, 2.0, {"small_area_under_18"}),
        ("small_area", {"age_years": 17.9}, 2.0, {"small_area_under_18"}),
        ("small_area", {"age_years": 18}, 5.0, {"use_small_area"}),
        ("face", {"age_years": 16}, 1.0, {"use_face"}),
        ("small_area", {"age_years": 70, "pregnant": True}, 1.0, {"age_65_plus", "pregnancy"}),
    ],
)
def test_effective_max_percent(use, profile, expected, rule_ids):
    maximum, rules = effective_max_percent(default_rules(), use, Profile(**profile))
    assert maximum == expected
    assert {rule.id for rule in rules} == rule_ids


@pytest.mark.parametrize(
    ("fields", "maximum"),
    [
        ({"dilution": "2.5%"}, 2),
        ({"dilution": "1.5%", "use": "face"}, 1),
        ({"dilution": "6%", "use": "small_area"}, 5),
        ({"dilution": "2%", "profile": {"pregnant": True}}, 1),
        ({"dilution": "2%", "profile": {"age_years": 80}}, 1),
        ({"dilution": "2%", "profile": {"skin": "sensitive"}}, 1),
        ({"dilution": "2%", "profile": {"conditions": ["diabetes"]}}, 1),
        ({"dilution": "0.5%", "profile": {"age_years": 4}}, 0.25),
        ({"dilution": "0.2%", "profile": {"age_years": 1}}, 0.1),
        ({"dilution": "3%", "use": "small_area", "profile": {"age_years": 16}}, 2),
        ({"dilution": "2 drops per tsp", "profile": {"conditions": ["neuropathy"]}}, 1),
    ],
)
def test_above_the_use_or_person_maximum_is_refused(fields, maximum):
    problem = refusal(**fields)
    assert problem["status"] == 422
    assert problem["type"] == "/problems/unsafe-blend"
    assert codes(problem)[("use_maximum", None)] == "danger"
    assert f"{maximum:g} % maximum" in problem["detail"]


def test_cap_lowers_to_the_person_maximum():
    result = blend(dilution="3%", on_limit="cap", profile={"age_years": 70})
    assert result["capped"] is True
    assert result["dilution"]["actual_percent"] == pytest.approx(1.0)
    assert result["total_drops"] == 6
    assert codes(result)[("capped", None)] == "caution"
    assert ("use_maximum", None) not in codes(result)


def test_exactly_at_the_maximum_is_accepted():
    assert blend(dilution="2%")["total_drops"] == 12
    assert blend(dilution="1%", profile={"pregnant": True})["total_drops"] == 6


def test_infant_under_three_months_is_refused_even_with_cap():
    problem = refusal(profile={"age_years": 0.1}, on_limit="cap")
    assert codes(problem)[("child", None)] == "danger"


def test_oil_maximum_refused_with_the_oil_named():
    # cinnamon bark max 0.07 %: alone at 1 % is far above
    problem = refusal(["cinnamon-bark"], dilution="1%")
    assert codes(problem)[("oil_maximum", "cinnamon-bark")] == "danger"
    assert "Cinnamon bark" in problem["detail"] and "0.07 %" in problem["detail"]


def test_oil_maximum_applies_to_the_share_not_the_total():
    # lemongrass max 0.7 %: 1 part in 4 of a 2 % blend is 0.5 % -> fine; 2 parts in 3 -> 1.33 % -> refused
    ok = blend([("lemongrass", 1), ("lavender", 3)], dilution="2%")
    assert ok["total_drops"] == 12
    problem = refusal([("lemongrass", 2), ("lavender", 1)], dilution="2%")
    assert ("oil_maximum", "lemongrass") in codes(problem)


def test_cap_for_an_oil_maximum_keeps_every_share_under_it():
    result = blend([("lemongrass", 2), ("lavender", 1)], dilution="2%", on_limit="cap", amount="100 mL")
    lemongrass = next(o for o in result["essential_oils"] if o["oil"] == "lemongrass")
    assert lemongrass["percent"] <= 0.7 + 1e-9
    assert result["dilution"]["actual_percent"] <= 0.7 * 1.5 + 1e-9
    assert result["capped"] is True


def test_default_dilution_respects_oil_maxima_without_refusing():
    result = blend(["cinnamon-leaf"], amount="100 mL")  # max 0.5 %: 100 mL -> 10 drops
    assert result["total_drops"] == 10
    assert result["essential_oils"][0]["percent"] == pytest.approx(0.5)


def test_phototoxic_over_the_limit_in_the_sun_is_refused():
    problem = refusal(["bergamot"], dilution="1%")  # limit 0.4 %
    assert codes(problem)[("phototoxic", None)] == "danger"


def test_phototoxic_shares_add_up():
    # lime 0.7 % and lemon 2 %: 0.3 % lime + 0.6 % lemon = 0.43 + 0.3 = 0.73 of the allowance: fine
    ok = blend([("lime", 1), ("lemon", 2), ("lavender", 7)], dilution="3%", use="small_area", amount="100 mL")
    assert ok["total_drops"] == 60
    # 0.5 % lime + 1.2 % lemon: each under its own limit, together 0.71 + 0.6 = 1.31 > 1 -> refused
    problem = refusal([("lime", 5), ("lemon", 12), ("lavender", 33)], dilution="5%", use="small_area", amount="100 mL")
    assert codes(problem)[("phototoxic", None)] == "danger"
    assert ("oil_maximum", "lime") not in codes(problem)


def test_phototoxic_cap_meets_the_sum_rule():
    result = blend([("lime", 1), ("lemon", 1)], dilution="2%", on_limit="cap", amount="100 mL")
    load = sum(o["percent"] / {"lime": 0.7, "lemon": 2.0}[o["oil"]] for o in result["essential_oils"])
    assert load <= 1 + 1e-9
    assert result["capped"] is True


def test_no_sun_lifts_the_phototoxic_limit_but_still_cautions():
    result = blend(["bergamot"], dilution="1%", profile={"sun_exposure": False})
    assert result["total_drops"] == 6
    assert codes(result)[("phototoxic", "bergamot")] == "caution"
    assert "12-18 hours" in next(w["message"] for w in result["warnings"] if w["code"] == "phototoxic")


def test_phototoxic_within_limit_is_a_caution():
    result = blend([("bergamot", 1), ("lavender", 9)], dilution="2%")  # bergamot 0.2 %
    assert codes(result)[("phototoxic", "bergamot")] == "caution"


def phototoxic_note(result, slug):
    return next(w["message"] for w in result["warnings"] if w["code"] == "phototoxic" and w["oil"] == slug)


def test_phototoxic_note_names_the_share_made_in_whole_drops():
    # capped at 0.8 %: 4.8 ideal drops, bergamot 2 and lavender 3 in whole drops, so bergamot is 0.333 %, not
    # the 0.417 % its half of the 0.833 % made would be
    result = blend([("bergamot", 1), ("lavender", 1)], dilution="2%", on_limit="cap")
    assert drops(result) == {"bergamot": 2, "lavender": 3}
    assert "at 0.333 % it is within its 0.4 % limit" in phototoxic_note(result, "bergamot")


def test_no_sun_note_judges_the_share_made_in_whole_drops():
    # 1.1 % of 30 mL in thirds: 6.6 ideal drops, rounded to 7 with bergamot's 3 drops (0.5 %) over its 0.4 %
    # limit, although a third of 1.167 % would be within it
    result = blend(
        [("bergamot", 1), ("lavender", 1), ("geranium", 1)], dilution="1.1%", profile={"sun_exposure": False}
    )
    assert drops(result)["bergamot"] == 3
    note = phototoxic_note(result, "bergamot")
    assert "at 0.5 % is above its 0.4 % limit" in note
    assert "12-18 hours" in note


def test_a_phototoxic_oil_without_a_drop_has_no_phototoxic_note():
    result = blend([("bergamot", 1), ("lavender", 40)], amount="5 mL", dilution="2%")
    assert drops(result)["bergamot"] == 0
    assert ("batch_too_small", None) in codes(result)
    assert not [w for w in result["warnings"] if w["code"] == "phototoxic"]


def test_fcf_and_distilled_citrus_are_not_phototoxic():
    result = blend(["bergamot-fcf", "lemon-distilled", "lime-distilled"], dilution="2%")
    assert not [w for w in result["warnings"] if w["code"] == "phototoxic"]


def test_reject_lists_every_exceeded_limit():
    problem = refusal([("bergamot", 1), ("cinnamon-bark", 1)], dilution="3%")
    found = codes(problem)
    assert found[("use_maximum", None)] == "danger"
    assert found[("oil_maximum", "cinnamon-bark")] == "danger"
    assert found[("phototoxic", None)] == "danger"


def test_oils_on_top_of_a_carrier_stay_under_their_maximum_after_rounding():
    # 140.2 mL of carrier, lemongrass (max 0.7 %) 3 : lavender 5, capped from 5 %: the cap puts lemongrass at
    # exactly 0.7 % of the ideal blend; rounding lavender down shrinks the blend, so lemongrass gives back a drop.
    result = blend(
        [("lemongrass", 3), ("lavender", 5)],
        amount="140.2 mL",
        amount_of="carrier",
        dilution="5%",
        use="small_area",
        on_limit="cap",
    )
    lemongrass = next(o for o in result["essential_oils"] if o["oil"] == "lemongrass")
    assert lemongrass["percent"] <= 0.7
    assert lemongrass["drops"] == 19  # its ideal is 20.001: the 20th drop would make it 0.70004 %


def test_one_adult_age_for_every_rule():
    """The small-area rule's "adults", "never on children" and the rules' own ages agree on one number."""
    rules = default_rules()
    assert rules.adult_from_years == 18
    assert rules.child_age_limit("child_never") == rules.adult_from_years
    minor_small_area = next(rule for rule in rules.rules if rule.id == "small_area_under_18")
    assert minor_small_area.age_below_years == rules.adult_from_years
    assert "18" in next(rule.label for rule in rules.rules if rule.id == "use_small_area")
