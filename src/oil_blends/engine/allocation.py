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

    One case needs more: when the oils go on top of a given carrier volume, rounding some oils down shrinks
    the blend, which raises every other oil's share; an oil whose ideal sat exactly at its limit can then be
    over it even at its whole part. Such an oil gives back one more drop: a limit outranks the one-drop rule.
    """
    counts = [max(0, math.floor(x + EPSILON)) for x in ideal]
    target = round_half_up(sum(ideal))
    _take_back_until_fits(counts, ideal, fits)
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


def _take_back_until_fits(counts: list[int], ideal: Sequence[float], fits: Callable[[Sequence[int]], bool]) -> None:
    """Remove drops, one at a time, until ``counts`` fits: first from oils whose removal alone makes it fit,
    preferring the oil whose whole part was closest to its ideal (the one sitting at its limit)."""
    while not fits(counts) and any(counts):
        order = sorted((i for i, c in enumerate(counts) if c > 0), key=lambda i: (ideal[i] - counts[i], i))
        for i in order:
            counts[i] -= 1
            if fits(counts):
                return
            counts[i] += 1
        counts[order[0]] -= 1
