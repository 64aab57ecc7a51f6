"""The editors' forms (Flask-WTF, each with its CSRF token): log in, an oil's every field, a review.

The forms only render the fields and keep what was typed; an oil is validated by ``OilSchema`` with the change's
source and comment (``OilWriteSchema``), the same schema as the JSON API, the shipped catalog and imports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice

from oil_blends.documents.wording import ALLERGEN_WORDS, CONTRAINDICATION_WORDS, in_words
from oil_blends.engine.model import ALLERGENS, CONTRAINDICATIONS
from oil_blends.web.forms import CheckboxesField, options

KINDS = (("essential", "Essential oil"), ("carrier", "Carrier oil"))
# The words for each field of an entry: the form's labels, and the field names of diffs and comparisons.
FIELD_WORDS = {
    "slug": "Slug",
    "name": "Name",
    "kind": "Kind",
    "botanical_name": "Botanical name",
    "variant": "Variant",
    "description": "Description",
    "drops_per_ml": "Drop size (drops per mL)",
    "max_dermal_percent": "Most on skin (% of a blend)",
    "max_dermal_reason": "Why that maximum",
    "phototoxic_max_percent": "Phototoxic limit (% of a blend)",
    "sensitizer": "Skin sensitizer",
    "oxidizes": "Oxidizes",
    "shelf_life_months": "Shelf life once opened (months)",
    "contraindications": "Must not be used for",
    "cautions": "Take care with",
    "allergens": "Allergens",
    "comedogenic": "Comedogenic rating (0 to 5)",
    "solid_below_c": "Turns solid below (°C)",
    "sources": "Sources of the figures",
}
OPTIONAL_TEXT = ("botanical_name", "variant", "max_dermal_reason")
NUMBERS = (
    "drops_per_ml",
    "max_dermal_percent",
    "phototoxic_max_percent",
    "shelf_life_months",
    "comedogenic",
    "solid_below_c",
)
FLAGS = ("sensitizer", "oxidizes")
INTEGERS = ("shelf_life_months", "comedogenic")  # sent as typed: the schema reads "24", and refuses "2.5"
CODE_LISTS = ("contraindications", "cautions", "allergens")
RESERVED_SLUGS = ("new",)  # /oils/new is the page that adds an oil


def _number_box(label: str, hint: str = "") -> StringField:
    return StringField(label, description=hint, render_kw={"inputmode": "decimal", "size": 8})


class LoginForm(FlaskForm):
    username = StringField(
        "User name",
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false", "required": True},
    )
    password = PasswordField("Password", render_kw={"autocomplete": "current-password", "required": True})
    next = HiddenField()


class OilForm(FlaskForm):
    """Every field of a catalog entry, the entry's version it was read at, and why the change is made."""

    slug = StringField(
        FIELD_WORDS["slug"],
        description="Lowercase words joined by hyphens, e.g. sweet-almond. It is the oil's address and cannot change.",
        render_kw={"autocapitalize": "none", "spellcheck": "false", "maxlength": 60},
    )
    name = StringField(FIELD_WORDS["name"], render_kw={"maxlength": 100})
    kind = SelectField(FIELD_WORDS["kind"], choices=options(KINDS), default="essential", validate_choice=False)
    botanical_name = StringField(FIELD_WORDS["botanical_name"], render_kw={"maxlength": 200})
    variant = StringField(
        FIELD_WORDS["variant"], description="E.g. steam distilled, cold-pressed, CO2.", render_kw={"maxlength": 100}
    )
    description = TextAreaField(FIELD_WORDS["description"], render_kw={"rows": 4, "maxlength": 4000})
    max_dermal_percent = _number_box(
        FIELD_WORDS["max_dermal_percent"], "Empty: no limit of its own (the person's and the use's limit applies)."
    )
    max_dermal_reason = StringField(
        FIELD_WORDS["max_dermal_reason"], description="E.g. methyl salicylate content.", render_kw={"maxlength": 300}
    )
    phototoxic_max_percent = _number_box(FIELD_WORDS["phototoxic_max_percent"], "Empty: not phototoxic.")
    sensitizer = BooleanField("A skin sensitizer (can cause an allergy with repeated use)")
    oxidizes = BooleanField("Oxidizes (old oil irritates skin more)")
    shelf_life_months = _number_box(FIELD_WORDS["shelf_life_months"], "A whole number; empty when not known.")
    drops_per_ml = _number_box(FIELD_WORDS["drops_per_ml"], "Empty: the standard 20 drops per mL.")
    comedogenic = _number_box(FIELD_WORDS["comedogenic"], "Carrier oils only; empty when not known.")
    solid_below_c = _number_box(FIELD_WORDS["solid_below_c"], "Carrier oils only; empty when it stays liquid.")
    contraindications = CheckboxesField(
        FIELD_WORDS["contraindications"],
        choices=options((code, in_words(code, CONTRAINDICATION_WORDS)) for code in CONTRAINDICATIONS),
    )
    cautions = CheckboxesField(
        FIELD_WORDS["cautions"],
        choices=options((code, in_words(code, CONTRAINDICATION_WORDS)) for code in CONTRAINDICATIONS),
    )
    allergens = CheckboxesField(
        FIELD_WORDS["allergens"], choices=options((code, in_words(code, ALLERGEN_WORDS)) for code in ALLERGENS)
    )
    sources = TextAreaField(
        FIELD_WORDS["sources"],
        description="Source keys from the registry (e.g. TY) or web addresses, one a line.",
        render_kw={"rows": 3, "autocapitalize": "none", "spellcheck": "false"},
    )
    version = HiddenField()
    source = SelectField("Source for this change", validate_choice=False)
    comment = TextAreaField(
        "Comment", description="What changed and why (up to 500 characters).", render_kw={"rows": 2, "maxlength": 500}
    )


class ReviewForm(FlaskForm):
    """Approve or reject one pending change (each change on the queue has its own, with a prefix)."""

    comment = TextAreaField("Comment (optional)", render_kw={"rows": 2, "maxlength": 500})
    approve = SubmitField("Approve")
    reject = SubmitField("Reject")


def source_choices(registry: Mapping[str, Mapping[str, Any]]) -> list[SelectChoice]:
    """The registry's sources to cite, by key, with their titles; first "none" (enough for an admin)."""
    choices = [SelectChoice("", "(none)")]
    for key, source in registry.items():
        title = source.get("title") or ""
        choices.append(SelectChoice(key, f"{key}: {title}" if title else key))
    return choices


# ---- form <-> entry ------------------------------------------------------------------------------------------


def number_text(value: Any) -> str:
    """A stored number as typed: 2.0 as "2", 0.4 as "0.4" (exact, so an unchanged field stays unchanged)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def form_data(entry: Mapping[str, Any]) -> dict[str, Any]:
    """An entry as the form's data."""
    data: dict[str, Any] = {}
    for name, value in entry.items():
        if name in NUMBERS:
            data[name] = number_text(value)
        elif name == "sources":
            data[name] = "\n".join(value or [])
        elif name in CODE_LISTS:
            data[name] = list(value or [])
        elif name in FLAGS:
            data[name] = bool(value)
        else:
            data[name] = value if value is not None else ""
    return data


def _text(value: Any) -> str:
    """A text box's value: newlines as "\\n" (browsers send "\\r\\n"), no surrounding spaces."""
    return str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _number(value: Any) -> float | str | None:
    """A float when the box reads as one, else its text, for the schema to say what is wrong next to the field."""
    text = _text(value)
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return text


def _in_order(codes: Iterable[str], before: Sequence[str]) -> list[str]:
    """The ticked codes, those the entry had first in their old order, so an untouched list stays unchanged."""
    ticked = list(dict.fromkeys(codes))
    return [code for code in before if code in ticked] + [code for code in ticked if code not in before]


def form_entry(form: OilForm, slug: str | None = None, before: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The entry the form describes, not yet validated (``slug``: the oil's, when editing; ``before``: the entry
    being edited, whose list order is kept)."""
    before = before or {}
    entry: dict[str, Any] = {
        "slug": slug if slug is not None else _text(form.slug.data),
        "name": _text(form.name.data),
        "kind": _text(form.kind.data),
    }
    for name in OPTIONAL_TEXT:
        entry[name] = _text(getattr(form, name).data) or None
    entry["description"] = _text(form.description.data)
    for name in NUMBERS:
        value = getattr(form, name).data
        entry[name] = (_text(value) or None) if name in INTEGERS else _number(value)
    for name in FLAGS:
        entry[name] = bool(getattr(form, name).data)
    for name in CODE_LISTS:
        entry[name] = _in_order(getattr(form, name).data or [], before.get(name) or [])
    entry["sources"] = [line.strip() for line in _text(form.sources.data).split("\n") if line.strip()]
    return entry


# ---- values in words -----------------------------------------------------------------------------------------


def field_words(name: str) -> str:
    return FIELD_WORDS.get(name) or name.replace("_", " ").capitalize()


def shown(name: str, value: Any) -> str:
    """A field's value for people: codes in words, yes or no, "(empty)"."""
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if name == "kind":
        return dict(KINDS).get(value, str(value))
    if name in ("contraindications", "cautions"):
        return "; ".join(in_words(code, CONTRAINDICATION_WORDS) for code in value)
    if name == "allergens":
        return "; ".join(in_words(code, ALLERGEN_WORDS) for code in value)
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    if isinstance(value, int | float):
        return number_text(value)
    return str(value)
