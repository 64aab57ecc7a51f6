"""The pages for people: the calculator, "check a blend I made", the recipes and the oils.

Views are thin: a form's fields become the same request document the JSON API takes, the documents layer
calculates it, and the templates show the response document.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from flask import Blueprint, abort, current_app, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from wtforms import FieldList, FormField, SelectMultipleField

from oil_blends.documents.calculator import calculate_document, check_document, nest_flat_fields, recipe_request
from oil_blends.documents.problems import INVALID_REQUEST, Problem
from oil_blends.documents.recipes import Recipe
from oil_blends.documents.units import UnitError, parse_volume
from oil_blends.documents.wording import ALLERGEN_WORDS, CONTRAINDICATION_WORDS, in_words
from oil_blends.engine import Oil, suggest_slugs
from oil_blends.engine.model import MAX_OILS
from oil_blends.storage.cache import catalog_cache, current_catalog
from oil_blends.storage.oils import find_oil, oil_entry, source_entries
from oil_blends.web import present
from oil_blends.web.forms import (
    STRENGTHS,
    UNITS,
    BlendForm,
    CheckForm,
    ScaleForm,
    blend_fields,
    check_fields,
    error_targets,
    misnumbered_rows,
    oil_choices,
    oil_rows_sent,
    person_fields,
    person_targets,
)

bp = Blueprint("web", __name__)


@dataclass
class Outcome:
    """What a submitted form gave: a result, a refusal (with the safe version if there is one), or errors."""

    result: dict[str, Any] | None = None
    refusal: dict[str, Any] | None = None
    safe_result: dict[str, Any] | None = None
    safe_url: str | None = None
    without_url: str | None = None
    refused_oils: dict[str, str] = field(default_factory=dict)  # slug -> name of oils no strength makes safe
    errors: dict[str, list[str]] = field(default_factory=dict)  # form field id -> messages
    form_errors: list[str] = field(default_factory=list)

    @property
    def invalid(self) -> bool:
        return bool(self.errors or self.form_errors)


def _walk(errors: Any, path: tuple[str, ...] = ()):
    if isinstance(errors, Mapping):
        for key, value in errors.items():
            yield from _walk(value, path if key in ("_schema", "body") else (*path, str(key)))
    elif isinstance(errors, list | tuple):
        for item in errors:
            yield from _walk(item, path)
    else:
        yield path, str(errors)


# Errors a page words for its own control: the JSON contract's "must be true or false" beside a Yes/No choice
PAGE_WORDS = {("profile", "pregnant"): "choose Yes or No"}
STRENGTH_CHOICES = dict(STRENGTHS)


def place_errors(errors: Mapping[str, Any], targets: Mapping[str, Any], outcome: Outcome) -> None:
    """Each error next to the field that set it (the longest matching path), the rest above the form."""
    for path, said in _walk(errors):
        message = PAGE_WORDS.get(path, said)
        for length in range(len(path), 0, -1):
            target = targets.get(".".join(path[:length]))
            if target is not None:
                outcome.errors.setdefault(target.id, []).append(message)
                break
        else:
            outcome.form_errors.append(message)


def _url_with(changes: Mapping[str, str | None]) -> str:
    """This page's URL with some parameters changed (None removes one)."""
    args = MultiDict(request.args.items(multi=True))
    for key, value in changes.items():
        args.pop(key, None)
        if value is not None:
            args[key] = value
    return url_for(request.endpoint or "web.calculator", **(request.view_args or {}), **args.to_dict(flat=False))


def place_problem(problem: Problem, targets: Mapping[str, Any], outcome: Outcome) -> None:
    """An invalid request's errors next to their fields (a problem without field errors above the form)."""
    place_errors(problem.extra.get("errors") or {"body": [problem.detail]}, targets, outcome)


def run(document: dict[str, Any], catalog: Mapping[str, Oil], targets: Mapping[str, Any]) -> Outcome:
    """Calculate a request document for a page."""
    outcome = Outcome()
    try:
        outcome.result = calculate_document(document, catalog)
    except Problem as problem:
        if problem.type == INVALID_REQUEST or problem.status != 422:
            place_problem(problem, targets, outcome)
        else:
            outcome.refusal = problem.to_dict()
    return outcome


def offer_safe_versions(outcome: Outcome, document: dict[str, Any], catalog: Mapping[str, Oil], safe_url: str) -> None:
    """For a refused blend: the same blend at the safe maximum, if one exists, and the blend without the oils
    that no strength makes safe for this person."""
    if outcome.refusal is None:
        return
    safe_document = {key: value for key, value in document.items() if key != "dilution"}
    safe_document["on_limit"] = "cap"
    try:
        outcome.safe_result = calculate_document(safe_document, catalog)
        outcome.safe_url = safe_url
    except Problem:
        pass
    refused = {
        w["oil"]
        for w in outcome.refusal.get("warnings", [])
        if w["severity"] == "danger" and w["oil"] and w["code"] not in ("oil_maximum", "phototoxic")
    }
    outcome.refused_oils = {slug: catalog[slug].name for slug in sorted(refused) if slug in catalog}


def oils_form(form_class: type[BlendForm] | type[CheckForm], catalog: Mapping[str, Oil]) -> Any:
    """A form of a carrier and rows of essential oils, read from the query string, with the catalog's oils to
    choose from (jojoba, a carrier without allergens, until one is chosen)."""
    form = form_class(request.args or None)
    form.carrier.choices = oil_choices(catalog, "carrier")
    essential = oil_choices(catalog, "essential", blank="(none)")  # sorted once, shared by every row
    for entry in form.oils.entries:
        entry.form.oil.choices = essential
    if not request.args:
        form.carrier.data = "jojoba"
    return form


def refuse_oils_past_the_form(form: BlendForm | CheckForm, outcome: Outcome) -> Outcome:
    """An address with oil rows the form would not read gets an error, never a blend without them: the oil left out
    could be the one a warning is about. That is more rows than a blend takes (never a blend of the first
    ``MAX_OILS``), or a row numbered so that it is read as another (``oils-00-oil`` beside ``oils-0-oil``)."""
    first_oil = form.oils.entries[0].form.oil
    sent = oil_rows_sent(request.args)
    if sent > MAX_OILS:
        outcome = refused(outcome, first_oil, f"at most {MAX_OILS} essential oils per blend; this address chose {sent}")
    odd = misnumbered_rows(request.args)
    if odd:
        message = f"the address numbers a row {odd[0]!r}; number the rows 0, 1, 2... without leading zeros"
        outcome = refused(outcome, first_oil, message)
    return outcome


def refused(outcome: Outcome, field: Any, message: str) -> Outcome:
    """The outcome with no blend shown, and ``message`` beside ``field``: what the form must say before a result."""
    outcome = replace(outcome, result=None, refusal=None)
    outcome.errors[field.id] = [message]
    return outcome


def _single_valued(fields: Any):
    """Every field of a form (rows and nested forms included) that holds one value: all but the checkbox lists."""
    for each in fields:
        if isinstance(each, FormField):
            yield from _single_valued(each.form)
        elif isinstance(each, FieldList):
            yield from _single_valued(each.entries)
        elif not isinstance(each, SelectMultipleField):
            yield each


def refuse_repeated(form: Any, outcome: Outcome) -> Outcome:
    """The outcome with no blend shown when the address gives a one-value field twice (``person-age=2&person-age=70``,
    hand-made): which value was meant cannot be told, and reading either one way could calculate for the wrong
    person. Said beside the field."""
    for box in _single_valued(form):
        given = request.args.getlist(box.name)
        if len(given) > 1:
            label = box.label.text if box.label else box.name
            outcome = refused(outcome, box, f"the address gives {label.lower()} {len(given)} times; give it once")
    return outcome


@bp.get("/")
def calculator():
    """The calculator; with its fields in the query string, the result on the same page."""
    catalog = current_catalog()
    form = oils_form(BlendForm, catalog)
    outcome = None
    if "carrier" in request.args:
        flat, rows = blend_fields(form)
        document = nest_flat_fields(flat)
        if flat["dilution"] == "":  # a strength chosen but its box left empty: say so, and check the rest
            del document["dilution"]
        outcome = run(document, catalog, error_targets(form, rows))
        if flat["dilution"] == "":
            box = form.percent if form.strength.data == "percent" else form.drops_per_tsp
            choice = STRENGTHS[0][1].lower()
            outcome = refused(outcome, box, f"enter the {box.label.text.lower()}, or choose {choice}")
        if form.strength.data not in STRENGTH_CHOICES:  # a hand-made address: never the safe maximum unasked
            outcome = refused(outcome, form.strength, f"choose one: {'; '.join(STRENGTH_CHOICES.values()).lower()}")
        if not flat["oils"]:
            outcome.errors = {key: value for key, value in outcome.errors.items() if not key.startswith("oils")}
            outcome = refused(outcome, form.oils.entries[0].form.oil, "choose at least one essential oil")
        outcome = refuse_repeated(form, refuse_oils_past_the_form(form, outcome))
        offer_safe_versions(outcome, document, catalog, _url_with({"strength": "safe"}))
        if outcome.refused_oils:
            slugs = [item["oil"] for item in flat["oils"]]
            keep = [row for row, slug in zip(rows, slugs, strict=True) if slug not in outcome.refused_oils]
            outcome.without_url = _without_rows(keep)
    return render_template(
        "calculator.html", form=form, outcome=outcome, unit=form.unit.data or "mL", present=present, today=date.today()
    )


def _without_rows(keep: list[int]) -> str | None:
    """The calculator's URL with only the kept oil rows (renumbered), or None when no oil would be left."""
    if not keep:
        return None
    args = MultiDict((k, v) for k, v in request.args.items(multi=True) if not k.startswith("oils-"))
    for new, row in enumerate(keep):
        args[f"oils-{new}-oil"] = request.args.get(f"oils-{row}-oil", "")
        args[f"oils-{new}-parts"] = request.args.get(f"oils-{row}-parts", "1")
    return url_for("web.calculator", **args.to_dict(flat=False))


def recipes() -> Mapping[str, Recipe]:
    return current_app.extensions["oil_blends.recipes"]


@bp.get("/recipes")
def recipe_list():
    return render_template("recipes.html", recipes=recipes().values(), words=_profile_words)


def _profile_words(profile: Mapping[str, Any]) -> list[str]:
    """Who a recipe was written for, in words."""
    words = []
    if profile.get("age_years") is not None:
        words.append(f"age {present.figure(profile['age_years'], 1)}")
    if profile.get("pregnant"):
        words.append("pregnancy")
    if profile.get("skin") and profile["skin"] != "normal":
        words.append(f"{profile['skin']} skin")
    words += [c.replace("_", " ") for c in profile.get("conditions", [])]
    words += [f"allergy: {in_words(a, ALLERGEN_WORDS)}" for a in profile.get("allergies", [])]
    if profile.get("sun_exposure") is False:
        words.append("no sun after use")
    return words


@bp.get("/recipes/<slug>")
def recipe(slug: str):
    """One recipe at its own batch, or scaled to another amount, use and person."""
    found = recipes().get(slug)
    if found is None:
        abort(404, description=f"There is no recipe called {slug!r}.")
    catalog = current_catalog()
    form = ScaleForm(request.args or None)
    if not request.args:
        try:
            volume = parse_volume(found.amount)
            if volume.unit in dict(UNITS):
                form.amount.data, form.unit.data = present.figure(volume.value, 3), volume.unit
        except UnitError:
            pass
    flat = person_fields(form.person.form, form.measuring.form)
    if request.args:
        amount = (form.amount.data or "").strip()
        flat.update({"amount": f"{amount} {form.unit.data or 'mL'}" if amount else None, "use": form.use.data or None})
    if request.args.get("safe") == "1":
        flat["on_limit"] = "cap"
    document = recipe_request(found, flat)
    outcome = refuse_repeated(form, run(document, catalog, person_targets(form)))
    offer_safe_versions(outcome, document, catalog, _url_with({"safe": "1"}))
    amount_unit = form.unit.data or "mL"
    return render_template(
        "recipe.html",
        recipe=found,
        form=form,
        outcome=outcome,
        unit=amount_unit,
        who=_profile_words(found.profile),
        present=present,
        today=date.today(),
    )


@bp.get("/oils")
def oil_list():
    kind = request.args.get("kind") if request.args.get("kind") in ("carrier", "essential") else None
    query = (request.args.get("q") or "").strip()[:100]
    index = catalog_cache().current().index
    entries = [index.entries[position] for position in index.select(kind, query or None)]
    return render_template("oils.html", entries=entries, kind=kind or "", query=query)


@bp.get("/oils/<slug>")
def oil(slug: str):
    found = find_oil(slug)
    if found is None:
        suggestions = suggest_slugs(slug, current_catalog())
        hint = f" Did you mean {', '.join(suggestions)}?" if suggestions else ""
        abort(404, description=f"There is no oil called {slug!r} in the catalog.{hint}")
    entry = oil_entry(found)
    registry = source_entries()
    sources = [(key, registry.get(key)) for key in entry["sources"]]
    return render_template(
        "oil.html",
        oil=entry,
        sources=sources,
        contraindications=[in_words(c, CONTRAINDICATION_WORDS) for c in entry["contraindications"]],
        cautions=[in_words(c, CONTRAINDICATION_WORDS) for c in entry["cautions"]],
        allergens=[in_words(a, ALLERGEN_WORDS) for a in entry["allergens"]],
        present=present,
    )


@bp.get("/check")
def check():
    """ "Check a blend I already made": the real strength of drops in carrier, and what to do if too strong."""
    catalog = current_catalog()
    form = oils_form(CheckForm, catalog)
    outcome = None
    if "carrier" in request.args:
        flat, rows = check_fields(form)
        outcome = Outcome()
        if "amount" not in request.args:  # the form always sends it: never judge drops against the box's 30 mL
            form.amount.data = ""
            outcome.errors[form.amount.id] = ["give the amount of carrier the drops went into"]
        outcome = refuse_repeated(form, refuse_oils_past_the_form(form, outcome))
        if not flat["oils"]:
            outcome.errors[form.oils.entries[0].form.oil.id] = ["choose at least one essential oil"]
        elif not outcome.errors:
            try:
                outcome.result = check_document(nest_flat_fields(flat), catalog)
            except Problem as problem:
                place_problem(problem, error_targets(form, rows), outcome)
    return render_template("check.html", form=form, outcome=outcome, unit=form.unit.data or "mL", present=present)
