"""Worked examples under the project's conventions (see the README's Conventions section)."""

import pytest

from helpers_blend import blend, drops


@pytest.mark.parametrize(
    ("amount", "dilution", "conventions", "expected_drops"),
    [
        ("30 mL", "2%", {}, 12),
        ("1 fl oz", "1%", {}, 6),
        # 4 US fl oz = 118.29 mL: 47 drops, not the 48 of charts that take 1 oz as 30 mL
        ("4 fl oz", "2%", {}, 47),
        ("10 mL", "1%", {"drops_per_ml": 30}, 3),
        ("5 mL", "1%", {}, 1),
        ("1 tsp", "2%", {}, 2),
        ("2 tbsp", "2 %", {}, 12),
        ("600 drops", 2, {}, 12),
        ("0.5 cup", "1%", {}, 24),
        ("1 dram", "2%", {}, 1),
        ("100 mL", "1.5%", {}, 30),
        ("1 L", "1%", {}, 200),
    ],
)
def test_total_drops(amount, dilution, conventions, expected_drops):
    result = blend(amount=amount, dilution=dilution, conventions=conventions)
    assert result["total_drops"] == expected_drops


def test_two_drops_per_teaspoon_is_196_percent_of_the_blend():
    result = blend(dilution="2 drops/tsp")
    assert result["dilution"]["requested_percent"] == pytest.approx(1.9608, abs=1e-4)
    assert result["total_drops"] == 12  # 30 mL x 1.96 % x 20 = 11.76 -> 12, and 12 drops is exactly 2 %
    assert result["dilution"]["actual_percent"] == pytest.approx(2.0)


def test_one_drop_per_us_teaspoon_is_101_percent():
    result = blend(dilution="1 drop per teaspoon", conventions={"teaspoon": "us"})
    assert result["dilution"]["requested_percent"] == pytest.approx(1.0043, abs=1e-4)


def test_drops_per_fluid_ounce():
    # 12 drops per US fl oz of carrier at 20 drops/mL: 0.6 / (29.5735 + 0.6) = 1.9885 %
    result = blend(dilution="12 drops per fl oz")
    assert result["dilution"]["requested_percent"] == pytest.approx(1.9885, abs=1e-4)


def test_parts_split_by_largest_remainder():
    # 30 mL at 2 % = 12 drops; 2:1 -> 8 + 4
    assert drops(blend([("lavender", 2), ("peppermint", 1)], dilution="2%")) == {"lavender": 8, "peppermint": 4}
    # 3 equal parts of 10 drops (25 mL at 2 %): 3.33 each -> 4 + 3 + 3, total 10
    result = blend(["lavender", "frankincense", "geranium"], amount="25 mL", dilution="2%")
    assert result["total_drops"] == 10
    assert sorted(drops(result).values()) == [3, 3, 4]


def test_carrier_volume_and_millilitres():
    result = blend(dilution="2%")
    assert result["carrier"]["ml"] == pytest.approx(29.4)
    assert result["essential_oils"][0]["ml"] == pytest.approx(0.6)
    assert result["blend_ml"] == pytest.approx(30.0)


def test_amount_of_carrier_puts_the_oils_on_top():
    # 30 mL of carrier at 2 % of the blend: 30 x 2/98 = 0.612 mL = 12.24 drops -> 12
    result = blend(dilution="2%", amount_of="carrier")
    assert result["total_drops"] == 12
    assert result["carrier"]["ml"] == pytest.approx(30.0)
    assert result["blend_ml"] == pytest.approx(30.6)
    assert result["dilution"]["actual_percent"] == pytest.approx(0.6 / 30.6 * 100, abs=1e-4)


def test_default_dilution_is_the_effective_maximum():
    adult = blend()
    assert adult["dilution"]["requested_percent"] is None
    assert adult["dilution"]["actual_percent"] == pytest.approx(2.0)
    assert adult["total_drops"] == 12
    assert blend(use="face")["total_drops"] == 6
    assert blend(profile={"age_years": 70})["total_drops"] == 6


def test_metric_and_us_teaspoon_amounts():
    assert blend(amount="6 tsp", dilution="2%")["blend_ml"] == pytest.approx(30.0)
    us = blend(amount="6 tsp", dilution="2%", conventions={"teaspoon": "us"})
    assert us["blend_ml"] == pytest.approx(29.5735, abs=1e-4)
    assert blend(amount="6 us_tsp", dilution="2%")["blend_ml"] == pytest.approx(29.5735, abs=1e-4)


def test_drops_per_ml_changes_the_drop_count_not_the_volume():
    at_20 = blend(amount="30 mL", dilution="2%")
    at_30 = blend(amount="30 mL", dilution="2%", conventions={"drops_per_ml": 30})
    assert at_20["total_drops"] == 12
    assert at_30["total_drops"] == 18
    assert at_30["essential_oils"][0]["ml"] == pytest.approx(0.6)


def test_drops_per_tsp_reported():
    result = blend(dilution="1%")  # 6 drops in 30 mL: 0.3 / 29.7 * 5 * 20
    assert result["dilution"]["drops_per_tsp"] == pytest.approx(1.01, abs=1e-3)


def test_conventions_are_reported():
    result = blend(dilution="2%")
    assert result["conventions"] == {
        "drops_per_ml": 20.0,
        "teaspoon": "metric",
        "teaspoon_ml": 5.0,
        "fluid_ounce_ml": 29.5735295625,
        "percent_of": "blend",
    }
    assert result["essential_oils"][0]["drops_per_ml"] == 20.0
    us = blend(dilution="2%", conventions={"teaspoon": "us", "drops_per_ml": 25})
    assert us["conventions"]["teaspoon_ml"] == 29.5735295625 / 6
    assert us["conventions"]["drops_per_ml"] == 25
