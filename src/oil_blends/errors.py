"""Errors: RFC 9457 ``application/problem+json`` documents under ``/api/``, HTML pages for people elsewhere.
Nothing leaks a traceback."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask import Flask, Response, current_app, render_template, request
from werkzeug.exceptions import HTTPException

from oil_blends.config import MAX_BODY_BYTES
from oil_blends.documents.problems import PROBLEM_CONTENT_TYPE, Problem, invalid_request

# Short, plain details for the errors werkzeug raises (its own descriptions are written for HTML pages).
DETAILS = {
    400: "the request could not be read",
    404: "nothing here: see /api/docs for the endpoints",
    405: "this method is not allowed here",
    413: f"the request body is over the {MAX_BODY_BYTES // 1024} KiB limit",
    412: "the entry changed since you read it (If-Match no longer matches its ETag): read it again and redo the change",
    415: "send the request body as application/json",
    428: "send the entry's ETag in If-Match (from a GET of it), so that a change cannot overwrite another unseen",
    500: "the server failed to answer this request; the error has been logged",
}
PASSED_HEADERS = ("allow", "www-authenticate", "retry-after")
# The same errors on a page for people: a title and what to do.
PAGES = {
    400: ("The request could not be read", "The address or form could not be understood. Go back and try again."),
    404: ("Page not found", "There is no page at this address. It may have moved, or the address has a typo."),
    405: ("Not allowed", "This page cannot be used that way."),
    413: ("Too much to send", f"The request is over the {MAX_BODY_BYTES // 1024} KiB limit."),
    500: ("Something went wrong", "The server failed to show this page. The error has been logged; please try again."),
}


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


API_PATHS = ("/api", "/healthz")  # the JSON API and its health check: errors as problem documents


def is_api_request() -> bool:
    return any(request.path == path or request.path.startswith(path + "/") for path in API_PATHS)


def http_error(error: HTTPException) -> Response:
    """A problem document for the API, a page for people everywhere else."""
    if error.response is not None:  # a complete response, e.g. 304 Not Modified
        return error.response
    if is_api_request():
        return http_problem(error)
    return error_page(error)


def error_page(error: HTTPException) -> Response:
    """The error as an HTML page; a description set where the error was raised says what was not found."""
    status = error.code or 500
    title, message = PAGES.get(status, (error.name, error.description or ""))
    if error.description and error.description != type(error).description:
        message = error.description
    body = render_template("error.html", title=title, message=message, status=status)
    response = current_app.response_class(body, status=status, mimetype="text/html")
    for name, value in error.get_headers():
        if name.lower() in PASSED_HEADERS:
            response.headers[name] = value
    return response


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
    """Problems raised by the documents layer and every HTTP error: documents in the API, pages elsewhere."""
    app.register_error_handler(Problem, handle_problem)
    app.register_error_handler(HTTPException, http_error)
    development_server_problems()


# The development server (``flask run``) answers some errors before the app sees the request, e.g. a request
# line over 64 KiB (414): http.server fills this template with the status, its phrase and its explanation.
_SERVER_PROBLEM = '{"type": "about:blank", "title": "%(message)s", "status": %(code)d, "detail": "%(explain)s"}'


def development_server_problems() -> None:
    """Make the errors ``flask run`` answers itself problem documents too (it has no per-app setting)."""
    from werkzeug.serving import WSGIRequestHandler

    WSGIRequestHandler.error_content_type = PROBLEM_CONTENT_TYPE
    WSGIRequestHandler.error_message_format = _SERVER_PROBLEM
