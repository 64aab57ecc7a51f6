"""Why the engine refuses a request."""

from __future__ import annotations

from oil_blends.engine.model import Warning


class BlendError(Exception):
    """Base class of the engine's refusals."""


class InvalidBlend(BlendError):
    """The request names things the catalog does not have, or combines them wrongly.

    ``errors`` maps field names to messages, nested like marshmallow's (``{"oils": {0: {"oil": [...]}}}``).
    """

    def __init__(self, errors: dict):
        super().__init__("invalid blend request")
        self.errors = errors


class UnsafeBlend(BlendError):
    """The blend breaks a safety rule; ``warnings`` holds every warning, the dangers first."""

    def __init__(self, warnings: tuple[Warning, ...]):
        self.warnings = warnings
        dangers = [w.message for w in warnings if w.severity == "danger"]
        super().__init__(" ".join(dangers) or "unsafe blend")


class BatchTooSmall(UnsafeBlend):
    """Whole drops leave the blend with no essential oil at all: it cannot be made at this amount."""
