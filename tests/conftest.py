"""App, client and runner fixtures (Flask tutorial style), on SQLite and, when configured, PostgreSQL.

``TEST_DATABASE_URL`` (e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/test``) adds a PostgreSQL
run of every API test; each app gets its own schema there, dropped afterwards. Without it, or when the
server does not answer, the PostgreSQL cases are skipped and the SQLite ones still run.
"""

from __future__ import annotations

import os
import uuid
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from helpers_postgres import postgres_url
from helpers_server import served
from oil_blends.app import create_app

BACKENDS = ["sqlite", *(["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])]


class Databases:
    """Creates empty databases for apps under test and removes them at the end."""

    def __init__(self, backend: str, tmp_path_factory: pytest.TempPathFactory):
        self.backend = backend
        self.tmp_path_factory = tmp_path_factory
        self.schemas: list[str] = []
        self.base_url = postgres_url() if backend == "postgresql" else None

    def new(self) -> str:
        if self.backend == "sqlite":
            return "sqlite:///" + str(self.tmp_path_factory.mktemp("db") / "oil-blends.sqlite3")
        schema = f"oil_blends_test_{uuid.uuid4().hex[:12]}"
        engine = sa.create_engine(self.base_url)
        with engine.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        self.schemas.append(schema)
        separator = "&" if "?" in self.base_url else "?"
        return f"{self.base_url}{separator}options={quote(f'-csearch_path={schema}')}"

    def drop_all(self) -> None:
        if not self.schemas:
            return
        engine = sa.create_engine(self.base_url)
        with engine.begin() as connection:
            for schema in self.schemas:
                connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def databases(request, tmp_path_factory):
    databases = Databases(request.param, tmp_path_factory)
    yield databases
    databases.drop_all()


_APPS: list = []  # every app the tests built, to let go of their connections after each test


def _release_connections(app) -> None:
    from oil_blends.extensions import db

    app.extensions["oil_blends.catalog"].close()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def close_connections():
    """``close_connections(app)``: the app's database connections closed now, in the middle of a test (they reopen
    when used again)."""
    return _release_connections


@pytest.fixture(autouse=True)
def release_connections():
    """After each test, every app closes its database connections (they reopen when used again): the apps live
    for the session, and kept open they would pass PostgreSQL's connection limit in a full run."""
    yield
    for app in _APPS:
        _release_connections(app)


@pytest.fixture(scope="session")
def make_app(databases, tmp_path_factory):
    """Build an app on a new database (or on ``url``, to share one database between instances)."""
    apps = _APPS

    def make(url: str | None = None, **config):
        settings = {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url or databases.new(),
            "SECRET_KEY": "test-key-" + "k" * 32,  # long enough for TESTING=False apps too
            **config,
        }
        app = create_app(settings)
        apps.append(app)
        return app

    yield make
    for app in apps:
        _release_connections(app)


@pytest.fixture(scope="session")
def app(make_app):
    """One migrated, seeded app per backend for tests that only read."""
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="module")
def live_server(app):
    """The app on werkzeug's development server (what ``flask run`` uses), on a free port."""
    with served(app) as url:
        yield url
