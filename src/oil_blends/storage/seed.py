"""Loading catalog documents (the shipped ``oils.json`` or an import file) into the database."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from marshmallow import ValidationError

from oil_blends.documents.catalog import catalog_document, source_registry
from oil_blends.documents.schemas import OilSchema, SourceEntrySchema
from oil_blends.extensions import db
from oil_blends.storage.models import CatalogVersion
from oil_blends.storage.oils import (
    CATALOG_ROW,
    SEED_AUTHOR,
    all_entries,
    save_entries,
    save_sources,
    slugs_edited_by_people,
    source_entries,
)


class CatalogError(ValueError):
    """A catalog document that cannot be loaded; ``problems`` names each bad entry (the message joins them)."""

    def __init__(self, *problems: str):
        super().__init__("; ".join(problems))
        self.problems = problems


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
        raise CatalogError(*lines) from None
    slugs = [entry["slug"] for entry in loaded]
    duplicates = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if duplicates:
        raise CatalogError(f"duplicate slugs: {', '.join(duplicates)}")
    return loaded


def load_catalog(document: Any, *, author: str) -> tuple[int, int]:
    """Validate a whole document, then create or update its oils and sources in one transaction."""
    entries, sources = _validated(document, document.get("sources") if isinstance(document, Mapping) else None)
    try:
        save_sources(sources)
        counts = save_entries(entries, author=author)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return counts


SOURCES_ASKED = '"sources" must map each key to {"title", "publisher", "url", "citation"} (or to its title)'


def validated_sources(sources: Any) -> dict[str, dict[str, Any]]:
    """A document's ``"sources"`` (key -> entry, or key -> title, an older export's form), each checked by
    ``SourceEntrySchema``: plain text, an http(s) address, lengths the database holds. An entry gives every field
    (one left out is stored empty); a title alone gives only the title."""
    if sources is None:
        return {}
    if not isinstance(sources, Mapping):
        raise CatalogError(SOURCES_ASKED)
    schema = SourceEntrySchema()
    loaded, problems = {}, []
    for key, entry in sources.items():
        given = {"title": entry} if isinstance(entry, str) else entry
        if not isinstance(given, Mapping) or "key" in given:
            problems.append(f"source {key!r}: {SOURCES_ASKED}")
            continue
        try:
            fields = schema.load({"key": key, **given})
        except ValidationError as error:
            problems.append(f"source {key!r}: {error.messages}")
            continue
        del fields["key"]
        # a title alone (an older export's form) changes the title, and keeps what else is stored of the source
        loaded[key] = {"title": fields["title"]} if isinstance(entry, str) else fields
    if problems:
        raise CatalogError(*problems)
    return loaded


def catalog_problems() -> list[str]:
    """What in the stored catalog today's rules refuse, one line per bad oil or source (values stored before a rule
    was added, or written past the app): empty when every entry would be accepted as it is."""
    try:
        _validated(all_entries(), source_entries())
    except CatalogError as error:
        return list(error.problems)
    return []


def _validated(oils: Any, sources: Any) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """:func:`validated_entries` and :func:`validated_sources` of a document, refusing every bad oil and source at
    once."""
    problems: list[str] = []
    entries: list[dict[str, Any]] = []
    loaded: dict[str, dict[str, Any]] = {}
    try:
        entries = validated_entries(oils)
    except CatalogError as error:
        problems.extend(error.problems)
    try:
        loaded = validated_sources(sources)
    except CatalogError as error:
        problems.extend(error.problems)
    if problems:
        raise CatalogError(*problems)
    return entries, loaded


def shipped_document() -> dict[str, Any]:
    """The catalog this release ships: every source of the registry and every oil of ``oils.json``."""
    return {"sources": source_registry(), "oils": catalog_document()["oils"]}


def shipped_digest(document: Mapping[str, Any]) -> str:
    """A fingerprint of a shipped catalog document, stored to tell whether a release changed it."""
    text = json.dumps(document, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def seed_if_new() -> bool:
    """Seed the shipped catalog once, into a database that has never been seeded."""
    if db.session.get(CatalogVersion, CATALOG_ROW) is not None:
        return False
    document = shipped_document()
    db.session.add(CatalogVersion(id=CATALOG_ROW, version=1, shipped_digest=shipped_digest(document)))
    load_catalog(document, author=SEED_AUTHOR)
    return True


def apply_shipped_corrections() -> tuple[tuple[int, int], list[str]] | None:
    """Bring a database seeded by an earlier release up to this release's shipped catalog.

    Safety corrections must reach existing installations: new oils and sources are added, and every oil that
    no person has edited (all its revisions come from the seed) takes the shipped entry. Oils an editor or an
    import changed are left as they are and returned, so the start-up log can name them. Returns None when the
    shipped catalog is the one already applied.
    """
    row = db.session.get(CatalogVersion, CATALOG_ROW)
    document = shipped_document()
    digest = shipped_digest(document)
    if row is None or row.shipped_digest == digest:
        return None
    edited = slugs_edited_by_people()
    entries = [entry for entry in validated_entries(document) if entry["slug"] not in edited]
    try:
        save_sources(validated_sources(document["sources"]))
        counts = save_entries(entries, author=SEED_AUTHOR)
        row.shipped_digest = digest
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return counts, sorted(edited & {entry["slug"] for entry in document["oils"]})
