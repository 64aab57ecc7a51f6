"""The pure domain: dilution limits, drop allocation, safety warnings. No Flask, no SQL, no files."""

from oil_blends.engine.allocation import allocate_drops
from oil_blends.engine.calculate import calculate
from oil_blends.engine.errors import BatchTooSmall, BlendError, InvalidBlend, UnsafeBlend
from oil_blends.engine.lookup import suggest_slugs
from oil_blends.engine.model import (
    BlendRequest,
    BlendResult,
    Conventions,
    Dilution,
    Oil,
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
    "Conventions",
    "Dilution",
    "InvalidBlend",
    "Oil",
    "OilPart",
    "Profile",
    "RuleSet",
    "UnsafeBlend",
    "Warning",
    "allocate_drops",
    "calculate",
    "effective_max_percent",
    "suggest_slugs",
]
