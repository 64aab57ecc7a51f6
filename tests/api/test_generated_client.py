"""Apps generate clients from the OpenAPI document: openapi-python-client, with its default settings, builds
one, and the calculation runs through it against the served app."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import BLEND

GENERATOR = Path(sys.executable).parent / "openapi-python-client"


@pytest.fixture(scope="module")
def generated_client(app, tmp_path_factory):
    if not GENERATOR.exists():
        pytest.fail(f"openapi-python-client is a test dependency; install it ({GENERATOR} is missing)")
    folder = tmp_path_factory.mktemp("client")
    spec = folder / "openapi.json"
    spec.write_text(json.dumps(app.test_client().get("/api/openapi.json").get_json()))
    package = folder / "oil_blends_client"
    result = subprocess.run(
        [str(GENERATOR), "generate", "--path", str(spec), "--meta", "none", "--output-path", str(package)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module("oil_blends_client")
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.startswith("oil_blends_client")]:
            del sys.modules[name]


def test_the_calculation_through_a_generated_client(generated_client, live_server):
    calculate_blend = importlib.import_module("oil_blends_client.api.blends.calculate_blend")
    models = importlib.import_module("oil_blends_client.models")
    client = generated_client.Client(base_url=live_server)
    document = {**BLEND, "on_limit": "cap", "profile": {"age_years": 70, "pregnant": False, "sun_exposure": None}}
    result = calculate_blend.sync(client=client, body=models.BlendRequest.from_dict(document))
    assert isinstance(result, models.BlendResult)
    assert result.capped is True  # 2 % asked, 1 % from age 65
    assert result.total_drops == 6  # 1 % of 30 mL at 20 drops/mL
    assert result.dilution.limited_by == ["age_65_plus"]


def test_a_refusal_through_a_generated_client(generated_client, live_server):
    calculate_blend = importlib.import_module("oil_blends_client.api.blends.calculate_blend")
    models = importlib.import_module("oil_blends_client.models")
    client = generated_client.Client(base_url=live_server)
    request = models.BlendRequest.from_dict({**BLEND, "profile": {"age_years": 1}})
    problem = calculate_blend.sync(client=client, body=request)
    assert isinstance(problem, models.Problem)
    assert problem.status == 422
    assert "child" in {warning.code for warning in problem.warnings}
