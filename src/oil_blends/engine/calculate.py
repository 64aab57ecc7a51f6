"""The blend calculation: plan the blend, choose its dilution, make it in whole drops, gather every warning."""

from __future__ import annotations

from collections.abc import Mapping

from oil_blends.engine.allocation import EPSILON
from oil_blends.engine.drops import Drops, allocate, drops_per_teaspoon
from oil_blends.engine.errors import BatchTooSmall, UnsafeBlend
from oil_blends.engine.limits import BlendPlan, plan_blend
from oil_blends.engine.lookup import suggest_slugs
from oil_blends.engine.model import BlendRequest, BlendResult, DilutionReport, Oil, OilAmount, Warning
from oil_blends.engine.notes import fmt_percent, limit_warnings, person_warnings, phototoxic_notes, whole_drop_warnings
from oil_blends.engine.rules import RuleSet
from oil_blends.engine.safety import carrier_warnings, handling_warnings, sort_warnings

__all__ = ["calculate", "choose_target", "suggest_slugs"]


def choose_target(plan: BlendPlan) -> tuple[float, bool, list[Warning]]:
    """The dilution to make: the request's, capped or refused above a limit, or the safe maximum.

    Returns (target percent, capped, warnings): a refused request carries ``danger`` warnings.
    """
    request = plan.request
    requested = request.dilution.percent if request.dilution is not None else None
    blend_max = plan.limits.blend_max
    if plan.person_max <= 0:
        return 0.0, False, []
    if requested is None:
        return blend_max, False, []
    if requested <= blend_max * (1 + EPSILON):
        return requested, False, []
    exceeded = limit_warnings(plan, requested, "danger")
    if request.on_limit == "reject":
        return requested, False, exceeded
    reasons = " ".join(w.message for w in exceeded)
    capped = Warning(
        "capped",
        "caution",
        f"The dilution was lowered from {fmt_percent(requested)} % to {fmt_percent(blend_max)} % to stay within "
        f"every limit. {reasons}",
        None,
    )
    return blend_max, True, [capped]


def calculate(request: BlendRequest, catalog: Mapping[str, Oil], rules: RuleSet) -> BlendResult:
    """Compute a blend in whole drops, or raise :class:`InvalidBlend` / :class:`UnsafeBlend`."""
    plan = plan_blend(request, catalog, rules)
    target, capped, limit_notes = choose_target(plan)
    warnings = [*person_warnings(plan), *limit_notes]
    if any(w.severity == "danger" for w in warnings):
        raise UnsafeBlend(sort_warnings(_refusal_notes(warnings)))

    drops = allocate(plan, target)
    if target > 0 and drops.total == 0:
        too_small = whole_drop_warnings(plan, drops, target, capped, severity="danger")
        raise BatchTooSmall(sort_warnings([*too_small, *_refusal_notes(warnings)]))
    actual = sum(drops.percents)
    present = [oil for oil, count in zip(plan.oils, drops.counts, strict=True) if count > 0]
    warnings += carrier_warnings(plan.carrier)
    warnings += phototoxic_notes(plan, drops.percents)
    warnings += handling_warnings([plan.carrier, *present], plan.profile)
    warnings += whole_drop_warnings(plan, drops, target, capped)
    return _result(plan, drops, target, actual, capped, warnings)


def _refusal_notes(warnings: list[Warning]) -> list[Warning]:
    return [w for w in warnings if w.code != "capped"]  # a refused blend was not lowered


def _result(
    plan: BlendPlan, drops: Drops, target: float, actual: float, capped: bool, warnings: list[Warning]
) -> BlendResult:
    request = plan.request
    # one record per oil, its fields in order (positional arguments are the cheaper call)
    per_oil = zip(
        plan.oils, request.oils, drops.counts, drops.oil_ml, drops.percents, drops.ideal, drops.rates, strict=True
    )
    amounts = tuple(
        [
            OilAmount(oil.slug, oil.name, part.parts, count, ml, pct, ideal, rate)
            for oil, part, count, ml, pct, ideal, rate in per_oil
        ]
    )
    total, carrier_ml = drops.total, drops.carrier_ml
    report = DilutionReport(
        requested_percent=request.dilution.percent if request.dilution is not None else None,
        target_percent=target,
        actual_percent=actual,
        max_percent=plan.person_max,
        drops_per_tsp=drops_per_teaspoon(total, carrier_ml, request.conventions),
        limited_by=tuple([rule.id for rule in plan.person_rules]),
    )
    return BlendResult(
        essential_oils=amounts,
        total_drops=total,
        carrier=plan.carrier,
        carrier_ml=carrier_ml,
        blend_ml=drops.blend_ml,
        dilution=report,
        conventions=request.conventions,
        teaspoon_ml=request.conventions.teaspoon_ml,
        capped=capped,
        warnings=sort_warnings(warnings),
        amount_of=request.amount_of,
        amount_text=request.amount_text,
    )
