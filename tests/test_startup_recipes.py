"""A bad recipe file stops the service's start with one line naming the file and the reason."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from oil_blends.app import create_app
from oil_blends.documents.recipes import RecipeError

ROOT = Path(__file__).resolve().parents[1]
BAD_OIL = 'name = "x"\ncarrier = "jojoba"\namount = "30 mL"\n[[oils]]\noil = "lavendr"\nparts = 1\n'


def environment(tmp_path: Path, recipes: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "OIL_BLENDS_RECIPES_DIR": str(recipes),
            "OIL_BLENDS_INSTANCE_PATH": str(tmp_path / "instance"),
            "DATABASE_URL": "sqlite:///" + str(tmp_path / "oil-blends.sqlite3"),
            "SECRET_KEY": "t" * 32,  # a production start (gunicorn, import app) needs 32 characters or more
        }
    )
    return env


@pytest.fixture
def bad_recipes(tmp_path):
    folder = tmp_path / "recipes"
    folder.mkdir()
    (folder / "bad.toml").write_text(BAD_OIL)
    return folder


@pytest.mark.parametrize(
    "command",
    [[sys.executable, "-c", "import app"], [sys.executable, "-m", "flask", "--app", "app", "routes"]],
    ids=["import", "flask"],
)
def test_bad_recipe_stops_the_start_in_one_line(tmp_path, bad_recipes, command):
    done = subprocess.run(
        command, cwd=ROOT, env=environment(tmp_path, bad_recipes), capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("oil-blends: cannot start: ")
    assert str(bad_recipes / "bad.toml") in lines[0]
    assert "unknown essential oil 'lavendr'" in lines[0] and "lavender" in lines[0]
    assert not (tmp_path / "oil-blends.sqlite3").exists()  # stopped before the database was touched


def test_exit_status_tells_gunicorn_the_app_did_not_load(tmp_path, bad_recipes):
    done = subprocess.run(
        [sys.executable, "-c", "import app"],
        cwd=ROOT,
        env=environment(tmp_path, bad_recipes),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 4  # gunicorn's APP_LOAD_ERROR: it stops instead of restarting workers


def test_missing_recipes_folder_stops_the_start(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", "import app"],
        cwd=ROOT,
        env=environment(tmp_path, tmp_path / "none"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "cannot start" in done.stderr and str(tmp_path / "none") in done.stderr


def test_create_app_raises_a_recipe_error_naming_the_file(tmp_path, bad_recipes):
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test",
        "RECIPES_DIR": str(bad_recipes),
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "db.sqlite3"),
    }
    with pytest.raises(RecipeError, match="bad.toml"):
        create_app(settings)
