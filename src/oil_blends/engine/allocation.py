"""Whole drops: turn ideal (fractional) drop counts into whole ones without breaking a limit."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

EPSILON = 1e-9


def round_half_up(value: float) -> int:
    return math.floor(value + 0.5 + EPSILON)


def allocate_drops(ideal: Sequence[float], fits: Callable[[Sequence[int]], bool]) -> list[int]:
    """Largest-remainder allocation of whole drops.

    The total aims at the ideal total rounded to the nearest drop; each oil gets the whole part of its
    ideal count, then the oils with the largest remainders get one more drop each, except where that
    drop would make ``fits`` false (a dilution limit broken after rounding): then the total is lower.
    Every oil therefore ends within one drop of its ideal, and the result fits whenever the ideal does.
    """
    counts = [max(0, math.floor(x + EPSILON)) for x in ideal]
    target = round_half_up(sum(ideal))
    order = sorted(range(len(ideal)), key=lambda i: (-(ideal[i] - counts[i]), -ideal[i], i))
    for i in order:
        if sum(counts) >= target:
            break
        if ideal[i] - counts[i] <= EPSILON:
            continue
        counts[i] += 1
        if not fits(counts):
            counts[i] -= 1
    return counts
