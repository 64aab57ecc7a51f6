"""Units: the exact table agrees with pint, parsing, conventions, errors, round trips."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oil_blends.documents.units import (
    FIXED_ML,
    PINT_NAMES,
    UnitError,
    parse_amount,
    parse_dilution,
    parse_volume,
    registry,
    resolve_unit,
    unit_ml,
)
from oil_blends.engine import Conventions
from oil_blends.engine.model import MAX_BATCH_ML


@pytest.mark.parametrize("unit", sorted(FIXED_ML))
def test_table_agrees_with_pint(unit):
    ureg = registry()
    assert ureg.Quantity(1, PINT_NAMES[unit]).to("milliliter").magnitude == pytest.approx(FIXED_ML[unit], rel=1e-12)


def test_registry_is_one_object_with_the_drop_and_spoons():
    ureg = registry()
    assert registry() is ureg
    assert ureg.Quantity(20, "drop").to("mL").magnitude == pytest.approx(1.0)
    assert ureg.Quantity(1, "metric_tsp").to("mL").magnitude == pytest.approx(5.0)
    assert ureg.Quantity(1, "us_tsp").to("mL").magnitude == pytest.approx(4.92892159375)
    assert ureg.Quantity(1, "us_tbsp").to("mL").magnitude == pytest.approx(14.78676478125)


@pytest.mark.parametrize(
    ("text", "ml"),
    [
        ("30 mL", 30),
        ("30ml", 30),
        ("0.03 L", 30),
        ("1 fl oz", 29.5735295625),
        ("1 oz", 29.5735295625),
        ("2 fluid ounces", 59.147059125),
        ("2 tbsp", 30),
        ("1 tsp", 5),
        ("1 teaspoon", 5),
        ("1 metric_tsp", 5),
        ("1 us_tsp", 4.92892159375),
        ("0.5 cup", 118.29411825),
        ("1/2 cup", 118.29411825),
        ("1 1/2 tsp", 7.5),
        ("1½ tsp", 7.5),
        ("1 ½ tsp", 7.5),
        ("½ cup", 118.29411825),
        ("2 ¼ cups", 532.323532125),
        ("¾ fl oz", 22.180147171875),
        ("1 dram", 3.6966911953125),
        ("600 drops", 30),
        ("20 gtt", 1),
        ("1 drop", 0.05),
        ("1 gallon", 3785.411784),
        ("1 pint", 473.176473),
        ("5 cL", 50),
        ("30 cc", 30),
    ],
)
def test_amounts(text, ml):
    _, value = parse_amount(text)
    assert value == pytest.approx(ml, rel=1e-9)


def test_conventions_change_teaspoons_and_drops_only():
    us = Conventions(teaspoon="us", drops_per_ml=30)
    assert parse_amount("1 tsp", us)[1] == pytest.approx(4.92892159375)
    assert parse_amount("1 tbsp", us)[1] == pytest.approx(14.78676478125)
    assert parse_amount("30 drops", us)[1] == pytest.approx(1.0)
    assert parse_amount("1 metric_tsp", us)[1] == pytest.approx(5.0)
    assert parse_amount("1 fl oz", us)[1] == pytest.approx(29.5735295625)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("30 kg", "not a volume"),
        ("30 furlongs", "not a volume"),
        ("30 blorbs", "unknown unit"),
        ("30", "needs a unit"),
        ("mL", "could not read"),
        ("", "could not read"),
        ("0 mL", "more than zero"),
        ("-5 mL", "positive"),
        ("nan mL", "could not read"),
        ("inf mL", "could not read"),
        ("1e400 mL", "too large a number; a batch is at most 20 L"),
        ("1e308 gal", "a finite number, at most 20 L, got '1e308 gal'"),
        ("21 L", "20 L maximum"),
        ("1/0 mL", "divides by zero"),
        ("2 drops/tsp", "not a unit name"),
        ("1 L**400/L**399", "not a unit name"),
        ("1 L*L/L", "not a unit name"),
        ("2 mL^1", "not a unit name"),
        ("0.01 mL", "less than one drop"),
        ("1e-320 mL", "less than one drop"),
        ("0.5 drop", "less than one drop"),
        ("30mls", "unknown unit 'mls': write it as '30 mL'"),
        ("2 teaspon", "write it as '2 tsp'"),
        ("1,5 mL", r"write decimals with a point, as '1\.5 mL'"),
        ("1,500 mL", r"without a comma, as '1500 mL' or '1\.5 mL'"),
        ("3" * 200 + " mL", "too long"),
    ],
)
def test_bad_amounts(text, fragment):
    with pytest.raises(UnitError, match=fragment):
        parse_amount(text)


@pytest.mark.parametrize(
    ("value", "percent"),
    [
        ("2%", 2.0),
        ("2 %", 2.0),
        ("2", 2.0),
        (2, 2.0),
        (0.5, 0.5),
        ("1.5 percent", 1.5),
        ("2 drops/tsp", 100 * 0.1 / 5.1),
        ("2 drops / tsp", 100 * 0.1 / 5.1),
        ("1 drop per teaspoon", 100 * 0.05 / 5.05),
        ("12 drops per fl oz", 100 * 0.6 / (29.5735295625 + 0.6)),
        ("6 drops per 30 mL", 100 * 0.3 / 30.3),
        ("3 drops per tbsp", 100 * 0.15 / 15.15),
    ],
)
def test_dilutions(value, percent):
    assert parse_dilution(value) == pytest.approx(percent, rel=1e-9)


def test_drops_per_teaspoon_follows_the_dropper():
    assert parse_dilution("2 drops/tsp", Conventions(drops_per_ml=30)) == pytest.approx(100 * (2 / 30) / (5 + 2 / 30))


@pytest.mark.parametrize(
    "value",
    [
        "0%",
        "0",
        0,
        -1,
        "-2%",
        "100%",
        150,
        "abc",
        "nan",
        float("nan"),
        float("inf"),
        "2 drops per kg",
        "2 drops per drop",
        True,
        None,
        [2],
        {"percent": 2},
        "0 drops per tsp",
    ],
)
def test_bad_dilutions(value):
    with pytest.raises(UnitError):
        parse_dilution(value)


@pytest.mark.parametrize("value", ["1e309%", "1e309", float("inf")])
def test_a_dilution_past_any_number_says_what_is_accepted(value):
    with pytest.raises(UnitError, match="must be a finite number more than zero and under 100 %"):
        parse_dilution(value)


def test_repeated_strings_are_memoised():
    first = parse_volume("7.25 fl oz")
    assert parse_volume("7.25 fl oz") is first
    before = parse_volume.cache_info().hits
    parse_volume("7.25 fl oz")
    assert parse_volume.cache_info().hits == before + 1


@pytest.mark.parametrize(
    ("text", "ml"),
    [
        ("2 T", 30),
        ("2 T.", 30),
        ("2 Tb", 30),
        ("2 TB", 30),
        ("2 Tbsp", 30),
        ("2 tbl", 30),
        ("2 tb", 30),
        ("2 t", 10),
        ("2 t.", 10),
        ("2 tsp", 10),
        ("2 TSP", 10),
        ("1 C", 236.5882365),
        ("1 c", 236.5882365),
    ],
)
def test_recipe_notation_tells_the_spoons_apart_by_case(text, ml):
    """ "2 T" is two tablespoons (30 mL), never two teaspoons: reading one as the other is a third of the oil."""
    assert parse_amount(text)[1] == pytest.approx(ml)


def test_less_than_one_drop_follows_the_dropper():
    assert parse_amount("0.05 mL")[1] == pytest.approx(0.05)
    with pytest.raises(UnitError, match="less than one drop"):
        parse_amount("0.05 mL", Conventions(drops_per_ml=10))


def test_a_decimal_comma_in_a_dilution_gets_the_right_spelling():
    with pytest.raises(UnitError, match=r"as '2\.5%'"):
        parse_dilution("2,5%")


def test_resolve_unit_spellings():
    assert resolve_unit("Fl. Oz.")[0] == "fl oz"
    assert resolve_unit("TSP")[0] == "tsp"
    assert resolve_unit("Tablespoons")[0] == "tbsp"


units = st.sampled_from(sorted(FIXED_ML) + ["tsp", "tbsp", "drop"])
magnitudes = st.floats(min_value=0.001, max_value=1000, allow_nan=False, allow_infinity=False)
conventions = st.builds(
    Conventions,
    drops_per_ml=st.one_of(st.none(), st.floats(min_value=5, max_value=100)),
    teaspoon=st.sampled_from(["metric", "us"]),
)


@given(magnitudes, units, units, conventions)
def test_round_trip_between_units(value, unit_a, unit_b, convention):
    ml = value * unit_ml(unit_a, convention)
    in_b = ml / unit_ml(unit_b, convention)
    back = in_b * unit_ml(unit_b, convention) / unit_ml(unit_a, convention)
    assert math.isclose(back, value, rel_tol=1e-12)


@given(st.floats(min_value=0.05, max_value=MAX_BATCH_ML, allow_nan=False), st.sampled_from(sorted(FIXED_ML)))
def test_parsed_text_round_trips(ml, unit):
    value = ml / FIXED_ML[unit]
    text = f"{value!r} {unit}"
    _, parsed = parse_amount(text)
    assert math.isclose(parsed, ml, rel_tol=1e-12)


@given(st.floats(min_value=0.01, max_value=50, allow_nan=False), conventions)
def test_percent_and_drops_per_teaspoon_round_trip(percent, convention):
    per_tsp = percent / (100.0 - percent) * convention.teaspoon_ml * convention.dropper
    text = f"{per_tsp!r} drops per tsp"
    assert math.isclose(parse_dilution(text, convention), percent, rel_tol=1e-9)


@pytest.mark.parametrize("text", ["1 m^3", "2 ½½ tsp", "1 tsp½"])
def test_no_spelling_hint_that_would_change_the_amount(text):
    with pytest.raises(UnitError) as refused:
        parse_amount(text)
    assert "write it as" not in str(refused.value)
