"""Safety warnings that depend on the oils and the person, not on the drop counts."""

from __future__ import annotations

from collections.abc import Sequence

from oil_blends.engine.model import Oil, Profile, Warning
from oil_blends.engine.rules import RuleSet

SEVERITY_ORDER = {"danger": 0, "caution": 1, "info": 2}

ALLERGEN_WORDS = {"tree_nut": "tree nut", "peanut": "peanut"}

CONDITION_REASONS = {
    "epilepsy": (
        "epilepsy",
        "it can make seizures more likely in people with epilepsy",
    ),
    "anticoagulants": (
        "blood-thinning medication",
        "it can add to the effect of blood thinners and raise the risk of bleeding; ask your doctor first",
    ),
    "g6pd": ("G6PD deficiency", "it is not advised for people with G6PD deficiency"),
    "asthma": (
        "asthma",
        "it is not advised in allergic asthma without medical advice, as the vapour can trigger breathing problems",
    ),
}


def _oil_label(oil: Oil) -> str:
    return oil.name


def contraindication_warnings(
    oils: Sequence[Oil], use: str, profile: Profile, rules: RuleSet
) -> list[Warning]:
    """Warnings from each oil's contraindications (danger) and cautions (caution) for this person."""
    warnings: list[Warning] = []
    age = profile.age_years
    for oil in oils:
        name = _oil_label(oil)
        for code, severity in _coded(oil):
            if code == "pregnancy" and profile.pregnant:
                verb = "Avoid" if severity == "danger" else "Take care with"
                warnings.append(Warning(
                    "pregnancy", severity,
                    f"{verb} {name} in pregnancy: sources list it among oils not to use while pregnant.",
                    oil.slug,
                ))
            elif code == "child_never" and age is not None and age < rules.child_below_years:
                warnings.append(Warning(
                    "child", "danger",
                    f"{name} must never be used on children (under {rules.child_below_years:g}): "
                    f"{_child_never_reason(oil)}",
                    oil.slug,
                ))
            elif code == "child_face_under_10" and age is not None and age < rules.face_caution_below_years:
                limit = f"{rules.face_caution_below_years:g}"
                if use == "face":
                    warnings.append(Warning(
                        "child", "danger",
                        f"{name} must not go on or near the face of a child under {limit}: it can slow or stop "
                        "a young child's breathing.",
                        oil.slug,
                    ))
                else:
                    warnings.append(Warning(
                        "child", "caution",
                        f"{name} on a child under {limit}: keep it well away from the face and nose, as its "
                        "vapour can slow a young child's breathing.",
                        oil.slug,
                    ))
            elif code in CONDITION_REASONS and code in profile.conditions:
                condition, reason = CONDITION_REASONS[code]
                lead = "Do not use" if severity == "danger" else "Take care with"
                warnings.append(Warning(code, severity, f"{lead} {name} with {condition}: {reason}.", oil.slug))
    return warnings


def _coded(oil: Oil) -> list[tuple[str, str]]:
    return [(code, "danger") for code in oil.contraindications] + [
        (code, "caution") for code in oil.cautions if code not in oil.contraindications
    ]


def _child_never_reason(oil: Oil) -> str:
    if oil.kind == "carrier":
        return "it is not for children."
    return "its methyl salicylate is linked to Reye's syndrome in children."


def person_limit_notes(profile: Profile, person_max: float) -> list[Warning]:
    """The refusal for a baby under 3 months (a maximum of 0) and the note that pregnancy caps the blend."""
    warnings = []
    if person_max <= 0:
        warnings.append(Warning(
            "child", "danger",
            "No essential oils on the skin of a baby under 3 months: their skin absorbs far more and they cannot "
            "clear the oils. Use plain carrier oil instead.",
            None,
        ))
    if profile.pregnant:
        warnings.append(Warning(
            "pregnancy", "info",
            f"Pregnancy: the blend is kept to at most {min(person_max, 1.0):g} % essential oil.",
            None,
        ))
    return warnings


def carrier_warnings(carrier: Oil, profile: Profile) -> list[Warning]:
    """Allergen and handling warnings for the carrier oil."""
    warnings: list[Warning] = []
    for allergen in carrier.allergens:
        word = ALLERGEN_WORDS.get(allergen, allergen.replace("_", " "))
        if allergen in profile.allergies:
            warnings.append(Warning(
                "allergen", "danger",
                f"{carrier.name} is listed as a {word} allergen and you listed a {word} allergy: choose another "
                "carrier, such as jojoba or sunflower.",
                carrier.slug,
            ))
        elif allergen == "tree_nut" and "peanut" in profile.allergies:
            warnings.append(Warning(
                "allergen", "caution",
                f"{carrier.name} is listed as a tree nut allergen; about a quarter to two fifths of people allergic to "
                "peanuts also react to tree nuts. Consider jojoba or sunflower instead.",
                carrier.slug,
            ))
        else:
            warnings.append(Warning(
                "allergen", "caution",
                f"{carrier.name} is listed as a {word} allergen (see its catalog entry): do not use it on anyone "
                f"with a {word} allergy.",
                carrier.slug,
            ))
    if carrier.solid_below_c is not None:
        fahrenheit = carrier.solid_below_c * 9 / 5 + 32
        warnings.append(Warning(
            "solidifies", "info",
            f"{carrier.name} turns solid below about {carrier.solid_below_c:g} °C ({fahrenheit:.0f} °F): warm the "
            "bottle in your hands (never on a heater) before use.",
            carrier.slug,
        ))
    return warnings


def handling_warnings(oils: Sequence[Oil], profile: Profile) -> list[Warning]:
    """Sensitizer, oxidation, reduced-sensation and patch-test advice."""
    warnings: list[Warning] = []
    for oil in oils:
        if oil.sensitizer:
            reason = f" ({oil.max_dermal_reason})" if oil.max_dermal_reason else ""
            warnings.append(Warning(
                "sensitizer", "caution",
                f"{oil.name} is known to sensitize skin{reason}: keep to low dilutions, never use it undiluted, "
                "and stop if redness or itching appears.",
                oil.slug,
            ))
        if oil.oxidizes and oil.kind == "essential":
            shelf = (
                f" Use within about {oil.shelf_life_months} months if refrigerated, half that if not."
                if oil.shelf_life_months else ""
            )
            warnings.append(Warning(
                "oxidation", "info",
                f"{oil.name} oxidizes with age and air, and oxidized oil is more likely to irritate or sensitize "
                f"skin: keep it tightly closed and cold.{shelf}",
                oil.slug,
            ))
    if profile.reduced_sensation:
        warnings.append(Warning(
            "reduced_sensation", "caution",
            "With neuropathy or diabetes you may not feel irritation or a burn: the blend is kept to 1 %, patch "
            "test first, check the skin every day, use light pressure (no deep-tissue or hot-stone massage) and "
            "no heat: no heating pads or hot water with the oil.",
            None,
        ))
    reasons = []
    if profile.skin in ("sensitive", "damaged"):
        reasons.append(f"{profile.skin} skin")
    if profile.reduced_sensation:
        reasons.append("reduced sensation")
    sensitizers = [oil.name for oil in oils if oil.sensitizer]
    if sensitizers:
        reasons.append("a skin sensitizer (" + ", ".join(sensitizers) + ")")
    if reasons:
        warnings.append(Warning(
            "patch_test", "info",
            "Patch test first because of " + " and ".join(reasons) + ": put a little of the blend on the inner "
            "elbow, cover it, and wait 24 hours; do not use it if the skin reacts.",
            None,
        ))
    return warnings


def sort_warnings(warnings: Sequence[Warning]) -> tuple[Warning, ...]:
    """Dangers first, then cautions, then information; otherwise in the order they were raised."""
    return tuple(sorted(warnings, key=lambda w: SEVERITY_ORDER[w.severity]))
