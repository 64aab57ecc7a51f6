"""The database tables: the oil catalog with its revision trail, editors and their tokens."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from oil_blends.extensions import db

ROLES = ("editor", "admin")
MAX_KEY = 2**31 - 1  # the largest key an INTEGER column holds (PostgreSQL): a larger number names no row
LIST_FIELDS = ("contraindications", "cautions", "allergens", "sources")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and read back timezone-aware, also from SQLite (which drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        return value.astimezone(UTC) if value is not None and value.tzinfo else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


class Oil(db.Model):
    """A catalog entry (carrier or essential oil); columns mirror ``schemas.OilSchema``."""

    __tablename__ = "oils"
    __table_args__ = (CheckConstraint("kind IN ('carrier', 'essential')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    botanical_name: Mapped[str | None] = mapped_column(String(200))
    variant: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    drops_per_ml: Mapped[float | None]
    max_dermal_percent: Mapped[float | None]
    max_dermal_reason: Mapped[str | None] = mapped_column(String(300))
    phototoxic_max_percent: Mapped[float | None]
    sensitizer: Mapped[bool] = mapped_column(default=False)
    oxidizes: Mapped[bool] = mapped_column(default=False)
    shelf_life_months: Mapped[int | None]
    contraindications: Mapped[list[str]] = mapped_column(JSON, default=list)
    cautions: Mapped[list[str]] = mapped_column(JSON, default=list)
    allergens: Mapped[list[str]] = mapped_column(JSON, default=list)
    comedogenic: Mapped[int | None]
    solid_below_c: Mapped[float | None]
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Bumped by every write; an UPDATE that finds another version loses (no lost edits).
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Oil {self.slug}>"


class OilRevision(db.Model):
    """One change to one oil: who made it, when, and each field's old and new value."""

    __tablename__ = "oil_revisions"
    __table_args__ = (Index("ix_oil_revisions_slug_created", "oil_slug", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    oil_id: Mapped[int | None] = mapped_column(ForeignKey("oils.id", ondelete="SET NULL"), index=True)
    oil_slug: Mapped[str] = mapped_column(String(60))
    oil_version: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(20))  # create | update | delete | propose | approve | reject
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # field -> [old, new]
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the whole entry before, None when created
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the whole entry after, None when deleted
    source: Mapped[str | None] = mapped_column(String(60))  # the registry key the change cites
    pending_id: Mapped[int | None]  # the pending change this revision proposed, approved or rejected
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    author: Mapped[str] = mapped_column(String(80))  # the user name at the time, or "import"
    comment: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User | None] = relationship()


class PendingChange(db.Model):
    """A change to an oil's safety figures (or a new oil) by an editor, held until an admin approves it."""

    __tablename__ = "pending_changes"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="status"),
        CheckConstraint("action IN ('create', 'update')", name="action"),
        Index("ix_pending_changes_slug_status", "oil_slug", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    oil_slug: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(20))  # create | update
    entry: Mapped[dict[str, Any]] = mapped_column(JSON)  # the whole entry as proposed
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # field -> [approved value, proposed]
    base_version: Mapped[int | None]  # the oil's version the change was made on (None for a new oil)
    source: Mapped[str] = mapped_column(String(60))
    comment: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author: Mapped[str] = mapped_column(String(80))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewer: Mapped[str | None] = mapped_column(String(80))
    review_comment: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class User(db.Model):
    """An editor or admin; the password is stored only as a hash."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('editor', 'admin')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="editor")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Moves on at every logout: a web session holds the number it began at, so logging out ends every session
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")

    tokens: Mapped[list[Token]] = relationship(back_populates="user", cascade="all, delete-orphan")


class Token(db.Model):
    """A bearer token for an editor's app; only its hash is stored."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="tokens")


class Source(db.Model):
    """A reference that catalog figures and rules cite by key (``oils.sources``); see ``data/sources.toml``."""

    __tablename__ = "sources"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    title: Mapped[str | None] = mapped_column(String(500))
    publisher: Mapped[str | None] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(1000))
    citation: Mapped[str | None] = mapped_column(Text)


class CatalogVersion(db.Model):
    """One row whose number goes up with every oil write, so every instance can tell its cache is stale."""

    __tablename__ = "catalog_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Digest of the shipped catalog last applied, so a release's corrections reach an existing database.
    shipped_digest: Mapped[str | None] = mapped_column(String(64))
