"""Small helpers shared by the API tests."""

from __future__ import annotations

from oil_blends.documents.problems import PROBLEM_CONTENT_TYPE

CALCULATE = "/api/v1/blends/calculate"
BLEND = {
    "carrier": "sweet-almond",
    "amount": "30 mL",
    "dilution": "2%",
    "oils": [{"oil": "lavender", "parts": 2}, {"oil": "peppermint", "parts": 1}],
}


def assert_problem(response, status: int) -> dict:
    """The response is an RFC 9457 problem with ``status``; returns its document."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM_CONTENT_TYPE
    problem = response.get_json(force=True)
    assert problem["status"] == status
    assert {"type", "title", "detail"} <= set(problem)
    assert "Traceback" not in response.get_data(as_text=True)
    return problem
