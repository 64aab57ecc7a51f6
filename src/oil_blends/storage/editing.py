"""Editing the catalog: every change authenticated by the caller, validated, traceable, never silently lost.

A change to a safety figure by an editor, and a new oil from an editor, wait as a :class:`PendingChange` until an
admin other than its author approves it; calculations keep using the approved entry meanwhile. Other changes, and
an admin's own, apply at once. Every create, update, delete, proposal, approval and rejection leaves an
:class:`OilRevision` with the entry before and after and the source cited.

Lost races: an oil row carries a version (SQLAlchemy's ``version_id_col``); a writer whose UPDATE finds another
version gets :class:`StaleEdit`, never a silent overwrite. A slug that had an oil before goes on from the last
version it reached, so nothing read from a deleted oil (a change proposed on it, an edit form) matches the new
one. A review first marks the change reviewed, only if it is still pending, so of two admins reviewing it at
once one wins and the other is told, before anything else is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from oil_blends.extensions import db
from oil_blends.storage.models import MAX_KEY, Oil, OilRevision, PendingChange, User, utcnow
from oil_blends.storage.oils import ENTRY_FIELDS, add_oil, find_oil, oil_entry

# Fields whose change by an editor waits for an admin: they set limits, refusals and warnings.
SAFETY_FIELDS = (
    "kind",
    "max_dermal_percent",
    "phototoxic_max_percent",
    "contraindications",
    "cautions",
    "allergens",
    "sensitizer",
    "oxidizes",
    "drops_per_ml",
)
ADMIN = "admin"


class EditError(Exception):
    """A change that cannot be made; ``status`` is its HTTP status, the message says why and what to do."""

    status = 409

    def __init__(self, message: str, status: int | None = None, **extra: Any):
        super().__init__(message)
        if status is not None:
            self.status = status
        self.extra = extra


class StaleEdit(EditError):
    """The entry changed since the caller read it (another writer won)."""

    status = 412


class Forbidden(EditError):
    status = 403


class NotFound(EditError):
    status = 404


@dataclass(frozen=True)
class EditOutcome:
    """What a write did: the oil as it now is, or the change waiting for review."""

    oil: Oil | None = None
    pending: PendingChange | None = None

    @property
    def applied(self) -> bool:
        return self.pending is None


def safety_changes(changes: Mapping[str, Any]) -> list[str]:
    return [name for name in SAFETY_FIELDS if name in changes]


def _diff(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> dict[str, list[Any]]:
    before, after = before or {}, after or {}
    return {name: [before.get(name), after.get(name)] for name in ENTRY_FIELDS if before.get(name) != after.get(name)}


def _revision(
    oil: Oil | None,
    slug: str,
    action: str,
    user: User,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    source: str | None,
    comment: str,
    pending: PendingChange | None = None,
) -> OilRevision:
    revision = OilRevision(
        oil_id=oil.id if oil is not None else None,
        oil_slug=slug,
        oil_version=oil.version if oil is not None else None,
        action=action,
        changes=_diff(before, after),
        before=dict(before) if before is not None else None,
        after=dict(after) if after is not None else None,
        source=source,
        comment=comment,
        user_id=user.id,
        author=user.username,
        pending_id=pending.id if pending is not None else None,
    )
    db.session.add(revision)
    return revision


def _commit() -> None:
    _save(db.session.commit)


def _flush() -> None:
    _save(db.session.flush)


def _save(write) -> None:
    """Write, turning a lost race into :class:`StaleEdit` (or :class:`EditError` for a slug taken meanwhile)."""
    try:
        write()
    except StaleDataError:
        db.session.rollback()
        raise StaleEdit("another change to this oil was saved first; read it again and redo your change") from None
    except IntegrityError:
        db.session.rollback()
        raise EditError("an oil with this slug was created at the same time; read it and edit that one") from None


def create_oil(entry: Mapping[str, Any], user: User, source: str, comment: str = "") -> EditOutcome:
    """A new oil: in the catalog at once for an admin, waiting for review for an editor."""
    slug = entry["slug"]
    if find_oil(slug) is not None:
        raise EditError(f"there is already an oil {slug!r}; change it with PUT or PATCH", slug=slug)
    if user.role != ADMIN:
        pending = _hold(None, slug, "create", entry, user, source, comment)
        _commit()
        return EditOutcome(pending=pending)
    oil = add_oil(entry, _flush)
    _revision(oil, slug, "create", user, None, oil_entry(oil), source, comment)
    _commit()
    return EditOutcome(oil=oil)


def update_oil(oil: Oil, entry: Mapping[str, Any], user: User, source: str | None, comment: str = "") -> EditOutcome:
    """Replace ``oil`` (read by the caller at the version it checked) with ``entry``.

    An editor's change to a safety field is held for review as a whole (nothing of it applies until approved);
    any other change applies at once. Raises :class:`StaleEdit` when another writer saved first.
    """
    before = oil_entry(oil)
    if entry["slug"] != oil.slug:
        raise EditError("the slug of an oil cannot change; create the new oil and delete this one", status=422)
    changes = _diff(before, entry)
    if not changes:
        return EditOutcome(oil=oil)
    if user.role != ADMIN and safety_changes(changes):
        if not source:
            raise EditError("a change to a safety figure must cite a source", status=422)
        pending = _hold(oil, oil.slug, "update", entry, user, source, comment)
        _commit()
        return EditOutcome(pending=pending)
    for name in changes:
        setattr(oil, name, entry[name])
    _flush()
    _revision(oil, oil.slug, "update", user, before, oil_entry(oil), source, comment)
    _commit()
    return EditOutcome(oil=oil)


def delete_oil(oil: Oil, user: User, comment: str = "") -> None:
    before = oil_entry(oil)
    slug = oil.slug
    _revision(oil, slug, "delete", user, before, None, None, comment)
    db.session.delete(oil)
    _flush()
    _commit()


def _hold(
    oil: Oil | None, slug: str, action: str, entry: Mapping[str, Any], user: User, source: str, comment: str
) -> PendingChange:
    """Keep ``entry`` as a change to ``oil`` (None for a new oil) waiting for review, with its proposal revision."""
    before = oil_entry(oil) if oil is not None else None
    base_version = oil.version if oil is not None else None
    pending = PendingChange(
        oil_slug=slug,
        action=action,
        entry=dict(entry),
        changes=_diff(before, entry),
        base_version=base_version,
        source=source,
        comment=comment,
        status="pending",
        author_id=user.id,
        author=user.username,
        review_comment="",
    )
    db.session.add(pending)
    _flush()
    _revision(oil, slug, "propose", user, before, entry, source, comment, pending)
    return pending


def pending_changes(slug: str | None = None, status: str | None = "pending") -> list[PendingChange]:
    """The changes waiting for review (of one oil, or all), oldest first."""
    query = select(PendingChange).order_by(PendingChange.created_at, PendingChange.id)
    if slug is not None:
        query = query.where(PendingChange.oil_slug == slug)
    if status is not None:
        query = query.where(PendingChange.status == status)
    return list(db.session.execute(query).scalars())


def find_pending(change_id: int) -> PendingChange | None:
    """The change numbered ``change_id``, or None (also for a number no key can be, which the database refuses)."""
    return db.session.get(PendingChange, change_id) if 0 < change_id <= MAX_KEY else None


def _reviewable(change: PendingChange, user: User) -> None:
    if user.role != ADMIN:
        raise Forbidden(f"reviewing changes needs the admin role; yours is {user.role}")
    if change.status != "pending":
        raise EditError(f"this change was already {change.status} by {change.reviewer}")
    if change.author_id == user.id:
        raise Forbidden("a change to a safety figure must be approved by someone other than its author")


_CHANGED_SINCE = "the oil changed after this change was proposed; reject it and ask for it again on the new entry"


def approve(change: PendingChange, user: User, comment: str = "") -> Oil:
    """Apply a pending change: a different admin's approval. The oil must not have changed since it was made."""
    _reviewable(change, user)
    oil = find_oil(change.oil_slug)
    if change.action == "create":
        if oil is not None:
            raise EditError(f"an oil {change.oil_slug!r} was created meanwhile; reject this and edit that one")
        _close(change, "approved", user, comment)
        oil = add_oil(change.entry, _flush)
        before = None
    else:
        if oil is None:
            raise EditError(f"the oil {change.oil_slug!r} was deleted meanwhile; reject this change")
        if oil.version != change.base_version:
            raise EditError(_CHANGED_SINCE, current_version=oil.version)
        _close(change, "approved", user, comment)
        before = oil_entry(oil)
        for name in ENTRY_FIELDS:
            if before[name] != change.entry[name]:
                setattr(oil, name, change.entry[name])
        try:
            _flush()  # the oil's version is checked in its UPDATE, so an edit saved since the check above wins
        except StaleEdit:
            raise EditError(_CHANGED_SINCE, current_version=find_oil(change.oil_slug).version) from None
    _revision(oil, oil.slug, "approve", user, before, oil_entry(oil), change.source, comment or change.comment, change)
    _commit()
    return oil


def reject(change: PendingChange, user: User, comment: str = "") -> None:
    _reviewable(change, user)
    _close(change, "rejected", user, comment)
    current = find_oil(change.oil_slug)
    _revision(
        current,
        change.oil_slug,
        "reject",
        user,
        oil_entry(current) if current is not None else None,
        change.entry,
        change.source,
        comment,
        change,
    )
    _commit()


def _close(change: PendingChange, status: str, user: User, comment: str) -> None:
    """Mark ``change`` reviewed, the first write of a review: only while it is still pending in the database, so
    when two admins review it at once the second is told who did, and nothing of hers is written."""
    closed = db.session.execute(
        update(PendingChange)
        .where(PendingChange.id == change.id, PendingChange.status == "pending")
        .values(
            status=status,
            reviewer_id=user.id,
            reviewer=user.username,
            review_comment=comment,
            reviewed_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    if closed.rowcount != 1:
        db.session.rollback()
        raise EditError(f"this change was {change.status} by {change.reviewer} meanwhile")
    db.session.refresh(change)
