"""Security headers on every response (pages, API, problem documents, the docs) and the session cookie's flags.

The Content-Security-Policy allows this origin's own files only: no inline script or style, no other origin
(Swagger UI at ``/api/docs`` is started by a script file, see ``api/spec.py``). Plain HTTP is never redirected
(``flask --app app run`` serves http); Strict-Transport-Security is sent, and the session cookie is marked
Secure, only on a request that came over HTTPS, directly or through a proxy's ``X-Forwarded-Proto: https``.

The headers are the same on every response, so they are written out once at start-up and copied onto each
response (Flask-Talisman, used before, rebuilt them per request: about 35 µs of every API call).
"""

from __future__ import annotations

from flask import Flask, Request, Response, has_request_context, request
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


def register_security(app: Flask) -> None:
    """Send the security headers on every response of ``app`` and harden its session cookie."""
    if app.config.get("SESSION_COOKIE_HTTPONLY") is None:
        app.config["SESSION_COOKIE_HTTPONLY"] = True
    if not app.config.get("SESSION_COOKIE_SAMESITE"):
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.after_request(add_security_headers)
    secure_session_cookie_over_https(app)


def add_security_headers(response: Response) -> Response:
    """The security headers on ``response``, and HSTS when the request came over HTTPS."""
    headers = response.headers
    for name, value in SECURITY_HEADERS:
        headers[name] = value
    if is_https(request):
        headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
    return response


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
