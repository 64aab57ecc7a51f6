"""Errors: RFC 9457 ``application/problem+json`` documents under ``/api/``, HTML pages for people elsewhere.
Nothing leaks a traceback.

A database that cannot be reached, or cannot be written (read-only, disk full), is not a bug: the request gets a
503 (507 for a full disk) saying so in plain words, with ``Retry-After``, and the next request after the database
is back is served by the same process (the pool pings and replaces dead connections). Any other database error
(a bad query, a broken constraint) is still a 500, logged with its traceback.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flask import Flask, Response, current_app, g, render_template, request
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import BadRequest, HTTPException, SecurityError, ServiceUnavailable

from oil_blends.config import MAX_BODY_BYTES
from oil_blends.documents.problems import PROBLEM_CONTENT_TYPE, Problem, invalid_request
from oil_blends.extensions import db, login_manager
from oil_blends.storage.database import driver_errors

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
    503: "the service cannot answer just now; try again in a few seconds",
    507: "the server cannot store what this request needs, so nothing was saved",
}
PASSED_HEADERS = ("allow", "www-authenticate", "retry-after")
# The same errors on a page for people: a title and what to do.
PAGES = {
    400: ("The request could not be read", "The address or form could not be understood. Go back and try again."),
    404: ("Page not found", "There is no page at this address. It may have moved, or the address has a typo."),
    405: ("Not allowed", "This page cannot be used that way."),
    413: ("Too much to send", f"The request is over the {MAX_BODY_BYTES // 1024} KiB limit."),
    500: ("Something went wrong", "The server failed to show this page. The error has been logged; please try again."),
    503: ("Not available just now", "The service cannot answer just now. Please try again in a few seconds."),
    507: ("Nothing was saved", "The server cannot store what this needs just now, so nothing was saved."),
}
RETRY_AFTER_SECONDS = 5  # a 503 problem without a fault of its own (the health check's) says when to come back


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


_API_PREFIXES = tuple(path + "/" for path in API_PATHS)


def is_api_path(path: str) -> bool:
    """Whether ``path`` is the JSON API's or its health check's."""
    return path.startswith(_API_PREFIXES) or path in API_PATHS


def is_api_request() -> bool:
    return is_api_path(request.path)


def http_error(error: HTTPException) -> Response:
    """A problem document for the API, a page for people everywhere else."""
    if error.response is not None:  # a complete response, e.g. 304 Not Modified
        return error.response
    if isinstance(error, SecurityError):
        return untrusted_host()
    if is_api_request():
        return http_problem(error)
    if (error.code or 500) >= 500:  # the request may have failed inside a transaction: see server_error_page
        return server_error_page(error)
    return error_page(error)


def untrusted_host() -> Response:
    """400 for a Host header that is not one of ``TRUSTED_HOSTS``: a plain answer, since no link can be made for it
    (Flask builds no URLs for an untrusted host, so the error page's template cannot be used)."""
    detail = "this site is not served at the host name the request was sent to; use the site's own address"
    if is_api_request():
        return problem_response(Problem(400, detail))
    return current_app.response_class(f"{detail}\n", status=400, mimetype="text/plain")


def error_page(error: HTTPException, title: str | None = None) -> Response:
    """The error as an HTML page; a description set where the error was raised says what was not found."""
    status = error.code or 500
    default_title, message = PAGES.get(status, (error.name, error.description or ""))
    title = title or default_title
    if told := _told(error):
        message = told
    elif status == 405 and getattr(error, "valid_methods", None):
        message = (
            f"This address does not take a {request.method} request; it takes {', '.join(sorted(error.valid_methods))}."
        )
    body = render_template("error.html", title=title, message=message, status=status)
    response = current_app.response_class(body, status=status, mimetype="text/html")
    for name, value in error.get_headers():
        if name.lower() in PASSED_HEADERS:
            response.headers[name] = value
    return response


def _told(error: HTTPException) -> str | None:
    """The description given where the error was raised (what was not found, why a service is away), or None when
    it is the error class's own generic text."""
    return error.description if error.description and error.description != type(error).description else None


def http_problem(error: HTTPException) -> Response:
    """Any werkzeug/flask-smorest HTTP error as a problem; webargs' 422 carries ``errors`` per field."""
    if error.response is not None:  # a complete response, e.g. 304 Not Modified
        return error.response
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    if status == 422 and "messages" in data:
        problem = invalid_request(_validation_errors(data["messages"]))
    else:
        detail = data.get("message") or _told(error) or DETAILS.get(status) or (error.description or error.name)
        if status == 405 and getattr(error, "valid_methods", None):
            detail = f"{request.method} is not allowed here; allowed: {', '.join(error.valid_methods)}"
        problem = Problem(status, detail)
    headers = [(name, value) for name, value in error.get_headers() if name.lower() in PASSED_HEADERS]
    headers += list((data.get("headers") or {}).items())
    return problem_response(problem, headers)


def handle_problem(problem: Problem) -> Response:
    headers = [("Retry-After", str(RETRY_AFTER_SECONDS))] if problem.status == 503 else []
    return problem_response(problem, headers)


# ---- the database away, read-only or full -------------------------------------------------------------------


class InsufficientStorage(HTTPException):
    """507 (RFC 4918): the server cannot store what the request needs (werkzeug has no class for it)."""

    code = 507
    description = "The server cannot store what this request needs."


@dataclass(frozen=True)
class DatabaseFault:
    """A database failure that is not the request's fault nor a bug, and how to answer it."""

    name: str  # for the log
    status: int
    title: str
    detail: str  # the problem's detail (API) and the page's message (web)
    retry_after: int | None  # seconds, for the Retry-After header
    type: str


UNREACHABLE = DatabaseFault(
    "unreachable",
    503,
    "The database does not answer",
    "the database does not answer just now; try again in a few seconds",
    5,
    "/problems/database-unavailable",
)
BUSY = DatabaseFault(
    "busy",
    503,
    "The database is busy",
    "the database was too busy to answer in time; try again in a few seconds",
    2,
    "/problems/database-busy",
)
READ_ONLY = DatabaseFault(
    "read-only",
    503,
    "The database cannot be written",
    "the database is read-only just now, so nothing was saved; reading the catalog and calculating still work. "
    "Try the change again later",
    60,
    "/problems/database-read-only",
)
FULL = DatabaseFault(
    "full",
    507,
    "The database cannot be written",
    "the database's disk is full, so nothing was saved; reading the catalog and calculating still work. "
    "Try the change again once space has been freed",
    None,
    "/problems/database-full",
)
# Not a fault of the database but of the request: PostgreSQL text cannot hold U+0000, so a NUL in a value the
# database is asked about (an oil's slug in a path) fails in the driver before the query is sent.
NUL_CHARACTER = DatabaseFault(
    "refused a NUL character",
    400,
    "NUL character",
    "the request has a NUL character (U+0000) in a value the database cannot take; remove it",
    None,
    "/problems/nul-character",
)
# A change whose connection was lost on the way may have been committed or not: the caller cannot know which.
UNSURE_WRITE = (
    "; if this request was a change, it may or may not have been saved: read the entry again before repeating it"
)
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

# SQLite's primary result codes (the low byte of sqlite_errorcode).
SQLITE_FAULTS = {5: BUSY, 6: BUSY, 8: READ_ONLY, 10: UNREACHABLE, 13: FULL, 14: UNREACHABLE}
# PostgreSQL SQLSTATEs; class 08 (connection exception) is matched by its prefix.
POSTGRES_FAULTS = {
    "53100": FULL,  # disk_full
    "25006": READ_ONLY,  # read_only_sql_transaction: a standby, or default_transaction_read_only
    "40001": BUSY,  # serialization_failure
    "40P01": BUSY,  # deadlock_detected
    "55P03": BUSY,  # lock_not_available
    "57014": BUSY,  # query_canceled (a statement timeout)
    "53300": UNREACHABLE,  # too_many_connections
    "57P01": UNREACHABLE,  # admin_shutdown: the server is stopping, or pg_terminate_backend
    "57P02": UNREACHABLE,  # crash_shutdown
    "57P03": UNREACHABLE,  # cannot_connect_now: starting up
}


def database_fault(error: BaseException) -> DatabaseFault | None:
    """What kind of database fault ``error`` is, or None for an error that is a bug (a query, a constraint)."""
    if isinstance(error, sa_exc.TimeoutError):  # no pooled connection came free in time
        return BUSY
    driver: BaseException | None = error
    if isinstance(error, sa_exc.DBAPIError):
        if error.connection_invalidated:  # SQLAlchemy saw a disconnect and dropped the connection
            return UNREACHABLE
        driver = error.orig
    if isinstance(driver, sqlite3.Error):
        code = getattr(driver, "sqlite_errorcode", None)
        return SQLITE_FAULTS.get(code & 0xFF) if code is not None else None
    psycopg = sys.modules.get("psycopg")  # not imported here: a server on SQLite need not load it
    if psycopg is not None and isinstance(driver, psycopg.Error):
        if isinstance(driver, psycopg.DataError) and "NUL (0x00)" in str(driver):
            return NUL_CHARACTER
        state = driver.sqlstate
        if state is None:
            # No SQLSTATE: the server never answered. The connection was refused, cut or timed out (operational),
            # or was already closed (interface); any other interface error is a bug.
            if isinstance(driver, psycopg.OperationalError):
                return UNREACHABLE
            words = str(driver).lower()
            if (
                isinstance(driver, psycopg.InterfaceError)
                and "connection" in words
                and ("closed" in words or "lost" in words)
            ):
                return UNREACHABLE
            return None
        return UNREACHABLE if state.startswith("08") else POSTGRES_FAULTS.get(state)
    return None


def database_error(error: Exception) -> Response:
    """A 503 (507) for a database fault, in words, with ``Retry-After``; any other database error is re-raised, so
    Flask logs it with its traceback and answers 500 as for every bug."""
    fault = database_fault(error)
    if fault is None:
        raise error
    cause = getattr(error, "orig", None) or error
    current_app.logger.log(
        logging.WARNING if fault.status >= 500 else logging.INFO,
        "database %s: %s %s answered %d: %s: %s",
        fault.name,
        request.method,
        request.path,
        fault.status,
        type(cause).__name__,
        " ".join(str(cause).split()),
    )
    detail = fault.detail + (UNSURE_WRITE if fault is UNREACHABLE and request.method not in SAFE_METHODS else "")
    headers = [("Retry-After", str(fault.retry_after))] if fault.retry_after is not None else []
    if is_api_request():
        return problem_response(Problem(fault.status, detail, title=fault.title, type=fault.type), headers)
    message = f"{detail[0].upper()}{detail[1:]}."
    page_error = {400: BadRequest, 503: ServiceUnavailable}.get(fault.status, InsufficientStorage)(message)
    response = server_error_page(page_error, fault.title)
    response.headers.extend(headers)
    return response


def server_error_page(error: HTTPException, title: str | None = None) -> Response:
    """The page of a database fault or a bug. The request's transaction, which may have failed, is rolled back
    first, so that the page can show the signed-in editor (read again) instead of failing itself; if the
    database cannot even be read, the page is shown as to anyone."""
    _rollback()
    try:
        return error_page(error, title)
    except (sa_exc.SQLAlchemyError, *driver_errors()):
        _rollback()
        g._login_user = login_manager.anonymous_user()  # Flask-Login's user of this request
        return error_page(error, title)


def _rollback() -> None:
    with contextlib.suppress(sa_exc.SQLAlchemyError, *driver_errors()):
        db.session.rollback()


def register_errorhandlers(app: Flask) -> None:
    """Problems raised by the documents layer and every HTTP error: documents in the API, pages elsewhere; database
    faults as 503 (or 507) in both."""
    app.register_error_handler(Problem, handle_problem)
    app.register_error_handler(HTTPException, http_error)
    for error_class in (sa_exc.DBAPIError, sa_exc.TimeoutError, *driver_errors()):
        app.register_error_handler(error_class, database_error)
    development_server_problems()


# The development server (``flask run``) answers some errors before the app sees the request, e.g. a request
# line over 64 KiB (414): http.server fills this template with the status, its phrase and its explanation.
_SERVER_PROBLEM = '{"type": "about:blank", "title": "%(message)s", "status": %(code)d, "detail": "%(explain)s"}'


def development_server_problems() -> None:
    """Make the errors ``flask run`` answers itself problem documents too (it has no per-app setting)."""
    from werkzeug.serving import WSGIRequestHandler

    WSGIRequestHandler.error_content_type = PROBLEM_CONTENT_TYPE
    WSGIRequestHandler.error_message_format = _SERVER_PROBLEM
