"""The database: first start, migrations as the schema's source, shared catalog across instances, commands."""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select
from sqlalchemy import update as sa_update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from oil_blends.app import create_app
from oil_blends.config import database_url
from oil_blends.documents.catalog import catalog_document, source_registry
from oil_blends.documents.recipes import RecipeError
from oil_blends.extensions import db
from oil_blends.storage.database import HEAD_REVISION
from oil_blends.storage.models import Oil, Source
from oil_blends.storage.oils import catalog_version, find_oil

from .helpers import BLEND, CALCULATE, assert_problem

LAVENDER_ONLY = {**BLEND, "oils": [{"oil": "lavender"}]}


def test_migrations_produce_the_models_schema(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_an_edit_through_one_instance_is_seen_by_the_next_request_to_another(make_app):
    first = make_app()
    second = make_app(first.config["SQLALCHEMY_DATABASE_URI"])
    assert second.test_client().post(CALCULATE, json=LAVENDER_ONLY).status_code == 200  # cache warm

    with first.app_context():
        before = catalog_version()
        find_oil("lavender").max_dermal_percent = 0.5
        db.session.commit()
        assert catalog_version() > before

    problem = assert_problem(second.test_client().post(CALCULATE, json=LAVENDER_ONLY), 422)
    assert [w["code"] for w in problem["warnings"] if w["severity"] == "danger"] == ["oil_maximum"]
    assert second.test_client().get("/api/v1/oils/lavender").get_json()["max_dermal_percent"] == 0.5


def test_a_second_start_does_not_seed_again(make_app):
    first = make_app()
    with first.app_context():
        db.session.delete(find_oil("birch"))
        db.session.commit()
    second = make_app(first.config["SQLALCHEMY_DATABASE_URI"])
    assert second.test_client().get("/api/v1/oils/birch").status_code == 404


def test_a_recipe_whose_oil_was_deleted_answers_422(make_app):
    app = make_app()
    with app.app_context():
        db.session.delete(find_oil("roman-chamomile"))
        db.session.commit()
    again = make_app(app.config["SQLALCHEMY_DATABASE_URI"])  # starts, with a warning in the log
    problem = assert_problem(again.test_client().get("/api/v1/recipes/diabetic-foot-care"), 422)
    assert "roman-chamomile" in problem["detail"]


def test_a_stale_write_loses_instead_of_overwriting(make_app):
    """Oil rows carry a version: an update based on an older read fails (no lost edits)."""
    app = make_app()
    with app.app_context(), Session(db.engine) as stale:
        stale_oil = stale.execute(select(Oil).where(Oil.slug == "lavender")).scalar_one()
        oil = find_oil("lavender")
        oil.name = "Lavender (first edit)"
        db.session.commit()
        stale_oil.name = "Lavender (edit from an old read)"
        with pytest.raises(StaleDataError):
            stale.commit()
        assert find_oil("lavender").name == "Lavender (first edit)"


def test_first_start_creates_migrates_and_seeds_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("OIL_BLENDS_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"SECRET_KEY": None, "TESTING": True})  # outside development a key must be set
    path = tmp_path / "instance" / "oil-blends.sqlite3"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{path}"
    assert app.test_client().get("/api/v1/oils/lavender").status_code == 200
    assert (tmp_path / "instance" / "secret_key").read_text() == app.config["SECRET_KEY"]
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        app.extensions["oil_blends.catalog"].close()
        db.engine.dispose()
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD_REVISION,)
        assert connection.execute("SELECT count(*) FROM oils").fetchone() == (len(catalog_document()["oils"]),)
    connection.close()


def test_workers_starting_together_migrate_and_seed_once(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}", "SECRET_KEY": "x" * 32, "PATH": ""}
    code = "from oil_blends.app import create_app; create_app()"
    starts = [subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.PIPE) for _ in range(3)]
    for start in starts:
        _, errors = start.communicate(timeout=120)
        assert start.returncode == 0, errors.decode()
    with sqlite3.connect(tmp_path / "shared.sqlite3") as connection:
        assert connection.execute("SELECT count(*) FROM oils").fetchone() == (len(catalog_document()["oils"]),)
    connection.close()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u:p@db/oils", "postgresql+psycopg://u:p@db/oils"),
        ("postgresql://u@db/oils", "postgresql+psycopg://u@db/oils"),
        ("postgresql+psycopg://u@db/oils", "postgresql+psycopg://u@db/oils"),
        ("sqlite:////data/oils.db", "sqlite:////data/oils.db"),
        (None, "sqlite:////srv/instance/oil-blends.sqlite3"),
    ],
)
def test_database_url_from_the_environment(url, expected):
    assert database_url(url, "/srv/instance") == expected


def test_a_bad_recipe_file_stops_the_start_naming_the_file(make_app, tmp_path):
    (tmp_path / "broken-blend.toml").write_text(
        'name = "Broken"\ncarrier = "jojoba"\namount = "30 mL"\n[[oils]]\noil = "unobtainium"\n'
    )
    with pytest.raises(RecipeError, match="broken-blend.toml.*unobtainium"):
        make_app(RECIPES_DIR=str(tmp_path))


def test_export_then_import_round_trip(make_app, tmp_path):
    app = make_app()
    runner = app.test_cli_runner()
    exported = tmp_path / "oils.json"
    assert runner.invoke(args=["export-oils", str(exported)]).exit_code == 0
    document = json.loads(exported.read_text())
    assert document["oils"] == sorted(catalog_document()["oils"], key=lambda oil: oil["slug"])
    assert document["sources"] == source_registry()

    lavender = next(oil for oil in document["oils"] if oil["slug"] == "lavender")
    lavender["shelf_life_months"] = 36
    document["oils"].append({**lavender, "slug": "lavender-test", "name": "Test lavender"})
    exported.write_text(json.dumps(document))
    result = runner.invoke(args=["import-oils", str(exported)])
    assert result.exit_code == 0, result.output
    assert "1 oils created, 1 updated" in result.output

    revisions = app.test_client().get("/api/v1/oils/lavender/revisions").get_json()
    assert revisions[0]["author"] == "import"
    assert revisions[0]["changes"] == {"shelf_life_months": [24, 36]}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"oils": [{"slug": "Bad Slug", "name": "x", "kind": "essential", "sources": ["TY"]}]}, "slug"),
        ({"oils": [{"slug": "ok-oil", "name": "x", "kind": "resin", "sources": ["TY"]}]}, "kind"),
        ([{"slug": "ok-oil", "name": "x", "kind": "essential"}], "sources"),
        ({"oils": "none"}, "expected"),
    ],
)
def test_invalid_import_changes_nothing(make_app, tmp_path, document, message):
    app = make_app()
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    result = app.test_cli_runner().invoke(args=["import-oils", str(path)])
    assert result.exit_code == 2
    assert message in result.output
    assert app.test_client().get("/api/v1/oils/ok-oil").status_code == 404


GOOD_OIL = {"slug": "ok-oil", "name": "x", "kind": "essential", "sources": ["ok-source"]}


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ({"title": "A page", "url": "javascript:alert(1)"}, "must be an http or https address"),
        ({"title": "A page", "url": "https://example.org/\u202epage"}, "must be plain text"),
        ({"title": "Nul\x00title"}, "must be plain text"),
        ({"title": "x" * 501}, "must be 1 to 500 characters long"),
        ({"title": ""}, "title"),
        ({"publisher": "no title"}, "this field is required"),
        ({"title": "A page", "pages": "12"}, "unknown field"),
        ({"title": "A page", "key": "other"}, '"sources" must map each key'),
        (["A page"], '"sources" must map each key'),
    ],
)
def test_an_import_with_a_bad_source_changes_nothing(make_app, tmp_path, source, message):
    app = make_app()
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"sources": {"ok-source": source}, "oils": [GOOD_OIL]}))
    result = app.test_cli_runner().invoke(args=["import-oils", str(path)])
    assert result.exit_code == 2, result.output
    assert "source 'ok-source'" in result.output and message in result.output
    assert "Traceback" not in result.output
    assert app.test_client().get("/api/v1/sources/ok-source").status_code == 404
    assert app.test_client().get("/api/v1/oils/ok-oil").status_code == 404


@pytest.mark.parametrize("key", ["", "x" * 61, "two words", "bad\u202ekey", "-leading", "trailing-", "a--b", "line\n"])
def test_an_import_with_a_bad_source_key_changes_nothing(make_app, tmp_path, key):
    app = make_app()
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"sources": {key: {"title": "A page"}}, "oils": [GOOD_OIL]}))
    result = app.test_cli_runner().invoke(args=["import-oils", str(path)])
    assert result.exit_code == 2, result.output
    assert f"source {key!r}: {{'key'" in result.output
    assert app.test_client().get("/api/v1/oils/ok-oil").status_code == 404


def test_an_import_takes_a_source_given_as_its_title_alone(make_app, tmp_path):
    app = make_app()
    path = tmp_path / "old.json"
    path.write_text(json.dumps({"sources": {"ok-source": "A page"}, "oils": [GOOD_OIL]}))
    result = app.test_cli_runner().invoke(args=["import-oils", str(path)])
    assert result.exit_code == 0, result.output
    source = app.test_client().get("/api/v1/sources/ok-source").get_json()
    assert source == {"key": "ok-source", "title": "A page", "publisher": None, "url": None, "citation": None}
    before = app.test_client().get("/api/v1/sources/TY").get_json()
    path.write_text(json.dumps({"sources": {"TY": "Essential Oil Safety"}, "oils": []}))
    assert app.test_cli_runner().invoke(args=["import-oils", str(path)]).exit_code == 0
    after = app.test_client().get("/api/v1/sources/TY").get_json()  # a title alone changes the title, nothing else
    assert after == {**before, "title": "Essential Oil Safety"} and after["citation"] and after["publisher"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"oils": [{"slug": "ok-oil", "name": "x", "kind": "essential", "sources": ["TY"], '
            '"max_dermal_percent": 0.5, "max_dermal_percent": 99}]}',
            "the key 'max_dermal_percent' is given twice in one object",
        ),
        ('{"oils": ' + "[" * 5000 + "]" * 5000 + "}", "nested too deeply"),
        ('{"oils": [{"slug": "ok-oil", "max_dermal_percent": NaN}]}', "NaN is not a JSON number"),
    ],
)
def test_an_import_file_that_is_not_plain_json_is_refused_in_one_line(make_app, tmp_path, text, message):
    app = make_app()
    path = tmp_path / "bad.json"
    path.write_text(text)
    result = app.test_cli_runner().invoke(args=["import-oils", str(path)])
    assert result.exit_code == 1
    assert "not valid JSON" in result.output and message in result.output
    assert "Traceback" not in result.output
    assert app.test_client().get("/api/v1/oils/ok-oil").status_code == 404


def test_seed_command_on_a_seeded_database(runner):
    assert "already seeded" in runner.invoke(args=["seed"]).output


def test_db_upgrade_command_is_there(runner):
    result = runner.invoke(args=["db", "current"])
    assert result.exit_code == 0, result.output


def test_migration_scripts_ship_with_the_package():
    import oil_blends

    versions = Path(oil_blends.__file__).parent / "migrations" / "versions"
    assert sorted(path.name for path in versions.glob("*.py")) == [
        "0001_initial_schema.py",
        "0002_structured_sources.py",
        "0003_review_of_edits.py",
        "0004_sessions_end_at_logout.py",
    ]


def test_an_export_that_cannot_be_written_whole_leaves_the_earlier_file_as_it_was(tmp_path):
    """A full disk, made real for the command's process by a file size limit (the OS refuses the write past it)."""
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith(("FLASK_", "OIL_BLENDS_"))},
        "SECRET_KEY": "k" * 32,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'oils.sqlite3'}",
        "OIL_BLENDS_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    export = [str(Path(sys.executable).parent / "flask"), "--app", "app", "export-oils", str(tmp_path / "out.json")]
    root = Path(__file__).resolve().parents[2]
    first = subprocess.run(export, cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    exported = (tmp_path / "out.json").read_bytes()
    assert json.loads(exported)["oils"]
    (tmp_path / "out.json").chmod(0o640)

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (len(exported) // 2, len(exported) // 2))

    full = subprocess.run(export, cwd=root, env=env, capture_output=True, text=True, timeout=120, preexec_fn=small_disk)
    assert full.returncode == 1
    assert (
        full.stderr
        == f"Error: cannot write {tmp_path / 'out.json'}: File too large; the earlier file was left as it was\n"
    )
    assert (tmp_path / "out.json").read_bytes() == exported
    assert sorted(path.name for path in tmp_path.glob("*out.json*")) == ["out.json"]  # no temporary file left
    again = subprocess.run(export, cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "out.json").stat().st_mode & 0o777 == 0o640  # a new export keeps the file's mode
    with open("/dev/full", "w") as full_disk:  # writing to it always fails: no space left on device
        to_output = subprocess.run(
            export[:-1], cwd=root, env=env, stdout=full_disk, stderr=subprocess.PIPE, text=True, timeout=120
        )
    assert to_output.returncode == 1
    assert to_output.stderr == "Error: could not write the output: No space left on device\n"


def test_check_catalog_names_each_stored_entry_todays_rules_refuse(make_app):
    app = make_app()
    runner = app.test_cli_runner()
    clean = runner.invoke(args=["check-catalog"])
    assert clean.exit_code == 0 and clean.output == "every stored oil and source passes today's rules\n"
    with app.app_context():  # values stored before today's rules (or written past the app)
        db.session.execute(sa_update(Oil).where(Oil.slug == "lavender").values(max_dermal_percent=1e-310))
        db.session.execute(sa_update(Oil).where(Oil.slug == "basil").values(name="Basil\u202e"))
        db.session.execute(sa_update(Source).where(Source.key == "TY").values(url="javascript:alert(1)"))
        db.session.commit()
    found = runner.invoke(args=["check-catalog"])
    assert found.exit_code == 1
    lines = found.output.splitlines()
    assert len(lines) == 4 and lines[-1].startswith("3 entries break today's rules")
    assert any("(lavender): {'max_dermal_percent': ['must be from 0.001 to 100" in line for line in lines)
    assert any("(basil): {'name': ['must be plain text" in line for line in lines)
    assert any(
        line.startswith("source 'TY': {'url': ") and "must be an http or https address" in line for line in lines
    )


def test_an_export_through_a_link_writes_the_file_it_points_to_and_a_device_is_written_as_a_stream(make_app, tmp_path):
    runner = make_app().test_cli_runner()
    (tmp_path / "real.json").write_text("{}")
    (tmp_path / "link.json").symlink_to(tmp_path / "real.json")
    (tmp_path / "null").symlink_to("/dev/null")
    assert runner.invoke(args=["export-oils", str(tmp_path / "link.json")]).exit_code == 0
    assert (tmp_path / "link.json").is_symlink() and json.loads((tmp_path / "real.json").read_text())["oils"]
    assert runner.invoke(args=["export-oils", str(tmp_path / "null")]).exit_code == 0
    assert (tmp_path / "null").is_symlink() and Path("/dev/null").is_char_device()
    missing = runner.invoke(args=["export-oils", str(tmp_path / "no-such-folder" / "out.json")])
    assert missing.exit_code == 1
    assert (
        missing.output == f"Error: cannot write {tmp_path / 'no-such-folder' / 'out.json'}: No such file or directory\n"
    )


def test_check_catalog_runs_on_values_that_break_the_engine_and_on_rows_it_cannot_read(make_app, databases):
    app = make_app()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():  # lavender is in shipped recipes, which start-up calculates with the stored catalog
        db.session.execute(sa_update(Oil).where(Oil.slug == "lavender").values(drops_per_ml=0))
        db.session.execute(sa.text("UPDATE oils SET sources = '\"TY\"' WHERE slug = 'basil'"))
        db.session.commit()
    again = make_app(url)  # starts: the recipes' check with the stored catalog fails, and is logged
    found = again.test_cli_runner().invoke(args=["check-catalog"])
    assert found.exit_code == 1, found.output
    assert "(lavender): {'drops_per_ml': ['must be from 5 to 100']}" in found.output
    assert "(basil): {'sources': ['must be a list']}" in found.output  # not the list ["T", "Y"]
    if databases.backend == "sqlite":  # PostgreSQL's JSON columns cannot hold text that is not JSON
        with again.app_context():
            db.session.execute(sa.text("UPDATE oils SET allergens = 'not json' WHERE slug = 'basil'"))
            db.session.commit()
        unreadable = make_app(url).test_cli_runner().invoke(args=["check-catalog"])
        assert unreadable.exit_code == 1 and "Traceback" not in unreadable.output
        assert unreadable.output.startswith(
            "Error: the stored catalog cannot be read: JSONDecodeError: Expecting value"
        )


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_an_import_file_is_read_as_the_api_reads_a_body(make_app, tmp_path, encoding):
    app = make_app()
    path = tmp_path / "oils.json"
    path.write_text(json.dumps({"oils": [{**GOOD_OIL, "sources": ["TY"]}]}), encoding=encoding)
    result = app.test_cli_runner().invoke(args=["import-oils", str(path)])
    assert result.exit_code == 0, result.output
    assert app.test_client().get("/api/v1/oils/ok-oil").status_code == 200


def test_an_import_names_its_bad_oils_and_its_bad_sources_at_once(make_app, tmp_path):
    app = make_app()
    path = tmp_path / "bad.json"
    bad_oil = {**GOOD_OIL, "kind": "resin"}
    path.write_text(json.dumps({"sources": {"BAD": {"title": "x", "url": "ftp://x"}}, "oils": [bad_oil]}))
    result = app.test_cli_runner().invoke(args=["import-oils", str(path)])
    assert result.exit_code == 2
    assert "oil 0 (ok-oil): {'kind'" in result.output and "source 'BAD': {'url'" in result.output
