"""Data flows one way: the engine imports no Flask, SQL, marshmallow or pint; the CLI no Flask or pint; the
storage layer no API framework."""

import json
import subprocess
import sys

import pytest


def modules_after(statement: str) -> set[str]:
    code = f"import sys, json; {statement}; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    return {name.split(".")[0] for name in json.loads(done.stdout)}


@pytest.mark.parametrize(
    ("statement", "forbidden"),
    [
        ("import oil_blends.engine", {"flask", "sqlalchemy", "marshmallow", "pint"}),
        ("import oil_blends.storage.models, oil_blends.storage.oils", {"flask_smorest", "apispec", "webargs"}),
        ("import oil_blends.extensions", {"flask_smorest", "apispec", "webargs"}),
        ("import oil_blends.cli", {"flask", "sqlalchemy", "pint"}),
        (
            "from oil_blends.cli import run; run(['calc', '--carrier', 'jojoba', '--amount', '2 fl oz', "
            "'--oil', 'lavender', '--json'])",
            {"flask", "sqlalchemy", "pint"},
        ),
    ],
)
def test_imports(statement, forbidden):
    assert not modules_after(statement) & forbidden
