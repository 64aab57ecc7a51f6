"""The limits on a blend, and the plan every step of a calculation shares."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from oil_blends.engine.allocation import EPSILON
from oil_blends.engine.lookup import resolve_oils
from oil_blends.engine.model import BlendRequest, Conventions, Oil, Profile, Use
from oil_blends.engine.rules import Rule, RuleSet, effective_max_percent


@dataclass(slots=True)
class Limits:
    """Every maximum on the blend's total dilution, in percent of the finished blend."""

    person_max: float
    person_rules: tuple[Rule, ...]  # rules that set person_max
    oil_max: dict[str, float]  # slug -> largest total at which that oil stays under its own maximum
    # largest total at which the phototoxic shares add up to 1; None when no sun is possible or no oil is phototoxic
    phototoxic_max: float | None

    @property
    def blend_max(self) -> float:
        values = [self.person_max, *self.oil_max.values()]
        if self.phototoxic_max is not None:
            values.append(self.phototoxic_max)
        return min(values)

    def allows(self, oils: Sequence[Oil], percents: Sequence[float]) -> bool:
        """Whether a blend whose oils make up ``percents`` of it breaks no limit (``not breaches(...)``, sooner:
        the drop allocation asks it for every drop it tries)."""
        if sum(percents) > self.person_max * (1 + EPSILON):
            return False
        for oil, percent in zip(oils, percents, strict=True):
            if oil.max_dermal_percent is not None and percent > oil.max_dermal_percent * (1 + EPSILON):
                return False
        return self.phototoxic_max is None or phototoxic_load(oils, percents) <= 1 + EPSILON

    def breaches(self, oils: Sequence[Oil], percents: Sequence[float]) -> Breaches:
        """Which limits a blend whose oils make up ``percents`` of it would break."""
        return Breaches(
            total=sum(percents) > self.person_max * (1 + EPSILON),
            oils=tuple(
                oil
                for oil, percent in zip(oils, percents, strict=True)
                if oil.max_dermal_percent is not None and percent > oil.max_dermal_percent * (1 + EPSILON)
            ),
            phototoxic=self.phototoxic_max is not None and phototoxic_load(oils, percents) > 1 + EPSILON,
        )


@dataclass(slots=True)
class Breaches:
    total: bool  # over the use/person maximum
    oils: tuple[Oil, ...]  # oils over their own maximum
    phototoxic: bool  # phototoxic shares add up past their limits, with sun possible

    def __bool__(self) -> bool:
        return self.total or bool(self.oils) or self.phototoxic


def phototoxic_load(oils: Sequence[Oil], percents: Sequence[float]) -> float:
    """Each phototoxic oil's share divided by its limit, added up: over 1 can burn skin in the sun."""
    return sum(
        percent / oil.phototoxic_max_percent
        for oil, percent in zip(oils, percents, strict=True)
        if oil.phototoxic_max_percent is not None
    )


def compute_limits(
    oils: Sequence[Oil],
    fractions: Sequence[float],
    person_max: float,
    person_rules: tuple[Rule, ...],
    sun_possible: bool,
) -> Limits:
    """The limits for oils mixed in these fractions (of the essential oils, by volume)."""
    oil_max = {
        oil.slug: oil.max_dermal_percent / fraction
        for oil, fraction in zip(oils, fractions, strict=True)
        if oil.max_dermal_percent is not None and fraction > 0
    }
    phototoxic_max = None
    if sun_possible:
        load = phototoxic_load(oils, [fraction if fraction > 0 else 0.0 for fraction in fractions])
        phototoxic_max = 1.0 / load if load > 0 else None
    return Limits(person_max, person_rules, oil_max, phototoxic_max)


@dataclass(slots=True)
class BlendPlan:
    """A request with its oils looked up, their fractions, the person's rules and every limit."""

    request: BlendRequest
    carrier: Oil
    oils: tuple[Oil, ...]
    fractions: tuple[float, ...]  # each oil's share of the essential oils, by volume
    limits: Limits
    rules: RuleSet

    @property
    def profile(self) -> Profile:
        return self.request.profile

    @property
    def use(self) -> Use:
        return self.request.use

    @property
    def conventions(self) -> Conventions:
        return self.request.conventions

    @property
    def person_max(self) -> float:
        return self.limits.person_max

    @property
    def person_rules(self) -> tuple[Rule, ...]:
        return self.limits.person_rules

    def percents(self, total: float) -> list[float]:
        """Each oil's share of the blend at a total dilution of ``total`` percent."""
        return [fraction * total for fraction in self.fractions]


def plan_blend(request: BlendRequest, catalog: Mapping[str, Oil], rules: RuleSet) -> BlendPlan:
    """Look up the request's oils (or raise :class:`InvalidBlend`) and work out its limits."""
    carrier, oils = resolve_oils(request.carrier, [part.oil for part in request.oils], catalog)
    return plan_with(request, carrier, oils, rules)


def plan_with(request: BlendRequest, carrier: Oil, oils: Sequence[Oil], rules: RuleSet) -> BlendPlan:
    """The plan of a request whose oils are already looked up (in the order of ``request.oils``)."""
    total_parts = sum([part.parts for part in request.oils])
    fractions = tuple([part.parts / total_parts for part in request.oils])
    person_max, person_rules = effective_max_percent(rules, request.use, request.profile)
    limits = compute_limits(oils, fractions, person_max, person_rules, request.profile.sun_possible)
    return BlendPlan(request, carrier, tuple(oils), fractions, limits, rules)
