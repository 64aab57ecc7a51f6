"""``POST /api/v1/blends/calculate`` and ``/check``: the calculation, kept light (no schema dump on the way out),
and the check of a blend already made."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask, current_app, request
from flask.views import MethodView

from oil_blends.api.body import parse_body, request_body
from oil_blends.api.spec import ApiBlueprint as Blueprint
from oil_blends.api.spec import docs_only
from oil_blends.documents.calculator import calculate_document, check_document
from oil_blends.documents.problems import PROBLEM_CONTENT_TYPE, Problem
from oil_blends.documents.schemas import BlendRequestSchema, BlendResultSchema, CheckRequestSchema, CheckResultSchema
from oil_blends.engine import Oil
from oil_blends.storage.cache import catalog_cache

blp = Blueprint("blends", __name__, url_prefix="/api/v1/blends", description="Blend calculation")
DIRECT_ERROR = "oil_blends.direct_error"  # environ key: an error the direct answer (api/direct.py) met


@blp.before_request
def raise_direct_error() -> None:
    """An error met by the direct answer of this request is raised again here, for Flask's handlers to answer and
    log as any other (a database that does not answer: 503)."""
    error = request.environ.pop(DIRECT_ERROR, None)
    if error is not None:
        raise error


Answer = tuple[int, str, bytes]  # status, content type, body
MEMO_BODY_LIMIT = 4096  # longer bodies are answered but not remembered: 1024 of them stay under 4 MiB


class AnswerMemo:
    """Answers already given, keyed by the catalog version and the exact request body.

    A calculation is a pure function of the two, so the same body against an unchanged catalog gets the
    same bytes back without being parsed, validated and calculated again. Bounded, least recently used out.
    """

    def __init__(self, size: int = 1024):
        self._size = size
        self._answers: OrderedDict[tuple[int, bytes], Answer] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[int, bytes]) -> Answer | None:
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
            return answer

    def __contains__(self, key: tuple[int, bytes]) -> bool:
        with self._lock:
            return key in self._answers

    def put(self, key: tuple[int, bytes], answer: Answer) -> None:
        with self._lock:
            self._answers[key] = answer
            if len(self._answers) > self._size:
                self._answers.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()


def document_answer(
    app: Flask, answer_for: Callable[[Any, Mapping[str, Oil]], dict], body: bytes, catalog: Mapping[str, Oil]
) -> Answer:
    """The response to a request body: the document ``answer_for`` makes of it, or the problem it raises."""
    json = app.json
    dump_bytes = json.dump_bytes  # type: ignore[attr-defined] # the app's StrictJSONProvider
    try:
        document = answer_for(parse_body(body, json), catalog)
    except Problem as problem:
        return problem.status, PROBLEM_CONTENT_TYPE, dump_bytes(problem.to_dict())
    return 200, "application/json", dump_bytes(document)


def calculation_answer(app: Flask, body: bytes) -> Answer:
    """The answer to a calculation request body, from the answer memo when the same body was answered at this
    catalog version."""
    catalog = catalog_cache(app).current()
    memo = app.extensions["oil_blends.answers"]
    key = (catalog.version, body)
    answer = memo.get(key)
    if answer is None:
        answer = document_answer(app, calculate_document, body, catalog.oils)
        if len(body) <= MEMO_BODY_LIMIT:
            memo.put(key, answer)
    return answer


def check_answer(app: Flask, body: bytes) -> Answer:
    """The answer to a check request body."""
    return document_answer(app, check_document, body, catalog_cache(app).current().oils)


def answer_response(answer_for: Callable[[Flask, bytes], Answer], body: bytes):
    """A view's response: the answer ``answer_for`` gives the request's body."""
    app = current_app._get_current_object()
    status, content_type, payload = answer_for(app, body)
    return app.response_class(payload, status=status, content_type=content_type)


def json_post_doc(operation_id: str, request_schema, example: dict, response_schema):
    """The OpenAPI text of a POST that takes a JSON document: its body, its answer and its problems."""
    return docs_only(
        blp.doc(operationId=operation_id),
        blp.doc(
            requestBody={
                "required": True,
                "content": {"application/json": {"schema": request_schema, "example": example}},
            }
        ),
        blp.response(200, response_schema),
        blp.alt_response(400, response="BAD_REQUEST"),
        blp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE"),
        blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE"),
        blp.alt_response(422, response="UNPROCESSABLE_ENTITY"),
    )


REQUEST_EXAMPLE = {
    "carrier": "sweet-almond",
    "amount": "30 mL",
    "amount_of": "blend",
    "dilution": "2%",
    "oils": [{"oil": "lavender", "parts": 2}, {"oil": "peppermint", "parts": 1}],
    "use": "massage",
    "profile": {
        "age_years": 40,
        "pregnant": False,
        "skin": "normal",
        "conditions": [],
        "allergies": [],
        "sun_exposure": True,
    },
    "conventions": {"drops_per_ml": 20, "teaspoon": "metric"},
    "on_limit": "reject",
}


@blp.route("/calculate")
class BlendCalculation(MethodView):
    @json_post_doc("calculate_blend", BlendRequestSchema, REQUEST_EXAMPLE, BlendResultSchema)
    def post(self):
        """Calculate a blend in whole drops

        Turns a carrier, a batch amount in any unit, a dilution and essential oils in parts into drops
        and millilitres, capped or refused at the safe maximum for the use and the person, with every
        warning. Invalid input gets a 422 problem with `errors` per field (an unknown oil suggests the
        nearest slugs); a refused blend gets a 422 problem with its `warnings`.
        """
        return answer_response(calculation_answer, request_body())


CHECK_EXAMPLE = {
    "carrier": "jojoba",
    "amount": "30 mL",
    "oils": [{"oil": "lavender", "drops": 12}, {"oil": "tea-tree", "drops": 3}],
    "use": "massage",
    "profile": {"age_years": 40, "skin": "normal", "conditions": [], "allergies": [], "sun_exposure": True},
    "conventions": {"drops_per_ml": 20, "teaspoon": "metric"},
}


@blp.route("/check")
class BlendCheck(MethodView):
    @json_post_doc("check_blend", CheckRequestSchema, CHECK_EXAMPLE, CheckResultSchema)
    def post(self):
        """Check a blend already made

        Takes the carrier and its amount in any unit, and the drops of each essential oil that went in, and
        answers with each oil's millilitres and share of the blend, the dilution against the maximum for the
        use and the person, every warning, and whether it is `safe`. A blend that is too strong or not for the
        person is an answer (200, `safe` false), not an error: when strength is the only problem, `remedy`
        gives the least carrier to add (in mL and in the amount's unit) and the drops to use making it again;
        when an oil is contraindicated for the person, no dilution mends it and `remedy` is null. Invalid
        input, an unknown oil included, gets a 422 problem with `errors` per field.
        """
        return answer_response(check_answer, request_body())
