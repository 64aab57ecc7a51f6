"""Every marshmallow schema in one place: what a request, a result and an oil entry look like.

The same schemas serve the JSON API (and its OpenAPI document), the command line, the catalog seed
and importers, so an input is judged by the same rules wherever it enters.
"""

from __future__ import annotations

import json
import re

from marshmallow import (
    EXCLUDE,
    INCLUDE,
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)
from marshmallow.types import ErrorMessages
from marshmallow.utils import missing

from oil_blends.documents.units import UnitError, Volume, amount_ml, parse_dilution, parse_volume
from oil_blends.engine.model import (
    ALLERGENS,
    ALLERGIES,
    CONDITIONS,
    CONTRAINDICATIONS,
    MAX_OILS,
    SEVERITIES,
    SKIN_TYPES,
    STANDARD_CONVENTIONS,
    USES,
    BlendRequest,
    CheckRequest,
    Conventions,
    Dilution,
    OilDrops,
    OilPart,
    Profile,
)

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
AMOUNT_EXAMPLE = "30 mL"
REQUIRED: ErrorMessages = {"required": "this field is required"}  # marshmallow says "Missing data for required field."


def _one_of(choices: tuple[str, ...]) -> validate.OneOf:
    return validate.OneOf(choices, error="must be one of: {choices}")


# marshmallow's own messages, which name neither what was wrong nor what is taken, in the contract's words
_PLAIN_MESSAGES = {
    "Not a valid number.": "must be a number",
    "Not a valid integer.": "must be a whole number",
    "Not a valid string.": "must be a string",
    "Not a valid utf-8 string.": "must be UTF-8 text",
    "Not a valid list.": "must be a list",
    "Not a valid boolean.": "must be true or false",
    "Not a valid mapping type.": "must be an object",
    "Not a valid {obj_type}.": "must be an ISO 8601 {obj_type}, e.g. 2026-01-31T12:00:00+00:00",
    "Not a valid {awareness} {obj_type}.": "must be an ISO 8601 {obj_type} with its UTC offset, e.g. "
    "2026-01-31T12:00:00+00:00",
    "Special numeric values (nan or infinity) are not permitted.": "must be a finite number",
    "Number too large.": "is too large a number",
    "Field may not be null.": "must not be null",
    "Missing data for required field.": "this field is required",
}


class Document(Schema):
    """The app's schemas: marshmallow's, with errors that say what each field takes ("must be a number, e.g. 70"
    rather than "Not a valid number."; an unknown field's error names the fields there are)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plain_words(self)


def plain_words(schema: Schema) -> Schema:
    """Word ``schema``'s errors as :class:`Document` does (for a schema a library made: flask-smorest's pages)."""
    if schema.error_messages["type"] == Schema._default_error_messages["type"]:  # "Invalid input type."
        schema.error_messages["type"] = "must be a JSON object"
    names = [field.data_key or name for name, field in schema.load_fields.items()]
    if names:
        schema.error_messages["unknown"] = "unknown field; the fields here are " + ", ".join(names)
    for field in schema.load_fields.values():
        _plain_messages(field)
    return schema


def _plain_messages(field: fields.Field) -> None:
    """Word ``field``'s marshmallow messages as the contract does, with what it takes where that is known."""
    inner = field.inner if isinstance(field, fields.List) else None
    takes = _takes(field)
    if inner is not None:
        _plain_messages(inner)
        if (each := _takes(inner)) is not None:
            takes = f"each {each}"
    for key, text in field.error_messages.items():
        plain = _PLAIN_MESSAGES.get(text) if isinstance(text, str) else None
        if plain is None:
            continue
        if key == "null" and field.load_default is not missing:
            plain += "; leave the field out for its default"
        elif key in ("invalid", "special") and takes is not None:
            plain += ", " + takes.replace("{", "{{").replace("}", "}}")  # marshmallow formats the message
        field.error_messages[key] = plain
    for validator in field.validators:
        if isinstance(validator, validate.Range) and validator.error is None:
            validator.error = _range_words(validator)
        elif isinstance(validator, validate.Length) and validator.error is None:
            validator.error = _length_words(validator, "items" if isinstance(field, fields.List) else "characters")


def _length_words(bounds: validate.Length, counted: str) -> str:
    """A length's bounds in words ("must be 1 to 100 characters long", "must hold at least 1 item"), for
    marshmallow's "Length must be between 1 and 100."; ``counted`` is "characters" or "items"."""
    low, high = (bounds.equal, bounds.equal) if bounds.equal is not None else (bounds.min, bounds.max)
    if low is not None and high is not None:
        span = f"{low}" if low == high else f"{low} to {high}"
    elif high is not None:
        span = f"at most {high}"
    else:
        span = f"at least {low}"
    unit = counted.removesuffix("s") if span.endswith(" 1") else counted
    return f"must hold {span} {unit}" if counted == "items" else f"must be {span} {unit} long"


def _range_words(bounds: validate.Range) -> str:
    """A range's bounds in words ("must be from 0 to 130"), for marshmallow's "Must be greater than or equal to..."."""
    if bounds.min is not None and bounds.max is not None and bounds.min_inclusive and bounds.max_inclusive:
        return f"must be from {bounds.min:g} to {bounds.max:g}"
    words = []
    if bounds.min is not None:
        words.append(f"{'at least' if bounds.min_inclusive else 'more than'} {bounds.min:g}")
    if bounds.max is not None:
        words.append(f"{'at most' if bounds.max_inclusive else 'less than'} {bounds.max:g}")
    return "must be " + " and ".join(words)


class WholeMatch(validate.Regexp):
    """``validate.Regexp`` over the whole value: the pattern's ``$`` alone also matches before a final newline, so
    "lavender\\n" would pass as a slug beside "lavender". (The pattern stays as written for the OpenAPI document.)"""

    def __init__(self, regex: str, *, error: str | None = None):
        super().__init__(regex, error=error)
        self.whole = re.compile(regex)

    def __call__(self, value):
        if not isinstance(value, str) or self.whole.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


# What no name or note needs and what could hide or disguise text: every control character (tab and line breaks
# are allowed where text runs over lines), every format character of Unicode 14 (category Cf: zero-width
# characters, direction marks, overrides and isolates, the soft hyphen, tag characters...), the line and
# paragraph separators, and the blank "filler" letters (Hangul fillers, the blank Braille pattern).
# tests/test_plain_text.py checks the list against the running Python's Unicode database.
_HIDDEN = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u115f-\u1160"
    "\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\u2800\u3164\ufeff\uffa0\ufff9-\ufffb\U000110bd"
    "\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
_HIDDEN_IN_TEXT = re.compile(f"[{_HIDDEN}]")
_HIDDEN_IN_A_LINE = re.compile(f"[{_HIDDEN}\t\n\r]")


class PlainText(validate.Validator):
    """Text people read as it is stored: no control characters or text-direction overrides (a tab or line break
    only in ``lines`` text), and not blank unless ``blank``."""

    def __init__(self, *, lines: bool = False, blank: bool = False):
        self.lines = lines
        self.hidden = _HIDDEN_IN_TEXT if lines else _HIDDEN_IN_A_LINE
        self.blank = blank

    def __call__(self, value: str) -> str:
        found = self.hidden.search(value)
        if found is not None:
            kind = "a line break or tab" if found[0] in "\t\n\r" else "an invisible, control or direction character"
            where = f"U+{ord(found[0]):04X} at character {found.start() + 1}"
            raise ValidationError(f"must be plain text: it holds {kind} ({where})")
        if not self.blank and value and not value.strip():  # an empty value is left to the field's length
            raise ValidationError("must not be blank")
        if not self.lines and value != value.strip():
            raise ValidationError("must not start or end with a space")
        return value


def _takes(field: fields.Field) -> str | None:
    """What a field takes, in words, when its validators or its example say."""
    for validator in field.validators:
        if isinstance(validator, validate.OneOf):
            return "one of: " + ", ".join(str(choice) for choice in validator.choices)
    example = field.metadata.get("example")
    return None if example is None else f"e.g. {json.dumps(example)}"


class AmountField(fields.String):
    """A volume written with its unit, e.g. "30 mL", "1 fl oz", "2 tbsp", "600 drops"."""

    default_error_messages = {"invalid": "must be a string with a number and a unit, e.g. '30 mL' or '1 fl oz'"}

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is str:  # what fields.String makes of a str: the str itself
            text = value
        elif isinstance(value, bool) or not isinstance(value, str):
            raise self.make_error("invalid")
        else:
            text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return parse_volume(text)
        except UnitError as error:
            raise ValidationError(str(error)) from None


class JSONBoolean(fields.Boolean):
    """A JSON boolean, true or false: not the strings ("yes", "T", "off") and numbers marshmallow also reads."""

    default_error_messages = {"invalid": "must be true or false"}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class QueryBoolean(fields.Boolean):
    """A boolean query parameter: ``true`` or ``false``."""

    default_error_messages = {"invalid": "must be true or false"}

    def __init__(self, **kwargs):
        super().__init__(truthy={"true"}, falsy={"false"}, **kwargs)


class DilutionField(fields.Field):
    """A dilution: "2%", "2 %", 2 (percent), or "N drops per <volume>" of carrier ("2 drops/tsp")."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValidationError(
                "must be a percent such as '2%' or 2, or drops per volume of carrier such as '2 drops/tsp'"
            )
        try:
            parse_dilution(value)  # syntax and range now; the drop size is applied in post_load
        except UnitError as error:
            raise ValidationError(str(error)) from None
        return value


class WholeNumber(fields.Integer):
    """A whole number: 12, 12.0 and "12" read as 12, while 2.5 is refused (marshmallow would truncate it to 2)."""

    default_error_messages = {"invalid": "must be a whole number"}

    def _validated(self, value):
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            raise self.make_error("invalid") from None
        if isinstance(value, bool) or not number.is_integer():
            raise self.make_error("invalid")
        return super()._validated(value)


def _finite_number(**kwargs) -> fields.Float:
    return fields.Float(allow_nan=False, **kwargs)


class OilPartSchema(Document):
    """One essential oil of the blend and its share."""

    error_messages = {"type": 'each oil must be an object such as {"oil": "lavender", "parts": 2}'}

    oil = fields.String(
        required=True,
        error_messages=REQUIRED,
        validate=validate.Length(1, 100),
        metadata={"description": "Essential oil slug", "example": "lavender"},
    )
    parts = _finite_number(
        load_default=1.0,
        validate=validate.Range(min=0, min_inclusive=False, max=1000, error="must be more than 0 and at most 1000"),
        metadata={"description": "Share of the essential oils, by volume (default 1)", "example": 2},
    )

    @post_load
    def make(self, data, **kwargs) -> OilPart:
        return OilPart(oil=data["oil"], parts=data["parts"])


class ProfileSchema(Document):
    """The person the blend is for."""

    error_messages = {"type": 'profile must be an object such as {"age_years": 70, "conditions": ["neuropathy"]}'}

    age_years = _finite_number(
        allow_none=True,
        load_default=None,
        validate=validate.Range(min=0, max=130),
        metadata={"description": "Age in years (fractions allowed: 0.5 = six months)", "example": 70},
    )
    pregnant = JSONBoolean(load_default=False)
    skin = fields.String(load_default="normal", validate=_one_of(SKIN_TYPES))
    conditions = fields.List(
        fields.String(validate=_one_of(CONDITIONS)),
        load_default=list,
        validate=validate.Length(max=len(CONDITIONS) * 2),
    )
    allergies = fields.List(
        fields.String(validate=_one_of(ALLERGIES)), load_default=list, validate=validate.Length(max=len(ALLERGIES) * 2)
    )
    sun_exposure = JSONBoolean(
        allow_none=True,
        load_default=None,
        metadata={"description": "Will the oiled skin see sun or UV within 18 hours? null = maybe (treated as yes)"},
    )

    @post_load
    def make(self, data, **kwargs) -> Profile:
        return Profile(
            age_years=data["age_years"],
            pregnant=data["pregnant"],
            skin=data["skin"],
            conditions=tuple(dict.fromkeys(data["conditions"])),
            allergies=tuple(dict.fromkeys(data["allergies"])),
            sun_exposure=data["sun_exposure"],
        )


class ConventionsSchema(Document):
    """Measuring conventions: the dropper's drops per mL and the teaspoon system."""

    error_messages = {"type": 'conventions must be an object such as {"drops_per_ml": 20, "teaspoon": "metric"}'}

    drops_per_ml = _finite_number(
        allow_none=True,
        load_default=None,
        validate=validate.Range(min=5, max=100),
        metadata={"description": "Drops per mL of your dropper (standard 20)", "example": 20},
    )
    teaspoon = fields.String(load_default="metric", validate=_one_of(("metric", "us")))

    @post_load
    def make(self, data, **kwargs) -> Conventions:
        return Conventions(drops_per_ml=data["drops_per_ml"], teaspoon=data["teaspoon"])


class BlendRequestSchema(Document):
    """A blend to calculate. Loading it yields an engine ``BlendRequest`` with the amount in mL."""

    class Meta:
        unknown = RAISE

    carrier = fields.String(
        required=True,
        error_messages=REQUIRED,
        validate=validate.Length(1, 100),
        metadata={"description": "Carrier oil slug", "example": "sweet-almond"},
    )
    amount = AmountField(
        required=True,
        error_messages=REQUIRED,
        metadata={
            "description": "Batch size with its unit (mL, L, tsp, tbsp, fl oz, cup, dram, drops...)",
            "example": AMOUNT_EXAMPLE,
        },
    )
    amount_of = fields.String(load_default="blend", validate=_one_of(("blend", "carrier")))
    dilution = DilutionField(
        allow_none=True,
        load_default=None,
        metadata={
            "description": "'2%', 2, or 'N drops per <volume>' of carrier; omitted = the safe maximum",
            "example": "2%",
        },
    )
    oils = fields.List(
        fields.Nested(OilPartSchema),
        required=True,
        error_messages=REQUIRED,
        validate=validate.Length(min=1, max=MAX_OILS, error="give between {min} and {max} essential oils"),
        metadata={"example": [{"oil": "lavender", "parts": 2}, {"oil": "peppermint", "parts": 1}]},
    )
    use = fields.String(load_default="massage", validate=_one_of(USES))
    profile = fields.Nested(ProfileSchema, load_default=dict)
    conventions = fields.Nested(ConventionsSchema, load_default=dict)
    on_limit = fields.String(load_default="reject", validate=_one_of(("reject", "cap")))

    @post_load
    def make(self, data, **kwargs) -> BlendRequest:
        conventions = _conventions(data)
        errors: dict[str, list[str]] = {}
        volume = data["amount"]
        ml: float  # set below, or the amount's error is raised before it is used
        try:
            ml = amount_ml(volume, conventions)
        except UnitError as error:
            errors["amount"] = [str(error)]
        dilution = None
        if data["dilution"] is not None:
            try:
                percent = parse_dilution(data["dilution"], conventions)
                dilution = Dilution(percent=percent, text=str(data["dilution"]))
            except UnitError as error:
                errors["dilution"] = [str(error)]
        if errors:
            raise ValidationError(errors)
        return BlendRequest(
            carrier=data["carrier"],
            amount_ml=ml,
            amount_text=volume.text,
            amount_unit=volume.unit,
            amount_unit_ml=ml / volume.value,  # ml is volume.to_ml(conventions)
            oils=tuple(data["oils"]),
            amount_of=data["amount_of"],
            dilution=dilution,
            use=data["use"],
            profile=_profile(data),
            conventions=conventions,
            on_limit=data["on_limit"],
        )


MAX_DROPS = 100_000  # 5 L of one essential oil at 20 drops per mL: beyond it is a typo


class DropCount(fields.Integer):
    """A whole number of drops: a JSON number with no fraction (12 or 12.0), not a string, 2.5 or a boolean."""

    default_error_messages = {"invalid": "must be a whole number of drops, e.g. 12"}

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is float and value.is_integer():  # JSON has one kind of number: 12.0 is 12
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class OilDropsSchema(Document):
    """One essential oil of a blend already made, and the drops of it that went in."""

    error_messages = {"type": 'each oil must be an object such as {"oil": "lavender", "drops": 12}'}

    oil = fields.String(
        required=True,
        error_messages=REQUIRED,
        validate=validate.Length(1, 100),
        metadata={"description": "Essential oil slug", "example": "lavender"},
    )
    drops = DropCount(
        required=True,
        error_messages=REQUIRED,
        validate=validate.Range(min=1, max=MAX_DROPS, error="must be from {min} to {max} drops"),
        metadata={"description": "Drops of it in the blend, counted with your dropper", "example": 12},
    )

    @post_load
    def make(self, data, **kwargs) -> OilDrops:
        return OilDrops(oil=data["oil"], drops=data["drops"])


class CheckRequestSchema(Document):
    """A blend already made: whole drops of each essential oil in an amount of carrier."""

    class Meta:
        unknown = RAISE

    carrier = fields.String(
        required=True,
        error_messages=REQUIRED,
        validate=validate.Length(1, 100),
        metadata={"description": "Carrier oil slug", "example": "jojoba"},
    )
    amount = AmountField(
        required=True,
        error_messages=REQUIRED,
        metadata={"description": "The carrier you used, with its unit (mL, tsp, tbsp, fl oz...)", "example": "30 mL"},
    )
    oils = fields.List(
        fields.Nested(OilDropsSchema),
        required=True,
        error_messages=REQUIRED,
        validate=validate.Length(min=1, max=MAX_OILS, error="give between {min} and {max} essential oils"),
        metadata={"example": [{"oil": "lavender", "drops": 12}, {"oil": "tea-tree", "drops": 3}]},
    )
    use = fields.String(load_default="massage", validate=_one_of(USES))
    profile = fields.Nested(ProfileSchema, load_default=dict)
    conventions = fields.Nested(ConventionsSchema, load_default=dict)

    @validates_schema(skip_on_field_errors=False)
    def carrier_amount(self, data, **kwargs):
        """The amount in mL under the request's conventions, named even when other fields are wrong too."""
        if "amount" in data:
            data["carrier_ml"] = _carrier_ml(data["amount"], _conventions(data))

    @post_load
    def make(self, data, **kwargs) -> CheckRequest:
        conventions = _conventions(data)
        volume = data["amount"]
        return CheckRequest(
            carrier=data["carrier"],
            carrier_ml=data["carrier_ml"],
            oils=tuple(data["oils"]),
            amount_text=volume.text,
            amount_unit=volume.unit,
            amount_unit_ml=volume.to_ml(conventions) / volume.value,
            use=data["use"],
            profile=_profile(data),
            conventions=conventions,
        )


def _conventions(data: dict) -> Conventions:
    """The request's conventions as loaded, or the defaults when the field failed or was left out."""
    conventions = data.get("conventions")
    return conventions if isinstance(conventions, Conventions) else STANDARD_CONVENTIONS


def _profile(data: dict) -> Profile:
    """The request's person as loaded, or the defaults when the field was left out."""
    profile = data.get("profile")
    return profile if isinstance(profile, Profile) else Profile()


def _carrier_ml(volume: Volume, conventions: Conventions) -> float:
    """The carrier used, in mL: at least one drop, at most 20 L."""
    drop_ml = 1.0 / conventions.dropper
    if 0 < volume.to_ml(conventions) < drop_ml * (1 - 1e-9):
        raise ValidationError(
            {"amount": [f"less than one drop of carrier ({drop_ml:g} mL); give the carrier you used, e.g. '30 mL'"]}
        )
    try:
        return amount_ml(volume, conventions)
    except UnitError as error:
        raise ValidationError({"amount": [str(error)]}) from None


# ---- results -------------------------------------------------------------------------------------


class WarningSchema(Document):
    code = fields.String(required=True, metadata={"example": "reduced_sensation"})
    severity = fields.String(required=True, validate=validate.OneOf(SEVERITIES))
    oil = fields.String(allow_none=True, metadata={"description": "Oil slug, or null for the whole blend"})
    message = fields.String(required=True)


class OilAmountSchema(Document):
    oil = fields.String(required=True)
    name = fields.String(required=True)
    parts = fields.Float(required=True)
    drops = fields.Integer(required=True)
    ml = fields.Float(required=True)
    percent = fields.Float(required=True)
    ideal_drops = fields.Float(metadata={"description": "Drops before whole-drop rounding"})
    drops_per_ml = fields.Float(metadata={"description": "Drop size used for this oil"})


class CarrierAmountSchema(Document):
    oil = fields.String(required=True)
    name = fields.String()
    ml = fields.Float(required=True)


class DilutionReportSchema(Document):
    requested_percent = fields.Float(allow_none=True)
    target_percent = fields.Float(metadata={"description": "Dilution aimed at before rounding to whole drops"})
    actual_percent = fields.Float(required=True)
    max_percent = fields.Float(required=True, metadata={"description": "Maximum for this use and person"})
    drops_per_tsp = fields.Float(metadata={"description": "Actual dilution as drops per teaspoon of carrier"})
    limited_by = fields.List(fields.String(), metadata={"description": "Ids of the rules that set max_percent"})


class ConventionsReportSchema(Document):
    drops_per_ml = fields.Float(metadata={"description": "The dropper's drops per mL (the request's, else 20)"})
    teaspoon = fields.String()
    teaspoon_ml = fields.Float()
    fluid_ounce_ml = fields.Float()
    percent_of = fields.String(metadata={"description": "Percent is of the finished blend"})


class AmountReportSchema(Document):
    text = fields.String()
    of = fields.String()
    ml = fields.Float()


class BlendResultSchema(Document):
    """A calculated blend in whole drops, with every warning."""

    class Meta:
        unknown = EXCLUDE

    essential_oils = fields.List(fields.Nested(OilAmountSchema), required=True)
    total_drops = fields.Integer(required=True)
    carrier = fields.Nested(CarrierAmountSchema, required=True)
    amount = fields.Nested(AmountReportSchema)
    blend_ml = fields.Float()
    dilution = fields.Nested(DilutionReportSchema, required=True)
    conventions = fields.Nested(ConventionsReportSchema)
    capped = fields.Boolean(required=True)
    warnings = fields.List(fields.Nested(WarningSchema), required=True)


class CheckedOilSchema(Document):
    oil = fields.String(required=True)
    name = fields.String(required=True)
    drops = fields.Integer(required=True)
    ml = fields.Float(required=True)
    percent = fields.Float(required=True, metadata={"description": "Share of the finished blend"})
    drops_per_ml = fields.Float(metadata={"description": "Drop size used for this oil"})
    max_percent = fields.Float(allow_none=True, metadata={"description": "The oil's own maximum on skin, if any"})


class CheckDilutionSchema(Document):
    percent = fields.Float(required=True, metadata={"description": "Essential oils, percent of the finished blend"})
    max_percent = fields.Float(required=True, metadata={"description": "Maximum for this use and person"})
    limited_by = fields.List(fields.String(), metadata={"description": "Ids of the rules that set max_percent"})
    allowed_percent = fields.Float(
        required=True,
        metadata={
            "description": "The most these oils, in these proportions, may make up (their own and sun limits too)"
        },
    )
    drops_per_tsp = fields.Float(metadata={"description": "Drops per teaspoon of carrier"})


class CarrierToAddSchema(Document):
    ml = fields.Float(required=True, metadata={"description": "Least carrier to add, in mL (rounded up)"})
    amount = fields.Float(required=True, metadata={"description": "The same in the unit the amount was given in"})
    unit = fields.String(required=True, metadata={"example": "fl oz"})


class LeaveOutSchema(Document):
    oil = fields.String(required=True)
    name = fields.String(required=True)
    drops_used = fields.Integer(required=True)
    drops = fields.Integer(required=True, metadata={"description": "Drops to use making it again"})
    leave_out = fields.Integer(required=True)


class RemedySchema(Document):
    """How a blend that is only too strong becomes safe."""

    carrier_to_add = fields.Nested(CarrierToAddSchema, required=True)
    percent_after_adding = fields.Float(required=True)
    drops_to_leave_out = fields.List(
        fields.Nested(LeaveOutSchema),
        required=True,
        metadata={"description": "Making it again with the same carrier: the drops of each oil, at most those used"},
    )
    percent_made_again = fields.Float(required=True)
    advice = fields.List(fields.String(), required=True, metadata={"description": "The remedy in words"})


class CheckResultSchema(Document):
    """A blend already made, checked: its strength, whether it is safe, every warning and the remedy."""

    class Meta:
        unknown = EXCLUDE

    safe = fields.Boolean(required=True)
    verdict = fields.String(required=True, validate=validate.OneOf(("safe", "too_strong", "not_for_this_person")))
    message = fields.String(required=True)
    carrier = fields.Nested(CarrierAmountSchema, required=True)
    amount = fields.Nested(AmountReportSchema)
    essential_oils = fields.List(fields.Nested(CheckedOilSchema), required=True)
    total_drops = fields.Integer(required=True)
    essential_oil_ml = fields.Float()
    blend_ml = fields.Float(required=True)
    dilution = fields.Nested(CheckDilutionSchema, required=True)
    conventions = fields.Nested(ConventionsReportSchema)
    warnings = fields.List(fields.Nested(WarningSchema), required=True)
    # null is documented with OpenAPI 3.0's "nullable" (allow_none would make apispec write an anyOf)
    remedy = fields.Nested(
        RemedySchema,
        required=True,
        metadata={
            "nullable": True,
            "description": "null when the blend is safe, or when no dilution makes it safe for the person",
        },
    )


# ---- catalog -------------------------------------------------------------------------------------


# A maximum is a share of the blend: an oil not to go on skin at all takes a contraindication. Far below the lowest
# figure in the sources (0.01 %), and far above a number so small that a blend could not be worked out with it.
PERCENT_LIMIT = validate.Range(
    min=0.001,
    max=100,
    error="must be from 0.001 to 100 (% of the blend; an oil kept off the skin takes a contraindication)",
)


class OilSchema(Document):
    """A catalog entry, carrier or essential oil, wherever it enters (API, web form, import, seed)."""

    class Meta:
        unknown = RAISE
        ordered = True

    slug = fields.String(
        required=True,
        error_messages=REQUIRED,
        validate=[
            validate.Length(2, 60),
            WholeMatch(SLUG_PATTERN, error="must be lowercase words joined by hyphens, e.g. 'sweet-almond'"),
        ],
        metadata={"example": "lavender"},
    )
    name = fields.String(
        required=True,
        error_messages=REQUIRED,
        validate=[validate.Length(1, 100), PlainText()],
        metadata={"example": "Lavender"},
    )
    kind = fields.String(required=True, error_messages=REQUIRED, validate=_one_of(("carrier", "essential")))
    botanical_name = fields.String(
        allow_none=True, load_default=None, validate=[validate.Length(max=200), PlainText(blank=True)]
    )
    variant = fields.String(
        allow_none=True, load_default=None, validate=[validate.Length(max=100), PlainText(blank=True)]
    )
    description = fields.String(
        load_default="", validate=[validate.Length(max=4000), PlainText(lines=True, blank=True)]
    )
    drops_per_ml = _finite_number(allow_none=True, load_default=None, validate=validate.Range(min=5, max=100))
    max_dermal_percent = _finite_number(allow_none=True, load_default=None, validate=PERCENT_LIMIT)
    max_dermal_reason = fields.String(
        allow_none=True, load_default=None, validate=[validate.Length(max=300), PlainText(blank=True)]
    )
    phototoxic_max_percent = _finite_number(allow_none=True, load_default=None, validate=PERCENT_LIMIT)
    sensitizer = JSONBoolean(load_default=False)
    oxidizes = JSONBoolean(load_default=False)
    shelf_life_months = WholeNumber(allow_none=True, load_default=None, validate=validate.Range(min=1, max=600))
    contraindications = fields.List(fields.String(validate=_one_of(CONTRAINDICATIONS)), load_default=list)
    cautions = fields.List(fields.String(validate=_one_of(CONTRAINDICATIONS)), load_default=list)
    allergens = fields.List(fields.String(validate=_one_of(ALLERGENS)), load_default=list)
    comedogenic = WholeNumber(allow_none=True, load_default=None, validate=validate.Range(min=0, max=5))
    solid_below_c = _finite_number(allow_none=True, load_default=None, validate=validate.Range(min=-50, max=100))
    sources = fields.List(
        fields.String(validate=[validate.Length(1, 300), PlainText()]),
        required=True,
        error_messages=REQUIRED,
        validate=validate.Length(min=1),
        metadata={"description": "Source keys or URLs for every figure in the entry"},
    )

    @validates_schema
    def carrier_fields(self, data, **kwargs):
        if data.get("kind") == "essential":
            errors = {}
            for name in ("comedogenic", "solid_below_c"):
                if data.get(name):
                    errors[name] = ["only carrier oils carry this field"]
            if errors:
                raise ValidationError(errors)
        for name in ("contraindications", "cautions", "allergens", "sources"):
            values = data.get(name) or []
            if len(values) != len(set(values)):
                raise ValidationError({name: ["lists each code once"]})


SOURCE_KEY_PATTERN = r"^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$"


class SourceEntrySchema(Document):
    """A source as a catalog file gives it, under its key: what it is, who wrote it, where to read it."""

    class Meta:
        unknown = RAISE
        ordered = True

    key = fields.String(
        required=True,
        error_messages=REQUIRED,
        validate=[
            validate.Length(1, 60),
            WholeMatch(SOURCE_KEY_PATTERN, error="must be letters and digits, with '-', '.' or '_' between, e.g. 'TY'"),
        ],
    )
    title = fields.String(required=True, error_messages=REQUIRED, validate=[validate.Length(1, 500), PlainText()])
    publisher = fields.String(
        allow_none=True, load_default=None, validate=[validate.Length(max=500), PlainText(blank=True)]
    )
    url = fields.String(
        allow_none=True,
        load_default=None,
        validate=[
            validate.Length(max=1000),
            PlainText(),
            validate.URL(
                schemes={"http", "https"}, error="must be an http or https address, e.g. 'https://example.org/page'"
            ),
        ],
    )
    citation = fields.String(
        allow_none=True, load_default=None, validate=[validate.Length(max=4000), PlainText(lines=True, blank=True)]
    )


# ---- API ----------------------------------------------------------------------------------------


class ProblemSchema(Document):
    """An RFC 9457 problem document (``application/problem+json``)."""

    type = fields.String(metadata={"example": "/problems/invalid-request"})
    title = fields.String(metadata={"example": "Invalid request"})
    status = fields.Integer(metadata={"example": 422})
    detail = fields.String(metadata={"example": "amount: could not read 'thirty' as an amount"})
    errors = fields.Dict(
        metadata={
            "description": "What was wrong with each field (invalid input)",
            "example": {"amount": ["could not read 'thirty' as an amount"]},
        }
    )
    warnings = fields.List(
        fields.Nested(WarningSchema), metadata={"description": "Why the blend was refused (unsafe blend)"}
    )
    slug = fields.String(metadata={"description": "The oil a conflict is about (409)", "example": "lavender"})
    current_version = fields.Integer(
        metadata={"description": "The oil's version now, when a change proposed on an older one is approved (409)"}
    )
    recipes = fields.List(
        fields.String(), metadata={"description": "The shipped recipes that use an oil that cannot be deleted (409)"}
    )


class HealthSchema(Document):
    status = fields.String(required=True, metadata={"example": "ok"})
    database = fields.String(required=True, metadata={"example": "ok"})
    catalog_version = fields.Integer(metadata={"description": "Goes up with every catalog write"})


class OilQuerySchema(Document):
    """Filters of ``GET /api/v1/oils``."""

    kind = fields.String(validate=_one_of(("carrier", "essential")), metadata={"example": "essential"})
    q = fields.String(
        validate=validate.Length(1, 100),
        metadata={"description": "Search in slug, name and botanical name (case-insensitive)", "example": "lav"},
    )


class RecipeOilSchema(Document):
    oil = fields.String(required=True, metadata={"example": "lavender"})
    parts = fields.Float(required=True, metadata={"example": 2})


class RecipeSchema(Document):
    """A shipped recipe at its base batch (``blends/<slug>.toml``)."""

    slug = fields.String(required=True, metadata={"example": "diabetic-foot-care"})
    name = fields.String(required=True)
    description = fields.String()
    carrier = fields.String(required=True, metadata={"example": "avocado"})
    amount = fields.String(required=True, metadata={"example": "2 fl oz"})
    amount_of = fields.String(validate=_one_of(("blend", "carrier")))
    dilution = fields.Raw(allow_none=True, metadata={"description": "'1%', a number (percent) or drops per volume"})
    use = fields.String(validate=_one_of(USES))
    profile = fields.Dict(metadata={"description": "The person the recipe is designed for"})
    tags = fields.List(fields.String())
    oils = fields.List(fields.Nested(RecipeOilSchema), required=True)


class ScaledRecipeSchema(RecipeSchema):
    """A recipe with its blend calculated for the requested batch and person."""

    blend = fields.Nested(BlendResultSchema, required=True)


class RecipeQuerySchema(Document):
    """How to scale a recipe: a batch in any unit, a use, measuring conventions, and optionally another person.

    The person's fields are added to the recipe's own profile (the person it was written for); the strictest wins.
    """

    amount = fields.String(
        validate=validate.Length(1, 100),
        metadata={"description": "Batch size with its unit (default: the recipe's)", "example": "4 fl oz"},
    )
    amount_of = fields.String(validate=_one_of(("blend", "carrier")))
    use = fields.String(validate=_one_of(USES))
    on_limit = fields.String(validate=_one_of(("reject", "cap")))
    drops_per_ml = _finite_number(validate=validate.Range(min=5, max=100), metadata={"example": 20})
    teaspoon = fields.String(validate=_one_of(("metric", "us")))
    age_years = _finite_number(validate=validate.Range(min=0, max=130), metadata={"example": 70})
    pregnant = QueryBoolean()
    skin = fields.String(validate=_one_of(SKIN_TYPES))
    conditions = fields.List(fields.String(validate=_one_of(CONDITIONS)), validate=validate.Length(max=12))
    allergies = fields.List(
        fields.String(validate=_one_of(ALLERGIES)), validate=validate.Length(max=len(ALLERGIES) * 2)
    )
    sun_exposure = QueryBoolean()


class RuleSchema(Document):
    id = fields.String(required=True, metadata={"example": "use_massage"})
    label = fields.String(required=True)
    max_percent = fields.Float(required=True)
    use = fields.String()
    pregnant = fields.Boolean()
    age_from_years = fields.Float()
    age_below_years = fields.Float()
    skin = fields.List(fields.String())
    conditions = fields.List(fields.String())
    recommended = fields.String()
    note = fields.String()
    sources = fields.List(fields.String())


class SourceSchema(Document):
    """A source that catalog figures and dilution rules cite by key."""

    key = fields.String(required=True, metadata={"example": "TY"})
    title = fields.String(required=True, metadata={"example": "Essential Oil Safety, 2nd edition"})
    publisher = fields.String(allow_none=True, metadata={"description": "Author and/or organisation"})
    url = fields.String(allow_none=True, metadata={"description": "Where to read it, when it is online"})
    citation = fields.String(allow_none=True, metadata={"description": "Full citation (books and papers)"})


class RulesDocumentSchema(Document):
    rules = fields.List(fields.Nested(RuleSchema), required=True)
    ages = fields.Dict(metadata={"description": "Age thresholds for the child warnings"})


class UnitsDocumentSchema(Document):
    volume_units = fields.Dict(required=True, metadata={"description": "Canonical unit -> mL and spellings"})
    convention_units = fields.Dict(required=True)
    other_units = fields.String()
    max_amount_ml = fields.Float()
    conventions = fields.Dict(required=True)


class OilRevisionSchema(Document):
    """One change to a catalog entry."""

    id = fields.Integer(required=True)
    oil = fields.String(attribute="oil_slug", required=True, metadata={"example": "lavender"})
    version = fields.Integer(
        attribute="oil_version", allow_none=True, metadata={"description": "Entry version after the change"}
    )
    action = fields.String(required=True, metadata={"example": "update"})
    changes = fields.Dict(metadata={"description": "Each changed field: [old value, new value]"})
    author = fields.String(required=True, metadata={"description": "User name, or 'seed'/'import'"})
    comment = fields.String()
    source = fields.String(allow_none=True, metadata={"description": "Source key the change cites"})
    before = fields.Dict(allow_none=True, metadata={"description": "The whole entry before (null when created)"})
    after = fields.Dict(allow_none=True, metadata={"description": "The whole entry after (null when deleted)"})
    pending_id = fields.Integer(allow_none=True, metadata={"description": "The pending change it concerns"})
    created_at = fields.DateTime(required=True)


# ---- editing ------------------------------------------------------------------------------------

CHANGE_FIELDS = ("source", "comment")


class ChangeNoteSchema(Document):
    """Why a change is made: the source it rests on and a comment, sent beside the entry's fields."""

    source = fields.String(
        allow_none=True,
        load_default=None,
        validate=[validate.Length(1, 60), PlainText()],
        metadata={
            "description": "Key of the source registry (GET /api/v1/sources) that backs the change; required for a "
            "change to a safety figure or a new oil by an editor",
            "example": "TY",
        },
    )
    comment = fields.String(load_default="", validate=[validate.Length(max=500), PlainText(lines=True, blank=True)])


class OilWriteSchema(OilSchema, ChangeNoteSchema):
    """A whole catalog entry (as ``OilSchema`` validates it everywhere) with the change's source and comment."""


class OilPatchSchema(ChangeNoteSchema):
    """Some fields of an entry: they are laid over the current entry, and the result is validated as a whole."""

    class Meta:
        unknown = INCLUDE


class CommentSchema(Document):
    """A comment and nothing else: the body of a review, the query of a delete."""

    comment = fields.String(load_default="", validate=[validate.Length(max=500), PlainText(lines=True, blank=True)])


class PendingChangeSchema(Document):
    """A change waiting for (or past) review by an admin other than its author."""

    id = fields.Integer(required=True)
    oil = fields.String(attribute="oil_slug", required=True)
    action = fields.String(required=True, metadata={"description": "create (a new oil) or update"})
    status = fields.String(required=True, metadata={"description": "pending, approved or rejected"})
    entry = fields.Dict(required=True, metadata={"description": "The whole entry as proposed"})
    changes = fields.Dict(metadata={"description": "Each changed field: [approved value, proposed value]"})
    base_version = fields.Integer(allow_none=True, metadata={"description": "The entry version it was made on"})
    source = fields.String(required=True)
    comment = fields.String()
    author = fields.String(required=True)
    reviewer = fields.String(allow_none=True)
    review_comment = fields.String()
    created_at = fields.DateTime(required=True)
    reviewed_at = fields.DateTime(allow_none=True)
