"""Data flows one way: interfaces (api, web, cli) -> documents -> engine, storage. The engine imports no
Flask, SQL, marshmallow or pint, reads no environment or file and names no HTTP path; the documents layer
imports no Flask or database; the CLI no Flask or pint; the storage layer no API framework."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[1] / "src" / "oil_blends" / "engine"


def modules_after(statement: str) -> set[str]:
    code = f"import sys, json; {statement}; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    return {name.split(".")[0] for name in json.loads(done.stdout)}


@pytest.mark.parametrize(
    ("statement", "forbidden"),
    [
        ("import oil_blends.engine", {"flask", "sqlalchemy", "marshmallow", "pint", "tomllib"}),
        (
            "import oil_blends.documents.calculator, oil_blends.documents.catalog, oil_blends.documents.recipes, "
            "oil_blends.documents.search, oil_blends.documents.wording, oil_blends.documents.strict_json",
            {"flask", "werkzeug", "sqlalchemy", "flask_smorest", "apispec"},
        ),
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


READS_OUTSIDE = {"open", "environ", "getenv", "read_text", "read_bytes", "resources", "Path", "sys"}


@pytest.mark.parametrize("module", sorted(ENGINE.glob("*.py")), ids=lambda path: path.name)
def test_the_engine_reads_no_environment_or_file_and_names_no_http_path(module):
    tree = ast.parse(module.read_text(encoding="utf-8"))
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    names |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    } | {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    strings = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    assert not names & READS_OUTSIDE
    assert not imported & {"os", "sys", "pathlib", "importlib", "tomllib", "json", "io"}
    assert not [text for text in strings if "/api/" in text or "GET " in text or "POST " in text]


def test_no_view_or_request_hook_is_async(app):
    """The app runs views and hooks as they are (``OilBlendsFlask.ensure_sync``): an ``async def`` would
    answer with an unawaited coroutine, so none may be one."""
    import inspect
    from functools import partial

    def plain(func) -> bool:
        func = func.func if isinstance(func, partial) else func
        return not inspect.iscoroutinefunction(inspect.unwrap(func))

    hooks = [
        hook
        for registry in (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs)
        for scoped in registry.values()
        for hook in scoped
    ]
    views = list(app.view_functions.values())
    view_methods = [
        getattr(view.view_class, method.lower())
        for view in views
        if hasattr(view, "view_class")
        for method in view.view_class.methods or ()
    ]
    assert views and hooks
    assert all(plain(func) for func in [*views, *view_methods, *hooks, *app.teardown_appcontext_funcs])
