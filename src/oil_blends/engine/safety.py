"""Safety warnings that depend on the oils and the person, not on the drop counts."""

from __future__ import annotations

from collections.abc import Sequence

from oil_blends.engine.model import Oil, Profile, Severity, Warning
from oil_blends.engine.rules import RuleSet

SEVERITY_ORDER = {"danger": 0, "caution": 1, "info": 2}

ALLERGEN_WORDS = {
    "tree_nut": "tree nut",
    "peanut": "peanut",
    "coconut": "coconut",
    "asteraceae": "daisy-family (Asteraceae)",
    "salicylate": "salicylate (aspirin)",
}
ALLERGEN_NOTES = {
    "coconut": (
        "Coconut allergy is uncommon and separate from tree-nut allergy (the US FDA took coconut off its list "
        "of tree nuts in January 2025)"
    ),
    "asteraceae": "People allergic to ragweed, chamomile, arnica, marigold or other daisy-family plants may react",
}

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
    "cardiac_fibrillation": (
        "cardiac fibrillation",
        "sources list it among oils to avoid with an irregular heartbeat (fibrillation); ask your doctor first",
    ),
}

CHILD_REASONS = {
    "child_under_5": "sources advise against it for young children (its anethole or estragole)",
    "child_under_30_months": "its menthol or 1,8-cineole can slow or stop a small child's breathing, even on the chest",
    "child_under_2": "it is a strong skin sensitizer, and a baby's skin reacts far more easily",
}


def age_words(years: float) -> str:
    """An age limit as people say it: "2", "30 months (2.5 years)"."""
    if years == int(years):
        return f"{years:g}"
    return f"{round(years * 12)} months ({years:g} years)"


def contraindication_warnings(oils: Sequence[Oil], use: str, profile: Profile, rules: RuleSet) -> list[Warning]:
    """Warnings from each oil's contraindications (danger) and cautions (caution) for this person and use."""
    warnings: list[Warning] = []
    age = profile.age_years
    maybe_child = age is None or age < rules.child_ages_end
    for oil in oils:
        coded = oil.coded
        if not coded:
            continue
        if maybe_child:
            warnings += _child_warnings(oil, coded, use, profile, rules)
        for code, severity in coded:
            if code == "pregnancy" and profile.pregnant:
                if severity == "danger":
                    text = f"Avoid {oil.name} in pregnancy: sources list it among oils not to use while pregnant."
                else:
                    text = f"Take care with {oil.name} in pregnancy: sources disagree on whether it is safe then."
                warnings.append(Warning("pregnancy", severity, text, oil.slug))
            elif code == "damaged_skin" and profile.skin in ("damaged", "sensitive"):
                warnings.append(_damaged_skin_warning(oil, severity, profile.skin))
            elif code in CONDITION_REASONS and code in profile.conditions:
                condition, reason = CONDITION_REASONS[code]
                lead = "Do not use" if severity == "danger" else "Take care with"
                warnings.append(Warning(code, severity, f"{lead} {oil.name} with {condition}: {reason}.", oil.slug))
    return warnings


def _damaged_skin_warning(oil: Oil, severity: Severity, skin: str) -> Warning:
    if skin == "damaged" and severity == "danger":
        return Warning(
            "damaged_skin",
            "danger",
            f"Do not use {oil.name} on damaged, broken or diseased skin: {_damaged_skin_reason(oil)}.",
            oil.slug,
        )
    return Warning(
        "damaged_skin",
        "caution",
        f"Take care with {oil.name} on {skin} skin: {_damaged_skin_reason(oil)}; patch test first and stop at "
        "any redness or itching.",
        oil.slug,
    )


def _damaged_skin_reason(oil: Oil) -> str:
    if oil.sensitizer:
        return "it is a strong skin sensitizer, and skin that is broken or inflamed reacts far more easily"
    return "sources advise against it on broken skin"


def _child_warnings(
    oil: Oil, coded: Sequence[tuple[str, Severity]], use: str, profile: Profile, rules: RuleSet
) -> list[Warning]:
    """The child warnings of one oil: refused below an age, kept off a child's face, or, when no age is given,
    a note saying who the oil is not for."""
    limits = [(code, severity, limit) for code, severity in coded if (limit := rules.child_age_limit(code)) is not None]
    face = next((severity for code, severity in coded if code == "child_face_under_10"), None)
    if not limits and face is None:
        return []
    age = profile.age_years
    face_age = rules.face_caution_below_years
    if age is None:
        restrictions = [f"not for children under {age_words(max(limit for _, _, limit in limits))}"] if limits else []
        if face is not None:
            restrictions.append(f"not on or near the face (chest and neck count) of a child under {face_age:g}")
        return [
            Warning(
                "child",
                "caution",
                f"{oil.name} is " + "; ".join(restrictions) + ". If this blend is for a child, give their age.",
                oil.slug,
            )
        ]
    warnings = []
    under = [(code, severity, limit) for code, severity, limit in limits if age < limit]
    if under:  # one warning per oil: the highest age that applies, with every reason
        severity: Severity = "danger" if any(severity == "danger" for _, severity, _ in under) else "caution"
        reasons = "; ".join(dict.fromkeys(_child_reason(oil, code) for code, _, _ in under))
        oldest = max(limit for _, _, limit in under)
        lead = "must not be used on" if severity == "danger" else "needs care on"
        warnings.append(
            Warning(
                "child",
                severity,
                f"{oil.name} {lead} a child under {age_words(oldest)}: {reasons}.",
                oil.slug,
            )
        )
    if face is not None and age < face_age and not any(w.severity == "danger" for w in warnings):
        if use == "face" and face == "danger":
            warnings.append(
                Warning(
                    "child",
                    "danger",
                    f"{oil.name} must not go on or near the face of a child under {face_age:g}: it can slow or stop "
                    "a young child's breathing.",
                    oil.slug,
                )
            )
        else:
            warnings.append(
                Warning(
                    "child",
                    "caution",
                    f"{oil.name} on a child under {face_age:g}: keep it well away from the face, nose, chest and neck, "
                    "as its vapour can slow a young child's breathing.",
                    oil.slug,
                )
            )
    return warnings


def _child_reason(oil: Oil, code: str) -> str:
    if code != "child_never":
        return CHILD_REASONS.get(code, "sources advise against it for children")
    if "salicylate" in oil.allergens:
        return "its methyl salicylate is linked to Reye's syndrome in children and teenagers"
    return "sources advise against it for children"


def person_limit_notes(profile: Profile, person_max: float) -> list[Warning]:
    """The refusal for a baby under 3 months (a maximum of 0) and the note that pregnancy caps the blend."""
    warnings = []
    if person_max <= 0:
        warnings.append(
            Warning(
                "child",
                "danger",
                "No essential oils on the skin of a baby under 3 months: their skin absorbs far more and they cannot "
                "clear the oils. Use plain carrier oil instead.",
                None,
            )
        )
    if profile.pregnant:
        warnings.append(
            Warning(
                "pregnancy",
                "info",
                f"Pregnancy: the blend is kept to at most {min(person_max, 1.0):g} % essential oil.",
                None,
            )
        )
    return warnings


def allergen_warnings(oils: Sequence[Oil], profile: Profile) -> list[Warning]:
    """Allergen warnings for every oil of the blend, carrier included: refused when the person listed the
    allergy, a caution otherwise; methyl salicylate oils always carry their own caution."""
    warnings: list[Warning] = []
    for oil in oils:
        if "salicylate" in oil.allergens:
            warnings.append(
                Warning(
                    "methyl_salicylate",
                    "caution",
                    f"{oil.name} is almost all methyl salicylate, an aspirin-like compound: not with a salicylate or "
                    "aspirin allergy or blood thinners, never with heat (heating pads, hot baths, straight after "
                    "exercise), and keep the bottle out of children's reach: a few millilitres swallowed can kill "
                    "a child.",
                    oil.slug,
                )
            )
        for allergen in oil.allergens:
            warning = _allergen_warning(oil, allergen, profile)
            if warning is not None:
                warnings.append(warning)
    return warnings


def _allergen_warning(oil: Oil, allergen: str, profile: Profile) -> Warning | None:
    word = ALLERGEN_WORDS.get(allergen, allergen.replace("_", " "))
    note = f" {ALLERGEN_NOTES[allergen]}." if allergen in ALLERGEN_NOTES else ""
    other = "choose another carrier, such as jojoba" if oil.kind == "carrier" else "leave it out of the blend"
    if profile.allergic_to(allergen):
        return Warning(
            "allergen",
            "danger",
            f"{oil.name} is listed as a {word} allergen and you listed a {word} allergy: {other}.",
            oil.slug,
        )
    if allergen == "salicylate":
        return None  # the methyl_salicylate caution says it
    if allergen == "tree_nut" and profile.allergic_to("peanut"):
        return Warning(
            "allergen",
            "caution",
            f"{oil.name} is listed as a tree nut allergen; about a quarter to two fifths of people allergic to "
            "peanuts also react to tree nuts. Consider jojoba instead.",
            oil.slug,
        )
    return Warning(
        "allergen",
        "caution",
        f"{oil.name} is listed as a {word} allergen (see its catalog entry): do not use it on anyone with a {word} "
        f"allergy.{note}",
        oil.slug,
    )


def carrier_warnings(carrier: Oil) -> list[Warning]:
    """Handling notes for the carrier oil."""
    warnings: list[Warning] = []
    if carrier.solid_below_c is not None:
        fahrenheit = carrier.solid_below_c * 9 / 5 + 32
        warnings.append(
            Warning(
                "solidifies",
                "info",
                f"{carrier.name} turns solid below about {carrier.solid_below_c:g} °C ({fahrenheit:.0f} °F): warm the "
                "bottle in your hands (never on a heater) before use.",
                carrier.slug,
            )
        )
    return warnings


def handling_warnings(oils: Sequence[Oil], profile: Profile) -> list[Warning]:
    """Sensitizer, oxidation, reduced-sensation and patch-test advice."""
    warnings: list[Warning] = []
    for oil in oils:
        if oil.sensitizer:
            reason = f" ({oil.max_dermal_reason})" if oil.max_dermal_reason else ""
            warnings.append(
                Warning(
                    "sensitizer",
                    "caution",
                    f"{oil.name} is known to sensitize skin{reason}: keep to low dilutions, never use it undiluted, "
                    "and stop if redness or itching appears.",
                    oil.slug,
                )
            )
        if oil.oxidizes and oil.kind == "essential":
            shelf = (
                f" Use within about {oil.shelf_life_months} months if refrigerated, half that if not."
                if oil.shelf_life_months
                else ""
            )
            warnings.append(
                Warning(
                    "oxidation",
                    "info",
                    f"{oil.name} oxidizes with age and air, and oxidized oil is more likely to irritate or sensitize "
                    f"skin: keep it tightly closed and cold.{shelf}",
                    oil.slug,
                )
            )
    if profile.reduced_sensation:
        warnings.append(
            Warning(
                "reduced_sensation",
                "caution",
                "With neuropathy or diabetes you may not feel irritation or a burn: keep the blend to 1 % or less, "
                "patch test first, check the skin every day, use light pressure (no deep-tissue or hot-stone massage) "
                "and no heat: no heating pads or hot water with the oil.",
                None,
            )
        )
    reasons = []
    if profile.skin in ("sensitive", "damaged"):
        reasons.append(f"{profile.skin} skin")
    if profile.reduced_sensation:
        reasons.append("reduced sensation")
    sensitizers = [oil.name for oil in oils if oil.sensitizer]
    if sensitizers:
        reasons.append("a skin sensitizer (" + ", ".join(sensitizers) + ")")
    if reasons:
        warnings.append(
            Warning(
                "patch_test",
                "info",
                "Patch test first because of " + " and ".join(reasons) + ": put a little of the blend on the inner "
                "elbow, cover it, and wait 24 hours; do not use it if the skin reacts.",
                None,
            )
        )
    return warnings


def sort_warnings(warnings: Sequence[Warning]) -> tuple[Warning, ...]:
    """Dangers first, then cautions, then information; otherwise in the order they were raised."""
    return tuple(sorted(warnings, key=lambda w: SEVERITY_ORDER[w.severity]))
