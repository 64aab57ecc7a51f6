"""Security headers on every response (pages, API, problem documents, the docs) and the session cookie's flags.

The Content-Security-Policy allows this origin's own files only: no inline script or style, no other origin
(Swagger UI at ``/api/docs`` is started by a script file, see ``api/spec.py``). Plain HTTP is never redirected
(``flask --app app run`` serves http); Strict-Transport-Security is sent, and the session cookie is marked
Secure, only on a request that came over HTTPS, directly or through a proxy's ``X-Forwarded-Proto: https``.

The headers are the same on every response, so they are written out once at start-up and added to each
response as it starts (Flask-Talisman, used before, rebuilt them per request: about 35 µs of every API call).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Request, has_request_context, request
from flask.sessions import SessionInterface

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
    secure_session_cookie_over_https(app)


class SecurityHeaders:
    """WSGI middleware: the security headers added to every response as it starts, error pages included, and
    HSTS when the request came over HTTPS."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]]):
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        https = environ.get("wsgi.url_scheme") == "https" or environ.get("HTTP_X_FORWARDED_PROTO") == "https"
        added = HTTPS_HEADERS if https else SECURITY_HEADERS

        def start_with_headers(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            headers.extend(added)
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start_with_headers)


def is_https(incoming: Request) -> bool:
    """Whether the request came over HTTPS: Talisman's test for HSTS, so the cookie and HSTS agree."""
    return incoming.is_secure or incoming.headers.get("X-Forwarded-Proto", "http") == "https"


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
