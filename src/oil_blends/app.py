"""The application factory: configuration, extensions, the API, error handlers and commands."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from flask import Flask, Request
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import ServiceUnavailable
from werkzeug.middleware.proxy_fix import ProxyFix

from oil_blends.api.body import StrictJSONProvider
from oil_blends.config import secret_key, settings_from_env, started_by_flask_cli
from oil_blends.documents.catalog import shipped_oils
from oil_blends.documents.recipes import RecipeError, load_recipes
from oil_blends.engine import Oil
from oil_blends.extensions import csrf, db, limiter, login_manager


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; ``config`` overrides the settings read from the environment (tests use it)."""
    instance_path = os.environ.get("OIL_BLENDS_INSTANCE_PATH")
    app = OilBlendsFlask("oil_blends", instance_path=os.path.abspath(instance_path) if instance_path else None)
    app.json = StrictJSONProvider(app)
    app.session_interface = StatelessApiSessions()
    app.url_map.strict_slashes = False  # "/api/v1/oils/" is "/api/v1/oils", not a 404
    app.config.from_mapping(settings_from_env(app.instance_path))
    if config:
        app.config.from_mapping(config)
    # A key kept in the instance folder in development (debug, tests, the flask command); else SECRET_KEY is required
    development = app.debug or app.testing or started_by_flask_cli()
    app.config["SECRET_KEY"] = secret_key(app.config["SECRET_KEY"], app.instance_path, development)
    register_proxies(app)
    register_extensions(app)
    register_direct_answers(app)  # inside the security headers' layer, which every answer passes through
    register_security(app)
    register_errorhandlers(app)
    register_blueprints(app)
    register_commands(app)
    try:
        prepare_storage(app)
    except Exception:
        with app.app_context():
            db.engine.dispose()  # a failed start leaves no open connections behind
        raise
    return app


class OilBlendsFlask(Flask):
    """Flask, with every view and hook a plain function: none of them is ``async def``."""

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        # Flask asks inspect, for every hook and view of every request, whether it is a coroutine function
        # (about 1.5 µs each, six times a request). None is, and tests/test_architecture.py keeps it so.
        return func


class StatelessApiSessions(SecureCookieSessionInterface):
    """Cookie sessions for the web pages only: the JSON API is stateless, so it skips reading the cookie."""

    def open_session(self, app: Flask, request: Request):
        if request.path.startswith("/api/"):
            return None  # Flask then uses a null session
        return super().open_session(app, request)


def register_proxies(app: Flask) -> None:
    """Behind ``TRUSTED_PROXIES`` reverse proxies, read the client's address and scheme from the headers they set
    (X-Forwarded-For, X-Forwarded-Proto): the login limit counts per client, not per proxy."""
    proxies = app.config.get("TRUSTED_PROXIES") or 0
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]


def register_extensions(app: Flask) -> None:
    from oil_blends.storage.cache import CatalogCache
    from oil_blends.storage.database import configure_engine, register_migrate

    db.init_app(app)
    if started_by_flask_cli():  # flask db ...; a server imports Alembic only when a migration has to run
        register_migrate(app)
    with app.app_context():
        configure_engine(db.engine)
    app.extensions["oil_blends.catalog"] = CatalogCache(app)
    login_manager.init_app(app)
    confine_hooks(app, login_manager, SESSION_BLUEPRINTS)
    limiter.init_app(app)
    # Every limit is a view's own, checked by its decorator when that view runs. With no default or
    # application limit, the per-request check Flask-Limiter adds before every view finds nothing to count
    # and cost each API request about 80 µs, so it is taken off (tests/web/test_editing_pages.py tests the limit).
    app.before_request_funcs[None].remove(limiter._check_request_limit)
    confine_hooks(app, limiter, RATE_LIMITED_BLUEPRINTS)
    csrf.init_app(app)
    protect_forms(app)


SESSION_BLUEPRINTS = ("web", "editing")  # the pages, the only requests that have a login session
RATE_LIMITED_BLUEPRINTS = ("editing", "tokens")  # the views with a rate limit: the login form, the API's tokens


def confine_hooks(app: Flask, extension: object, blueprints: tuple[str, ...]) -> None:
    """Run the request hooks ``extension`` registered for every request only for ``blueprints``' requests.

    Flask runs a blueprint's own hooks for that blueprint's requests alone, so each hook still does all it
    did where it is needed, and its cost (a few µs each) is kept off the JSON API's calls.
    """

    def owned(hook: Any) -> bool:
        if isinstance(hook, partial):
            return bool(hook.args) and hook.args[0] is extension
        return getattr(hook, "__self__", None) is extension

    for registry in (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs):
        for hook in [hook for hook in registry.get(None, []) if owned(hook)]:
            registry[None].remove(hook)
            for name in blueprints:
                registry.setdefault(name, []).append(hook)


def protect_forms(app: Flask) -> None:
    """CSRF: every POST (PUT, PATCH, DELETE) to the web pages needs its form's token, or is refused with 400.

    The check is by path, so a new page's form is protected without a decorator; the JSON API (``/api/``,
    ``/healthz``) is left out: it reads no session cookie (``StatelessApiSessions``) and authenticates each
    request by its bearer token or Basic credentials, so a forged cross-site request carries nothing to use.
    """
    from flask import request

    from oil_blends.errors import is_api_path

    if not app.config["WTF_CSRF_CHECK_DEFAULT"]:  # Flask-WTF's own hook then does nothing: this one replaces it
        hooks = app.before_request_funcs[None]
        hooks[:] = [hook for hook in hooks if getattr(hook, "__name__", "") != "csrf_protect"]
    methods = frozenset(app.config["WTF_CSRF_METHODS"])

    @app.before_request
    def check_csrf_token() -> None:
        incoming = request._get_current_object()  # one context lookup
        if incoming.method not in methods or is_api_path(incoming.path):
            return
        if app.config["WTF_CSRF_ENABLED"] and incoming.endpoint:
            csrf.protect()


def register_direct_answers(app: Flask) -> None:
    from oil_blends.api.direct import register_direct_answers as register

    register(app)


def register_security(app: Flask) -> None:
    from oil_blends.security import register_security as register

    register(app)


def register_blueprints(app: Flask) -> None:
    from oil_blends.api import register_api
    from oil_blends.web import register_web

    register_api(app)
    register_web(app)


def register_errorhandlers(app: Flask) -> None:
    from oil_blends.errors import register_errorhandlers as register

    register(app)


def register_commands(app: Flask) -> None:
    from oil_blends.commands import catalog_commands

    for command in catalog_commands:
        app.cli.add_command(command)


def prepare_storage(app: Flask) -> None:
    """Load the recipes and check each one, then migrate and seed the database.

    A recipe file that cannot be read, or that fails with the shipped catalog, stops the start with a
    :class:`RecipeError` naming the file and the reason (before the database is touched); ``app.py`` turns
    it into one line on standard error. A recipe that only fails with the database's edited catalog is
    logged, and its requests answer 422.
    """
    from oil_blends.documents.calculator import check_recipes
    from oil_blends.storage.database import SCHEMA_BEHIND, prepare_database

    directory = app.config.get("RECIPES_DIR")
    recipes = load_recipes(Path(directory) if directory else None)
    check_recipes(recipes, shipped_oils())
    app.extensions["oil_blends.recipes"] = recipes
    prepare_database(app)
    if SCHEMA_BEHIND in app.extensions:
        # only reached under the flask command: app.py stops a server's start
        app.before_request(partial(_schema_behind, app.extensions[SCHEMA_BEHIND]))
        return
    catalog = _database_catalog(app)
    if catalog:
        try:
            check_recipes(recipes, catalog)
        except RecipeError as error:
            app.logger.warning("a recipe does not work with the edited catalog: %s", error)
        except Exception as error:  # a stored value no rule lets in (written past the app): start, and say where
            app.logger.warning("the stored catalog fails a recipe (%r): run flask --app app check-catalog", error)


def _schema_behind(why: str) -> None:
    """Every request, while the database's schema is behind this release's (``flask run`` with migrating off)."""
    raise ServiceUnavailable(why)


def _database_catalog(app: Flask) -> Mapping[str, Oil]:
    """The database's catalog, or nothing while the database is not migrated and seeded yet."""
    from oil_blends.storage.cache import catalog_cache
    from oil_blends.storage.database import driver_errors

    try:
        # The context's teardown is inside the try too: it rolls the session back, which fails as well when the
        # database went away meanwhile, and a worker must not fail to boot for it (gunicorn would stop them all).
        with app.app_context():
            return catalog_cache(app).oils()
    except (SQLAlchemyError, *driver_errors()):  # the version is read on the driver's own cursor
        return {}
    except Exception as error:  # a stored value that cannot be read: the commands (check-catalog) must still run
        app.logger.warning("the stored catalog cannot be read (%r): run flask --app app check-catalog", error)
        return {}
