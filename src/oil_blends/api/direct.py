"""The two blend calculations answered straight from WSGI, in front of Flask's request cycle.

``POST /api/v1/blends/calculate`` and ``/check`` are the API's busiest requests, and on a body never seen before
Flask's request cycle (the request and app contexts, URL matching, the hooks, the response object) cost about as
much as reading, validating and calculating it (``benchmarks/API_RESULTS.md``). A plain request to either (POST,
``application/json``, a Content-Length within the body limit, no query string, a host the app serves) is answered
here by the function the Flask view calls (``blends.calculation_answer``, ``blends.check_answer``), so the status,
the body and the headers are the view's; ``tests/api/test_direct_answers.py`` compares the two on generated
requests. Anything else goes to Flask unchanged, its body handed back as it was read. So does an error raised on
the way (a database that does not answer, a bug): it is raised again at the start of the view's request
(``blends.raise_direct_error``), and Flask's handlers answer and log it as they do any other.

The security headers are added outside this layer (``security.SecurityHeaders``), to these answers as to all.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask
from werkzeug.exceptions import SecurityError
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wsgi import get_host

from oil_blends.api.blends import DIRECT_ERROR, Answer, calculation_answer, check_answer
from oil_blends.storage.database import SCHEMA_BEHIND

ROUTES: dict[str, Callable[[Flask, bytes], Answer]] = {
    "/api/v1/blends/calculate": calculation_answer,
    "/api/v1/blends/check": check_answer,
}
MOST_LENGTH_DIGITS = 18  # a longer Content-Length is over any limit: Flask says so (int() refuses 4300 digits)
# The status line werkzeug's Response writes for a code ("422 UNPROCESSABLE ENTITY")
STATUS_LINES = {code: f"{code} {phrase.upper()}" for code, phrase in HTTP_STATUS_CODES.items()}

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class DirectAnswers:
    """WSGI middleware: plain calculation and check requests answered without Flask's request cycle; every
    other request passed to ``wsgi_app``."""

    def __init__(self, app: Flask, wsgi_app: WsgiApp):
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        answer_for = ROUTES.get(environ.get("PATH_INFO", ""))
        if answer_for is None or environ.get("REQUEST_METHOD") != "POST":
            return self.wsgi_app(environ, start_response)
        body = self.plain_body(environ)
        if body is None:
            return self.wsgi_app(environ, start_response)
        app = self.app
        try:
            status, content_type, payload = answer_for(app, body)  # no app context: nothing it runs needs one
        except Exception as error:
            environ[DIRECT_ERROR] = error
            environ["wsgi.input"] = io.BytesIO(body)
            return self.wsgi_app(environ, start_response)
        start_response(STATUS_LINES[status], [("Content-Type", content_type), ("Content-Length", str(len(payload)))])
        return [payload]

    def plain_body(self, environ: dict[str, Any]) -> bytes | None:
        """The body of a request the view would read as it is, or None for one Flask must see (the body, if read,
        is put back for it)."""
        config = self.app.config
        length = environ.get("CONTENT_LENGTH") or ""
        if (
            environ.get("QUERY_STRING")
            or environ.get("HTTP_TRANSFER_ENCODING")
            or not (length.isascii() and length.isdigit() and len(length) <= MOST_LENGTH_DIGITS)
            or not _is_json(environ.get("CONTENT_TYPE", ""))
            or SCHEMA_BEHIND in self.app.extensions
            or config["SERVER_NAME"]
            or not _host_served(environ, config["TRUSTED_HOSTS"])
        ):
            return None
        size = int(length)
        limit = config["MAX_CONTENT_LENGTH"]
        if size == 0 or (limit is not None and size > limit):
            return None
        body = environ["wsgi.input"].read(size)
        if len(body) != size or body.isspace():  # cut short, or blank: Flask's answer says so
            environ["wsgi.input"] = io.BytesIO(body)
            return None
        return body


def _is_json(content_type: str) -> bool:
    """Whether the Content-Type is application/json, with or without parameters, read as werkzeug reads a request's
    ``mimetype`` (what ``request.is_json`` takes as JSON, but for the ``+json`` types, which Flask is left to read)."""
    return content_type.partition(";")[0].strip(" \t").lower() == "application/json"


def _host_served(environ: dict[str, Any], trusted: list[str] | None) -> bool:
    """Whether the request's host is one of ``TRUSTED_HOSTS`` (any, when the setting is not given), read as
    Flask's request reads it."""
    if trusted is None:
        return True
    try:
        get_host(environ, trusted)
    except SecurityError:
        return False
    return True


def register_direct_answers(app: Flask) -> None:
    """Answer plain calculation and check requests in front of Flask (call before the security headers' layer)."""
    layer = DirectAnswers(app, app.wsgi_app)
    app.wsgi_app = layer  # type: ignore[method-assign]
    app.extensions["oil_blends.direct"] = layer
