"""The database on start-up: connection settings, migrations to head, and the first seed.

A serving process loads neither psycopg on SQLite nor Alembic and Flask-Migrate (about 20 MiB together): the
start-up reads the schema's revision with one query and imports them only when a migration has to run; the
``flask`` command line registers Flask-Migrate (its ``flask db`` commands) at start-up.
"""

from __future__ import annotations

import fcntl
import sqlite3
import sys
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import Flask
from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Engine

from oil_blends.extensions import db

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")
# The newest migration's revision; tests/test_lazy_imports.py fails when it is not Alembic's head.
HEAD_REVISION = "0004"
_LOCK_KEY = zlib.crc32(b"oil-blends migrations")  # PostgreSQL advisory lock id


def driver_errors() -> tuple[type[Exception], ...]:
    """What the database drivers raise on their own cursors (the catalog version is read on one).

    sqlite3's, and psycopg's once it is loaded: a PostgreSQL engine imports psycopg when ``db.init_app`` creates
    it, before any error handler is registered or query run, and on SQLite nothing needs it.
    """
    psycopg = sys.modules.get("psycopg")
    return (sqlite3.Error,) if psycopg is None else (sqlite3.Error, psycopg.Error)


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """WAL (readers never block the writer; a committed write survives a crash), foreign keys enforced."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def sqlite_file(engine: Engine) -> str | None:
    """The path of the engine's SQLite file; None for another database or an in-memory one.

    A URI filename (``sqlite:///file:/srv/oils.sqlite3?mode=ro&uri=true``, how SQLite opens a file read-only) is
    the file it names, not a path starting with ``file:``.
    """
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        return None
    if database.startswith("file:") and str(engine.url.query.get("uri", "")).lower() in ("true", "1"):
        if engine.url.query.get("mode") == "memory":
            return None
        return unquote(urlsplit(database).path) or None
    return database


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)


@contextmanager
def migration_lock(engine: Engine) -> Iterator[None]:
    """One process at a time migrates and seeds (gunicorn workers start together)."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _LOCK_KEY})
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _LOCK_KEY})
        return
    database = sqlite_file(engine)
    if database is None:
        yield
        return
    with open(f"{database}.lock", "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def schema_revisions(engine: Engine) -> set[str]:
    """The revisions Alembic recorded in the database (its ``alembic_version`` table): none in a new database."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return set()
        return set(connection.scalars(text("SELECT version_num FROM alembic_version")))


SCHEMA_BEHIND = "oil_blends.schema_behind"  # app.extensions key: why the database cannot be used yet


def schema_behind(revisions: set[str]) -> str:
    """Why a database not at this release's schema cannot be used, when start-up is not to migrate it."""
    found = (
        f"at revision {', '.join(sorted(revisions))}" if revisions else "not migrated yet (no alembic_version table)"
    )
    return (
        f"the database's schema is {found} and this release needs revision {HEAD_REVISION}; "
        "OIL_BLENDS_AUTO_MIGRATE=0 leaves migrating to a deploy step: run flask --app app db upgrade, then start again"
    )


def register_migrate(app: Flask) -> None:
    """Register Flask-Migrate (and its ``flask db`` commands) on ``app``, once: the flask command line does it at
    start-up, a server only when its database needs a migration."""
    if "migrate" in app.extensions:
        return
    from flask_migrate import Migrate

    Migrate(app, db, directory=MIGRATIONS_DIR)


def prepare_database(app: Flask) -> None:
    """Bring the schema to the newest migration and seed the shipped catalog into a new database."""
    from oil_blends.storage.seed import apply_shipped_corrections, seed_if_new

    with app.app_context():
        engine = db.engine
        database = sqlite_file(engine)
        if database is not None:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        with migration_lock(engine):
            # At head (every start but the first after a release with a migration) Alembic is not even imported.
            revisions = schema_revisions(engine)
            if revisions != {HEAD_REVISION}:
                if not app.config["AUTO_MIGRATE"]:
                    app.extensions[SCHEMA_BEHIND] = schema_behind(revisions)
                    return  # nothing can be seeded or read; app.py and the commands say what to do
                import flask_migrate

                register_migrate(app)
                flask_migrate.upgrade(directory=MIGRATIONS_DIR)
            if app.config["AUTO_SEED"] and not seed_if_new():
                applied = apply_shipped_corrections()
                if applied is not None:
                    (created, updated), kept = applied
                    app.logger.warning(
                        "applied the shipped catalog's corrections: %d oils added, %d updated%s",
                        created,
                        updated,
                        f"; kept the edited entries of {', '.join(kept)}" if kept else "",
                    )
