"""The web forms (WTForms): they render the fields and keep what was typed; the request schema validates.

Every form here is sent with GET, so a result has a URL that can be shared, bookmarked and printed as a QR
code. None of them changes anything, so none needs a CSRF token. The fields are flat; :func:`blend_fields`
turns them into the flat fields :func:`oil_blends.documents.calculator.nest_flat_fields` nests, the same
mapping the CLI flags and the recipe query parameters go through.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from markupsafe import Markup
from wtforms import FieldList, Form, FormField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import Choice, SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget, Select

from oil_blends.documents.units import UnitError, parse_volume
from oil_blends.documents.wording import ALLERGEN_WORDS, in_words
from oil_blends.engine import Oil
from oil_blends.engine.model import ALLERGIES, CONDITIONS, MAX_OILS

ROWS = 6  # essential-oil rows shown without JavaScript; a script may add more up to MAX_OILS
UNITS = (("mL", "mL"), ("tsp", "teaspoons"), ("tbsp", "tablespoons"), ("fl oz", "fl oz"), ("cup", "cups"))
USES = (
    ("massage", "Massage: body, hands, feet"),
    ("face", "Face"),
    ("small_area", "A small area, for a short time"),
)
SKIN = (("normal", "Normal"), ("sensitive", "Sensitive"), ("damaged", "Damaged or broken"))
SUN = (("maybe", "Maybe"), ("yes", "Yes"), ("no", "No"))
STRENGTHS = (
    ("safe", "As strong as is safe for this person"),
    ("percent", "A percent of the finished blend"),
    ("drops", "Drops per teaspoon of carrier"),
)
CONDITION_WORDS = {
    "neuropathy": "Neuropathy (reduced feeling)",
    "diabetes": "Diabetes",
    "epilepsy": "Epilepsy",
    "anticoagulants": "Takes blood thinners",
    "g6pd": "G6PD deficiency",
    "asthma": "Asthma",
    "cardiac_fibrillation": "Cardiac fibrillation",
}
ALLERGY_WORDS = {
    "tree_nut": "Tree nuts",
    "peanut": "Peanuts",
    "coconut": "Coconut",
    "asteraceae": "Daisy family (ragweed, chamomile)",
    "salicylate": "Salicylates",
    "aspirin": "Aspirin",
}


class CatalogSelect(Select):
    """WTForms' select, for the catalog's long lists of oils: each option's HTML is written once per process
    rather than once per row of every page (six rows of some seventy oils took most of a result page's time)."""

    @classmethod
    def render_option(cls, choice: Choice, **kwargs: Any) -> Markup:
        if kwargs or choice.render_kw:
            return super().render_option(choice, **kwargs)
        return _option_html(choice.value, choice.label, bool(choice.selected))


@lru_cache(maxsize=4096)
def _option_html(value: str, label: str, selected: bool) -> Markup:
    return Select.render_option(Choice(value, label, selected, {}))


class CatalogSelectField(SelectField):
    """A choice of oil from the catalog (the choices are set per request from the catalog in use)."""

    widget = CatalogSelect()


def options(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OilRows(FieldList):
    """The oil rows: WTForms' FieldList, keeping the row numbers an address sends. WTForms 3.3 renumbers them
    (``oils-3`` alone becomes row 0), and the rows it then adds up to ``min_entries`` read the address again, so row
    3 held the same oil a second time ("listed twice"), and an error was shown on a row the person did not fill."""

    def _compact_indices(self) -> None:
        pass


_OIL_ROW = re.compile(r"oils-(\d+)-oil")
_ROW_KEY = re.compile(r"oils-(\w+)-")
_ROW_NUMBER = re.compile(r"0|[1-9][0-9]*")


def oil_rows_sent(args: Any) -> int:
    """The rows of an address (a query string) with an oil chosen: the form reads at most ``MAX_OILS`` of them."""
    return len({key for key, value in args.items(multi=True) if _OIL_ROW.fullmatch(key) and value.strip()})


def misnumbered_rows(args: Any) -> list[str]:
    """The keys of an address whose row number the form would read as another row's (``oils-00-oil`` is read as
    row 0, whose own value wins) or not at all: a number with a leading zero, a digit not in ASCII, a word."""
    return [key for key in args if (row := _ROW_KEY.match(key)) and not _ROW_NUMBER.fullmatch(row[1])]


class OilRowForm(Form):
    oil = CatalogSelectField("Essential oil", validate_choice=False)
    parts = StringField("Parts", default="1", render_kw={"inputmode": "decimal", "size": 4})


class PersonForm(Form):
    """Who the blend is for: read as the request's ``profile``."""

    age = StringField("Age in years", render_kw={"inputmode": "decimal", "size": 5})
    pregnant = SelectField("Pregnant", choices=options((("", "No"), ("yes", "Yes"))), default="", validate_choice=False)
    skin = SelectField("Skin", choices=options(SKIN), default="normal", validate_choice=False)
    sun = RadioField("Will the oiled skin see sun or UV in the next 18 hours?", choices=options(SUN), default="maybe")
    conditions = CheckboxesField("Conditions", choices=options((c, CONDITION_WORDS.get(c, c)) for c in CONDITIONS))
    allergies = CheckboxesField("Allergies", choices=options((a, in_words(a, ALLERGY_WORDS)) for a in ALLERGIES))


class MeasuringForm(Form):
    drops_per_ml = StringField("Drops per mL of your dropper", render_kw={"inputmode": "decimal", "size": 4})
    teaspoon = SelectField(
        "Teaspoon",
        choices=options((("metric", "Metric, 5 mL"), ("us", "US, 4.93 mL"))),
        default="metric",
        validate_choice=False,
    )


class BlendForm(Form):
    """The calculator at ``/``."""

    carrier = CatalogSelectField("Carrier oil", validate_choice=False)
    amount = StringField("Amount", default="30", render_kw={"inputmode": "decimal", "size": 6})
    unit = SelectField("Unit", choices=options(UNITS), default="mL", validate_choice=False)
    amount_of = RadioField(
        "The amount is",
        choices=options((("blend", "the finished blend"), ("carrier", "the carrier oil I have"))),
        default="blend",
    )
    strength = RadioField("Strength", choices=options(STRENGTHS), default="safe")
    percent = StringField("Percent", render_kw={"inputmode": "decimal", "size": 5})
    drops_per_tsp = StringField("Drops per teaspoon", render_kw={"inputmode": "decimal", "size": 5})
    oils = OilRows(FormField(OilRowForm), min_entries=ROWS, max_entries=MAX_OILS)
    use = SelectField("Use", choices=options(USES), default="massage", validate_choice=False)
    person = FormField(PersonForm, separator="-")
    measuring = FormField(MeasuringForm, separator="-")


class ScaleForm(Form):
    """A recipe scaled to another batch and person at ``/recipes/<slug>``."""

    amount = StringField("Amount", render_kw={"inputmode": "decimal", "size": 6})
    unit = SelectField("Unit", choices=options(UNITS), default="mL", validate_choice=False)
    use = SelectField("Use", choices=options((("", "As the recipe says"), *USES)), default="", validate_choice=False)
    person = FormField(PersonForm, separator="-")
    measuring = FormField(MeasuringForm, separator="-")


def oil_choices(catalog: Mapping[str, Oil], kind: str, blank: str | None = None) -> list[SelectChoice]:
    """Oils of one kind by name; carriers show their allergens ("Sweet almond — allergen: tree nuts")."""
    choices = [SelectChoice("", blank)] if blank is not None else []
    for oil in sorted((o for o in catalog.values() if o.kind == kind), key=lambda o: o.name.lower()):
        allergens = ", ".join(in_words(a, ALLERGEN_WORDS) for a in oil.allergens)
        label = f"{oil.name} — allergen: {allergens}" if kind == "carrier" and allergens else oil.name
        choices.append(SelectChoice(oil.slug, label))
    return choices


def _text(value: Any) -> str | None:
    text = (value or "").strip()
    return text or None


def _number(value: Any) -> float | str | None:
    """A number typed in a form: a float when it reads as one, else the text (the schema then says what is
    wrong with it, next to the field)."""
    text = _text(value)
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        return text


# How an address may say pregnant or not: the form sends "yes" or "", a hand-written or older address may say more
PREGNANT_WORDS: dict[str, bool | None] = {
    **dict.fromkeys(("yes", "y", "true", "on", "1"), True),
    **dict.fromkeys(("no", "n", "false", "off", "0"), None),
}


def _pregnant(value: Any) -> bool | str | None:
    """True for a yes, None for a no or nothing; any other text is passed on, and the request schema refuses it
    beside the field (never read as "not pregnant" without a word)."""
    text = _text(value)
    if text is None:
        return None
    return PREGNANT_WORDS.get(text.lower(), text)


def person_fields(person: PersonForm, measuring: MeasuringForm) -> dict[str, Any]:
    """The flat person and measuring fields of the request."""
    sun = {"yes": True, "no": False}.get(person.sun.data or "maybe")
    return {
        "age_years": _number(person.age.data),
        "pregnant": _pregnant(person.pregnant.data),
        "skin": person.skin.data or None,
        "conditions": list(person.conditions.data or []) or None,
        "allergies": list(person.allergies.data or []) or None,
        "sun_exposure": sun,
        "drops_per_ml": _number(measuring.drops_per_ml.data),
        "teaspoon": measuring.teaspoon.data or None,
    }


def amount_text(amount: Any, unit: Any) -> str | None:
    """The amount box with the unit chosen beside it, or as typed when the box holds a unit too ("30 mL")."""
    text = _text(amount)
    if text is None:
        return None
    try:
        parse_volume(text)
    except UnitError:
        return f"{text} {unit or 'mL'}"
    return text


def filled_rows(form: BlendForm | CheckForm) -> list[tuple[int, str, Form]]:
    """The oil rows with an oil chosen: (form row, slug, the row's form); empty rows are skipped."""
    rows = []
    for row, entry in enumerate(form.oils.entries):
        slug = _text(entry.form.oil.data)
        if slug is not None:
            rows.append((row, slug, entry.form))
    return rows


def blend_fields(form: BlendForm) -> tuple[dict[str, Any], list[int]]:
    """The flat request fields of the calculator, and for each oil sent the form row it came from."""
    oils: list[dict[str, Any]] = []
    rows: list[int] = []
    for row, slug, entry in filled_rows(form):
        parts = _number(entry.parts.data)
        oils.append({"oil": slug, "parts": 1.0 if parts is None else parts})
        rows.append(row)
    dilution: str | None = None
    if form.strength.data == "percent":
        dilution = _dilution(form.percent.data, "%")
    elif form.strength.data == "drops":
        dilution = _dilution(form.drops_per_tsp.data, " drops per tsp")
    flat = {
        "carrier": _text(form.carrier.data),
        "amount": amount_text(form.amount.data, form.unit.data),
        "amount_of": form.amount_of.data or None,
        "dilution": dilution,
        "oils": oils,
        "use": form.use.data or None,
        **person_fields(form.person.form, form.measuring.form),
    }
    return flat, rows


_TYPED_SUFFIX = re.compile(r"\s*(%|percent|drops?|gtts?)\s*$", re.IGNORECASE)  # what a box's suffix says again


def _dilution(value: Any, suffix: str) -> str:
    """The dilution as the request reads it ("2" in the percent box is "2%"; a "%" or "drops" typed in the box is not
    added twice); an empty box reads as "" so the schema names the field."""
    text = _text(value)
    if text is None:
        return ""
    return _TYPED_SUFFIX.sub("", text) + suffix


def person_targets(form: BlendForm | ScaleForm | CheckForm) -> dict[str, Any]:
    """Where the errors of the request's batch, use, person and measuring fields are shown."""
    person, measuring = form.person.form, form.measuring.form
    return {
        "amount": form.amount,
        "use": form.use,
        "profile": person.age,
        "profile.age_years": person.age,
        "profile.pregnant": person.pregnant,
        "profile.skin": person.skin,
        "profile.conditions": person.conditions,
        "profile.allergies": person.allergies,
        "profile.sun_exposure": person.sun,
        "conventions": measuring.drops_per_ml,
        "conventions.drops_per_ml": measuring.drops_per_ml,
        "conventions.teaspoon": measuring.teaspoon,
    }


def error_targets(form: BlendForm | CheckForm, rows: Iterable[int]) -> dict[str, Any]:
    """Where each request field's errors are shown: the form field that set it (``rows``: the form row of
    each oil sent)."""
    targets = {**person_targets(form), "carrier": form.carrier, "oils": form.oils}
    if isinstance(form, BlendForm):
        targets["amount_of"] = form.amount_of
        targets["dilution"] = form.drops_per_tsp if form.strength.data == "drops" else form.percent
    for index, row in enumerate(rows):
        entry = form.oils.entries[row].form
        targets[f"oils.{index}"] = entry.oil
        targets[f"oils.{index}.oil"] = entry.oil
        if isinstance(form, BlendForm):
            targets[f"oils.{index}.parts"] = entry.parts
        else:
            targets[f"oils.{index}.drops"] = entry.drops
    return targets


class MadeOilForm(Form):
    oil = CatalogSelectField("Essential oil", validate_choice=False)
    drops = StringField("Drops", render_kw={"inputmode": "numeric", "size": 4})


class CheckForm(Form):
    """ "Check a blend I already made" at ``/check``: drops of each oil in an amount of carrier."""

    carrier = CatalogSelectField("Carrier oil", validate_choice=False)
    amount = StringField("Carrier amount", default="30", render_kw={"inputmode": "decimal", "size": 6})
    unit = SelectField("Unit", choices=options(UNITS), default="mL", validate_choice=False)
    oils = OilRows(FormField(MadeOilForm), min_entries=ROWS, max_entries=MAX_OILS)
    use = SelectField("Use", choices=options(USES), default="massage", validate_choice=False)
    person = FormField(PersonForm, separator="-")
    measuring = FormField(MeasuringForm, separator="-")


def check_fields(form: CheckForm) -> tuple[dict[str, Any], list[int]]:
    """The flat fields of a check request, and for each oil sent the form row it came from."""
    oils: list[dict[str, Any]] = []
    rows: list[int] = []
    for row, slug, entry in filled_rows(form):
        drops = _number(entry.drops.data)
        if isinstance(drops, float) and drops.is_integer():
            drops = int(drops)
        oils.append({"oil": slug, "drops": drops if drops is not None else ""})
        rows.append(row)
    flat = {
        "carrier": _text(form.carrier.data),
        "amount": amount_text(form.amount.data, form.unit.data),
        "oils": oils,
        "use": form.use.data or None,
        **person_fields(form.person.form, form.measuring.form),
    }
    return flat, rows
