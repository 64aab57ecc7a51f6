"""The catalog as engine oils, cached per process and reloaded when the catalog version moves.

Every instance sharing the database checks the version row (one primary-key SELECT) before using its
copy, so an edit written through any instance is seen by the next request to every other.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

from flask import current_app
from sqlalchemy import select

from oil_blends.catalog import oils_by_slug
from oil_blends.engine import Oil
from oil_blends.extensions import db
from oil_blends.storage.models import CatalogVersion
from oil_blends.storage.oils import CATALOG_ROW, all_entries

# Core, not the ORM session: the check is on every calculation, so it stays a pooled connection and a row.
_VERSION = select(CatalogVersion.version).where(CatalogVersion.id == CATALOG_ROW)


def _catalog_version() -> int:
    with db.engine.connect() as connection:
        return connection.execute(_VERSION).scalar() or 0


class CatalogCache:
    def __init__(self) -> None:
        self._version: int | None = None
        self._oils: Mapping[str, Oil] = {}
        self._lock = threading.Lock()

    def oils(self) -> Mapping[str, Oil]:
        """The current catalog, keyed by slug."""
        version = _catalog_version()
        if version != self._version:
            with self._lock:
                if version != self._version:
                    self._oils = oils_by_slug(all_entries())
                    self._version = version
        return self._oils


def current_catalog() -> Mapping[str, Oil]:
    """The catalog of the app handling this request."""
    return current_app.extensions["oil_blends.catalog"].oils()
