"""Whole drops for a plan: the allocation at a dilution, and the smallest batch that gives every oil a drop."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from oil_blends.engine.allocation import EPSILON, allocate_drops
from oil_blends.engine.limits import BlendPlan
from oil_blends.engine.model import MAX_BATCH_ML, BlendRequest, Conventions


@dataclass(slots=True)
class Drops:
    """Whole drops of each oil (in the plan's order) and what they measure."""

    counts: list[int]
    ideal: list[float]
    rates: list[float]  # drops per mL of each oil
    oil_ml: list[float]
    blend_ml: float
    percents: list[float]

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def carrier_ml(self) -> float:
        return self.blend_ml - sum(self.oil_ml)


def volumes(request: BlendRequest, total_percent: float) -> tuple[float, float]:
    """(essential-oil mL, blend mL) for a total dilution, whichever amount the request gave."""
    if request.amount_of == "carrier":
        oil_ml = request.amount_ml * total_percent / (100.0 - total_percent)
        return oil_ml, request.amount_ml + oil_ml
    return request.amount_ml * total_percent / 100.0, request.amount_ml


def measure(request: BlendRequest, counts: Sequence[int], rates: Sequence[float]) -> tuple[list[float], float]:
    """(each oil's mL, blend mL) of these whole drops in the request's amount."""
    ml = [count / rate for count, rate in zip(counts, rates, strict=True)]
    blend = request.amount_ml + sum(ml) if request.amount_of == "carrier" else request.amount_ml
    return ml, blend


def allocate(
    plan: BlendPlan, target: float, amount_ml: float | None = None, at_most: Sequence[int] | None = None
) -> Drops:
    """The plan's oils in whole drops at ``target`` percent, never past a limit (nor past ``at_most``)."""
    request = plan.request if amount_ml is None else replace(plan.request, amount_ml=amount_ml)
    rates = [request.conventions.drops_per_ml_for(oil) for oil in plan.oils]
    eo_ml, _ = volumes(request, target)
    ideal = [f * eo_ml * rate for f, rate in zip(plan.fractions, rates, strict=True)]

    limits, oils = plan.limits, plan.oils

    def fits(counts: Sequence[int]) -> bool:
        if at_most is not None and any(c > most for c, most in zip(counts, at_most, strict=True)):
            return False
        ml, blend = measure(request, counts, rates)
        return limits.allows(oils, [100.0 * v / blend for v in ml])

    counts = allocate_drops(ideal, fits)
    ml, blend = measure(request, counts, rates)
    return Drops(counts, ideal, rates, ml, blend, [100.0 * v / blend for v in ml])


def smallest_batch_ml(plan: BlendPlan, target: float) -> float | None:
    """The smallest batch, in two significant figures of the user's unit, whose whole drops give every oil
    at least one drop without breaking a limit; None when no batch up to 20 L does.

    Ideal drops grow in proportion to the batch, so the search starts where the total could first round to
    one drop per oil and walks up the two-figure amounts (1.0, 1.1, ... 9.9, 10, 11, ...) of the user's unit.
    """
    reference_ml = 1000.0  # ideal drops measured on a litre cannot underflow
    ideal_per_ml = sum(allocate(plan, target, amount_ml=reference_ml).ideal) / reference_ml
    if not ideal_per_ml > 0:
        return None
    unit_ml = plan.request.amount_unit_ml
    lowest_ml = (len(plan.oils) - 0.5) / ideal_per_ml
    if not lowest_ml <= MAX_BATCH_ML:  # also catches the infinity of a vanishing dilution
        return None
    amount = round_up_2sf(lowest_ml / unit_ml)
    while amount * unit_ml <= MAX_BATCH_ML * (1 + EPSILON):
        drops = allocate(plan, target, amount_ml=amount * unit_ml)
        if all(count > 0 for count in drops.counts):
            return amount * unit_ml
        amount = _next_2sf(amount)
    return None


def round_up_2sf(value: float) -> float:
    """The least amount with two significant figures that is at least ``value``: 1.234 -> 1.3."""
    if value <= 0:
        return value
    step = _step_2sf(value)
    return round(math.ceil(value / step - EPSILON) * step, 12)


def _next_2sf(value: float) -> float:
    """The next amount with two significant figures: 1.0 -> 1.1, 9.9 -> 10, 99 -> 100."""
    return round(value + _step_2sf(value), 12)


def _step_2sf(value: float) -> float:
    return 10.0 ** (math.floor(math.log10(value) + EPSILON) - 1)


def drops_per_teaspoon(total_drops: int, carrier_ml: float, conventions: Conventions) -> float:
    """The drops a person counts into each teaspoon of carrier: each oil's drops at its own drop size."""
    return total_drops * conventions.teaspoon_ml / carrier_ml if carrier_ml > 0 else 0.0
