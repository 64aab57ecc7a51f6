"""The app with part of a calculation made free: how far each part keeps new bodies from the echo's throughput.

A benchmark fixture for ``benchmarks/ceilings.sh``, not the product. ``OIL_BLENDS_CEILING`` says what is skipped
on ``POST /api/v1/blends/calculate``; everything else (gunicorn, Flask, the hooks, the catalog-version check,
reading the body, the JSON parse, the answer memo, writing the response) runs as in the app:

- ``engine``: each body is still validated into an engine request, then answered with the document of the first
  body this worker calculated (the engine does not run);
- ``all``: each body is read as JSON and answered with that document (neither validation nor the engine runs).

Run: ``OIL_BLENDS_CEILING=engine gunicorn -w 2 --chdir benchmarks ceiling_app:app``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import app as served  # noqa: E402
from oil_blends.api import blends  # noqa: E402
from oil_blends.documents import calculator  # noqa: E402

SKIPPED = os.environ.get("OIL_BLENDS_CEILING", "")
if SKIPPED not in ("engine", "all"):
    raise SystemExit("set OIL_BLENDS_CEILING to 'engine' or 'all'")

_first: dict[str, Any] = {}


def calculate_document(payload: Any, catalog: Any, rules: Any = None) -> dict[str, Any]:
    """The first body's answer for every body, after validating each one when only the engine is skipped."""
    if SKIPPED == "engine":
        calculator.load_request(payload)
    if "document" not in _first:
        _first["document"] = calculator.calculate_document(payload, catalog, rules)
    return _first["document"]


blends.calculate_document = calculate_document  # the view looks it up by this name on every request
app = served.app
