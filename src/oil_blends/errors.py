"""Every error as an RFC 9457 ``application/problem+json`` document; nothing leaks a traceback."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException

from oil_blends.config import MAX_BODY_BYTES
from oil_blends.documents.problems import PROBLEM_CONTENT_TYPE, Problem, invalid_request

# Short, plain details for the errors werkzeug raises (its own descriptions are written for HTML pages).
DETAILS = {
    400: "the request could not be read",
    404: "nothing here: see /api/docs for the endpoints",
    405: "this method is not allowed here",
    413: f"the request body is over the {MAX_BODY_BYTES // 1024} KiB limit",
    415: "send the request body as application/json",
    500: "the server failed to answer this request; the error has been logged",
}
PASSED_HEADERS = ("allow", "www-authenticate", "retry-after")


def problem_response(problem: Problem, headers: Iterable[tuple[str, str]] = ()) -> Response:
    """The problem as a response, with the problem+json content type."""
    response = current_app.response_class(
        current_app.json.dumps(problem.to_dict()), status=problem.status, mimetype=PROBLEM_CONTENT_TYPE
    )
    for name, value in headers:
        response.headers[name] = value
    return response


def _validation_errors(messages: Mapping) -> Mapping:
    """webargs groups messages by location ({"query": {...}}); one location is unwrapped."""
    if len(messages) == 1:
        return next(iter(messages.values()))
    return messages


def http_problem(error: HTTPException) -> Response:
    """Any werkzeug/flask-smorest HTTP error as a problem; webargs' 422 carries ``errors`` per field."""
    if error.response is not None:  # a complete response, e.g. 304 Not Modified
        return error.response
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    if status == 422 and "messages" in data:
        problem = invalid_request(_validation_errors(data["messages"]))
    else:
        detail = data.get("message") or DETAILS.get(status) or (error.description or error.name)
        if status == 405 and getattr(error, "valid_methods", None):
            detail = f"{request.method} is not allowed here; allowed: {', '.join(error.valid_methods)}"
        problem = Problem(status, detail)
    headers = [(name, value) for name, value in error.get_headers() if name.lower() in PASSED_HEADERS]
    headers += list((data.get("headers") or {}).items())
    return problem_response(problem, headers)


def handle_problem(problem: Problem) -> Response:
    return problem_response(problem)


def register_errorhandlers(app: Flask) -> None:
    """Problems raised by the engine layer and every HTTP error, inside and outside the API."""
    app.register_error_handler(Problem, handle_problem)
    app.register_error_handler(HTTPException, http_problem)
    development_server_problems()


# The development server (``flask run``) answers some errors before the app sees the request, e.g. a request
# line over 64 KiB (414): http.server fills this template with the status, its phrase and its explanation.
_SERVER_PROBLEM = '{"type": "about:blank", "title": "%(message)s", "status": %(code)d, "detail": "%(explain)s"}'


def development_server_problems() -> None:
    """Make the errors ``flask run`` answers itself problem documents too (it has no per-app setting)."""
    from werkzeug.serving import WSGIRequestHandler

    WSGIRequestHandler.error_content_type = PROBLEM_CONTENT_TYPE
    WSGIRequestHandler.error_message_format = _SERVER_PROBLEM
