"""A serving worker loads only what it uses: psycopg only on PostgreSQL, Alembic and Flask-Migrate only when a
migration runs or a ``flask db`` command is used; the start-up reads the schema's revision and compares it with
``HEAD_REVISION``, which must be Alembic's head."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import flask_migrate
from alembic.script import ScriptDirectory

from oil_blends.extensions import db
from oil_blends.storage.database import HEAD_REVISION, MIGRATIONS_DIR, register_migrate, schema_revisions

ROOT = Path(__file__).resolve().parents[1]
LAZY = ("psycopg", "alembic", "flask_migrate")
BLEND = {"carrier": "sweet-almond", "amount": "30 mL", "dilution": "2%", "oils": [{"oil": "lavender"}]}

# A worker's life in a fresh process: gunicorn imports app.py (create_app), then requests come.
SERVE = f"""
import json, sys
import app
response = app.app.test_client().post("/api/v1/blends/calculate", json={BLEND!r})
print(json.dumps({{"status": response.status_code, "loaded": [name for name in {LAZY!r} if name in sys.modules]}}))
"""


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("FLASK_", "OIL_BLENDS_")) and name not in ("DATABASE_URL", "SECRET_KEY")
    }
    env.update(
        SECRET_KEY="0123456789abcdef" * 4,
        DATABASE_URL=f"sqlite:///{tmp_path / 'oil-blends.sqlite3'}",
        OIL_BLENDS_INSTANCE_PATH=str(tmp_path / "instance"),
        **extra,
    )
    return env


def serve(tmp_path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", SERVE], cwd=ROOT, env=environment(tmp_path), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def flask(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).parent / "flask"), "--app", "app", *args],
        cwd=ROOT,
        env=environment(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=120,
    )


def version_rows(tmp_path: Path) -> list[tuple[str]]:
    with sqlite3.connect(tmp_path / "oil-blends.sqlite3") as connection:
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    connection.close()
    return rows


def test_the_head_revision_is_alembics_head():
    # A new migration fails here until HEAD_REVISION names it: else every start would skip it.
    assert ScriptDirectory(MIGRATIONS_DIR).get_heads() == [HEAD_REVISION]


def test_a_worker_on_sqlite_at_head_loads_neither_psycopg_nor_alembic(tmp_path):
    first = serve(tmp_path)  # a new database: created and migrated at start-up, so Alembic is loaded
    assert first == {"status": 200, "loaded": ["alembic", "flask_migrate"]}
    assert version_rows(tmp_path) == [(HEAD_REVISION,)]
    assert serve(tmp_path) == {"status": 200, "loaded": []}  # at head: nothing to migrate, nothing loaded


def test_a_database_behind_head_is_migrated_at_start_up(make_app, databases):
    url = databases.new()
    bare = make_app(url, AUTO_MIGRATE=False, AUTO_SEED=False)
    with bare.app_context():
        assert schema_revisions(db.engine) == set()  # no alembic_version table yet
        register_migrate(bare)
        flask_migrate.upgrade(directory=MIGRATIONS_DIR, revision="0002")
        assert schema_revisions(db.engine) == {"0002"}
    app = make_app(url)
    with app.app_context():
        assert schema_revisions(db.engine) == {HEAD_REVISION}
    assert app.test_client().post("/api/v1/blends/calculate", json=BLEND).status_code == 200


def test_the_database_drivers_errors_have_handlers(make_app, databases):
    """A driver's own error (the catalog version is read on its cursor) answers as a database fault: psycopg's
    when the app is on PostgreSQL, whose engine loads psycopg before the handlers are registered."""
    handlers = make_app(databases.new()).error_handler_spec[None][None]
    assert sqlite3.Error in handlers
    if databases.backend == "postgresql":
        import psycopg

        assert psycopg.Error in handlers


def test_the_flask_db_commands_work_as_documented(tmp_path):
    # As a deploy step runs them: the app itself neither migrates nor seeds, the commands do.
    settings = {"OIL_BLENDS_AUTO_MIGRATE": "0", "OIL_BLENDS_AUTO_SEED": "0"}
    listing = flask(tmp_path, "--help", **settings)
    assert listing.returncode == 0, listing.stderr
    assert "Perform database migrations." in listing.stdout
    upgrade = flask(tmp_path, "db", "upgrade", **settings)
    assert upgrade.returncode == 0, upgrade.stderr
    assert version_rows(tmp_path) == [(HEAD_REVISION,)]
    downgrade = flask(tmp_path, "db", "-d", MIGRATIONS_DIR, "downgrade", **settings)  # the group's own option
    assert downgrade.returncode == 0, downgrade.stderr
    assert version_rows(tmp_path) == [("0003",)]
    current = flask(tmp_path, "db", "current", **settings)
    assert current.returncode == 0, current.stderr
    assert current.stdout.split() == ["0003"]
    commands = flask(tmp_path, "db", "--help", **settings)
    assert commands.returncode == 0, commands.stderr
    assert {"upgrade", "downgrade", "migrate", "current", "history", "stamp"} <= {
        line.split()[0] for line in commands.stdout.split("Commands:")[1].splitlines() if line.strip()
    }


def test_a_fresh_folder_starts_the_app_with_the_flask_command(tmp_path):
    # No manual step: loading the app (here for `db current`) creates the SQLite file and migrates it.
    current = flask(tmp_path, "db", "current")
    assert current.returncode == 0, current.stderr
    assert current.stdout.split() == [HEAD_REVISION, "(head)"]
    assert version_rows(tmp_path) == [(HEAD_REVISION,)]


def test_password_stdin_with_standard_input_closed_is_one_line(tmp_path):
    done = subprocess.run(
        [str(Path(sys.executable).parent / "flask"), "--app", "app", "users", "create", "bob", "--password-stdin"],
        cwd=ROOT,
        env=environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: os.close(0),  # noqa: PLW1509 # no threads in this test: closing fd 0 in the child is safe
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "--password-stdin: nothing on standard input; send the password as one line" in done.stderr
