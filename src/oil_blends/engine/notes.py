"""The warnings a plan gives, in words: the person's, the limits a dilution breaks, phototoxicity, whole drops."""

from __future__ import annotations

from collections.abc import Sequence

from oil_blends.engine.allocation import EPSILON
from oil_blends.engine.drops import Drops, smallest_batch_ml
from oil_blends.engine.limits import BlendPlan, phototoxic_load
from oil_blends.engine.model import BlendRequest, Severity, Warning
from oil_blends.engine.safety import allergen_warnings, contraindication_warnings, person_limit_notes

ROUNDING_TOLERANCE = 0.05  # relative difference between asked and actual dilution worth a warning
USE_WORDS = {"massage": "body massage", "face": "the face", "small_area": "a small area"}


def fmt_percent(percent: float) -> str:
    """A percent for people: as many decimals as the figure needs, at most three."""
    if percent == 0:
        return "0"
    text = f"{percent:.3f}".rstrip("0").rstrip(".")
    return text if text != "0" else f"{percent:.2g}"


PLURAL_UNITS = {"drop": "drops", "cup": "cups", "dram": "drams"}  # the canonical units written as words


def fmt_amount(ml: float, request: BlendRequest) -> str:
    """A volume in the unit the request's amount was given in, with mL beside any other unit."""
    in_units = ml / request.amount_unit_ml
    figure = f"{in_units:.4g}"
    unit = request.amount_unit if figure == "1" else PLURAL_UNITS.get(request.amount_unit, request.amount_unit)
    text = f"{figure} {unit}"
    if request.amount_unit != "mL":
        text += f" ({ml:.4g} mL)"
    return text


def person_warnings(plan: BlendPlan) -> list[Warning]:
    """What the oils mean for this person and use, whatever the dilution: contraindications, allergens and
    the person's own limits."""
    every_oil = [plan.carrier, *plan.oils]
    return [
        *contraindication_warnings(every_oil, plan.use, plan.profile, plan.rules),
        *allergen_warnings(every_oil, plan.profile),
        *person_limit_notes(plan.profile, plan.person_max),
    ]


def limit_warnings(plan: BlendPlan, total: float, severity: Severity) -> list[Warning]:
    """Warnings for each limit that a total dilution of ``total`` percent would exceed."""
    warnings: list[Warning] = []
    limits = plan.limits
    broken = limits.breaches(plan.oils, plan.percents(total))
    if broken.total:
        labels = " and ".join(rule.label.lower() for rule in limits.person_rules)
        warnings.append(
            Warning(
                "use_maximum",
                severity,
                f"A {fmt_percent(total)} % blend is above the {fmt_percent(limits.person_max)} % maximum for {labels} "
                f"(use: {USE_WORDS.get(plan.use, plan.use)}).",
                None,
            )
        )
    for oil, fraction in zip(plan.oils, plan.fractions, strict=True):
        if oil in broken.oils and oil.max_dermal_percent is not None:
            reason = f" ({oil.max_dermal_reason})" if oil.max_dermal_reason else ""
            warnings.append(
                Warning(
                    "oil_maximum",
                    severity,
                    f"{oil.name} would be {fmt_percent(fraction * total)} % of the blend; its maximum on skin is "
                    f"{fmt_percent(oil.max_dermal_percent)} %{reason}.",
                    oil.slug,
                )
            )
    if broken.phototoxic:
        parts = ", ".join(
            f"{oil.name} {fmt_percent(fraction * total)} % (limit {fmt_percent(oil.phototoxic_max_percent)} %)"
            for oil, fraction in zip(plan.oils, plan.fractions, strict=True)
            if oil.phototoxic_max_percent is not None
        )
        warnings.append(
            Warning(
                "phototoxic",
                severity,
                f"Phototoxic oils above their safe level for skin that may see sun: {parts}. Together they can "
                "burn or blister skin exposed to sun or UV within 12-18 hours.",
                None,
            )
        )
    return warnings


def phototoxic_notes(plan: BlendPlan, percents: Sequence[float]) -> list[Warning]:
    """The caution every phototoxic oil in the blend carries, worded for whether the person may be in the sun.

    ``percents`` are each oil's real share of the blend (in the plan's order): whole drops move the shares away
    from the parts asked for, and the note must name the share that goes on the skin.
    """
    warnings: list[Warning] = []
    if not any(oil.phototoxic for oil in plan.oils):
        return warnings
    sun_possible = plan.profile.sun_possible
    load = phototoxic_load(plan.oils, percents)
    for oil, percent in zip(plan.oils, percents, strict=True):
        limit = oil.phototoxic_max_percent
        if limit is None or percent <= 0:  # not phototoxic, or not in the blend (no whole drop of it)
            continue
        share = f"{fmt_percent(percent)} %"
        if sun_possible:
            text = (
                f"{oil.name} is phototoxic: at {share} it is within its {fmt_percent(limit)} % "
                "limit for sun-exposed skin, but keep to that strength and never add more."
            )
        elif load > 1 + EPSILON:
            text = (
                f"{oil.name} is phototoxic and at {share} is above its {fmt_percent(limit)} % "
                "limit: keep the oiled skin out of sun and UV (including sunbeds) for 12-18 hours."
            )
        else:
            text = (
                f"{oil.name} is phototoxic: at {share} it is within its {fmt_percent(limit)} % "
                "limit, but still keep the oiled skin out of strong sun for 12 hours to be safe."
            )
        warnings.append(Warning("phototoxic", "caution", text, oil.slug))
    return warnings


def whole_drop_warnings(
    plan: BlendPlan, drops: Drops, target: float, capped: bool, severity: Severity = "caution"
) -> list[Warning]:
    """``batch_too_small`` when an oil got no drop, ``rounding`` when whole drops moved the dilution over 5 %.

    ``severity`` is "danger" when no oil got a drop at all: such a blend is refused, not made.
    """
    warnings = []
    request = plan.request
    actual = sum(drops.percents)
    starved = [oil for oil, count in zip(plan.oils, drops.counts, strict=True) if count == 0]
    if starved and target > 0:
        smallest = smallest_batch_ml(plan, target)
        names = ", ".join(oil.name for oil in starved)
        if smallest is not None:
            advice = f"make at least {fmt_amount(smallest, request)} so that every oil gets a drop"
        else:
            advice = "no batch up to 20 L gives every oil a whole drop at this dilution; use fewer oils or parts"
        warnings.append(
            Warning(
                "batch_too_small",
                severity,
                f"This batch is too small to hold a whole drop of {names} at this ratio: {advice}.",
                None,
            )
        )
        if severity == "danger":
            return warnings
    if target > 0 and abs(actual - target) > ROUNDING_TOLERANCE * target:
        asked = "asked for" if request.dilution is not None and not capped else "aimed at"
        warnings.append(
            Warning(
                "rounding",
                "info",
                f"Whole drops make this blend {fmt_percent(actual)} % instead of the {fmt_percent(target)} % {asked}.",
                None,
            )
        )
    return warnings
