"""Editors' accounts and their API tokens: scrypt password hashes, tokens stored only as SHA-256 digests.

There is no default account: the first admin is made with ``flask --app app users create NAME --role admin``.
Every function that changes something commits; a ``ValueError`` says in plain words what was refused.

A new password and a disabled account revoke every token of the user (a stolen token must not outlive the password
it was traded for); enabling the account again gives no token back. Secrets are never compared with ``==``: a
password is checked by werkzeug's ``check_password_hash`` (``hmac.compare_digest``), and against a dummy hash when
there is no such user, so a wrong name costs the same scrypt work as a wrong password; a token is looked up by its
SHA-256 digest (the index sees only the digest of a random token) and the digests compared with
``hmac.compare_digest``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Literal

from flask import current_app, has_app_context
from marshmallow import ValidationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from oil_blends.documents.schemas import PlainText
from oil_blends.extensions import db
from oil_blends.storage.models import ROLES, Token, User, utcnow

PASSWORD_METHOD = "scrypt"
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
USERNAME_PATTERN = re.compile(r"[A-Za-z0-9._-]{3,80}")
ROLE_RANK = {"editor": 1, "admin": 2}  # a higher role may do everything a lower one may
DEFAULT_TOKEN_DAYS = 30
MAX_TOKEN_DAYS = 3650  # OIL_BLENDS_TOKEN_DAYS is at most this too (config.py)
MAX_TOKEN_LENGTH = 200  # token_urlsafe(32) is 43 characters; anything much longer is not ours
LAST_USED_STEP = timedelta(hours=1)  # last_used_at is written at most once an hour per token

TokenFailure = Literal["unknown", "expired", "disabled"]


@dataclass(frozen=True)
class TokenCheck:
    """What a bearer token is worth: its user, or why it is refused."""

    user: User | None
    failure: TokenFailure | None = None


# ---- accounts -----------------------------------------------------------------------------------------------


def check_username(username: str) -> str:
    if not USERNAME_PATTERN.fullmatch(username or ""):
        raise ValueError(
            f"invalid username {username!r}: use 3 to 80 characters, letters, digits, '.', '_' or '-' only"
        )
    return username


def check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValueError(f"the password is too short: use at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValueError(f"the password is too long: use at most {MAX_PASSWORD_LENGTH} characters")
    if password.isspace():
        raise ValueError("the password is only spaces: use letters, digits or other characters too")
    return password


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    return role


def has_role(user: User, role: str) -> bool:
    """Whether ``user`` may act as ``role`` (an admin may do whatever an editor may)."""
    return ROLE_RANK.get(user.role, 0) >= ROLE_RANK[check_role(role)]


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=PASSWORD_METHOD)


def find_user(username: str) -> User | None:
    return db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()


def get_user(username: str) -> User:
    """The user named ``username``, or a ``ValueError`` saying there is none."""
    user = find_user(username)
    if user is None:
        raise ValueError(f"no user {username!r}")
    return user


def create_user(username: str, password: str, role: str = "editor") -> User:
    check_username(username)
    check_password(password)
    check_role(role)
    taken = db.session.execute(
        select(User.username).where(func.lower(User.username) == username.lower())
    ).scalar_one_or_none()
    if taken is not None:
        raise ValueError(f"a user {taken!r} already exists")
    user = User(username=username, password_hash=hash_password(password), role=role, active=True)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:  # created by someone else in the meantime
        db.session.rollback()
        raise ValueError(f"a user {username!r} already exists") from None
    return user


def set_role(username: str, role: str) -> User:
    check_role(role)
    user = get_user(username)
    if role != "admin":
        _keep_an_admin(user, "take the admin role from")
    user.role = role
    db.session.commit()
    return user


def set_password(username: str, password: str) -> User:
    """A new password; every token of the user is revoked in the same transaction."""
    check_password(password)
    user = get_user(username)
    user.password_hash = hash_password(password)
    _delete_tokens_of(user)
    db.session.commit()
    return user


def end_sessions(user: User) -> None:
    """End every web session of the user (logging out): their session number moves on, in one UPDATE."""
    db.session.execute(update(User).where(User.id == user.id).values(session_epoch=User.session_epoch + 1))
    db.session.commit()


def disable_user(username: str) -> User:
    """The user can no longer sign in, and every token of theirs is revoked in the same transaction."""
    user = get_user(username)
    _keep_an_admin(user, "disable")
    user.active = False
    _delete_tokens_of(user)
    db.session.commit()
    return user


def _keep_an_admin(user: User, action: str) -> None:
    """Refuse to leave no active admin: nobody could then approve an editor's change, or delete an oil."""
    if user.role != "admin" or not user.active:
        return
    others = db.session.execute(
        select(func.count()).select_from(User).where(User.role == "admin", User.active, User.id != user.id)
    ).scalar_one()
    if not others:
        raise ValueError(
            f"cannot {action} {user.username}, the only active admin: make another account admin first "
            "(users set-role NAME admin, or users create NAME --role admin)"
        )


def enable_user(username: str) -> User:
    """Sign-in works again; the tokens revoked when the account was disabled do not (get new ones)."""
    user = get_user(username)
    user.active = True
    db.session.commit()
    return user


def list_users() -> list[User]:
    return list(db.session.execute(select(User).order_by(User.username)).scalars())


@cache
def _dummy_hash() -> str:
    """A hash to check a password against when there is no such user, so that takes as long as a real check."""
    return hash_password(secrets.token_urlsafe(16))


def authenticate(username: str, password: str) -> User | None:
    """The active user with this name and password, else None (a wrong name costs as much time as a wrong password)."""
    # A name no account can have is not looked up (nor sent to the database: PostgreSQL refuses NUL characters)
    user = find_user(username) if USERNAME_PATTERN.fullmatch(username or "") else None
    if user is None:
        check_password_hash(_dummy_hash(), password or "")
        return None
    if not check_password_hash(user.password_hash, password or ""):
        return None
    return user if user.active else None


# ---- tokens -------------------------------------------------------------------------------------------------


def token_digest(plain: str) -> str:
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()


def token_lifetime_days() -> int:
    if has_app_context():
        return int(current_app.config.get("TOKEN_LIFETIME_DAYS") or DEFAULT_TOKEN_DAYS)
    return DEFAULT_TOKEN_DAYS


def create_token(user: User, name: str = "", days: int | None = None) -> str:
    """A new bearer token for ``user``, valid ``days`` days (the configured lifetime by default).

    The plain token is returned once and never stored: the database keeps its SHA-256 digest.
    """
    if len(name) > 100:
        raise ValueError("the token name is too long: use at most 100 characters")
    try:
        PlainText(blank=True)(name)
    except ValidationError as error:
        raise ValueError(f"the token name {error.messages[0]}") from None
    lifetime = token_lifetime_days() if days is None else days
    plain = secrets.token_urlsafe(32)
    token = Token(user=user, token_hash=token_digest(plain), name=name, expires_at=utcnow() + timedelta(days=lifetime))
    db.session.add(token)
    db.session.commit()
    return plain


def token_expiry(plain: str) -> datetime | None:
    return db.session.execute(
        select(Token.expires_at).where(Token.token_hash == token_digest(plain))
    ).scalar_one_or_none()


def check_token(plain: str) -> TokenCheck:
    """The token's user, or why the token is refused: unknown (never issued or revoked), expired, disabled."""
    if not plain or len(plain) > MAX_TOKEN_LENGTH:
        return TokenCheck(None, "unknown")
    digest = token_digest(plain)
    token = db.session.execute(
        select(Token).options(joinedload(Token.user)).where(Token.token_hash == digest)
    ).scalar_one_or_none()
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return TokenCheck(None, "unknown")
    now = utcnow()
    if token.expires_at is not None and token.expires_at <= now:
        return TokenCheck(None, "expired")
    user = token.user
    if not user.active:
        return TokenCheck(None, "disabled")
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_STEP:
        _touch(token.id, now)
    return TokenCheck(user)


def _touch(token_id: int, now: datetime) -> None:
    """Record when a token was last used, on a connection of its own: the request's session is left as it was
    (nothing committed or expired in it), and a failure here refuses nothing."""
    try:
        with db.engine.begin() as connection:
            connection.execute(update(Token).where(Token.id == token_id).values(last_used_at=now))
    except SQLAlchemyError:
        current_app.logger.warning("could not record the use of token %s", token_id, exc_info=True)


def user_for_token(plain: str) -> User | None:
    """The active user whose unexpired, unrevoked token this is, else None."""
    return check_token(plain).user


def revoke_token(plain: str) -> bool:
    """Delete the token; False when there was no such token."""
    if not plain or len(plain) > MAX_TOKEN_LENGTH:
        return False
    deleted = db.session.execute(delete(Token).where(Token.token_hash == token_digest(plain)))
    db.session.commit()
    return bool(getattr(deleted, "rowcount", 0))


def list_tokens(username: str) -> list[Token]:
    """The user's tokens (never their secret: only the digest is stored), oldest first."""
    user = get_user(username)
    return list(db.session.execute(select(Token).where(Token.user_id == user.id).order_by(Token.id)).scalars())


def revoke_token_id(username: str, token_id: int) -> Token:
    """Delete the user's token ``token_id`` (the id ``list_tokens`` shows); a ``ValueError`` when there is none."""
    user = get_user(username)
    token = db.session.execute(select(Token).where(Token.id == token_id, Token.user_id == user.id)).scalar_one_or_none()
    if token is None:
        raise ValueError(f"{username!r} has no token {token_id}: see tokens list {username}")
    db.session.delete(token)
    db.session.commit()
    return token


def revoke_tokens(username: str) -> int:
    """Delete every token of the user; how many there were."""
    revoked = _delete_tokens_of(get_user(username))
    db.session.commit()
    return revoked


def _delete_tokens_of(user: User) -> int:
    """Delete the user's tokens in the session's transaction (the caller commits); how many there were."""
    deleted = db.session.execute(delete(Token).where(Token.user_id == user.id))
    return int(getattr(deleted, "rowcount", 0) or 0)
