"""No blend that a rule refuses is ever answered: a hypothesis property over the real shipped catalog.

The oracle below reads ``data/rules.toml`` and ``data/oils.json`` itself (tomllib and json, none of the
engine's functions) and decides whether an answered blend breaks anything: the total over the lowest maximum of
the rules that apply, an oil over its own maximum, phototoxic oils past their limits with sun possible, a
contraindication that applies to this person and use, or an allergen the person listed. Conversely, a blend
with a contraindication or a listed allergen must be refused whatever ``on_limit`` says.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from oil_blends.documents.calculator import calculate_document
from oil_blends.documents.catalog import shipped_oils
from oil_blends.documents.problems import Problem

DATA = Path(__file__).resolve().parents[1] / "src" / "oil_blends" / "data"
RULES = tomllib.loads((DATA / "rules.toml").read_text(encoding="utf-8"))
OILS = {entry["slug"]: entry for entry in json.loads((DATA / "oils.json").read_text(encoding="utf-8"))["oils"]}
ESSENTIAL = sorted(slug for slug, entry in OILS.items() if entry["kind"] == "essential")
CARRIERS = sorted(slug for slug, entry in OILS.items() if entry["kind"] == "carrier")
REFUSE_BELOW = RULES["ages"]["refuse_below_years"]
FACE_BELOW = RULES["ages"]["face_caution_below_years"]

USES = ["massage", "face", "small_area"]
SKINS = ["normal", "sensitive", "damaged"]
CONDITIONS = ["neuropathy", "diabetes", "epilepsy", "anticoagulants", "g6pd", "asthma", "cardiac_fibrillation"]
ALLERGIES = ["tree_nut", "peanut", "coconut", "asteraceae", "salicylate", "aspirin"]
CONDITION_CODES = {"epilepsy", "anticoagulants", "g6pd", "asthma", "cardiac_fibrillation"}
AGE_BOUNDARIES = [0.25, 2, 2.5, 5, 6, 10, 15, 18, 65]

TOLERANCE = 1e-6  # relative: the engine allows 1e-9; the response's figures are rounded to 4 decimals


# ---- the oracle ------------------------------------------------------------------------------------------------


def rule_applies(rule: dict[str, Any], use: str, person: dict[str, Any]) -> bool:
    """A rule of rules.toml applies when every condition it states holds (see the file's header)."""
    age = person.get("age_years")
    if "use" in rule and rule["use"] != use:
        return False
    if "pregnant" in rule and rule["pregnant"] != bool(person.get("pregnant", False)):
        return False
    if "age_from_years" in rule and (age is None or age < rule["age_from_years"]):
        return False
    if "age_below_years" in rule and (age is None or age >= rule["age_below_years"]):
        return False
    if "skin" in rule and person.get("skin", "normal") not in rule["skin"]:
        return False
    return not ("conditions" in rule and not set(rule["conditions"]) & set(person.get("conditions", [])))


def person_maximum(use: str, person: dict[str, Any]) -> float:
    return min(rule["max_percent"] for rule in RULES["rules"] if rule_applies(rule, use, person))


def listed_allergens(person: dict[str, Any]) -> set[str]:
    return {"salicylate" if allergy == "aspirin" else allergy for allergy in person.get("allergies", [])}


def applying_contraindications(document: dict[str, Any]) -> set[tuple[str, str]]:
    """(code, slug) of every contraindication or listed allergen, carrier included, that refuses this blend."""
    person = document.get("profile", {})
    use = document.get("use", "massage")
    age = person.get("age_years")
    allergies = listed_allergens(person)
    found = set()
    for slug in [document["carrier"], *(item["oil"] for item in document["oils"])]:
        entry = OILS[slug]
        for code in entry["contraindications"]:
            applies = (
                (code == "pregnancy" and person.get("pregnant", False))
                or (code in REFUSE_BELOW and age is not None and age < REFUSE_BELOW[code])
                or (code == "child_face_under_10" and use == "face" and age is not None and age < FACE_BELOW)
                or (code == "damaged_skin" and person.get("skin") == "damaged")
                or (code in CONDITION_CODES and code in person.get("conditions", []))
            )
            if applies:
                found.add((code, slug))
        for allergen in entry["allergens"]:
            if allergen in allergies:
                found.add(("allergen:" + allergen, slug))
    return found


@dataclass
class Limits:
    person_max: float
    oil_max: dict[str, float]
    phototoxic: dict[str, float]
    sun_possible: bool


def limits_for(document: dict[str, Any]) -> Limits:
    person = document.get("profile", {})
    slugs = [item["oil"] for item in document["oils"]]
    return Limits(
        person_max=person_maximum(document.get("use", "massage"), person),
        oil_max={s: OILS[s]["max_dermal_percent"] for s in slugs if OILS[s]["max_dermal_percent"] is not None},
        phototoxic={s: OILS[s]["phototoxic_max_percent"] for s in slugs if OILS[s]["phototoxic_max_percent"]},
        sun_possible=person.get("sun_exposure") is not False,
    )


def blend_maximum(document: dict[str, Any], limits: Limits) -> float:
    """The largest total dilution at which the blend's proportions keep every limit."""
    parts = {item["oil"]: item["parts"] for item in document["oils"]}
    total = sum(parts.values())
    share = {slug: p / total for slug, p in parts.items()}
    values = [limits.person_max, *(m / share[s] for s, m in limits.oil_max.items())]
    load = sum(share[s] / m for s, m in limits.phototoxic.items())
    if limits.sun_possible and load > 0:
        values.append(1 / load)
    return min(values)


def breaches(document: dict[str, Any], result: dict[str, Any]) -> list[str]:
    """Every limit an answered blend breaks (empty: it breaks nothing)."""
    limits = limits_for(document)
    broken = []
    # the percents from whole drops, recomputed from the answer's exact drop counts and drop sizes
    percents = {
        item["oil"]: 100.0 * item["drops"] / item["drops_per_ml"] / result["blend_ml"]
        for item in result["essential_oils"]
    }
    total = sum(percents.values())
    reported = result["dilution"]["actual_percent"]
    if abs(reported - total) > 1e-4 + TOLERANCE * total:
        broken.append(f"actual_percent {reported} is not the drops' {total}")
    if max(total, reported - 5e-5) > limits.person_max * (1 + TOLERANCE):
        broken.append(f"total {total} % over the person and use maximum {limits.person_max} %")
    if result["dilution"]["max_percent"] != limits.person_max:
        broken.append(f"max_percent {result['dilution']['max_percent']} is not the rules' {limits.person_max}")
    for slug, maximum in limits.oil_max.items():
        if percents[slug] > maximum * (1 + TOLERANCE):
            broken.append(f"{slug} at {percents[slug]} % over its maximum {maximum} %")
    if limits.sun_possible:
        load = sum(percents[s] / m for s, m in limits.phototoxic.items())
        if load > 1 + TOLERANCE:
            broken.append(f"phototoxic load {load} over 1 with sun possible")
    return broken


# ---- the requests ------------------------------------------------------------------------------------------------


def near(value: float) -> list[float]:
    return [value - 0.01, value - 1e-6, value, value + 1e-6, value + 0.01]


ages = st.one_of(
    st.none(),
    st.sampled_from([age for boundary in AGE_BOUNDARIES for age in near(boundary)]),
    st.floats(min_value=0, max_value=90, allow_nan=False),
)
persons = st.fixed_dictionaries(
    {},
    optional={
        "age_years": ages,
        "pregnant": st.booleans(),
        "skin": st.sampled_from(SKINS),
        "conditions": st.lists(st.sampled_from(CONDITIONS), unique=True, max_size=3),
        "allergies": st.lists(st.sampled_from(ALLERGIES), unique=True, max_size=3),
        "sun_exposure": st.sampled_from([None, True, False]),
    },
)


@st.composite
def requests(draw) -> dict[str, Any]:
    slugs = draw(st.lists(st.sampled_from(ESSENTIAL), min_size=1, max_size=4, unique=True))
    oils = [{"oil": slug, "parts": draw(st.sampled_from([1, 2, 3, 5, 0.5, 1.5, 10]))} for slug in slugs]
    document: dict[str, Any] = {
        "carrier": draw(st.sampled_from(CARRIERS)),
        "amount": f"{draw(st.floats(min_value=5, max_value=500)):.2f} mL",
        "oils": oils,
        "use": draw(st.sampled_from(USES)),
        "on_limit": draw(st.sampled_from(["reject", "cap"])),
        "amount_of": draw(st.sampled_from(["blend", "carrier"])),
        "profile": draw(persons),
    }
    dropper = draw(st.one_of(st.none(), st.sampled_from([5, 15, 20, 25, 33.3, 40, 100])))
    if dropper is not None:
        document["conventions"] = {"drops_per_ml": dropper}
    dilution = draw(st.one_of(st.none(), st.floats(min_value=0.05, max_value=6)))
    if dilution is not None:
        document["dilution"] = f"{dilution:.3f}%"
    return document


def answer(document: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    try:
        return 200, calculate_document(document, shipped_oils())
    except Problem as problem:
        return problem.status, problem.to_dict()


def check(document: dict[str, Any]) -> None:
    status, result = answer(document)
    assert status in (200, 422), result
    if status == 422:
        assert result["type"] != "/problems/invalid-request", result
    contraindicated = applying_contraindications(document)
    if contraindicated:
        assert status == 422, (contraindicated, result)
        assert result["type"] == "/problems/unsafe-blend", result
        dangers = {(w["code"], w["oil"]) for w in result["warnings"] if w["severity"] == "danger"}
        for code, slug in contraindicated:
            expected = "allergen" if code.startswith("allergen:") else "child" if code.startswith("child") else code
            assert (expected, slug) in dangers, (code, slug, result["warnings"])
    if status == 200:
        assert breaches(document, result) == [], result
        assert not [w for w in result["warnings"] if w["severity"] == "danger"], result
        return
    assert not [w for w in result["warnings"] if w["code"] == "capped"], result
    if document.get("on_limit") == "reject" and "dilution" in document:
        return
    # capped or made at the safe maximum: refused only for a contraindication, a baby, or no drop at all
    baby = limits_for(document).person_max <= 0
    assert contraindicated or baby or result["type"] == "/problems/batch-too-small", result


def phototoxic_note_faults(document: dict[str, Any], result: dict[str, Any]) -> list[str]:
    """What an answered blend's phototoxic notes say wrongly: each oil's note must name the share its whole drops
    make, and without sun say "above" exactly when the phototoxic oils together pass their limits."""
    limits = limits_for(document)
    percents = {
        item["oil"]: 100.0 * item["drops"] / item["drops_per_ml"] / result["blend_ml"]
        for item in result["essential_oils"]
    }
    load = sum(percents[slug] / limit for slug, limit in limits.phototoxic.items())
    notes = {w["oil"]: w["message"] for w in result["warnings"] if w["code"] == "phototoxic"}
    faults = []
    for slug in limits.phototoxic:
        if percents[slug] == 0:
            if slug in notes:
                faults.append(f"{slug} has no drop but a phototoxic note")
            continue
        if slug not in notes:
            faults.append(f"{slug} has no phototoxic note")
            continue
        named = float(notes[slug].split(" at ", 1)[1].split(" %", 1)[0])
        if abs(named - percents[slug]) > 0.0005 + 0.05 * percents[slug]:  # three decimals, or two figures
            faults.append(f"{slug}'s note names {named} %, its drops make {percents[slug]} %")
        # a load within 1e-6 of 1 may be judged either way: the engine's own tolerance is 1e-9
        judged_above = "is above its" in notes[slug]
        if not limits.sun_possible and abs(load - 1) > TOLERANCE and judged_above != (load > 1):
            faults.append(f"{slug}'s note misjudges a phototoxic load of {load}: {notes[slug]}")
    return faults


@settings(max_examples=300, deadline=None)
@given(requests())
def test_phototoxic_notes_name_the_shares_made(document):
    status, result = answer(document)
    if status == 200:
        assert phototoxic_note_faults(document, result) == [], result


@settings(max_examples=400, deadline=None)
@given(requests())
def test_no_refused_blend_is_answered(document):
    check(document)


@settings(max_examples=200, deadline=None)
@given(requests())
def test_reject_refuses_every_dilution_above_a_limit(document):
    if "dilution" not in document or document["on_limit"] != "reject":
        return
    requested = float(document["dilution"].rstrip("%"))
    if requested > blend_maximum(document, limits_for(document)) * (1 + TOLERANCE):
        status, result = answer(document)
        assert status == 422 and result["type"] == "/problems/unsafe-blend", result


# ---- the oracle on cases whose answer is known --------------------------------------------------------------


def test_the_oracle_reads_the_rules():
    assert person_maximum("massage", {}) == 2.0
    assert person_maximum("massage", {"age_years": 0.2}) == 0.0
    assert person_maximum("massage", {"age_years": 1}) == 0.1
    assert person_maximum("small_area", {"age_years": 17}) == 2.0
    assert person_maximum("small_area", {"age_years": 70, "pregnant": True}) == 1.0
    assert applying_contraindications(
        {"carrier": "sweet-almond", "oils": [{"oil": "wintergreen"}], "profile": {"allergies": ["aspirin"]}}
    ) == {("allergen:salicylate", "wintergreen")}
    assert applying_contraindications(
        {"carrier": "jojoba", "oils": [{"oil": "peppermint"}], "use": "face", "profile": {"age_years": 9}}
    ) == {("child_face_under_10", "peppermint")}
    assert (
        applying_contraindications(
            {"carrier": "jojoba", "oils": [{"oil": "peppermint"}], "use": "massage", "profile": {"age_years": 2.5}}
        )
        == set()
    )


def test_the_oracle_finds_a_breach():
    document = {"carrier": "jojoba", "amount": "30 mL", "oils": [{"oil": "lavender", "parts": 1}]}
    result = calculate_document(document, shipped_oils())
    assert breaches(document, result) == []
    result["essential_oils"][0]["drops"] += 1
    assert any("over the person and use maximum" in line for line in breaches(document, result))
