"""The blend calculation: limits, the capped dilution, whole drops and every warning."""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from oil_blends.engine.allocation import EPSILON, allocate_drops
from oil_blends.engine.errors import BatchTooSmall, InvalidBlend, UnsafeBlend
from oil_blends.engine.model import (
    MAX_BATCH_ML,
    MAX_OILS,
    BlendRequest,
    BlendResult,
    DilutionReport,
    Oil,
    OilAmount,
    Warning,
)
from oil_blends.engine.rules import RuleSet, effective_max_percent
from oil_blends.engine.safety import (
    allergen_warnings,
    carrier_warnings,
    contraindication_warnings,
    handling_warnings,
    person_limit_notes,
    sort_warnings,
)

ROUNDING_TOLERANCE = 0.05  # relative difference between asked and actual dilution worth a warning
USE_WORDS = {"massage": "body massage", "face": "the face", "small_area": "a small area"}


@dataclass(frozen=True)
class Limits:
    """Every maximum on the blend's total dilution, in percent of the finished blend."""

    person_max: float
    person_rules: tuple  # rules that set person_max
    oil_max: dict[str, float]  # slug -> largest total at which that oil stays under its own maximum
    phototoxic_max: float | None  # largest total at which the phototoxic shares add up to 1
    sun_possible: bool

    @property
    def blend_max(self) -> float:
        values = [self.person_max, *self.oil_max.values()]
        if self.phototoxic_max is not None:
            values.append(self.phototoxic_max)
        return min(values)

    def breaches(self, oils: Sequence[Oil], percents: Sequence[float]) -> Breaches:
        """Which limits a blend whose oils make up ``percents`` of it would break."""
        return Breaches(
            total=sum(percents) > self.person_max * (1 + EPSILON),
            oils=tuple(
                oil
                for oil, percent in zip(oils, percents, strict=True)
                if oil.max_dermal_percent is not None and percent > oil.max_dermal_percent * (1 + EPSILON)
            ),
            phototoxic=self.sun_possible and phototoxic_load(oils, percents) > 1 + EPSILON,
        )


@dataclass(frozen=True)
class Breaches:
    total: bool  # over the use/person maximum
    oils: tuple[Oil, ...]  # oils over their own maximum
    phototoxic: bool  # phototoxic shares add up past their limits, with sun possible

    def __bool__(self) -> bool:
        return self.total or bool(self.oils) or self.phototoxic


def phototoxic_load(oils: Sequence[Oil], percents: Sequence[float]) -> float:
    """Each phototoxic oil's share divided by its limit, added up: over 1 can burn skin in the sun."""
    return sum(p / o.phototoxic_max_percent for o, p in zip(oils, percents, strict=True) if o.phototoxic)


def resolve_oils(request: BlendRequest, catalog: Mapping[str, Oil]) -> tuple[Oil, list[Oil]]:
    """Look up the carrier and essential oils, or raise :class:`InvalidBlend` naming each bad field."""
    errors: dict = {}
    carrier = catalog.get(request.carrier)
    if carrier is None:
        errors["carrier"] = [_unknown(request.carrier, catalog, "carrier")]
    elif carrier.kind != "carrier":
        errors["carrier"] = [
            f"{carrier.name} ({carrier.slug}) is an essential oil, not a carrier; carriers include "
            + ", ".join(_slugs_of(catalog, "carrier")[:6])
        ]
    if len(request.oils) > MAX_OILS:
        errors["oils"] = [f"at most {MAX_OILS} essential oils per blend, got {len(request.oils)}"]
        raise InvalidBlend(errors)
    oils: list[Oil] = []
    seen: dict[str, int] = {}
    oil_errors: dict[int, dict[str, list[str]]] = {}
    for index, part in enumerate(request.oils):
        oil = catalog.get(part.oil)
        if oil is None:
            oil_errors[index] = {"oil": [_unknown(part.oil, catalog, "essential")]}
        elif oil.kind != "essential":
            oil_errors[index] = {
                "oil": [f'{oil.name} ({oil.slug}) is a carrier oil, not an essential oil; give it as "carrier"']
            }
        elif part.oil in seen:
            oil_errors[index] = {
                "oil": [
                    f"{oil.name} is listed twice (items {seen[part.oil]} and {index}); give it once and add the parts"
                ]
            }
        else:
            seen[part.oil] = index
            oils.append(oil)
    if oil_errors:
        errors["oils"] = oil_errors
    if errors:
        raise InvalidBlend(errors)
    return carrier, oils


def _slugs_of(catalog: Mapping[str, Oil], kind: str) -> list[str]:
    return sorted(slug for slug, oil in catalog.items() if oil.kind == kind)


def suggest_slugs(text: str, catalog: Mapping[str, Oil], kind: str | None = None, limit: int = 3) -> list[str]:
    """The catalog slugs nearest to what was typed: containing matches first, then close spellings."""
    slugs = sorted(slug for slug, oil in catalog.items() if kind is None or oil.kind == kind)
    key = str(text).strip().lower().replace(" ", "-").replace("_", "-")
    containing = [slug for slug in slugs if key and (key in slug or slug in key)]
    close = difflib.get_close_matches(key, slugs, n=limit, cutoff=0.6)
    ordered = list(dict.fromkeys([*close[:1], *containing, *close]))
    return ordered[:limit]


def _unknown(slug: str, catalog: Mapping[str, Oil], kind: str) -> str:
    what = "carrier oil" if kind == "carrier" else "essential oil"
    suggestions = suggest_slugs(slug, catalog, kind)
    hint = f" Did you mean {', '.join(suggestions)}?" if suggestions else " See the catalog for the oils it holds."
    return f"unknown {what} {slug!r}.{hint}"


def compute_limits(
    fractions: Sequence[float], oils: Sequence[Oil], person_max: float, person_rules: tuple, sun_possible: bool
) -> Limits:
    oil_max = {
        oil.slug: oil.max_dermal_percent / fraction
        for oil, fraction in zip(oils, fractions, strict=True)
        if oil.max_dermal_percent is not None and fraction > 0
    }
    load = sum(
        fraction / oil.phototoxic_max_percent
        for oil, fraction in zip(oils, fractions, strict=True)
        if oil.phototoxic and fraction > 0
    )
    phototoxic_max = 1.0 / load if sun_possible and load > 0 else None
    return Limits(person_max, person_rules, oil_max, phototoxic_max, sun_possible)


def _fmt(percent: float) -> str:
    """A percent for people: as many decimals as the figure needs, at most three."""
    if percent == 0:
        return "0"
    text = f"{percent:.3f}".rstrip("0").rstrip(".")
    return text if text != "0" else f"{percent:.2g}"


def limit_warnings(
    total: float, oils: Sequence[Oil], fractions: Sequence[float], limits: Limits, use: str, severity: str
) -> list[Warning]:
    """Warnings for each limit that a total dilution of ``total`` percent would exceed."""
    warnings: list[Warning] = []
    broken = limits.breaches(oils, [fraction * total for fraction in fractions])
    if broken.total:
        labels = " and ".join(rule.label.lower() for rule in limits.person_rules)
        warnings.append(
            Warning(
                "use_maximum",
                severity,
                f"A {_fmt(total)} % blend is above the {_fmt(limits.person_max)} % maximum for {labels} "
                f"(use: {USE_WORDS.get(use, use)}).",
                None,
            )
        )
    for oil, fraction in zip(oils, fractions, strict=True):
        if oil in broken.oils:
            reason = f" ({oil.max_dermal_reason})" if oil.max_dermal_reason else ""
            warnings.append(
                Warning(
                    "oil_maximum",
                    severity,
                    f"{oil.name} would be {_fmt(fraction * total)} % of the blend; its maximum on skin is "
                    f"{_fmt(oil.max_dermal_percent)} %{reason}.",
                    oil.slug,
                )
            )
    if broken.phototoxic:
        parts = ", ".join(
            f"{oil.name} {_fmt(fraction * total)} % (limit {_fmt(oil.phototoxic_max_percent)} %)"
            for oil, fraction in zip(oils, fractions, strict=True)
            if oil.phototoxic
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


def phototoxic_notes(
    oils: Sequence[Oil], fractions: Sequence[float], total: float, sun_possible: bool
) -> list[Warning]:
    """The caution every phototoxic oil carries, worded for whether the person may be in the sun."""
    warnings = []
    load = phototoxic_load(oils, [fraction * total for fraction in fractions])
    for oil, fraction in zip(oils, fractions, strict=True):
        if not oil.phototoxic:
            continue
        share = f"{_fmt(fraction * total)} %"
        if sun_possible:
            text = (
                f"{oil.name} is phototoxic: at {share} it is within its {_fmt(oil.phototoxic_max_percent)} % "
                "limit for sun-exposed skin, but keep to that strength and never add more."
            )
        elif load > 1 + EPSILON:
            text = (
                f"{oil.name} is phototoxic and at {share} is above its {_fmt(oil.phototoxic_max_percent)} % "
                "limit: keep the oiled skin out of sun and UV (including sunbeds) for 12-18 hours."
            )
        else:
            text = (
                f"{oil.name} is phototoxic: at {share} it is within its {_fmt(oil.phototoxic_max_percent)} % "
                "limit, but still keep the oiled skin out of strong sun for 12 hours to be safe."
            )
        warnings.append(Warning("phototoxic", "caution", text, oil.slug))
    return warnings


def _volumes(request: BlendRequest, total_percent: float) -> tuple[float, float]:
    """(essential-oil mL, blend mL) for a total dilution, whichever amount the request gave."""
    if request.amount_of == "carrier":
        oil_ml = request.amount_ml * total_percent / (100.0 - total_percent)
        return oil_ml, request.amount_ml + oil_ml
    return request.amount_ml * total_percent / 100.0, request.amount_ml


@dataclass(frozen=True)
class _Drops:
    counts: list[int]
    ideal: list[float]
    rates: list[float]
    oil_ml: list[float]
    blend_ml: float
    percents: list[float]


def _allocate(
    request: BlendRequest,
    oils: Sequence[Oil],
    fractions: Sequence[float],
    target: float,
    limits: Limits,
    amount_ml: float | None = None,
) -> _Drops:
    if amount_ml is not None:
        request = replace(request, amount_ml=amount_ml)
    rates = [request.conventions.drops_per_ml_for(oil) for oil in oils]
    eo_ml, _ = _volumes(request, target)
    ideal = [f * eo_ml * rate for f, rate in zip(fractions, rates, strict=True)]

    def measure(counts: Sequence[int]) -> tuple[list[float], float, list[float]]:
        ml = [c / r for c, r in zip(counts, rates, strict=True)]
        blend = request.amount_ml + sum(ml) if request.amount_of == "carrier" else request.amount_ml
        return ml, blend, [100.0 * v / blend for v in ml]

    def fits(counts: Sequence[int]) -> bool:
        return not limits.breaches(oils, measure(counts)[2])

    counts = allocate_drops(ideal, fits)
    ml, blend, pct = measure(counts)
    return _Drops(counts, ideal, rates, ml, blend, pct)


def smallest_batch_ml(
    request: BlendRequest,
    oils: Sequence[Oil],
    fractions: Sequence[float],
    target: float,
    limits: Limits,
) -> float | None:
    """The smallest batch, in two significant figures of the user's unit, whose whole drops give every oil
    at least one drop without breaking a limit; None when no batch up to 20 L does.

    Ideal drops grow in proportion to the batch, so the search starts where the total could first round to
    one drop per oil and walks up the two-figure amounts (1.0, 1.1, ... 9.9, 10, 11, ...) of the user's unit.
    """
    reference_ml = 1000.0  # ideal drops measured on a litre cannot underflow
    ideal_per_ml = sum(_allocate(request, oils, fractions, target, limits, amount_ml=reference_ml).ideal)
    ideal_per_ml /= reference_ml
    if not ideal_per_ml > 0:
        return None
    unit_ml = request.amount_unit_ml
    lowest_ml = (len(oils) - 0.5) / ideal_per_ml
    if not lowest_ml <= MAX_BATCH_ML:  # also catches the infinity of a vanishing dilution
        return None
    amount = _round_up_2sf(lowest_ml / unit_ml)
    while amount * unit_ml <= MAX_BATCH_ML * (1 + EPSILON):
        drops = _allocate(request, oils, fractions, target, limits, amount_ml=amount * unit_ml)
        if all(count > 0 for count in drops.counts):
            return amount * unit_ml
        amount = _next_2sf(amount)
    return None


def _round_up_2sf(value: float) -> float:
    if value <= 0:
        return value
    step = _step_2sf(value)
    return round(math.ceil(value / step - EPSILON) * step, 12)


def _next_2sf(value: float) -> float:
    """The next amount with two significant figures: 1.0 -> 1.1, 9.9 -> 10, 99 -> 100."""
    return round(value + _step_2sf(value), 12)


def _step_2sf(value: float) -> float:
    return 10.0 ** (math.floor(math.log10(value) + EPSILON) - 1)


def choose_target(
    request: BlendRequest, oils: Sequence[Oil], fractions: Sequence[float], limits: Limits
) -> tuple[float, bool, list[Warning]]:
    """The dilution to make: the request's, capped or refused above a limit, or the safe maximum.

    Returns (target percent, capped, warnings): a refused request carries ``danger`` warnings.
    """
    requested = request.dilution.percent if request.dilution is not None else None
    blend_max = limits.blend_max
    if limits.person_max <= 0:
        return 0.0, False, []
    if requested is None:
        return blend_max, False, []
    if requested <= blend_max * (1 + EPSILON):
        return requested, False, []
    exceeded = limit_warnings(requested, oils, fractions, limits, request.use, "danger")
    if request.on_limit == "reject":
        return requested, False, exceeded
    reasons = " ".join(w.message for w in exceeded)
    capped = Warning(
        "capped",
        "caution",
        f"The dilution was lowered from {_fmt(requested)} % to {_fmt(blend_max)} % to stay within every limit. "
        f"{reasons}",
        None,
    )
    return blend_max, True, [capped]


def drops_per_teaspoon(total_drops: int, carrier_ml: float, request: BlendRequest) -> float:
    """The drops a person counts into each teaspoon of carrier: each oil's drops at its own drop size."""
    return total_drops * request.conventions.teaspoon_ml / carrier_ml if carrier_ml > 0 else 0.0


def whole_drop_warnings(
    request: BlendRequest,
    oils: Sequence[Oil],
    fractions: Sequence[float],
    limits: Limits,
    drops: _Drops,
    target: float,
    capped: bool,
    severity: str = "caution",
) -> list[Warning]:
    """``batch_too_small`` when an oil got no drop, ``rounding`` when whole drops moved the dilution over 5 %.

    ``severity`` is "danger" when no oil got a drop at all: such a blend is refused, not made.
    """
    warnings = []
    actual = sum(drops.percents)
    starved = [oil for oil, count in zip(oils, drops.counts, strict=True) if count == 0]
    if starved and target > 0:
        smallest = smallest_batch_ml(request, oils, fractions, target, limits)
        names = ", ".join(oil.name for oil in starved)
        if smallest is not None:
            advice = f"make at least {_fmt_amount(smallest, request)} so that every oil gets a drop"
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
                f"Whole drops make this blend {_fmt(actual)} % instead of the {_fmt(target)} % {asked}.",
                None,
            )
        )
    return warnings


def calculate(request: BlendRequest, catalog: Mapping[str, Oil], rules: RuleSet) -> BlendResult:
    """Compute a blend in whole drops, or raise :class:`InvalidBlend` / :class:`UnsafeBlend`."""
    carrier, oils = resolve_oils(request, catalog)
    profile = request.profile
    total_parts = sum(part.parts for part in request.oils)
    fractions = [part.parts / total_parts for part in request.oils]

    person_max, person_rules = effective_max_percent(rules, request.use, profile)
    limits = compute_limits(fractions, oils, person_max, person_rules, profile.sun_possible)
    target, capped, limit_notes = choose_target(request, oils, fractions, limits)

    warnings = [
        *contraindication_warnings([carrier, *oils], request.use, profile, rules),
        *allergen_warnings([carrier, *oils], profile),
        *person_limit_notes(profile, person_max),
        *limit_notes,
    ]
    refusal_notes = [w for w in warnings if w.code != "capped"]  # a refused blend was not lowered
    if any(w.severity == "danger" for w in warnings):
        raise UnsafeBlend(sort_warnings(refusal_notes))

    drops = _allocate(request, oils, fractions, target, limits)
    if target > 0 and sum(drops.counts) == 0:
        raise BatchTooSmall(
            sort_warnings(
                [
                    *whole_drop_warnings(request, oils, fractions, limits, drops, target, capped, severity="danger"),
                    *refusal_notes,
                ]
            )
        )
    actual = sum(drops.percents)
    present = [oil for oil, count in zip(oils, drops.counts, strict=True) if count > 0]
    warnings += carrier_warnings(carrier)
    warnings += phototoxic_notes(oils, fractions, actual, profile.sun_possible)
    warnings += handling_warnings([carrier, *present], profile)
    warnings += whole_drop_warnings(request, oils, fractions, limits, drops, target, capped)

    amounts = tuple(
        OilAmount(
            oil=oil.slug,
            name=oil.name,
            parts=part.parts,
            drops=count,
            ml=ml,
            percent=pct,
            ideal_drops=ideal,
            drops_per_ml=rate,
        )
        for oil, part, count, ml, pct, ideal, rate in zip(
            oils, request.oils, drops.counts, drops.oil_ml, drops.percents, drops.ideal, drops.rates, strict=True
        )
    )
    report = DilutionReport(
        requested_percent=request.dilution.percent if request.dilution is not None else None,
        target_percent=target,
        actual_percent=actual,
        max_percent=person_max,
        drops_per_tsp=drops_per_teaspoon(sum(drops.counts), drops.blend_ml - sum(drops.oil_ml), request),
        limited_by=tuple(rule.id for rule in person_rules),
    )
    return BlendResult(
        essential_oils=amounts,
        total_drops=sum(drops.counts),
        carrier=carrier,
        carrier_ml=drops.blend_ml - sum(drops.oil_ml),
        blend_ml=drops.blend_ml,
        dilution=report,
        conventions=request.conventions,
        teaspoon_ml=request.conventions.teaspoon_ml,
        capped=capped,
        warnings=sort_warnings(warnings),
        amount_of=request.amount_of,
        amount_text=request.amount_text,
    )


def _fmt_amount(ml: float, request: BlendRequest) -> str:
    in_units = ml / request.amount_unit_ml
    text = f"{in_units:.4g} {request.amount_unit}"
    if request.amount_unit != "mL":
        text += f" ({ml:.4g} mL)"
    return text
