"""Shared builders for the engine tests (plain functions, no Flask)."""

from __future__ import annotations

from typing import Any

from oil_blends.documents.calculator import calculate_document
from oil_blends.documents.catalog import shipped_oils
from oil_blends.documents.problems import Problem


def request(oils: Any = ("lavender",), **fields: Any) -> dict[str, Any]:
    """A request document: ``oils`` as slugs or (slug, parts) pairs; other fields as given."""
    items = []
    for oil in oils:
        slug, parts = (oil, 1) if isinstance(oil, str) else oil
        items.append({"oil": slug, "parts": parts})
    document = {"carrier": "jojoba", "amount": "30 mL", "oils": items}
    document.update(fields)
    return document


def blend(oils: Any = ("lavender",), **fields: Any) -> dict[str, Any]:
    return calculate_document(request(oils, **fields), shipped_oils())


def refusal(oils: Any = ("lavender",), **fields: Any) -> dict[str, Any]:
    """The problem document of a request that must be refused."""
    try:
        result = calculate_document(request(oils, **fields), shipped_oils())
    except Problem as problem:
        return problem.to_dict()
    raise AssertionError(f"expected a refusal, got {result}")


def codes(document: dict[str, Any]) -> dict[tuple[str, str | None], str]:
    """{(code, oil): severity} for every warning in a result or problem document."""
    return {(w["code"], w["oil"]): w["severity"] for w in document["warnings"]}


def drops(document: dict[str, Any]) -> dict[str, int]:
    return {item["oil"]: item["drops"] for item in document["essential_oils"]}
