"""Loading catalog documents (the shipped ``oils.json`` or an import file) into the database."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import ValidationError

from oil_blends.catalog import catalog_document
from oil_blends.extensions import db
from oil_blends.schemas import OilSchema
from oil_blends.storage.models import CatalogVersion
from oil_blends.storage.oils import CATALOG_ROW, save_entries, save_sources


class CatalogError(ValueError):
    """A catalog document that cannot be loaded; the message names each bad entry."""


def validated_entries(document: Any) -> list[dict[str, Any]]:
    """Entries of ``{"oils": [...]}`` (or a bare list), each checked by ``OilSchema``; slugs must be unique."""
    entries = document.get("oils") if isinstance(document, Mapping) else document
    if not isinstance(entries, list):
        raise CatalogError('expected {"oils": [...]} or a list of oil entries')
    try:
        loaded = OilSchema(many=True).load(entries)
    except ValidationError as error:
        lines = []
        for index, messages in sorted(error.messages.items(), key=lambda item: str(item[0])):
            slug = entries[index].get("slug") if isinstance(index, int) and isinstance(entries[index], dict) else None
            lines.append(f"oil {index} ({slug or 'no slug'}): {messages}")
        raise CatalogError("; ".join(lines)) from None
    slugs = [entry["slug"] for entry in loaded]
    duplicates = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if duplicates:
        raise CatalogError(f"duplicate slugs: {', '.join(duplicates)}")
    return loaded


def load_catalog(document: Any, *, author: str) -> tuple[int, int]:
    """Validate a whole document, then create or update its oils and sources in one transaction."""
    entries = validated_entries(document)
    sources = document.get("sources") if isinstance(document, Mapping) else None
    if sources is not None and not (
        isinstance(sources, Mapping) and all(isinstance(v, str) for v in sources.values())
    ):
        raise CatalogError('"sources" must map each key to its citation text')
    try:
        if sources:
            save_sources(sources)
        counts = save_entries(entries, author=author)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return counts


def seed_if_new() -> bool:
    """Seed the shipped catalog once, into a database that has never been seeded."""
    if db.session.get(CatalogVersion, CATALOG_ROW) is not None:
        return False
    db.session.add(CatalogVersion(id=CATALOG_ROW, version=1))
    load_catalog(catalog_document(), author="seed")
    return True
