"""Signing in to the web pages: Flask-Login sessions, roles, a safe ``next`` address and the login rate limit.

The session lives in Flask's signed cookie (HttpOnly, SameSite=Lax, Secure over HTTPS: ``security.py``); it holds
the user's id and a digest of their password hash and session number, so a new password ends every other session,
logging out ends every session of the account (a copied cookie included), and a disabled account is signed out on
its next request. The JSON API never reads this cookie: it takes bearer tokens.

Failed sign-ins are limited per client address (``LOGIN_RATE_LIMIT``, "5 per minute" unless configured) with
Flask-Limiter: failed logins on this page and failed HTTP Basic attempts on ``POST /api/v1/tokens`` count together,
so a password cannot be guessed twice as fast through the API. A limited attempt gets a 429 page (a problem document
in the API) saying when to try again, with ``Retry-After``. Nothing else is limited.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, g, render_template
from flask_limiter import RequestLimit, RouteLimit
from flask_limiter.util import get_remote_address
from flask_login import UserMixin, current_user
from sqlalchemy.exc import SQLAlchemyError

from oil_blends.config import ConfigError, check_rate_limit
from oil_blends.documents.problems import Problem
from oil_blends.errors import is_api_request, problem_response
from oil_blends.extensions import db, limiter, login_manager
from oil_blends.storage.accounts import has_role
from oil_blends.storage.models import User

View = TypeVar("View", bound=Callable[..., Any])
LIMIT_NAMESPACE = "oil_blends.login_limit_namespace"
SIGN_IN_SCOPE = "sign-in"  # the one count of failed sign-ins per address: the login page and POST /api/v1/tokens
UNREAD_SESSION = "oil_blends_unread_session"  # in g: why this request's signed-in user could not be read


class SessionUser(UserMixin):
    """The signed-in account as Flask-Login sees it: the stored :class:`User` and its role."""

    def __init__(self, user: User):
        self.user = user

    @property
    def username(self) -> str:
        return self.user.username

    @property
    def is_admin(self) -> bool:
        return has_role(self.user, "admin")

    def get_id(self) -> str:
        return f"{self.user.id}.{session_mark(self.user)}"


def session_mark(user: User) -> str:
    """A short digest of the password hash and the session number: a session is only good while the password is
    unchanged and the user has not logged out since it began."""
    return hashlib.sha256(f"{user.session_epoch}:{user.password_hash}".encode()).hexdigest()[:16]


@login_manager.user_loader
def load_user(session_id: str) -> SessionUser | None:
    number, _, mark = session_id.partition(".")
    if not number.isdigit():
        return None
    try:
        user = db.session.get(User, int(number))
    except SQLAlchemyError as error:
        # The request goes on as anyone's, so that an error page, a page that needs no database and logging out
        # still work while the database is away (and an error page does not try again to read the user); a page
        # for editors raises the error instead of sending a signed-in editor to log in (editor_required), so the
        # answer is the database's: 503 with Retry-After when it is away, a logged 500 for a bug.
        db.session.rollback()
        g.setdefault(UNREAD_SESSION, error)
        return None
    if user is None or not user.active or not hmac.compare_digest(mark, session_mark(user)):
        return None
    return SessionUser(user)


login_manager.login_view = "editing.login"
login_manager.login_message = "Log in as an editor to change the catalog."
login_manager.login_message_category = "info"


def signed_in() -> User:
    """The stored user of this request's session (inside a view protected by :func:`editor_required`)."""
    return cast(SessionUser, current_user).user


def editor_required(view: View) -> View:
    """Editors and admins only: anyone else is sent to the login page, and back here afterwards. A session whose
    user could not be read (the database is away) gets the error that stopped it, not the login page."""

    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            unread = g.pop(UNREAD_SESSION, None)
            if unread is not None:
                raise unread
            return login_manager.unauthorized()
        if not has_role(signed_in(), "editor"):
            abort(403)
        return view(*args, **kwargs)

    return cast(View, checked)


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site ("/oils/lavender?x=1"), else None: never another host."""
    if not target or len(target) > 2000 or "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


# ---- the sign-in rate limit ----------------------------------------------------------------------------------


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def login_attempt_key() -> str:
    """The client address, within this app's accounts.

    One Limiter object serves every app of the process (the tests build many, each on its own database), so the
    counts are kept per database: the set of accounts the attempts are made against.
    """
    return f"{current_app.extensions[LIMIT_NAMESPACE]}:{get_remote_address()}"


def failed_login(response: Response) -> bool:
    """Only failed attempts count: a successful login answers 303 See Other."""
    return response.status_code != 303


def too_many_attempts(limit: RequestLimit) -> Response:
    """The 429 answer, a page (a problem document in the API): how long to wait, and Retry-After saying the same."""
    seconds = max(1, int(limit.reset_at - time.time()))
    if is_api_request():
        detail = (
            f"too many failed sign-ins from your address (at most {limit.limit}, on the login page and here "
            f"together); try again in {seconds} second{'' if seconds == 1 else 's'}"
        )
        return problem_response(Problem(429, detail, title="Too many attempts"), [("Retry-After", str(seconds))])
    at = datetime.fromtimestamp(limit.reset_at, UTC)
    body = render_template("edit/too_many.html", seconds=seconds, at=at, limit=limit.limit)
    response = current_app.response_class(body, status=429, mimetype="text/html")
    response.headers["Retry-After"] = str(seconds)
    return response


def limit_sign_ins(failed: Callable[[Response], bool]) -> RouteLimit:
    """The sign-in limit for a view: ``failed(response)`` says whether its answer was a failed attempt.

    Every view so decorated shares one count per client address (the scope), checked before the view runs: over the
    limit, even the right password is answered 429 until the window is over, and no password is checked.
    """
    return limiter.shared_limit(
        login_limit,
        scope=SIGN_IN_SCOPE,
        key_func=login_attempt_key,
        methods=["POST"],
        deduct_when=failed,
        on_breach=too_many_attempts,
    )


limit_login_attempts = limit_sign_ins(failed_login)


def configure_login(app: Flask) -> None:
    """Check the login limit's notation at start-up, and name this app's counts."""
    problem = check_rate_limit("LOGIN_RATE_LIMIT (OIL_BLENDS_LOGIN_LIMIT)", str(app.config["LOGIN_RATE_LIMIT"]))
    if problem:
        raise ConfigError(problem)
    database = str(app.config.get("SQLALCHEMY_DATABASE_URI") or "")
    app.extensions[LIMIT_NAMESPACE] = hashlib.sha256(database.encode("utf-8")).hexdigest()[:12]
