"""The pure domain: dilution limits, drop allocation, safety warnings. No Flask, no SQL, no files."""

from oil_blends.engine.allocation import allocate_drops
from oil_blends.engine.calculate import calculate
from oil_blends.engine.check import check_blend
from oil_blends.engine.errors import BatchTooSmall, BlendError, InvalidBlend, UnsafeBlend
from oil_blends.engine.lookup import suggest_slugs
from oil_blends.engine.model import (
    BlendRequest,
    BlendResult,
    CheckRequest,
    CheckResult,
    Conventions,
    Dilution,
    Oil,
    OilDrops,
    OilPart,
    Profile,
    Warning,
)
from oil_blends.engine.rules import RuleSet, effective_max_percent

__all__ = [
    "BatchTooSmall",
    "BlendError",
    "BlendRequest",
    "BlendResult",
    "CheckRequest",
    "CheckResult",
    "Conventions",
    "Dilution",
    "InvalidBlend",
    "Oil",
    "OilDrops",
    "OilPart",
    "Profile",
    "RuleSet",
    "UnsafeBlend",
    "Warning",
    "allocate_drops",
    "calculate",
    "check_blend",
    "effective_max_percent",
    "suggest_slugs",
]
