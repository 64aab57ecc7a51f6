"""The catalog as engine oils, cached per process and reloaded when the catalog version moves.

Every instance sharing the database reads the version row before using its copy, so an edit written
through any instance is seen by the next request to every other. The read is one primary-key SELECT on a
connection the process keeps open in autocommit mode: no pool checkout, no ping, no transaction.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from oil_blends.documents.catalog import oils_by_slug
from oil_blends.documents.search import CatalogIndex
from oil_blends.engine import Oil
from oil_blends.extensions import db
from oil_blends.storage.database import driver_errors
from oil_blends.storage.models import CatalogVersion
from oil_blends.storage.oils import CATALOG_ROW, all_entries

_VERSION = select(CatalogVersion.version).where(CatalogVersion.id == CATALOG_ROW)


@dataclass(frozen=True)
class CatalogState:
    """The catalog at one version: engine oils by slug, and the entries ready to page and search."""

    version: int | None
    oils: Mapping[str, Oil]
    index: CatalogIndex


class CatalogCache:
    """This process's copy of the catalog of ``app``, and the version it was read at.

    It needs no app context of its own: the (re)connection and a reload push one when they run (every request
    reads the version, the direct answers of ``api/direct.py`` outside Flask's request cycle).
    """

    def __init__(self, app: Flask) -> None:
        self._app = app
        self._state = CatalogState(None, {}, CatalogIndex([]))
        self._lock = threading.Lock()
        # One connection per process for the version read, shared by its threads under a lock: a thread per
        # request (the development server) must not pin a pooled connection each.
        self._connection: Connection | None = None
        self._cursor: Any = None
        self._pid: int | None = None
        self._connection_lock = threading.Lock()

    def _read_version(self) -> int:
        if self._pid != os.getpid() or self._cursor is None:
            # A forked worker must not share its parent's socket: it opens its own.
            with self._app.app_context():
                engine = db.engine
            self._connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            self._cursor = self._connection.connection.driver_connection.cursor()
            self._sql = str(_VERSION.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
            self._pid = os.getpid()
        # The driver's own cursor: this read runs on every calculation, and SQLAlchemy's statement
        # machinery costs more than the query itself.
        self._cursor.execute(self._sql)
        row = self._cursor.fetchone()
        return row[0] if row else 0

    def version(self) -> int:
        """The catalog version in the database now (retried once on a dropped connection)."""
        with self._connection_lock:
            try:
                return self._read_version()
            except (DBAPIError, *driver_errors()):  # the driver's own cursor raises the driver's errors
                self._close()
                return self._read_version()

    def current(self) -> CatalogState:
        """The catalog now, reloaded when a write (through any instance) has moved the version."""
        version = self.version()
        if version != self._state.version:
            with self._lock:
                if version != self._state.version:
                    with self._app.app_context():  # its own session, closed once the entries are read
                        entries = all_entries()
                    self._state = CatalogState(version, oils_by_slug(entries), CatalogIndex(entries))
        return self._state

    def oils(self) -> Mapping[str, Oil]:
        """The current catalog, keyed by slug."""
        return self.current().oils

    def _close(self) -> None:
        if self._connection is not None and self._pid == os.getpid():
            self._connection.invalidate()  # the driver cursor was used directly: do not hand it back to the pool
            self._connection.close()
        self._connection = self._cursor = None

    def close(self) -> None:
        """Close the version connection (it reopens on the next read)."""
        with self._connection_lock:
            self._close()


def catalog_cache(app: Flask | None = None) -> CatalogCache:
    """The catalog cache of ``app`` (default: the app handling this request)."""
    return (app if app is not None else current_app).extensions["oil_blends.catalog"]


def current_catalog() -> Mapping[str, Oil]:
    """The catalog of the app handling this request."""
    return catalog_cache().oils()
