"""Settings from the environment, with defaults that run the service on an embedded SQLite file.

A bad setting stops the start with a :class:`ConfigError` naming the variable, what was wrong and what it takes;
``app.py`` (the WSGI entry point) writes it as one line on standard error and exits with status 4, so gunicorn
stops instead of restarting workers. Every bad setting is named in that line, not only the first.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from importlib.util import find_spec
from pathlib import Path
from typing import Any

# ---- request limits (README, "Request limits"): each refusal says what was wrong and what is accepted ---------
MAX_BODY_BYTES = 64 * 1024  # MAX_CONTENT_LENGTH: a larger body, announced or chunked, is refused with 413
MAX_QUERY_BYTES = 2048  # the query string (after "?"), as sent: a longer one is refused with 414
MAX_FORM_PARTS = 200  # fields of a multipart/form-data body (werkzeug's MAX_FORM_PARTS); the pages send fewer than 100
SQLITE_FILE = "oil-blends.sqlite3"
_DRIVERLESS_POSTGRES = ("postgres://", "postgresql://")

# ---- SECRET_KEY -----------------------------------------------------------------------------------------------
MIN_SECRET_KEY_LENGTH = 32
MAKE_A_SECRET_KEY = 'python -c "import secrets; print(secrets.token_hex(32))"'
_SECRET_KEY_ADVICE = (
    f"a production server (gunicorn, or app:app loaded by any WSGI server) needs it set to a random string of at "
    f"least {MIN_SECRET_KEY_LENGTH} characters, the same for every instance; make one with: {MAKE_A_SECRET_KEY} "
    "(only flask --app app run, debug mode and tests fall back to a key kept in the instance folder)"
)


class ConfigError(ValueError):
    """A setting that stops the start; the message names the variable, what was wrong and what it takes."""


def database_url(url: str | None, instance_path: str) -> str:
    """The SQLAlchemy URL: ``DATABASE_URL`` (PostgreSQL via psycopg 3), else SQLite in the instance folder."""
    if not url:
        return "sqlite:///" + str(Path(instance_path) / SQLITE_FILE)
    for prefix in _DRIVERLESS_POSTGRES:
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def _flag(name: str, value: str | None, default: bool, problems: list[str]) -> bool:
    if value is None or value.strip() == "":
        return default
    word = value.strip().lower()
    if word not in _TRUE | _FALSE:
        problems.append(f"{name} must be 1 or 0 (or true/false, yes/no, on/off), not {value!r}")
        return default
    return word in _TRUE


def _days(name: str, value: str | None, default: int, problems: list[str]) -> int:
    if value is None or value.strip() == "":
        return default
    try:
        days = int(value)
    except ValueError:
        days = 0
    if not 1 <= days <= 3650:
        problems.append(f"{name} must be a whole number of days from 1 to 3650, not {value!r}")
        return default
    return days


def _database_url(value: str | None, instance_path: str, problems: list[str]) -> str:
    """The SQLAlchemy URL, checked: a URL SQLAlchemy can read, for PostgreSQL or SQLite (never echoed: a password)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    url = database_url(value, instance_path)
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:
        backend = None
    if backend not in ("postgresql", "sqlite"):
        problems.append(
            "DATABASE_URL must be a PostgreSQL or SQLite URL such as postgresql+psycopg://user:password@host/database "
            "or sqlite:////srv/oil-blends/oil-blends.sqlite3"
            + (f" (it names {backend!r})" if backend else " (it could not be read as a URL)")
        )
    return url


def check_rate_limit(name: str, value: str) -> str | None:
    """What is wrong with a Flask-Limiter limit such as "5 per minute", or None."""
    from limits import parse_many

    try:
        parse_many(value)
    except ValueError:
        return f"{name} must read like '5 per minute' or '10 per hour', not {value!r}"
    return None


def check_storage_uri(name: str, value: str) -> str | None:
    """What is wrong with Flask-Limiter's storage URI (its scheme, or a missing client package), or None."""
    try:
        from limits.storage import SCHEMES  # the schemes limits knows, each with the client packages it needs
    except ImportError:  # another limits release: Flask-Limiter checks the URI itself when the app starts
        return None
    scheme = value.split("://", 1)[0] if "://" in value else ""
    if scheme not in SCHEMES:
        return f"{name} must be memory:// or a storage such as redis://host:6379, not a {scheme or 'scheme-less'} URI"
    needed = list(getattr(SCHEMES[scheme], "DEPENDENCIES", None) or [])
    if needed and not any(find_spec(package) for package in needed):
        return f"{name} is a {scheme}:// URI, which needs the {' or '.join(needed)} package: pip install {needed[0]}"
    return None


def started_by_flask_cli(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the ``flask`` command loaded the app (``flask --app app run``, ``... users create``, ``... db``).

    Flask's command line sets ``FLASK_RUN_FROM_CLI=true`` before it imports the app (``FlaskGroup.make_context``),
    in this process and so in the reloader's child; gunicorn and other WSGI servers do not.
    """
    env = os.environ if environ is None else environ
    return env.get("FLASK_RUN_FROM_CLI") == "true"


def secret_key(configured: str | bytes | None, instance_path: str, development: bool) -> str | bytes:
    """The key that signs sessions and CSRF tokens.

    In development (debug, testing, or started by the ``flask`` command) a missing key falls back to one kept in
    the instance folder. Anywhere else (gunicorn, ``app:app`` imported by a WSGI server) a missing key, or one
    shorter than :data:`MIN_SECRET_KEY_LENGTH` characters, is a :class:`ConfigError` saying how to make one.
    """
    if development:
        return configured or instance_secret_key(instance_path)
    if not configured:
        raise ConfigError(f"SECRET_KEY is not set: {_SECRET_KEY_ADVICE}")
    if len(configured) < MIN_SECRET_KEY_LENGTH:
        raise ConfigError(f"SECRET_KEY is too short ({len(configured)} characters): {_SECRET_KEY_ADVICE}")
    return configured


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


POSTGRES_CONNECT_TIMEOUT = 5  # seconds: a host that drops packets gets a 503 long before gunicorn's 30 s timeout


def _engine_options(url: str | None) -> dict[str, Any]:
    """SQLAlchemy engine options: pooled connections are pinged before use, and a PostgreSQL connection attempt
    gives up after a few seconds instead of libpq's two minutes."""
    options: dict[str, Any] = {"pool_pre_ping": True}
    if url and url.startswith(("postgres", "postgresql")):
        options["connect_args"] = {"connect_timeout": POSTGRES_CONNECT_TIMEOUT}
    return options


def _count(name: str, value: str | None, default: int, most: int, problems: list[str]) -> int:
    if value is None or value.strip() == "":
        return default
    text = value.strip()
    if not text.isdigit() or int(text) > most:
        problems.append(f"{name} must be a whole number from 0 to {most}, not {value!r}")
        return default
    return int(text)


_HOST_NAME = re.compile(r"\.?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?")


def _hosts(name: str, value: str | None, problems: list[str]) -> list[str] | None:
    """Host names the site answers to (werkzeug's ``trusted_hosts``: ".example.org" takes its subdomains too);
    None (unset) takes any Host header."""
    if value is None or value.strip() == "":
        return None
    hosts = value.replace(",", " ").split()
    bad = [host for host in hosts if not _HOST_NAME.fullmatch(host)]
    if bad:
        problems.append(
            f"{name} must be host names separated by commas, such as 'oils.example.org,localhost' (a leading dot "
            f"takes the subdomains too), not {', '.join(map(repr, bad))}"
        )
        return None
    return hosts


def settings_from_env(instance_path: str, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Every setting the app reads, from ``environ`` (default ``os.environ``); a :class:`ConfigError` names every
    bad one. ``SECRET_KEY`` is checked by :func:`secret_key` once the app knows whether it is in development."""
    env = os.environ if environ is None else environ
    problems: list[str] = []
    login_limit = env.get("OIL_BLENDS_LOGIN_LIMIT") or "5 per minute"
    storage_uri = env.get("RATELIMIT_STORAGE_URI") or "memory://"
    settings = {
        "SECRET_KEY": env.get("SECRET_KEY") or None,  # None: a key kept in the instance folder, in development only
        "SQLALCHEMY_DATABASE_URI": _database_url(env.get("DATABASE_URL"), instance_path, problems),
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(env.get("DATABASE_URL")),
        # Request limits (README). A multipart form's text parts and fields are limited too, though the
        # pages send url-encoded forms (which only the body limit bounds); the query string is checked per request
        "MAX_CONTENT_LENGTH": MAX_BODY_BYTES,
        "MAX_FORM_MEMORY_SIZE": MAX_BODY_BYTES,
        "MAX_FORM_PARTS": MAX_FORM_PARTS,
        "MAX_QUERY_BYTES": MAX_QUERY_BYTES,
        # Create, migrate and seed the database on start-up (turn off when a deploy step runs `flask db upgrade`).
        "AUTO_MIGRATE": _flag("OIL_BLENDS_AUTO_MIGRATE", env.get("OIL_BLENDS_AUTO_MIGRATE"), True, problems),
        "AUTO_SEED": _flag("OIL_BLENDS_AUTO_SEED", env.get("OIL_BLENDS_AUTO_SEED"), True, problems),
        "RECIPES_DIR": env.get("OIL_BLENDS_RECIPES_DIR") or None,
        # Reverse proxies in front of the app that set X-Forwarded-For and X-Forwarded-Proto (0: none, the client
        # address is the connection's); the login limit counts per client address, so behind a proxy it needs this
        "TRUSTED_PROXIES": _count("OIL_BLENDS_PROXIES", env.get("OIL_BLENDS_PROXIES"), 0, 5, problems),
        # The host names the site is reached by: any other Host header is refused with 400, so that the links made
        # from it (a result's share link and its QR code) cannot point elsewhere
        "TRUSTED_HOSTS": _hosts("OIL_BLENDS_HOSTS", env.get("OIL_BLENDS_HOSTS"), problems),
        # How long a new API token lasts (POST /api/v1/tokens, `flask tokens create`), and the most a request may ask
        "TOKEN_LIFETIME_DAYS": _days("OIL_BLENDS_TOKEN_DAYS", env.get("OIL_BLENDS_TOKEN_DAYS"), 30, problems),
        # Failed sign-ins (the login page and POST /api/v1/tokens together) allowed per client address, in
        # Flask-Limiter notation, and where the counts are kept: memory:// per process, or redis://host:6379 to
        # share them between instances
        "LOGIN_RATE_LIMIT": login_limit,
        "RATELIMIT_STORAGE_URI": storage_uri,
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
    problems += filter(
        None,
        (
            check_rate_limit("OIL_BLENDS_LOGIN_LIMIT", login_limit),
            check_storage_uri("RATELIMIT_STORAGE_URI", storage_uri),
        ),
    )
    if problems:
        raise ConfigError("; ".join(problems))
    return settings
