"""Plain objects the engine takes and returns: no Flask, no SQL, no pint.

Two kinds. Catalog entries (:class:`Oil`), people (:class:`Profile`) and measuring conventions are values shared
between requests and used as keys: frozen. The records of one calculation (its request, plan, drops and
result) are built once per request and only read afterwards: slotted dataclasses, which are cheaper to build than
frozen ones (a frozen dataclass sets each field through ``object.__setattr__``), and a calculation builds a score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

Kind = Literal["carrier", "essential"]
Use = Literal["massage", "face", "small_area"]
Skin = Literal["normal", "sensitive", "damaged"]
Severity = Literal["info", "caution", "danger"]
OnLimit = Literal["reject", "cap"]
AmountOf = Literal["blend", "carrier"]

USES = ("massage", "face", "small_area")
SKIN_TYPES = ("normal", "sensitive", "damaged")
CONDITIONS = (
    "neuropathy",
    "diabetes",
    "epilepsy",
    "anticoagulants",
    "g6pd",
    "asthma",
    "cardiac_fibrillation",
)
# What an oil can be an allergen as, and what a person can list; "aspirin" is read as a salicylate allergy.
ALLERGENS = ("tree_nut", "peanut", "coconut", "asteraceae", "salicylate")
ALLERGIES = (*ALLERGENS, "aspirin")
ALLERGY_ALIASES = {"aspirin": "salicylate"}
# Codes an oil lists as contraindications (refuse) or cautions (warn); the ages of the child codes are in the
# rules file ([ages]), so a code names the restriction and the rules hold the number.
CHILD_AGE_CODES = ("child_never", "child_under_5", "child_under_30_months", "child_under_2")
CONDITION_CODES = ("epilepsy", "anticoagulants", "g6pd", "asthma", "cardiac_fibrillation")
CONTRAINDICATIONS = (
    "pregnancy",
    *CHILD_AGE_CODES,
    "child_face_under_10",
    "damaged_skin",
    *CONDITION_CODES,
)
SEVERITIES = ("info", "caution", "danger")
MAX_OILS = 12
MAX_BATCH_ML = 20_000.0  # 20 L: more than any massage-oil batch; beyond it is a typo
US_FL_OZ_ML = 29.5735295625  # exact, by definition of the US fluid ounce
METRIC_TSP_ML = 5.0


@dataclass(frozen=True)
class Oil:
    """A catalog entry as the engine sees it (carrier or essential oil)."""

    slug: str
    name: str
    kind: Kind
    botanical_name: str | None = None
    variant: str | None = None
    drops_per_ml: float | None = None
    max_dermal_percent: float | None = None
    max_dermal_reason: str | None = None
    phototoxic_max_percent: float | None = None
    sensitizer: bool = False
    oxidizes: bool = False
    shelf_life_months: int | None = None
    contraindications: tuple[str, ...] = ()
    cautions: tuple[str, ...] = ()
    allergens: tuple[str, ...] = ()
    comedogenic: int | None = None
    solid_below_c: float | None = None

    @property
    def phototoxic(self) -> bool:
        return self.phototoxic_max_percent is not None

    @cached_property
    def coded(self) -> tuple[tuple[str, Severity], ...]:
        """Each of the oil's codes with its severity: contraindications refuse, cautions warn (worked out once)."""
        coded: list[tuple[str, Severity]] = [(code, "danger") for code in self.contraindications]
        coded += [(code, "caution") for code in self.cautions if code not in self.contraindications]
        return tuple(coded)


@dataclass(frozen=True)
class Profile:
    """The person the blend is for. ``sun_exposure=None`` means "may be in the sun"."""

    age_years: float | None = None
    pregnant: bool = False
    skin: Skin = "normal"
    conditions: tuple[str, ...] = ()
    allergies: tuple[str, ...] = ()
    sun_exposure: bool | None = None

    @property
    def sun_possible(self) -> bool:
        return self.sun_exposure is not False

    @property
    def reduced_sensation(self) -> bool:
        return "neuropathy" in self.conditions or "diabetes" in self.conditions

    def allergic_to(self, allergen: str) -> bool:
        """Whether the person listed this allergen (an aspirin allergy counts as a salicylate allergy)."""
        return any(ALLERGY_ALIASES.get(allergy, allergy) == allergen for allergy in self.allergies)


@dataclass(frozen=True)
class Conventions:
    """Measuring conventions; ``drops_per_ml=None`` means the standard 20 unless an oil says otherwise."""

    drops_per_ml: float | None = None
    teaspoon: Literal["metric", "us"] = "metric"

    DEFAULT_DROPS_PER_ML = 20.0

    @property
    def dropper(self) -> float:
        """Drops per mL used for conversions that concern no oil in particular."""
        return self.drops_per_ml if self.drops_per_ml is not None else self.DEFAULT_DROPS_PER_ML

    @property
    def teaspoon_ml(self) -> float:
        """Millilitres in a teaspoon: 5 (metric) or 4.92892159375 (US, 1/6 US fl oz)."""
        return US_FL_OZ_ML / 6 if self.teaspoon == "us" else METRIC_TSP_ML

    def drops_per_ml_for(self, oil: Oil) -> float:
        """The request's dropper wins, then the oil's own drop size, then the standard 20."""
        if self.drops_per_ml is not None:
            return self.drops_per_ml
        if oil.drops_per_ml is not None:
            return oil.drops_per_ml
        return self.DEFAULT_DROPS_PER_ML


STANDARD_CONVENTIONS = Conventions()  # a request that gives none: one shared value, so memo keys match at once


@dataclass(slots=True)
class OilPart:
    oil: str
    parts: float = 1.0


@dataclass(slots=True)
class Dilution:
    """A requested dilution as percent of the finished blend, with the text it was given as."""

    percent: float
    text: str


@dataclass(slots=True)
class BlendRequest:
    """A validated calculation request; ``amount_ml`` is already converted from the user's unit."""

    carrier: str
    amount_ml: float
    oils: tuple[OilPart, ...]
    amount_text: str = ""
    amount_unit: str = "mL"
    amount_unit_ml: float = 1.0
    amount_of: AmountOf = "blend"
    dilution: Dilution | None = None
    use: Use = "massage"
    profile: Profile = field(default_factory=Profile)
    conventions: Conventions = field(default_factory=Conventions)
    on_limit: OnLimit = "reject"


@dataclass(slots=True)
class Warning:  # noqa: A001 - the domain word; never used alongside the builtin
    code: str
    severity: Severity
    message: str
    oil: str | None = None


@dataclass(slots=True)
class OilAmount:
    oil: str
    name: str
    parts: float
    drops: int
    ml: float
    percent: float
    ideal_drops: float
    drops_per_ml: float


@dataclass(slots=True)
class DilutionReport:
    requested_percent: float | None
    target_percent: float
    actual_percent: float
    max_percent: float
    drops_per_tsp: float
    limited_by: tuple[str, ...]


@dataclass(slots=True)
class BlendResult:
    essential_oils: tuple[OilAmount, ...]
    total_drops: int
    carrier: Oil
    carrier_ml: float
    blend_ml: float
    dilution: DilutionReport
    conventions: Conventions
    teaspoon_ml: float
    capped: bool
    warnings: tuple[Warning, ...]
    amount_of: AmountOf = "blend"
    amount_text: str = ""


# ---- checking a blend already made -----------------------------------------------------------------

Verdict = Literal["safe", "too_strong", "not_for_this_person"]


@dataclass(slots=True)
class OilDrops:
    """One essential oil of a blend already made, and the drops of it that went in."""

    oil: str
    drops: int


@dataclass(slots=True)
class CheckRequest:
    """A blend already made: whole drops of each essential oil in ``carrier_ml`` of carrier."""

    carrier: str
    carrier_ml: float
    oils: tuple[OilDrops, ...]
    amount_text: str = ""
    amount_unit: str = "mL"
    amount_unit_ml: float = 1.0
    use: Use = "massage"
    profile: Profile = field(default_factory=Profile)
    conventions: Conventions = field(default_factory=Conventions)


@dataclass(slots=True)
class CheckedOil:
    oil: str
    name: str
    drops: int
    ml: float
    percent: float  # of the finished blend
    drops_per_ml: float
    max_percent: float | None  # the oil's own maximum on skin


@dataclass(slots=True)
class LeaveOut:
    """One oil made again in the same carrier: the drops used, the drops to use, the drops to leave out."""

    oil: str
    name: str
    drops_used: int
    drops: int

    @property
    def leave_out(self) -> int:
        return self.drops_used - self.drops


@dataclass(slots=True)
class Remedy:
    """How a blend that is only too strong becomes safe: more carrier now, or fewer drops next time."""

    carrier_to_add_ml: float  # the least carrier that brings every share within its limit
    percent_after_adding: float
    drops_to_leave_out: tuple[LeaveOut, ...]
    percent_made_again: float  # with the same carrier and the fewer drops
    advice: tuple[str, ...]


@dataclass(slots=True)
class CheckResult:
    carrier: Oil
    carrier_ml: float
    essential_oils: tuple[CheckedOil, ...]
    total_drops: int
    oil_ml: float
    blend_ml: float
    percent: float  # essential oils, percent of the finished blend
    drops_per_tsp: float  # drops per teaspoon of carrier
    max_percent: float  # the person's maximum for the use
    limited_by: tuple[str, ...]  # ids of the rules that set it
    allowed_percent: float  # the most these oils, in these proportions, may make up (oil and sun limits too)
    safe: bool
    verdict: Verdict
    message: str
    warnings: tuple[Warning, ...]
    remedy: Remedy | None
    conventions: Conventions
    teaspoon_ml: float
    amount_text: str = ""
    amount_unit: str = "mL"
    amount_unit_ml: float = 1.0
