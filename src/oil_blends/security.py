"""Security headers on every response (pages, API, problem documents, the docs), the session cookie's flags, and
the request limits every request is checked against first (the query string's length, and the body limit on a
chunked body, which werkzeug would otherwise cut at the limit).

The Content-Security-Policy allows this origin's own files only: no inline script or style, no other origin
(Swagger UI at ``/api/docs`` is started by a script file, see ``api/spec.py``). Plain HTTP is never redirected
(``flask --app app run`` serves http); Strict-Transport-Security is sent, and the session cookie is marked
Secure, only on a request that came over HTTPS, directly or through a proxy's ``X-Forwarded-Proto: https``.

The headers are the same on every response, so they are written out once at start-up and added to each
response as it starts (Flask-Talisman, used before, rebuilt them per request: about 35 µs of every API call).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NoReturn

from flask import Flask, Request, has_request_context, request
from flask.sessions import SessionInterface
from werkzeug.exceptions import BadRequest, HTTPException, RequestEntityTooLarge, RequestURITooLarge

from oil_blends.documents.problems import Problem
from oil_blends.errors import is_api_request

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",  # Swagger UI draws its icons as data: images
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
REFERRER_POLICY = "strict-origin-when-cross-origin"
FRAME_OPTIONS = "DENY"  # for browsers that predate frame-ancestors
SECURITY_HEADERS = (
    ("Content-Security-Policy", "; ".join(f"{name} {value}" for name, value in CONTENT_SECURITY_POLICY.items())),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", FRAME_OPTIONS),
    ("Referrer-Policy", REFERRER_POLICY),
    ("Permissions-Policy", "browsing-topics=()"),  # no interest-based advertising topics from this site
)
STRICT_TRANSPORT_SECURITY = "max-age=31556926; includeSubDomains"  # one year
HTTPS_HEADERS = (*SECURITY_HEADERS, ("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY))


def register_security(app: Flask) -> None:
    """Send the security headers on every response of ``app`` and harden its session cookie."""
    if app.config.get("SESSION_COOKIE_HTTPONLY") is None:
        app.config["SESSION_COOKIE_HTTPONLY"] = True
    if not app.config.get("SESSION_COOKIE_SAMESITE"):
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.wsgi_app = SecurityHeaders(app.wsgi_app)  # type: ignore[method-assign]
    # First of all the before-request functions: a request over a limit is refused before the CSRF check reads its form
    app.before_request_funcs.setdefault(None, []).insert(0, request_limits(app.config.get("MAX_QUERY_BYTES")))
    secure_session_cookie_over_https(app)


class SecurityHeaders:
    """WSGI middleware: the security headers added to every response as it starts, error pages included, and
    HSTS when the request came over HTTPS."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]]):
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        added = HTTPS_HEADERS if came_over_https(environ) else SECURITY_HEADERS

        def start_with_headers(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            headers.extend(added)
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start_with_headers)


def came_over_https(environ: dict[str, Any]) -> bool:
    """Whether the request came over HTTPS, directly or through a proxy's X-Forwarded-Proto: one test for HSTS and
    for the session cookie, so the two agree."""
    return environ.get("wsgi.url_scheme") == "https" or environ.get("HTTP_X_FORWARDED_PROTO") == "https"


def is_https(incoming: Request) -> bool:
    """Whether the request came over HTTPS (see :func:`came_over_https`)."""
    return came_over_https(incoming.environ)


class SecureOverHttps(SessionInterface):
    """A session-interface mixin: the cookie is Secure on HTTPS requests, and always if SESSION_COOKIE_SECURE."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return super().get_cookie_secure(app) or (has_request_context() and is_https(request))


def secure_session_cookie_over_https(app: Flask) -> None:
    """Mix :class:`SecureOverHttps` into the app's session interface, whichever class that is."""
    interface = app.session_interface
    if isinstance(interface, SecureOverHttps):
        return
    base = type(interface)
    interface.__class__ = type(f"SecureOverHttps{base.__name__}", (SecureOverHttps, base), {})


# ---- request limits (README, "Request limits") ------------------------------------------------------------

_NO_BODY = frozenset({"GET", "HEAD", "OPTIONS"})


def request_limits(most: int | None) -> Callable[[], None]:
    """The before-request check of the request limits, with the query-string limit ``most`` (None: no limit)."""

    def check_request_limits() -> None:
        """414 for a query string over ``most`` bytes; 413 for a chunked body of ``MAX_CONTENT_LENGTH`` or more.

        The query is measured as sent (percent-encoded), before anything is decoded. A body with Content-Length is
        refused by werkzeug when it is read; a chunked one has no length, and werkzeug stops reading it at the limit
        without an error, so a form or document cut short could be used as if whole: it is read here (and cached for
        the view), and one that reaches the limit is refused, as ``api/body.py`` does for the JSON documents. It
        costs a GET about 0.2 µs.
        """
        incoming = request._get_current_object()  # one context lookup
        environ = incoming.environ
        size = len(environ.get("QUERY_STRING", ""))  # latin-1 text of the bytes sent (PEP 3333): one per byte
        if most is not None and size > most:
            refuse_long_query(size, most)
        if environ.get("REQUEST_METHOD") in _NO_BODY or not environ.get("wsgi.input_terminated"):
            return  # no body, or one the server does not hand over
        if incoming.content_length is not None:
            return  # werkzeug refuses a Content-Length over the limit itself
        limit = incoming.max_content_length
        try:
            data = incoming.get_data(cache=True)
        except HTTPException:  # werkzeug's own: a body cut short is a 400 already
            raise
        except Exception:  # the server could not unframe it (gunicorn's ParseException: a bad size, no CRLF)
            refuse_malformed_chunks()
        if limit is not None and len(data) >= limit:
            raise RequestEntityTooLarge()

    return check_request_limits


def refuse_malformed_chunks() -> NoReturn:
    """400, a problem document in the API and a page elsewhere, for a chunked body whose framing is broken."""
    detail = (
        "the chunked request body is malformed (each chunk is its size in hexadecimal, CRLF, the data, CRLF, and a "
        "last chunk of size 0 ends it): send it again, or send it with Content-Length"
    )
    if is_api_request():
        raise Problem(400, detail, title="Malformed chunked body")
    raise BadRequest("The form could not be read: it arrived broken. Go back and send it again.")


def refuse_long_query(size: int, most: int) -> None:
    """414, a problem document in the API and a page elsewhere, saying the query's size and the limit.

    The pages' forms are sent with GET, so every field of the calculator is in the query: twelve oils with their
    parts and every person field stay under 1.2 KiB.
    """
    if is_api_request():
        raise Problem(
            414,
            f"the query string is {size} bytes; at most {most} are accepted: send fewer or shorter parameters",
            title="Query string too long",
        )
    raise RequestURITooLarge(
        f"The address is too long: its query (after the ?) is {size} bytes, and at most {most} are accepted. "
        "Fill in the form again with fewer or shorter entries."
    )
