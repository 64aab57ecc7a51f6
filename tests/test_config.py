"""Settings: SECRET_KEY is required outside development, and any bad setting stops the start in one line.

"Development" is debug mode, tests (TESTING) and the ``flask`` command line (``flask --app app run``, the README's
second command, must work on a fresh machine without a key). A production start is gunicorn, or ``app:app``
imported by anything else: there a missing or short key stops the start with one line saying how to make one,
exit status 4 (gunicorn's "the application failed to load"), before the database is touched.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from importlib.util import find_spec
from pathlib import Path

import pytest

from oil_blends.app import create_app
from oil_blends.config import (
    MAKE_A_SECRET_KEY,
    MIN_SECRET_KEY_LENGTH,
    ConfigError,
    secret_key,
    settings_from_env,
    started_by_flask_cli,
)
from oil_blends.storage.database import HEAD_REVISION

ROOT = Path(__file__).resolve().parents[1]
GOOD_KEY = "k" * MIN_SECRET_KEY_LENGTH
APP_LOAD_ERROR = 4
# Settings that would make a child process a development one, or point it at another database
DEVELOPMENT_VARIABLES = ("FLASK_RUN_FROM_CLI", "FLASK_DEBUG", "SECRET_KEY", "DATABASE_URL")


def environment(tmp_path: Path, **settings: str) -> dict[str, str]:
    """The test's environment for a child process, on a database and instance folder of its own."""
    env = {name: value for name, value in os.environ.items() if name not in DEVELOPMENT_VARIABLES}
    env.update(
        {
            "OIL_BLENDS_INSTANCE_PATH": str(tmp_path / "instance"),
            "DATABASE_URL": "sqlite:///" + str(tmp_path / "oil-blends.sqlite3"),
            **settings,
        }
    )
    return env


def start(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def one_line(stderr: str) -> str:
    """The start's only line on standard error (gunicorn's own log lines aside)."""
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.startswith("oil-blends: ")]
    assert len(lines) == 1, stderr
    return lines[0]


IMPORT_APP = [sys.executable, "-c", "import app"]  # what gunicorn and any other WSGI server do
GUNICORN = [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", "127.0.0.1:0", "app:app"]


# ---- SECRET_KEY ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "said"), [(None, "SECRET_KEY is not set"), ("short", "SECRET_KEY is too short (5")])
def test_a_production_start_without_a_good_key_stops_in_one_line(tmp_path, key, said):
    env = environment(tmp_path, **({"SECRET_KEY": key} if key else {}))
    done = start(IMPORT_APP, env)
    assert done.returncode == APP_LOAD_ERROR
    line = one_line(done.stderr)
    assert line.startswith(f"oil-blends: cannot start: {said}")
    assert f"at least {MIN_SECRET_KEY_LENGTH} characters" in line and MAKE_A_SECRET_KEY in line
    assert not (tmp_path / "oil-blends.sqlite3").exists()  # stopped before the database was touched
    assert not (tmp_path / "instance" / "secret_key").exists()  # and no key was made up


def test_gunicorn_without_a_key_stops_instead_of_restarting_workers(tmp_path):
    done = start(GUNICORN, environment(tmp_path))
    assert done.returncode == APP_LOAD_ERROR
    assert one_line(done.stderr).startswith("oil-blends: cannot start: SECRET_KEY is not set")
    assert "App failed to load" in done.stderr


def test_the_suggested_command_makes_a_key_that_is_long_enough():
    made = subprocess.run(MAKE_A_SECRET_KEY, shell=True, capture_output=True, text=True, check=True, timeout=30)
    assert len(made.stdout.strip()) >= MIN_SECRET_KEY_LENGTH


def test_a_production_start_with_a_key_serves(tmp_path):
    code = "import app; print(app.app.test_client().get('/healthz').status_code)"
    done = start([sys.executable, "-c", code], environment(tmp_path, SECRET_KEY=GOOD_KEY))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "200"
    assert not (tmp_path / "instance" / "secret_key").exists()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_flask_run_works_on_a_fresh_machine_without_a_key(tmp_path):
    """The README's ``flask --app app run``: no SECRET_KEY, a new instance folder; a key is made and kept there."""
    port = free_port()
    command = [sys.executable, "-m", "flask", "--app", "app", "run", "--port", str(port)]
    server = subprocess.Popen(
        command, cwd=ROOT, env=environment(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline, status = time.monotonic() + 60, None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    status = response.status
                break
            except OSError:  # not listening yet
                time.sleep(0.2)
        assert status == 200, server.stderr.read().decode() if server.poll() is not None else "no answer"
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stderr.close()
    key = (tmp_path / "instance" / "secret_key").read_text()
    assert len(key) == 64


def test_other_flask_commands_work_without_a_key(tmp_path):
    env = environment(tmp_path)
    done = start([sys.executable, "-m", "flask", "--app", "app", "users", "list"], env)
    assert done.returncode == 0, done.stderr
    assert "no users yet" in done.stderr
    assert (tmp_path / "instance" / "secret_key").exists()


def test_a_command_line_start_is_told_by_flask_run_from_cli():
    """Flask's command line sets FLASK_RUN_FROM_CLI=true before it loads the app (the two tests above start it)."""
    assert started_by_flask_cli({"FLASK_RUN_FROM_CLI": "true"})
    assert not started_by_flask_cli({})
    assert not started_by_flask_cli({"FLASK_RUN_FROM_CLI": "1"})


def test_secret_key_in_development_and_production(tmp_path):
    instance = str(tmp_path / "instance")
    kept = secret_key(None, instance, development=True)
    assert len(kept) == 64 and (tmp_path / "instance" / "secret_key").read_text() == kept
    assert secret_key(None, instance, development=True) == kept  # the same key on the next start
    assert secret_key("test", instance, development=True) == "test"  # short keys are fine for tests
    assert secret_key(GOOD_KEY, instance, development=False) == GOOD_KEY
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        secret_key(None, instance, development=False)
    with pytest.raises(ConfigError, match=rf"SECRET_KEY is too short \({MIN_SECRET_KEY_LENGTH - 1} characters\)"):
        secret_key("k" * (MIN_SECRET_KEY_LENGTH - 1), instance, development=False)


@pytest.mark.parametrize(
    ("config", "development"),
    [({}, False), ({"TESTING": True}, True), ({"DEBUG": True}, True)],
    ids=["production", "testing", "debug"],
)
def test_create_app_decides_by_debug_testing_and_the_command_line(tmp_path, monkeypatch, config, development):
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.setenv("OIL_BLENDS_INSTANCE_PATH", str(tmp_path / "instance"))
    settings = {"SECRET_KEY": None, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}", **config}
    if not development:
        with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
            create_app(settings)
        monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")  # as the flask command does
    app = create_app(settings)
    try:
        assert app.config["SECRET_KEY"] == (tmp_path / "instance" / "secret_key").read_text()
    finally:
        with app.app_context():
            from oil_blends.extensions import db

            app.extensions["oil_blends.catalog"].close()
            db.engine.dispose()


# ---- any other bad setting -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        (
            "OIL_BLENDS_TOKEN_DAYS",
            "abc",
            "OIL_BLENDS_TOKEN_DAYS must be a whole number of days from 1 to 3650, not 'abc'",
        ),
        ("OIL_BLENDS_TOKEN_DAYS", "0", "OIL_BLENDS_TOKEN_DAYS must be a whole number of days from 1 to 3650, not '0'"),
        ("OIL_BLENDS_TOKEN_DAYS", "3651", "from 1 to 3650, not '3651'"),
        ("OIL_BLENDS_AUTO_MIGRATE", "maybe", "OIL_BLENDS_AUTO_MIGRATE must be 1 or 0 (or true/false, yes/no, on/off)"),
        ("OIL_BLENDS_AUTO_SEED", "2", "OIL_BLENDS_AUTO_SEED must be 1 or 0"),
        ("OIL_BLENDS_LOGIN_LIMIT", "five a minute", "OIL_BLENDS_LOGIN_LIMIT must read like '5 per minute'"),
        ("RATELIMIT_STORAGE_URI", "bogus://somewhere", "RATELIMIT_STORAGE_URI must be memory:// or a storage such as"),
        ("RATELIMIT_STORAGE_URI", "localhost:6379", "not a scheme-less URI"),
        ("DATABASE_URL", "not a url", "DATABASE_URL must be a PostgreSQL or SQLite URL"),
        ("DATABASE_URL", "mysql://user:hunter2@db/oils", "(it names 'mysql')"),
        ("OIL_BLENDS_HOSTS", "https://oils.example.org", "must be host names separated by commas"),
        ("OIL_BLENDS_HOSTS", "oils.example.org, exa mple/", "not 'mple/'"),
    ],
)
def test_a_bad_setting_is_named_with_what_it_takes(tmp_path, name, value, said):
    with pytest.raises(ConfigError) as raised:
        settings_from_env(str(tmp_path), {name: value})
    assert said in str(raised.value)
    assert "hunter2" not in str(raised.value)  # a database password is never repeated


@pytest.mark.skipif(bool(find_spec("redis") or find_spec("valkey")), reason="a Redis client is installed")
def test_a_storage_uri_whose_client_is_missing(tmp_path):
    with pytest.raises(ConfigError) as raised:
        settings_from_env(str(tmp_path), {"RATELIMIT_STORAGE_URI": "redis://:secret@cache:6379"})
    assert str(raised.value) == (
        "RATELIMIT_STORAGE_URI is a redis:// URI, which needs the redis or valkey package: pip install redis"
    )


def test_every_bad_setting_is_named_at_once(tmp_path):
    with pytest.raises(ConfigError) as raised:
        settings_from_env(str(tmp_path), {"OIL_BLENDS_TOKEN_DAYS": "x", "OIL_BLENDS_AUTO_SEED": "perhaps"})
    assert "OIL_BLENDS_TOKEN_DAYS" in str(raised.value) and "OIL_BLENDS_AUTO_SEED" in str(raised.value)
    assert "\n" not in str(raised.value)


def test_good_settings_are_read(tmp_path):
    settings = settings_from_env(
        str(tmp_path),
        {
            "OIL_BLENDS_TOKEN_DAYS": " 7 ",
            "OIL_BLENDS_AUTO_MIGRATE": "off",
            "OIL_BLENDS_AUTO_SEED": "Yes",
            "OIL_BLENDS_LOGIN_LIMIT": "10 per hour",
            "DATABASE_URL": "postgres://u:p@db/oils",
            "OIL_BLENDS_HOSTS": "oils.example.org, .example.net,localhost:8000",
        },
    )
    assert settings["TRUSTED_HOSTS"] == ["oils.example.org", ".example.net", "localhost:8000"]
    assert settings["TOKEN_LIFETIME_DAYS"] == 7
    assert settings["AUTO_MIGRATE"] is False and settings["AUTO_SEED"] is True
    assert settings["LOGIN_RATE_LIMIT"] == "10 per hour"
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db/oils"
    defaults = settings_from_env(str(tmp_path), {})
    assert defaults["TOKEN_LIFETIME_DAYS"] == 30 and defaults["AUTO_MIGRATE"] and defaults["AUTO_SEED"]
    assert defaults["MAX_CONTENT_LENGTH"] == 64 * 1024 and defaults["MAX_QUERY_BYTES"] == 2048
    assert defaults["TRUSTED_HOSTS"] is None  # any Host header


@pytest.mark.parametrize("command", [IMPORT_APP, [sys.executable, "-m", "flask", "--app", "app", "routes"]])
def test_a_bad_setting_stops_the_start_in_one_line(tmp_path, command):
    env = environment(tmp_path, SECRET_KEY=GOOD_KEY, OIL_BLENDS_TOKEN_DAYS="thirty")
    done = start(command, env)
    assert done.returncode == APP_LOAD_ERROR
    assert one_line(done.stderr) == (
        "oil-blends: cannot start: OIL_BLENDS_TOKEN_DAYS must be a whole number of days from 1 to 3650, not 'thirty'"
    )
    assert not (tmp_path / "oil-blends.sqlite3").exists()


def test_a_bad_login_limit_given_to_create_app_is_a_config_error(make_app):
    with pytest.raises(ConfigError, match=r"LOGIN_RATE_LIMIT \(OIL_BLENDS_LOGIN_LIMIT\) must read like '5 per minute'"):
        make_app(LOGIN_RATE_LIMIT="five a minute")


def test_a_worker_that_finds_no_database_exits_to_be_started_again_not_as_a_failed_boot(tmp_path):
    """Exit status 1 (gunicorn starts the worker again) in one line; a failed boot (3) would stop every worker."""
    env = environment(tmp_path, SECRET_KEY=GOOD_KEY, DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:1/none")
    done = start(IMPORT_APP, env)
    assert done.returncode == 1
    line = one_line(done.stderr)
    assert line.startswith("oil-blends: the database cannot be reached (") and "Connection refused" in line
    assert line.endswith("; this worker starts again")


# ---- a deploy step that migrates (OIL_BLENDS_AUTO_MIGRATE=0) ------------------------------------------------------

MIGRATE_IN_A_STEP = {"SECRET_KEY": GOOD_KEY, "OIL_BLENDS_AUTO_MIGRATE": "0"}
FLASK = [sys.executable, "-m", "flask", "--app", "app"]


def test_a_server_on_a_database_not_migrated_yet_stops_in_one_line_saying_how_to_migrate(tmp_path):
    done = start(GUNICORN, environment(tmp_path, **MIGRATE_IN_A_STEP))
    assert done.returncode == APP_LOAD_ERROR and "App failed to load" in done.stderr
    assert one_line(done.stderr) == (
        "oil-blends: cannot start: the database's schema is not migrated yet (no alembic_version table) and this "
        f"release needs revision {HEAD_REVISION}; OIL_BLENDS_AUTO_MIGRATE=0 leaves migrating to a deploy step: "
        "run flask --app app db upgrade, then start again"
    )


def test_the_commands_say_to_migrate_first_and_flask_db_upgrade_then_makes_them_work(tmp_path):
    env = environment(tmp_path, **MIGRATE_IN_A_STEP)
    for command in (["users", "list"], ["export-oils"], ["seed"], ["tokens", "list", "ada"]):
        done = start(FLASK + command, env)
        assert done.returncode == 1, (command, done.stderr)
        assert "Traceback" not in done.stderr
        assert done.stderr.startswith("Error: the database's schema is not migrated yet"), done.stderr
        assert done.stderr.rstrip().endswith("run flask --app app db upgrade, then start again")
    upgraded = start(FLASK + ["db", "upgrade"], env)
    assert upgraded.returncode == 0, upgraded.stderr
    listed = start(FLASK + ["users", "list"], env)
    assert listed.returncode == 0 and "no users yet" in listed.stderr
    assert start(IMPORT_APP, env).returncode == 0  # and a server starts (and seeds: OIL_BLENDS_AUTO_SEED is on)
    exported = start(FLASK + ["export-oils"], env)
    assert exported.returncode == 0 and '"lavender"' in exported.stdout


def test_flask_run_on_a_database_behind_answers_every_request_503_saying_how_to_migrate(make_app, databases):
    app = make_app(databases.new(), AUTO_MIGRATE=False)
    client = app.test_client()
    problem = client.get("/api/v1/oils")
    assert problem.status_code == 503 and problem.mimetype == "application/problem+json"
    assert problem.get_json()["detail"].endswith("run flask --app app db upgrade, then start again")
    page = client.get("/")
    assert page.status_code == 503 and "run flask --app app db upgrade, then start again" in page.get_data(as_text=True)


def test_a_command_that_finds_no_database_says_so_in_one_line_without_waiting(tmp_path):
    env = environment(tmp_path, SECRET_KEY=GOOD_KEY, DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:1/none")
    done = start(FLASK + ["users", "list"], env)
    assert done.returncode == 1
    line = one_line(done.stderr)
    assert line.startswith("oil-blends: cannot start: the database cannot be reached (") and "worker" not in line
