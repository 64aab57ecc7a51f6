"""schemathesis over the whole served OpenAPI document, every check, zero failures.

The app is served on a loopback port and the ``st`` command line runs against it, as a client would,
with the repository's ``schemathesis.toml`` (the same settings ``st run`` picks up from the checkout).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("st") is None, reason="schemathesis is not installed")
def test_schemathesis_finds_nothing(live_server, tmp_path):
    done = subprocess.run(
        [
            "st",
            "--config-file",
            str(ROOT / "schemathesis.toml"),
            "run",
            f"{live_server}/api/openapi.json",
            "--checks",
            "all",
            "--max-examples",
            "40",
            "--workers",
            "2",
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout[-20_000:] + done.stderr[-5_000:]
