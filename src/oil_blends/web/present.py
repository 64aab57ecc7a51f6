"""What the pages show of a result document: figures in words, the gauge, the composition bar, the QR code.

Everything here reads the response documents the API returns, so a page shows what an app would get.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import segno

from oil_blends.documents.catalog import default_rules
from oil_blends.documents.units import UnitError, resolve_unit, unit_ml
from oil_blends.engine import Conventions

SEVERITY_GROUPS = (
    ("danger", "Do not use this blend", "danger"),
    ("caution", "Take care", "caution"),
    ("info", "Good to know", "info"),
)
# What to do about each warning, in a sentence; the message already says what and why. A (code, severity)
# entry is for the case where the same code means something else at that severity.
ADVICE_FOR_SEVERITY = {
    ("child", "caution"): "If the blend is for a child, enter their age under The person to check it for them.",
    ("pregnancy", "caution"): "If the blend is for someone pregnant, say so under The person.",
    ("damaged_skin", "caution"): "Patch test first, and leave this oil out if the skin is broken.",
    ("phototoxic", "caution"): "Keep the oiled skin out of strong sun and sunbeds for 12 to 18 hours.",
    ("batch_too_small", "danger"): "Make a larger batch: the message says the smallest that works.",
}
ADVICE = {
    "use_maximum": "Choose a lower strength, or let the calculator use the safe maximum.",
    "oil_maximum": "Use fewer parts of this oil, or a lower strength.",
    "phototoxic": "Keep the oiled skin out of sun and sunbeds for 12 to 18 hours, or choose a bergapten-free oil.",
    "pregnancy": "Leave this oil out during pregnancy; ask a midwife or doctor which oils suit.",
    "child": "Leave this oil out for a child of this age.",
    "damaged_skin": "Leave this oil out until the skin has healed.",
    "epilepsy": "Leave this oil out for someone with epilepsy.",
    "anticoagulants": "Ask the doctor or pharmacist who prescribed the blood thinner before using it.",
    "g6pd": "Leave this oil out for someone with G6PD deficiency.",
    "asthma": "Use it only where it cannot be breathed in closely, or leave it out.",
    "cardiac_fibrillation": "Leave this oil out for someone with cardiac fibrillation.",
    "allergen": "Choose another oil or carrier that is free of this allergen.",
    "methyl_salicylate": "Store it out of children's reach and never use it with heat.",
    "sensitizer": "Patch test first and stop at the first sign of redness or itching.",
    "oxidation": "Buy small bottles, keep them cool and closed, and replace them when they pass their shelf life.",
    "reduced_sensation": "Check the skin every day for redness, blisters or cuts; never use heat with the oil.",
    "patch_test": "Put a little on the inner elbow and wait 24 hours before using it widely.",
    "solidifies": "Warm the bottle in your hands, or keep it somewhere warm, if it turns solid.",
    "batch_too_small": "Make a larger batch, or use fewer oils.",
    "rounding": "Nothing to do: this is the nearest whole number of drops.",
    "capped": "The blend below is the safe strength; nothing more to do.",
}


@dataclass(frozen=True)
class WarningGroup:
    severity: str
    heading: str
    css: str
    warnings: list[dict[str, Any]]


# For a blend already made, breaking a limit is put right by the remedy shown above the warnings.
MADE_ADVICE = {
    code: "See how to put it right, above: add carrier, or make it again with fewer drops."
    for code in ("use_maximum", "oil_maximum", "phototoxic")
}


def warning_groups(warnings: Iterable[Mapping[str, Any]], made: bool = False) -> list[WarningGroup]:
    """The warnings by severity, most serious first, each with what to do (``made``: for a blend already made)."""
    groups = []
    warnings = list(warnings)
    for severity, heading, css in SEVERITY_GROUPS:
        items = [
            {
                **w,
                "advice": (made and severity == "danger" and MADE_ADVICE.get(w["code"])) or advice(w["code"], severity),
            }
            for w in warnings
            if w["severity"] == severity
        ]
        if items:
            groups.append(WarningGroup(severity, heading, css, items))
    return groups


def advice(code: str, severity: str) -> str:
    return ADVICE_FOR_SEVERITY.get((code, severity)) or ADVICE.get(code, "")


def rule_labels(rule_ids: Iterable[str]) -> list[str]:
    labels = {rule.id: rule.label for rule in default_rules().rules}
    return [labels.get(rule_id, rule_id.replace("_", " ")) for rule_id in rule_ids]


def figure(value: float | None, places: int = 2) -> str:
    """A figure for people: at most ``places`` decimals, no trailing zeros after the point (20 stays 20)."""
    if value is None:
        return ""
    text = f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def count(value: float, word: str, places: int = 1) -> str:
    """ "1 drop", "1.5 drops", "12 drops"."""
    text = figure(value, places)
    return f"{text} {word}" if text == "1" else f"{text} {word}s"


def in_unit(ml: float, unit: str, conventions: Mapping[str, Any]) -> str:
    """``ml`` in the unit the amount was asked in ("2.03"), under the result's ``conventions`` (its teaspoon and
    dropper); "" for mL itself, or for a spelling that names no unit (the page then shows mL alone)."""
    try:
        canonical, fixed_ml = resolve_unit(unit)
    except UnitError:
        return ""
    if canonical == "mL":
        return ""
    measures = Conventions(
        drops_per_ml=conventions.get("drops_per_ml"), teaspoon="us" if conventions.get("teaspoon") == "us" else "metric"
    )
    return figure(ml / unit_ml(canonical, measures, fixed_ml), 2)


@dataclass(frozen=True)
class Gauge:
    """The dilution on a scale from 0 to ``top`` percent, as x positions in a 300-wide SVG."""

    top: float
    actual_x: float
    max_x: float
    requested_x: float | None
    ticks: list[tuple[float, str]]
    over: bool


GAUGE_WIDTH = 300.0


def gauge(actual: float, maximum: float, requested: float | None = None) -> Gauge:
    """A dilution of ``actual`` percent against a ``maximum`` (and what was ``requested``), drawn to scale."""
    top = _nice_top(max(maximum, actual, requested or 0.0) * 1.25)
    scale = GAUGE_WIDTH / top
    step = top / 4
    ticks = [(i * step * scale, figure(i * step, 2) + " %") for i in range(5)]
    return Gauge(
        top=top,
        actual_x=min(actual, top) * scale,
        max_x=min(maximum, top) * scale,
        requested_x=None if requested is None else min(requested, top) * scale,
        ticks=ticks,
        over=actual > maximum * (1 + 1e-9),
    )


def _nice_top(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 4, 5, 10):
        if factor * magnitude >= value:
            return factor * magnitude
    return 10 * magnitude


@dataclass(frozen=True)
class Segment:
    name: str
    share: float  # percent of the essential oils
    x: float
    width: float
    colour: int


def composition(oils: Sequence[Mapping[str, Any]], key: str = "drops") -> list[Segment]:
    """Each oil's share of the essential oils (by ``key``), as segments of a 300-wide bar."""
    total = sum(item[key] for item in oils)
    segments, x = [], 0.0
    for index, item in enumerate(oils):
        share = 100.0 * item[key] / total if total else 0.0
        width = GAUGE_WIDTH * share / 100.0
        segments.append(Segment(item["name"], share, x, width, index % 6))
        x += width
    return segments


def web_address(url: str | None) -> str | None:
    """``url`` when it is an http(s) address a page may link to; None for anything else (a ``javascript:``
    address stored before sources were checked must not become a link)."""
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None


def qr_svg(url: str) -> str:
    """The share URL as a QR code, an SVG drawn on the server (no script, no outside service)."""
    code = segno.make(url, error="m")
    return code.svg_inline(scale=3, svgclass="qr", lineclass=None, title="QR code of this recipe's address")


MIXING_STEPS = (
    "Measure the carrier oil into a clean, dry glass bottle (dark glass keeps it longer).",
    "Add the essential oils drop by drop, counting each one; hold the bottle upright.",
    "Close the bottle and roll or shake it gently for a minute to mix.",
    "Label it: what is in it, the strength, who it is for and today's date.",
    "Patch test: rub a little on the inner elbow and wait 24 hours; use it only if the skin stays calm.",
)
