"""The application factory: configuration, extensions, the API, error handlers and commands."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from oil_blends.api.body import StrictJSONProvider
from oil_blends.catalog import shipped_oils
from oil_blends.config import settings_from_env
from oil_blends.engine import Oil
from oil_blends.engine.recipes import RecipeError, load_recipes
from oil_blends.extensions import db, migrate


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; ``config`` overrides the settings read from the environment (tests use it)."""
    app = Flask("oil_blends", instance_relative_config=True)
    app.json = StrictJSONProvider(app)
    app.config.from_mapping(settings_from_env(app.instance_path))
    if config:
        app.config.from_mapping(config)
    register_extensions(app)
    register_errorhandlers(app)
    register_blueprints(app)
    register_commands(app)
    prepare_storage(app)
    return app


def register_extensions(app: Flask) -> None:
    from oil_blends.storage.cache import CatalogCache
    from oil_blends.storage.database import MIGRATIONS_DIR, configure_engine

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    with app.app_context():
        configure_engine(db.engine)
    app.extensions["oil_blends.catalog"] = CatalogCache()


def register_blueprints(app: Flask) -> None:
    from oil_blends.api import register_api

    register_api(app)


def register_errorhandlers(app: Flask) -> None:
    from oil_blends.errors import register_errorhandlers as register

    register(app)


def register_commands(app: Flask) -> None:
    from oil_blends.commands import catalog_commands

    for command in catalog_commands:
        app.cli.add_command(command)


def prepare_storage(app: Flask) -> None:
    """Migrate and seed the database, then load the recipes and check each against the catalog."""
    from oil_blends.calculator import check_recipes
    from oil_blends.storage.database import prepare_database

    prepare_database(app)
    directory = app.config.get("RECIPES_DIR")
    recipes = load_recipes(Path(directory) if directory else None)
    try:
        check_recipes(recipes, _recipe_catalog(app))
    except RecipeError as error:
        raise RecipeError(f"a recipe does not work with the catalog: {error}") from None
    app.extensions["oil_blends.recipes"] = recipes


def _recipe_catalog(app: Flask) -> Mapping[str, Oil]:
    """The database's catalog, or the shipped one while the database is not migrated and seeded yet."""
    with app.app_context():
        try:
            oils = app.extensions["oil_blends.catalog"].oils()
        except SQLAlchemyError:
            oils = {}
    return oils or shipped_oils()
