"""Dilution rules as data: which maximum applies to which use and person (the documents layer reads the file)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from oil_blends.engine.model import Profile


@dataclass(frozen=True)
class Rule:
    id: str
    label: str
    max_percent: float
    use: str | None = None
    pregnant: bool | None = None
    age_from_years: float | None = None
    age_below_years: float | None = None
    skin: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    recommended: str | None = None
    note: str | None = None
    sources: tuple[str, ...] = ()

    @property
    def is_use_rule(self) -> bool:
        return self.use is not None

    def applies(self, use: str, profile: Profile) -> bool:
        if self.use is not None and self.use != use:
            return False
        if self.pregnant is not None and self.pregnant != profile.pregnant:
            return False
        if self.age_from_years is not None or self.age_below_years is not None:
            age = profile.age_years
            if age is None:
                return False
            if self.age_from_years is not None and age < self.age_from_years:
                return False
            if self.age_below_years is not None and age >= self.age_below_years:
                return False
        if self.skin and profile.skin not in self.skin:
            return False
        return not (self.conditions and not set(self.conditions) & set(profile.conditions))


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    adult_from_years: float
    face_caution_below_years: float
    refuse_below_years: Mapping[str, float]  # child contraindication code -> the age below which it refuses
    # The maximum worked out for each use and person asked about: a few people (no profile, an adult, an older
    # person with neuropathy) make up most requests, and the rules never change within one RuleSet.
    _person_max: dict[tuple[str, Profile], tuple[float, tuple[Rule, ...]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def applicable(self, use: str, profile: Profile) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.applies(use, profile))

    def child_age_limit(self, code: str) -> float | None:
        """The age below which an oil with this contraindication code is refused, if it is a child code."""
        return self.refuse_below_years.get(code)

    @cached_property
    def child_ages_end(self) -> float:
        """The age from which no child rule (an age limit or the face caution) can apply any more."""
        return max([self.face_caution_below_years, *self.refuse_below_years.values()])


def parse_rules(document: dict) -> RuleSet:
    """Build a :class:`RuleSet` from the TOML document's structure (also used for rules stored elsewhere)."""
    rules = []
    for entry in document["rules"]:
        entry = dict(entry)
        for key in ("skin", "conditions", "sources"):
            entry[key] = tuple(entry.get(key, ()))
        rules.append(Rule(**entry))
    ages = document["ages"]
    return RuleSet(
        rules=tuple(rules),
        adult_from_years=float(ages["adult_from_years"]),
        face_caution_below_years=float(ages["face_caution_below_years"]),
        refuse_below_years=MappingProxyType({code: float(age) for code, age in ages["refuse_below_years"].items()}),
    )


PERSON_MAX_KEPT = 1024  # uses and people remembered per RuleSet; past it the memo starts again


def effective_max_percent(rules: RuleSet, use: str, profile: Profile) -> tuple[float, tuple[Rule, ...]]:
    """The lowest maximum over every rule that applies, and the rules that set it."""
    known = rules._person_max.get((use, profile))
    if known is not None:
        return known
    applicable = rules.applicable(use, profile)
    if not applicable:
        raise ValueError(f"no dilution rule covers use {use!r}")
    lowest = min(rule.max_percent for rule in applicable)
    found = lowest, tuple(rule for rule in applicable if rule.max_percent == lowest)
    if len(rules._person_max) >= PERSON_MAX_KEPT:
        rules._person_max.clear()
    rules._person_max[use, profile] = found
    return found
