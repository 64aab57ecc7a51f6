"""Checking a blend already made: its strength against every limit, its warnings, and how to mend it."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from oil_blends.engine.allocation import EPSILON
from oil_blends.engine.drops import allocate, drops_per_teaspoon, round_up_2sf
from oil_blends.engine.errors import InvalidBlend
from oil_blends.engine.limits import BlendPlan, plan_with
from oil_blends.engine.lookup import resolve_oils
from oil_blends.engine.model import (
    MAX_BATCH_ML,
    BlendRequest,
    CheckedOil,
    CheckRequest,
    CheckResult,
    Conventions,
    LeaveOut,
    Oil,
    OilPart,
    Remedy,
    Verdict,
    Warning,
)
from oil_blends.engine.notes import fmt_amount, fmt_percent, limit_warnings, person_warnings, phototoxic_notes
from oil_blends.engine.rules import RuleSet
from oil_blends.engine.safety import carrier_warnings, handling_warnings, sort_warnings

LIMIT_CODES = frozenset({"use_maximum", "oil_maximum", "phototoxic"})  # dangers that more carrier mends
SPOON_FRACTIONS = {0.25: "1/4", 0.5: "1/2", 0.75: "3/4"}


def check_blend(request: CheckRequest, catalog: Mapping[str, Oil], rules: RuleSet) -> CheckResult:
    """How strong a blend already made is, whether it is safe for the person and use, and the remedy
    when it is only too strong; :class:`InvalidBlend` for unknown oils, no drops or too little carrier."""
    _validate(request)
    carrier, oils = resolve_oils(request.carrier, [item.oil for item in request.oils], catalog, measure="drops")
    counts = [item.drops for item in request.oils]
    rates = [request.conventions.drops_per_ml_for(oil) for oil in oils]
    oil_ml = [count / rate for count, rate in zip(counts, rates, strict=True)]
    plan = plan_with(_as_blend_request(request, oils, oil_ml), carrier, oils, rules)
    blend_ml = request.carrier_ml + sum(oil_ml)
    percent = 100.0 * sum(oil_ml) / blend_ml

    breaks = limit_warnings(plan, percent, "danger")
    warnings = [*person_warnings(plan), *breaks, *carrier_warnings(carrier)]
    shares = plan.percents(percent)  # the fractions are the real mL's: these are the real shares
    if not plan.limits.breaches(plan.oils, shares).phototoxic:  # else the danger says it
        warnings += phototoxic_notes(plan, shares)
    warnings += handling_warnings([carrier, *oils], plan.profile)

    dangers = [w for w in warnings if w.severity == "danger"]
    verdict: Verdict = "safe"
    if any(w.code not in LIMIT_CODES for w in dangers):
        verdict = "not_for_this_person"
    elif dangers:
        verdict = "too_strong"
    remedy = _remedy(plan, counts, sum(oil_ml), breaks) if verdict == "too_strong" else None
    return CheckResult(
        carrier=carrier,
        carrier_ml=request.carrier_ml,
        essential_oils=tuple(
            CheckedOil(oil.slug, oil.name, count, ml, 100.0 * ml / blend_ml, rate, oil.max_dermal_percent)
            for oil, count, ml, rate in zip(oils, counts, oil_ml, rates, strict=True)
        ),
        total_drops=sum(counts),
        oil_ml=sum(oil_ml),
        blend_ml=blend_ml,
        percent=percent,
        drops_per_tsp=drops_per_teaspoon(sum(counts), request.carrier_ml, request.conventions),
        max_percent=plan.person_max,
        limited_by=tuple(rule.id for rule in plan.person_rules),
        allowed_percent=plan.limits.blend_max,
        safe=verdict == "safe",
        verdict=verdict,
        message=_message(plan, verdict, percent, dangers, remedy),
        warnings=sort_warnings(warnings),
        remedy=remedy,
        conventions=request.conventions,
        teaspoon_ml=request.conventions.teaspoon_ml,
        amount_text=request.amount_text,
        amount_unit=request.amount_unit,
        amount_unit_ml=request.amount_unit_ml,
    )


def _validate(request: CheckRequest) -> None:
    errors: dict[str, list[str]] = {}
    drop_ml = 1.0 / request.conventions.dropper
    if not math.isfinite(request.carrier_ml) or request.carrier_ml > MAX_BATCH_ML:
        errors["amount"] = ["give the carrier you used, at most 20 L, e.g. '30 mL'"]
    elif request.carrier_ml < drop_ml * (1 - EPSILON):
        errors["amount"] = [f"less than one drop of carrier ({drop_ml:g} mL); give the carrier you used, e.g. '30 mL'"]
    if not request.oils:
        errors["oils"] = ["give each essential oil and the drops of it you used"]
    short = {i: {"drops": ["count at least 1 drop"]} for i, item in enumerate(request.oils) if item.drops < 1}
    if errors or short:
        raise InvalidBlend({**errors, **({"oils": short} if short else {})})


def _as_blend_request(request: CheckRequest, oils: Sequence[Oil], oil_ml: Sequence[float]) -> BlendRequest:
    """The blend as the calculator sees it: its oils in parts by volume, on top of the carrier."""
    return BlendRequest(
        carrier=request.carrier,
        amount_ml=request.carrier_ml,
        oils=tuple(OilPart(oil.slug, ml) for oil, ml in zip(oils, oil_ml, strict=True)),
        amount_text=request.amount_text,
        amount_unit=request.amount_unit,
        amount_unit_ml=request.amount_unit_ml,
        amount_of="carrier",
        use=request.use,
        profile=request.profile,
        conventions=request.conventions,
    )


def _remedy(plan: BlendPlan, counts: Sequence[int], oil_ml: float, breaks: Sequence[Warning]) -> Remedy:
    """The least carrier to add, and the most drops, at most those used, that the same carrier holds."""
    allowed = plan.limits.blend_max
    carrier_ml = plan.request.amount_ml
    to_add = max(0.0, oil_ml * (100.0 - allowed) / allowed - carrier_ml)
    again = allocate(plan, allowed, at_most=counts)
    leave_out = tuple(
        LeaveOut(oil.slug, oil.name, used, kept)
        for oil, used, kept in zip(plan.oils, counts, again.counts, strict=True)
    )
    after = 100.0 * oil_ml / (carrier_ml + to_add + oil_ml)
    made_again = sum(again.percents)
    advice = [
        f"Add at least {_addition_words(to_add, plan)} of {plan.carrier.name} to this blend: it becomes "
        f"{fmt_percent(after)} %.",
        _again_words(plan, leave_out, made_again),
    ]
    if {w.code for w in breaks} == {"phototoxic"}:
        advice.append(
            "Or keep the oiled skin out of sun and UV (sunbeds too) for 12-18 hours after each use: the phototoxic "
            "limit is for skin that may see the sun, and nothing else is over its limit."
        )
    return Remedy(to_add, after, leave_out, made_again, tuple(advice))


def _addition_words(ml: float, plan: BlendPlan) -> str:
    """Carrier to add, rounded up to two figures of the user's unit, with spoons when it is a few of them."""
    unit_ml = plan.request.amount_unit_ml
    rounded = round_up_2sf(ml / unit_ml) * unit_ml
    spoons = spoon_words(rounded, plan.conventions)
    text = fmt_amount(rounded, plan.request)
    if spoons is None or plan.request.amount_unit in ("tsp", "tbsp"):
        return text
    if text.endswith(")"):
        return f"{text[:-1]}, {spoons})"
    return f"{text} ({spoons})"


def spoon_words(ml: float, conventions: Conventions) -> str | None:
    """A volume in spoons, rounded up to a quarter teaspoon or half a tablespoon; None above 8 tablespoons."""
    teaspoon = conventions.teaspoon_ml
    if ml <= 0 or ml > 8 * 3 * teaspoon * (1 + EPSILON):
        return None
    if ml >= 3 * teaspoon * (1 - EPSILON):
        return f"{_spoons(math.ceil(ml / (3 * teaspoon) * 2 - EPSILON) / 2)} tbsp"
    return f"{_spoons(math.ceil(ml / teaspoon * 4 - EPSILON) / 4)} tsp"


def _spoons(count: float) -> str:
    whole, part = int(count), count - int(count)
    fraction = SPOON_FRACTIONS.get(part, "")
    if not fraction:
        return f"{whole}"
    return f"{whole} {fraction}" if whole else fraction


def _drops_words(count: int, name: str) -> str:
    return f"{count} drop{'' if count == 1 else 's'} of {name}"


def _again_words(plan: BlendPlan, leave_out: Sequence[LeaveOut], percent: float) -> str:
    carrier = f"{fmt_amount(plan.request.amount_ml, plan.request)} of {plan.carrier.name}"
    if not any(item.drops for item in leave_out):
        return (
            f"{carrier} cannot hold a whole drop of these oils within the limits: make a larger batch, or add "
            "carrier as above."
        )
    parts = []
    for item in leave_out:
        if item.drops == 0:
            parts.append(f"no {item.name} (leave out all {item.drops_used})")
        elif item.leave_out:
            parts.append(f"{_drops_words(item.drops, item.name)} ({item.leave_out} fewer)")
        else:
            parts.append(_drops_words(item.drops, item.name))
    return f"Or, making it again with {carrier}, use {_and(parts)}: {fmt_percent(percent)} %."


def _and(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _message(
    plan: BlendPlan, verdict: Verdict, percent: float, dangers: Sequence[Warning], remedy: Remedy | None
) -> str:
    allowed = fmt_percent(plan.limits.blend_max)
    if verdict == "safe":
        return (
            f"Within every limit: {fmt_percent(percent)} % essential oil, where these oils may make up at most "
            f"{allowed} % for this person and use."
        )
    if verdict == "too_strong":
        advice = f" {remedy.advice[0]}" if remedy is not None else ""
        return (
            f"Too strong: {fmt_percent(percent)} % essential oil, where these oils may make up at most {allowed} % "
            f"for this person and use.{advice}"
        )
    refused = [w for w in dangers if w.code not in LIMIT_CODES]
    names = [oil.name for oil in plan.oils if any(w.oil == oil.slug for w in refused)]
    steps = ["Not safe for this person at any dilution: more carrier will not help."]
    if names:
        steps.append(f"Make it again without {_and(names)}.")
    if any(w.oil == plan.carrier.slug for w in refused):
        steps.append(f"Use another carrier than {plan.carrier.name}.")
    steps += [w.message for w in refused if w.oil is None]
    return " ".join(steps)
