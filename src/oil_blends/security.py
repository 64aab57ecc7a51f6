"""Security headers on every response (pages, API, problem documents, the docs), with Flask-Talisman.

The Content-Security-Policy allows this origin's own files only: no inline script or style, no other origin
(Swagger UI at ``/api/docs`` is started by a script file, see ``api/spec.py``). Plain HTTP is never redirected
(``flask --app app run`` serves http); Strict-Transport-Security is sent, and the session cookie is marked
Secure, only on a request that came over HTTPS, directly or through a proxy's ``X-Forwarded-Proto: https``.
"""

from __future__ import annotations

from flask import Flask, Request, has_request_context, request
from flask.sessions import SessionInterface
from flask_talisman import Talisman

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


def register_security(app: Flask) -> None:
    """Send the security headers on every response of ``app`` and harden its session cookie."""
    if app.config.get("SESSION_COOKIE_HTTPONLY") is None:
        app.config["SESSION_COOKIE_HTTPONLY"] = True
    if not app.config.get("SESSION_COOKIE_SAMESITE"):
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.extensions["talisman"] = Talisman(
        app,
        force_https=False,  # http stays http: development and the tests run on it, TLS is the proxy's
        strict_transport_security=True,  # Talisman sends it only on HTTPS requests
        content_security_policy=CONTENT_SECURITY_POLICY,
        referrer_policy=REFERRER_POLICY,
        frame_options=FRAME_OPTIONS,
        x_content_type_options=True,
        # Talisman's own switch makes the cookie Secure on every request, http included (a browser then never
        # sends it back to the development server): SecureOverHttps below decides per request instead
        session_cookie_secure=False,
        session_cookie_http_only=app.config["SESSION_COOKIE_HTTPONLY"],
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
    )
    secure_session_cookie_over_https(app)


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
