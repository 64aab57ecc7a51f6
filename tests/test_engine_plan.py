"""The engine's plan of a blend: oils looked up once, fractions, limits, whole drops against them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oil_blends.documents.catalog import default_rules, shipped_oils
from oil_blends.engine import BlendRequest, InvalidBlend, OilPart, Profile, calculate, check_blend, suggest_slugs
from oil_blends.engine.check import spoon_words
from oil_blends.engine.drops import allocate, round_up_2sf, smallest_batch_ml
from oil_blends.engine.limits import plan_blend
from oil_blends.engine.lookup import resolve_oils
from oil_blends.engine.model import Conventions

CATALOG = shipped_oils()
RULES = default_rules()


def plan(oils, **fields):
    request = BlendRequest(
        carrier=fields.pop("carrier", "jojoba"),
        amount_ml=fields.pop("amount_ml", 30.0),
        oils=tuple(OilPart(slug, parts) for slug, parts in oils),
        **fields,
    )
    return plan_blend(request, CATALOG, RULES)


def test_the_public_names_still_import():
    assert callable(calculate) and callable(check_blend)
    assert suggest_slugs("lavendr", CATALOG)[0] == "lavender"


def test_a_plan_holds_the_fractions_and_every_limit():
    blend = plan([("lavender", 2), ("bergamot", 1)])
    assert blend.carrier.slug == "jojoba"
    assert [oil.slug for oil in blend.oils] == ["lavender", "bergamot"]
    assert blend.fractions == pytest.approx((2 / 3, 1 / 3))
    assert blend.person_max == 2.0
    assert [rule.id for rule in blend.person_rules] == ["use_massage"]
    # bergamot is a third of the oils and may be 0.4 % of the blend in the sun: the oils may make up 1.2 %
    assert blend.limits.phototoxic_max == pytest.approx(1.2)
    assert blend.limits.blend_max == pytest.approx(1.2)
    assert blend.percents(1.2) == pytest.approx([0.8, 0.4])


def test_without_sun_the_phototoxic_limit_goes():
    blend = plan([("lavender", 2), ("bergamot", 1)], profile=Profile(sun_exposure=False))
    assert blend.limits.phototoxic_max is None
    assert blend.limits.blend_max == 2.0


def test_an_oils_own_maximum_becomes_a_limit_on_the_total():
    blend = plan([("ylang-ylang", 1), ("lavender", 1)])
    # ylang-ylang's 0.8 % at half the oils: the blend may hold 1.6 %
    assert blend.limits.oil_max == {"ylang-ylang": pytest.approx(1.6)}
    assert blend.limits.blend_max == pytest.approx(1.6)
    breaches = blend.limits.breaches(blend.oils, blend.percents(2.0))
    assert [oil.slug for oil in breaches.oils] == ["ylang-ylang"] and not breaches.total


def test_whole_drops_at_a_dilution():
    blend = plan([("lavender", 2), ("peppermint", 1)])
    drops = allocate(blend, 2.0)
    # 2 % of 30 mL = 0.6 mL = 12 drops, 2:1
    assert drops.counts == [8, 4]
    assert drops.total == 12
    assert drops.carrier_ml == pytest.approx(29.4)


def test_whole_drops_never_pass_at_most():
    blend = plan([("lavender", 2), ("peppermint", 1)])
    assert allocate(blend, 2.0, at_most=[5, 5]).counts == [5, 4]


def test_the_smallest_batch_walks_two_figures():
    blend = plan([("lavender", 1), ("tea-tree", 1)], amount_ml=1.0)
    # one drop of each is 0.1 mL of oil, at most 2 % of the blend only in 5 mL or more (4.9 mL would be 2.04 %)
    assert smallest_batch_ml(blend, 2.0) == pytest.approx(5.0)
    assert round_up_2sf(1.234) == 1.3
    assert round_up_2sf(63.5) == 64


def test_an_unknown_oil_is_named_by_its_place():
    with pytest.raises(InvalidBlend) as caught:
        resolve_oils("jojoba", ["lavender", "lavendr", "lavender"], CATALOG, measure="drops")
    errors = caught.value.errors["oils"]
    assert set(errors) == {1, 2}
    assert errors[2]["oil"][0].endswith("add the drops")


def test_a_carrier_given_as_an_essential_oil():
    with pytest.raises(InvalidBlend) as caught:
        resolve_oils("lavender", ["jojoba"], CATALOG)
    assert "not a carrier" in caught.value.errors["carrier"][0]
    assert "not an essential oil" in caught.value.errors["oils"][0]["oil"][0]


@pytest.mark.parametrize(
    ("ml", "words"),
    [
        (15.0, "1 tbsp"),  # exactly a tablespoon
        (16.0, "1 1/2 tbsp"),  # rounded up to half a tablespoon
        (6.8, "1 1/2 tsp"),  # 1.36 teaspoons, rounded up to a quarter
        (2.5, "1/2 tsp"),
        (5.0, "1 tsp"),
        (121.0, None),  # over 8 tablespoons: no spoons
    ],
)
def test_spoons(ml, words):
    assert spoon_words(ml, Conventions()) == words


def test_us_spoons():
    # a US tablespoon is 14.787 mL: 15 mL is just over one, so one and a half
    assert spoon_words(15.0, Conventions(teaspoon="us")) == "1 1/2 tbsp"


PICKS = ["bergamot", "lime", "lavender", "peppermint", "clove-bud", "lemon", "cinnamon-bark"]  # limits of each kind


@settings(max_examples=400, deadline=None)
@given(
    oils=st.lists(st.sampled_from(PICKS), min_size=1, max_size=4, unique=True),
    shares=st.lists(st.floats(0, 6), min_size=4, max_size=4),
    sun=st.sampled_from([True, False, None]),
    age=st.sampled_from([None, 1, 40, 70]),
)
def test_allows_is_no_breach(oils, shares, sun, age):
    """``Limits.allows``, the allocation's quick test, agrees with ``breaches`` on every blend."""
    blend_plan = plan([(slug, 1.0) for slug in oils], profile=Profile(sun_exposure=sun, age_years=age))
    percents = shares[: len(oils)]
    assert blend_plan.limits.allows(blend_plan.oils, percents) == (
        not blend_plan.limits.breaches(blend_plan.oils, percents)
    )
