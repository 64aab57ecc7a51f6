"""Reading and writing catalog entries; every oil write bumps the catalog version in its transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from oil_blends.documents.catalog import SOURCE_FIELDS
from oil_blends.documents.schemas import OilSchema
from oil_blends.extensions import db
from oil_blends.storage.models import LIST_FIELDS, CatalogVersion, Oil, OilRevision, Source, utcnow

ENTRY_FIELDS = tuple(OilSchema().fields)
CATALOG_ROW = 1
SEED_AUTHOR = "seed"  # the author of revisions that load the shipped catalog


def oil_entry(oil: Oil) -> dict[str, Any]:
    """A stored oil as a catalog entry (the shape of ``OilSchema`` and ``data/oils.json``)."""
    entry = {name: getattr(oil, name) for name in ENTRY_FIELDS}
    for name in LIST_FIELDS:
        value = entry[name]
        # a copy of the stored list; anything else stored there (written past the app) stays as it is, for
        # OilSchema to refuse (flask check-catalog), rather than becoming a list of its characters
        entry[name] = [] if value is None else list(value) if isinstance(value, list) else value
    return entry


def find_oil(slug: str) -> Oil | None:
    if "\x00" in slug:  # no slug has one, and PostgreSQL refuses the character in a query
        return None
    return db.session.execute(select(Oil).where(Oil.slug == slug)).scalar_one_or_none()


def catalog_version() -> int:
    """The catalog's version number: one primary-key SELECT."""
    return (
        db.session.execute(select(CatalogVersion.version).where(CatalogVersion.id == CATALOG_ROW)).scalar_one_or_none()
        or 0
    )


def all_entries() -> list[dict[str, Any]]:
    return [oil_entry(oil) for oil in db.session.execute(select(Oil).order_by(Oil.slug)).scalars()]


def source_entries() -> dict[str, dict[str, str | None]]:
    """Every stored source, key -> {title, publisher, url, citation}, in key order."""
    return {
        source.key: {name: getattr(source, name) for name in SOURCE_FIELDS}
        for source in db.session.execute(select(Source).order_by(Source.key)).scalars()
    }


def _changes(oil: Oil, entry: Mapping[str, Any]) -> dict[str, list[Any]]:
    current = oil_entry(oil)
    return {name: [current[name], entry[name]] for name in ENTRY_FIELDS if current[name] != entry[name]}


def slugs_edited_by_people() -> set[str]:
    """Oils with a revision written by anyone but the shipped catalog's seed (an editor or an import)."""
    return set(
        db.session.execute(select(OilRevision.oil_slug).where(OilRevision.author != SEED_AUTHOR).distinct()).scalars()
    )


def add_oil(entry: Mapping[str, Any], flush: Callable[[], None] | None = None) -> Oil:
    """Add the oil ``entry`` describes, its version going on from any earlier oil of the same slug: a change
    proposed on a deleted oil names the version it was made on, and must never match the new oil's.
    ``flush`` writes the new row (default: the session's flush)."""
    oil = Oil(**{name: entry[name] for name in ENTRY_FIELDS})
    db.session.add(oil)
    (flush or db.session.flush)()  # version 1, set by the ORM
    earlier = db.session.scalar(select(func.max(OilRevision.oil_version)).where(OilRevision.oil_slug == oil.slug))
    if earlier is not None:
        db.session.execute(
            update(Oil).where(Oil.id == oil.id).values(version=earlier + 1).execution_options(synchronize_session=False)
        )
        db.session.refresh(oil)
    return oil


def save_entries(entries: Iterable[Mapping[str, Any]], *, author: str) -> tuple[int, int]:
    """Create or update oils by slug from validated entries, with a revision per change: (created, updated)."""
    created = updated = 0
    existing = {oil.slug: oil for oil in db.session.execute(select(Oil)).scalars()}
    for entry in entries:
        oil = existing.get(entry["slug"])
        if oil is None:
            oil = add_oil(entry)
            changes = {name: [None, entry[name]] for name in ENTRY_FIELDS}
            action = "create"
            created += 1
        else:
            changes = _changes(oil, entry)
            if not changes:
                continue
            for name in changes:
                setattr(oil, name, entry[name])
            db.session.flush()
            action = "update"
            updated += 1
        db.session.add(
            OilRevision(
                oil_id=oil.id,
                oil_slug=oil.slug,
                oil_version=oil.version,
                action=action,
                changes=changes,
                author=author,
            )
        )
    return created, updated


def save_sources(sources: Mapping[str, Mapping[str, str | None]]) -> None:
    """Create or update sources by key (entries validated by ``seed.validated_sources``); a field an entry does
    not hold is left as stored."""
    for key, entry in sources.items():
        source = db.session.get(Source, key) or Source(key=key)
        for name in SOURCE_FIELDS:
            if name in entry:
                setattr(source, name, entry[name])
        db.session.add(source)


def _bump_on_oil_write(session: Session, flush_context, instances) -> None:
    """Before a flush that writes an oil, bump the catalog version in the same transaction."""
    if any(isinstance(item, Oil) for item in (*session.new, *session.dirty, *session.deleted)):
        session.connection().execute(
            update(CatalogVersion)
            .where(CatalogVersion.id == CATALOG_ROW)
            .values(version=CatalogVersion.version + 1, changed_at=utcnow())
        )


event.listen(Session, "before_flush", _bump_on_oil_write)
