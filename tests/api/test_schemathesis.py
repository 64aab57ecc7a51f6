"""schemathesis over the whole served OpenAPI document, every check, zero failures.

The app is served on a loopback port and the ``st`` command line runs against it, as a client would,
with the repository's ``schemathesis.toml`` (the same settings ``st run`` picks up from the checkout).
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def served_app(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.mark.skipif(shutil.which("st") is None, reason="schemathesis is not installed")
def test_schemathesis_finds_nothing(served_app, tmp_path):
    done = subprocess.run(
        ["st", "--config-file", str(ROOT / "schemathesis.toml"), "run", f"{served_app}/api/openapi.json",
         "--checks", "all", "--max-examples", "40", "--workers", "2", "--no-color"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout[-20_000:] + done.stderr[-5_000:]
