"""RFC 9457 problem documents, shared by the JSON API and the command line."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

from oil_blends.engine.model import Warning

PROBLEM_CONTENT_TYPE = "application/problem+json"
INVALID_REQUEST = "/problems/invalid-request"
UNSAFE_BLEND = "/problems/unsafe-blend"
BATCH_TOO_SMALL = "/problems/batch-too-small"


class Problem(Exception):
    """An error to report to the caller as ``application/problem+json``."""

    def __init__(self, status: int, detail: str, *, title: str | None = None, type: str = "about:blank", **extra: Any):
        super().__init__(detail)
        self.status = status
        self.title = title or HTTPStatus(status).phrase
        self.detail = detail
        self.type = type
        self.extra = extra

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "title": self.title, "status": self.status, "detail": self.detail, **self.extra}


def flatten_errors(errors: Mapping, prefix: str = "") -> list[str]:
    """``{"oils": {0: {"oil": ["unknown"]}}}`` -> ``["oils.0.oil: unknown"]``."""
    lines: list[str] = []
    for key, value in errors.items():
        if key == "_schema":  # marshmallow's key for errors about the object itself
            path = prefix or "body"
        else:
            path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping):
            lines += flatten_errors(value, path)
        elif isinstance(value, list | tuple):
            for item in value:
                if isinstance(item, Mapping):
                    lines += flatten_errors(item, path)
                else:
                    lines.append(f"{path}: {item}")
        else:
            lines.append(f"{path}: {value}")
    return lines


def _jsonable_errors(errors: Any, root: bool = True) -> Any:
    if isinstance(errors, Mapping):
        return {("body" if root and k == "_schema" else str(k)): _jsonable_errors(v, False) for k, v in errors.items()}
    if isinstance(errors, list | tuple):
        return [_jsonable_errors(v, False) for v in errors]
    return errors


def invalid_request(errors: Mapping, status: int = 422) -> Problem:
    """The request is malformed: ``errors`` maps each field to what was wrong with it."""
    lines = flatten_errors(errors)
    return Problem(
        status,
        "; ".join(lines) or "the request is not valid",
        title="Invalid request",
        type=INVALID_REQUEST,
        errors=_jsonable_errors(errors),
    )


def warning_document(warning: Warning) -> dict[str, Any]:
    return {"code": warning.code, "severity": warning.severity, "oil": warning.oil, "message": warning.message}


def unsafe_blend(warnings: Iterable[Warning], *, too_small: bool = False) -> Problem:
    """The blend is refused: every danger warning says why; the others are returned too.

    ``too_small``: not unsafe but impossible, as whole drops leave no essential oil in the batch.
    """
    warnings = list(warnings)
    dangers = [w.message for w in warnings if w.severity == "danger"]
    return Problem(
        422,
        " ".join(dangers),
        title="Batch too small" if too_small else "Unsafe blend",
        type=BATCH_TOO_SMALL if too_small else UNSAFE_BLEND,
        warnings=[warning_document(w) for w in warnings],
    )
