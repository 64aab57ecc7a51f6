"""Settings from the environment, with defaults that run the service on an embedded SQLite file."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

MAX_BODY_BYTES = 64 * 1024
SQLITE_FILE = "oil-blends.sqlite3"
_DRIVERLESS_POSTGRES = ("postgres://", "postgresql://")


def database_url(url: str | None, instance_path: str) -> str:
    """The SQLAlchemy URL: ``DATABASE_URL`` (PostgreSQL via psycopg 3), else SQLite in the instance folder."""
    if not url:
        return "sqlite:///" + str(Path(instance_path) / SQLITE_FILE)
    for prefix in _DRIVERLESS_POSTGRES:
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _days(name: str, value: str | None, default: int) -> int:
    if value is None or value.strip() == "":
        return default
    try:
        days = int(value)
    except ValueError:
        days = 0
    if not 1 <= days <= 3650:
        raise ValueError(f"{name} must be a whole number of days from 1 to 3650 (got {value!r})")
    return days


def instance_secret_key(instance_path: str) -> str:
    """A key kept in the instance folder, so every worker of a development server shares it."""
    path = Path(instance_path) / "secret_key"
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        key = secrets.token_hex(32)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("x", encoding="utf-8") as file:
                file.write(key)
        except FileExistsError:  # another worker wrote it first
            return path.read_text(encoding="utf-8").strip()
        path.chmod(0o600)
        return key


def settings_from_env(instance_path: str, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Every setting the app reads, from ``environ`` (default ``os.environ``)."""
    env = os.environ if environ is None else environ
    return {
        "SECRET_KEY": env.get("SECRET_KEY") or None,  # None: a key kept in the instance folder
        "SQLALCHEMY_DATABASE_URI": database_url(env.get("DATABASE_URL"), instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "MAX_CONTENT_LENGTH": MAX_BODY_BYTES,
        # Create, migrate and seed the database on start-up (turn off when a deploy step runs `flask db upgrade`).
        "AUTO_MIGRATE": _flag(env.get("OIL_BLENDS_AUTO_MIGRATE"), True),
        "AUTO_SEED": _flag(env.get("OIL_BLENDS_AUTO_SEED"), True),
        "RECIPES_DIR": env.get("OIL_BLENDS_RECIPES_DIR") or None,
        # How long a new API token lasts (POST /api/v1/tokens, `flask tokens create`), and the most a request may ask
        "TOKEN_LIFETIME_DAYS": _days("OIL_BLENDS_TOKEN_DAYS", env.get("OIL_BLENDS_TOKEN_DAYS"), 30),
        # The web pages' login: failed attempts allowed per client address (Flask-Limiter notation), and where the
        # counts are kept: memory:// per process, or redis://host:6379 to share them between instances
        "LOGIN_RATE_LIMIT": env.get("OIL_BLENDS_LOGIN_LIMIT") or "5 per minute",
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI") or "memory://",
        # Flask-WTF: app.py checks the token on every form sent to the web pages (the API has no cookie session);
        # a token lasts a working day, so a form left open while looking up a source can still be saved
        "WTF_CSRF_CHECK_DEFAULT": False,
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        # flask-smorest / OpenAPI
        "API_TITLE": "oil-blends",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        "OPENAPI_SWAGGER_UI_URL": "/api/docs/assets/",
        "JSON_SORT_KEYS": False,
    }
