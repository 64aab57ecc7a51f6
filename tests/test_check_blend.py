"""Checking a blend already made: its strength, its warnings and the remedy, with figures worked by hand."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers_blend import codes
from oil_blends.documents.calculator import calculate_document, check_document
from oil_blends.documents.catalog import default_rules, shipped_oils
from oil_blends.documents.problems import Problem
from oil_blends.engine import CheckRequest, InvalidBlend, OilDrops, Profile, check_blend
from oil_blends.engine.model import US_FL_OZ_ML, Conventions

CATALOG = shipped_oils()
RULES = default_rules()


def check(oils=(("lavender", 12),), **fields):
    """The check document of ``oils`` as (slug, drops) pairs in 30 mL of jojoba unless told otherwise."""
    document = {"carrier": "jojoba", "amount": "30 mL", "oils": [{"oil": o, "drops": d} for o, d in oils]}
    document.update(fields)
    return check_document(document, CATALOG)


def problem(oils=(("lavender", 12),), **fields):
    with pytest.raises(Problem) as caught:
        check(oils, **fields)
    return caught.value.to_dict()


def engine_check(oils, carrier_ml, carrier="jojoba", **fields):
    request = CheckRequest(carrier, carrier_ml, tuple(OilDrops(o, d) for o, d in oils), **fields)
    return check_blend(request, CATALOG, RULES)


# ---- a safe blend ----------------------------------------------------------------------------------


def test_twelve_drops_of_lavender_in_30_ml_is_safe_for_an_adult_massage():
    result = check()
    # 12 drops / 20 per mL = 0.6 mL of oil; 30 + 0.6 = 30.6 mL of blend; 0.6 / 30.6 = 1.9608 %
    assert result["essential_oils"] == [
        {
            "oil": "lavender",
            "name": "Lavender",
            "drops": 12,
            "ml": 0.6,
            "percent": 1.9608,
            "drops_per_ml": 20.0,
            "max_percent": None,
        }
    ]
    assert result["blend_ml"] == 30.6
    assert result["essential_oil_ml"] == 0.6
    assert result["carrier"] == {"oil": "jojoba", "name": "Jojoba", "ml": 30.0}
    # an adult body massage: at most 2 % (rules.toml, use_massage)
    assert result["dilution"] == {
        "percent": 1.9608,
        "max_percent": 2.0,
        "limited_by": ["use_massage"],
        "allowed_percent": 2.0,
        "drops_per_tsp": 2.0,  # 12 drops in 30 mL of carrier = 6 teaspoons: 2 a teaspoon
    }
    assert result["safe"] is True
    assert result["verdict"] == "safe"
    assert result["remedy"] is None
    assert "Within every limit" in result["message"]
    assert not any(w["severity"] == "danger" for w in result["warnings"])


def test_the_dropper_sets_the_millilitres():
    result = check(conventions={"drops_per_ml": 40})
    # 12 drops at 40 per mL = 0.3 mL; 0.3 / 30.3 = 0.9901 %
    assert result["essential_oils"][0]["ml"] == 0.3
    assert result["dilution"]["percent"] == pytest.approx(0.9901, abs=1e-4)
    assert result["conventions"]["drops_per_ml"] == 40


# ---- too strong ------------------------------------------------------------------------------------


def test_thirty_drops_in_10_ml_is_too_strong_and_the_remedy_is_worked_out():
    result = check([("lavender", 30)], amount="10 mL")
    # 30 drops = 1.5 mL; 1.5 / 11.5 = 13.0435 %
    assert result["dilution"]["percent"] == pytest.approx(13.0435, abs=1e-4)
    assert result["safe"] is False and result["verdict"] == "too_strong"
    assert codes(result)[("use_maximum", None)] == "danger"
    remedy = result["remedy"]
    # 2 %: 1.5 mL of oil in 1.5 / 0.02 = 75 mL of blend, so 75 - 11.5 = 63.5 mL more carrier
    assert remedy["carrier_to_add"] == {"ml": 63.5, "amount": 63.5, "unit": "mL"}
    assert remedy["percent_after_adding"] == pytest.approx(2.0)
    # making it again in 10 mL: 10 * 2 / 98 = 0.2041 mL = 4.08 drops -> 4 drops, 0.2 / 10.2 = 1.9608 %
    assert remedy["drops_to_leave_out"] == [
        {"oil": "lavender", "name": "Lavender", "drops_used": 30, "drops": 4, "leave_out": 26}
    ]
    assert remedy["percent_made_again"] == pytest.approx(1.9608, abs=1e-4)
    # 63.5 mL rounded up to two figures is 64 mL = 4.27 tablespoons, rounded up to a half: 4 1/2
    assert remedy["advice"][0] == "Add at least 64 mL (4 1/2 tbsp) of Jojoba to this blend: it becomes 2 %."
    assert "4 drops of Lavender (26 fewer)" in remedy["advice"][1]


def test_the_carrier_to_add_is_also_given_in_the_amounts_unit():
    result = check([("lavender", 30)], amount="1 fl oz")
    remedy = result["remedy"]
    # 1.5 mL of oil needs 75 mL of blend: 75 - 1.5 - 29.5735 = 43.9265 mL = 1.48533 fl oz, rounded up
    assert remedy["carrier_to_add"]["ml"] == 43.9265
    assert remedy["carrier_to_add"]["amount"] == 1.4854
    assert remedy["carrier_to_add"]["unit"] == "fl oz"
    assert remedy["carrier_to_add"]["ml"] >= 75 - 1.5 - US_FL_OZ_ML  # rounded up, never short
    assert "1.5 fl oz" in remedy["advice"][0]  # 1.4853 rounded up to two figures


def test_two_oils_keep_their_proportions_making_it_again():
    result = check([("lavender", 12), ("tea-tree", 3)])
    # 15 drops = 0.75 mL; 0.75 / 30.75 = 2.439 %; at 2 % the blend is 37.5 mL: 6.75 mL more carrier
    assert result["dilution"]["percent"] == pytest.approx(2.4390, abs=1e-4)
    assert result["remedy"]["carrier_to_add"]["ml"] == 6.75
    # again in 30 mL: 30 * 2 / 98 = 0.6122 mL = 12.24 drops, 4:1 -> ideal 9.80 and 2.45 -> 10 and 2
    drops = {item["oil"]: (item["drops"], item["leave_out"]) for item in result["remedy"]["drops_to_leave_out"]}
    assert drops == {"lavender": (10, 2), "tea-tree": (2, 1)}
    assert result["remedy"]["percent_made_again"] == pytest.approx(100 * 0.6 / 30.6, abs=1e-4)


def test_an_oil_over_its_own_maximum_is_too_strong_even_under_the_use_maximum():
    result = check([("ylang-ylang", 6), ("lavender", 6)])
    # 12 drops = 0.6 mL: 1.96 % in all, under 2 %; but ylang-ylang is half of it, 0.98 %, over its 0.8 %
    assert result["dilution"]["percent"] == pytest.approx(1.9608, abs=1e-4)
    assert codes(result)[("oil_maximum", "ylang-ylang")] == "danger"
    assert ("use_maximum", None) not in codes(result)
    assert result["verdict"] == "too_strong"
    # these oils may make up 0.8 / 0.5 = 1.6 %: 0.6 mL in 37.5 mL of blend, 6.9 mL more carrier
    assert result["dilution"]["allowed_percent"] == pytest.approx(1.6)
    assert result["remedy"]["carrier_to_add"]["ml"] == pytest.approx(6.9)
    # again in 30 mL at 1.6 %: 0.4878 mL = 9.76 drops, 4.88 each: 5 ylang-ylang would be 0.82 %, over 0.8 %,
    # so ylang-ylang keeps 4 and lavender gets 5 (0.45 mL in 30.45 mL = 1.478 %)
    drops = {item["oil"]: item["drops"] for item in result["remedy"]["drops_to_leave_out"]}
    assert drops == {"ylang-ylang": 4, "lavender": 5}
    assert result["remedy"]["percent_made_again"] == pytest.approx(100 * 0.45 / 30.45, abs=1e-4)


def test_bergamot_above_its_phototoxic_limit_in_the_sun():
    result = check([("bergamot", 6)])
    # 6 drops = 0.3 mL; 0.3 / 30.3 = 0.990 %, over bergamot's 0.4 % limit for skin that may see sun
    assert result["dilution"]["percent"] == pytest.approx(0.9901, abs=1e-4)
    assert codes(result)[("phototoxic", None)] == "danger"
    assert result["verdict"] == "too_strong"
    assert result["dilution"]["allowed_percent"] == pytest.approx(0.4)
    # 0.3 mL at 0.4 % is 75 mL of blend: 75 - 30.3 = 44.7 mL more carrier
    assert result["remedy"]["carrier_to_add"]["ml"] == pytest.approx(44.7)
    # again in 30 mL: 30 * 0.4 / 99.6 = 0.1205 mL = 2.41 drops -> 2 drops, 0.1 / 30.1 = 0.332 %
    assert result["remedy"]["drops_to_leave_out"][0]["drops"] == 2
    assert result["remedy"]["percent_made_again"] == pytest.approx(100 * 0.1 / 30.1, abs=1e-4)
    assert "out of sun and UV" in result["remedy"]["advice"][-1]


def test_bergamot_kept_out_of_the_sun_is_safe_with_a_caution():
    result = check([("bergamot", 6)], profile={"sun_exposure": False})
    assert result["safe"] is True
    assert result["dilution"]["allowed_percent"] == 2.0
    assert codes(result)[("phototoxic", "bergamot")] == "caution"


def test_the_person_sets_the_maximum():
    result = check(profile={"age_years": 70})
    # 1.96 % is over the 1 % for age 65 and over
    assert result["dilution"]["max_percent"] == 1.0
    assert result["dilution"]["limited_by"] == ["age_65_plus"]
    assert result["verdict"] == "too_strong"
    # 0.6 mL at 1 %: 60 mL of blend, 60 - 30.6 = 29.4 mL more
    assert result["remedy"]["carrier_to_add"]["ml"] == pytest.approx(29.4)


# ---- not for this person ---------------------------------------------------------------------------


def test_peppermint_for_a_two_year_old_has_no_remedy():
    result = check([("peppermint", 3)], profile={"age_years": 2})
    assert codes(result)[("child", "peppermint")] == "danger"
    assert result["safe"] is False
    assert result["verdict"] == "not_for_this_person"
    assert result["remedy"] is None
    assert "at any dilution" in result["message"] and "without Peppermint" in result["message"]


def test_a_carrier_the_person_is_allergic_to_has_no_remedy():
    result = check(carrier="sweet-almond", profile={"allergies": ["tree_nut"]})
    assert codes(result)[("allergen", "sweet-almond")] == "danger"
    assert result["verdict"] == "not_for_this_person" and result["remedy"] is None
    assert "another carrier than Sweet almond" in result["message"]


def test_a_baby_under_three_months_gets_no_essential_oil_at_all():
    result = check(profile={"age_years": 0.1})
    assert result["dilution"]["max_percent"] == 0.0
    assert result["verdict"] == "not_for_this_person" and result["remedy"] is None
    assert "baby under 3 months" in result["message"]


# ---- the calculator's warnings -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("oils", "profile"),
    [
        ([("lavender", 6), ("ylang-ylang", 2)], {"conditions": ["neuropathy"], "skin": "sensitive"}),
        ([("bergamot", 2), ("eucalyptus-globulus", 3)], {"sun_exposure": False}),
        ([("tea-tree", 4)], {"age_years": 40, "conditions": ["epilepsy"]}),
        ([("birch", 1), ("lavender", 3)], {}),
    ],
)
def test_a_safe_blend_carries_the_warnings_the_calculator_gives(oils, profile):
    checked = check(oils, amount="60 mL", profile=profile)
    assert checked["safe"] is True
    # the same oils in the same proportions on top of the same carrier, at the dilution that was made
    calculated = calculate_document(
        {
            "carrier": "jojoba",
            "amount": "60 mL",
            "amount_of": "carrier",
            "dilution": checked["dilution"]["percent"],
            "oils": [{"oil": o, "parts": d} for o, d in oils],
            "profile": profile,
        },
        CATALOG,
    )
    assert [item["drops"] for item in calculated["essential_oils"]] == [d for _, d in oils]
    without_rounding = {key: value for key, value in codes(calculated).items() if key[0] != "rounding"}
    assert codes(checked) == without_rounding


# ---- invalid input -----------------------------------------------------------------------------------


def test_zero_drops_is_refused():
    assert problem([("lavender", 0)])["errors"] == {"oils": {"0": {"drops": ["must be from 1 to 100000 drops"]}}}


def test_no_oils_is_refused():
    assert "oils" in problem([])["errors"]


def test_less_than_a_drop_of_carrier_is_refused_naming_the_amount():
    errors = problem(amount="0.01 mL")["errors"]
    assert errors == {"amount": ["less than one drop of carrier (0.05 mL); give the carrier you used, e.g. '30 mL'"]}


def test_every_bad_field_is_named_at_once():
    errors = problem([("lavendr", 1.5)], amount="0.01 mL", use="feet")["errors"]
    assert set(errors) == {"oils", "amount", "use"}


def test_an_unknown_oil_gets_the_nearest_names():
    message = problem([("lavendr", 3)])["errors"]["oils"]["0"]["oil"][0]
    assert message.startswith("unknown essential oil 'lavendr'. Did you mean lavender")


def test_an_oil_listed_twice_asks_to_add_the_drops():
    message = problem([("lavender", 3), ("lavender", 2)])["errors"]["oils"]["1"]["oil"][0]
    assert message.endswith("give it once and add the drops")


@pytest.mark.parametrize("drops", ["12", 1.5, True, None])
def test_drops_are_whole_json_numbers(drops):
    assert problem([("lavender", drops)])["errors"]["oils"]["0"]["drops"]


def test_a_whole_number_written_with_a_fraction_part_is_that_number():
    # JSON has one kind of number: 12.0 drops is the same blend as 12
    assert check([("lavender", 12.0)]) == check([("lavender", 12)])


def test_the_calculators_fields_are_not_a_checks():
    assert problem(dilution="2%")["errors"] == {
        "dilution": ["unknown field; the fields here are carrier, amount, oils, use, profile, conventions"]
    }


def test_the_engine_refuses_no_drops_and_too_little_carrier():
    with pytest.raises(InvalidBlend) as caught:
        engine_check([], 0.001)
    assert set(caught.value.errors) == {"amount", "oils"}
    with pytest.raises(InvalidBlend) as caught:
        engine_check([("lavender", 0)], 30.0)
    assert caught.value.errors == {"oils": {0: {"drops": ["count at least 1 drop"]}}}


# ---- the remedy holds --------------------------------------------------------------------------------

ADULT_OILS = ["lavender", "tea-tree", "bergamot", "lemon", "ylang-ylang", "frankincense", "lime", "basil", "thyme"]
PROFILES = st.builds(
    Profile,
    age_years=st.sampled_from([None, 8.0, 30.0, 70.0]),
    skin=st.sampled_from(["normal", "sensitive"]),
    conditions=st.sampled_from([(), ("neuropathy",)]),
    sun_exposure=st.sampled_from([None, True, False]),
)
BLENDS = st.lists(
    st.tuples(st.sampled_from(ADULT_OILS), st.integers(1, 120)), min_size=1, max_size=4, unique_by=lambda x: x[0]
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    oils=BLENDS,
    carrier_ml=st.floats(1.0, 500.0),
    profile=PROFILES,
    use=st.sampled_from(["massage", "face", "small_area"]),
    dropper=st.sampled_from([None, 25.0]),
)
def test_the_advised_carrier_is_the_least_that_makes_it_safe(oils, carrier_ml, profile, use, dropper):
    fields = {"profile": profile, "use": use, "conventions": Conventions(drops_per_ml=dropper)}
    result = engine_check(oils, carrier_ml, **fields)
    if result.verdict != "too_strong":
        assert result.remedy is None
        assert result.safe is (result.verdict == "safe")
        return
    remedy = result.remedy
    assert remedy is not None and remedy.carrier_to_add_ml > 0
    enough = carrier_ml + remedy.carrier_to_add_ml
    assert engine_check(oils, enough, **fields).safe
    assert not engine_check(oils, enough * 0.99, **fields).safe
    assert remedy.percent_after_adding == pytest.approx(result.allowed_percent)

    # the drops to use again fit every limit in the same carrier, and are never more than those used
    again = [(item.oil, item.drops) for item in remedy.drops_to_leave_out if item.drops > 0]
    assert all(0 <= item.drops <= item.drops_used for item in remedy.drops_to_leave_out)
    assert all(item.leave_out == item.drops_used - item.drops for item in remedy.drops_to_leave_out)
    if again:
        remade = engine_check(again, carrier_ml, **fields)
        assert remade.safe
        assert remade.percent == pytest.approx(remedy.percent_made_again)


@settings(max_examples=100, deadline=None)
@given(oils=BLENDS, carrier_ml=st.floats(5.0, 500.0))
def test_the_drops_to_use_again_stay_near_the_proportions_used(oils, carrier_ml):
    result = engine_check(oils, carrier_ml)
    if result.remedy is None:
        return
    used = sum(d for _, d in oils)
    kept = result.remedy.drops_to_leave_out
    # the same ratio k for every oil, at the allowed dilution: each oil within one drop of used * k, except
    # that, as with any amount of carrier, an oil at its limit may give back one more drop (the oils go on top
    # of the carrier, so rounding the others down shrinks the blend)
    allowed_ml = carrier_ml * result.allowed_percent / (100 - result.allowed_percent)
    k = allowed_ml / result.oil_ml
    for item in kept:
        assert -2 < item.drops - item.drops_used * k < 1 + 1e-9
    assert sum(item.drops for item in kept) <= round(used * k + 1e-9)
