"""Who is calling the API: HTTP Basic to get a token, bearer tokens for the write endpoints, and roles.

The write endpoints use :func:`role_required` on a MethodView method, and :func:`current_user` inside it::

    from oil_blends.api.auth import current_user, role_required

    @blp.route("/<slug>")
    class OilEntry(MethodView):
        @role_required("editor")  # topmost: a caller without a token gets 401 before the body is read
        @blp.arguments(OilSchema)
        @blp.response(200, OilSchema)
        def put(self, entry, slug):
            author = current_user().username

``role_required`` documents the operation itself (``security: [{bearerAuth: []}]``, 401 and 403); ``BEARER_DOC``
is there for a view protected some other way. Every refusal is a problem document saying what was wrong; a 401
carries ``WWW-Authenticate``. The token is checked on every request, so disabling a user stops their tokens at once.

Failed HTTP Basic attempts (:func:`failed_basic_sign_in`) count against the sign-in limit the login page has
(``web/auth.py``: one count per client address for both); over it, ``POST /api/v1/tokens`` answers 429 with
``Retry-After`` (:data:`TOO_MANY_DOC` documents it). Secrets are never compared with ``==``: passwords by werkzeug's
``check_password_hash`` (``hmac.compare_digest``), tokens looked up by their SHA-256 digest and compared with
``hmac.compare_digest`` (``storage/accounts.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Response, g, request
from flask_httpauth import HTTPBasicAuth, HTTPTokenAuth

from oil_blends.api.spec import ApiBlueprint, docs_only
from oil_blends.documents.problems import PROBLEM_CONTENT_TYPE, Problem
from oil_blends.documents.schemas import ProblemSchema
from oil_blends.errors import problem_response
from oil_blends.storage.accounts import authenticate, check_role, check_token, has_role
from oil_blends.storage.models import User

REALM = "oil-blends"
TOKENS_PATH = "/api/v1/tokens"
BASIC_SCHEME = ("basicAuth", {"type": "http", "scheme": "basic"})
BEARER_SCHEME = ("bearerAuth", {"type": "http", "scheme": "bearer"})
BASIC_DOC: dict[str, Any] = {"security": [{"basicAuth": []}]}
BEARER_DOC: dict[str, Any] = {"security": [{"bearerAuth": []}]}

# Why the request was not authenticated, as the problem's detail.
BEARER_FAILURES = {
    "missing": f"no bearer token: send Authorization: Bearer <token> from POST {TOKENS_PATH}",
    "unknown": f"the token is not valid: it was revoked or never issued; get a new one from POST {TOKENS_PATH}",
    "expired": f"the token has expired; get a new one from POST {TOKENS_PATH}",
    "disabled": "this account is disabled; ask an admin to enable it",
}
BASIC_FAILURES = {
    "missing": "no credentials: send your username and password with HTTP Basic authentication",
    "credentials": "wrong username or password, or the account is disabled",
    "unknown": "wrong username or password, or the account is disabled",
}
_FAILURE = "oil_blends_auth_failure"  # the attribute of flask.g naming the failure

basic_auth = HTTPBasicAuth(realm=REALM)
token_auth = HTTPTokenAuth(scheme="Bearer", realm=REALM)

View = TypeVar("View", bound=Callable[..., Any])


@basic_auth.verify_password
def _verify_password(username: str, password: str) -> User | None:
    user = authenticate(username, password) if basic_auth.get_auth() is not None else None
    setattr(g, _FAILURE, None if user else "credentials")
    return user


@token_auth.verify_token
def _verify_token(token: str) -> User | None:
    # Called only when the request has a Bearer token (the error handler tells a missing one itself).
    checked = check_token(token)
    setattr(g, _FAILURE, checked.failure)
    return checked.user


def _unauthorized(failures: dict[str, str], presented: bool, challenge: str) -> Response:
    failure = (g.get(_FAILURE) or "unknown") if presented else "missing"
    detail = failures.get(failure, failures["missing"])
    return problem_response(Problem(401, detail), [("WWW-Authenticate", challenge)])


def failed_basic_sign_in(response: Response) -> bool:
    """Whether the answer refused HTTP Basic credentials that were sent: a wrong password counts against the limit,
    a request without credentials (or with a bearer token) guessed nothing and does not."""
    authorization = request.authorization
    return response.status_code == 401 and authorization is not None and authorization.type == "basic"


@basic_auth.error_handler
def _basic_error(status: int) -> Response:
    presented = basic_auth.get_auth() is not None
    return _unauthorized(BASIC_FAILURES, presented, basic_auth.authenticate_header())


@token_auth.error_handler
def _token_error(status: int) -> Response:
    presented = bool(getattr(token_auth.get_auth(), "token", None))
    return _unauthorized(BEARER_FAILURES, presented, token_auth.authenticate_header())


def current_user() -> User:
    """The authenticated user of this request (only inside a view protected by these decorators)."""
    user = g.get("flask_httpauth_user")
    if not isinstance(user, User):
        raise RuntimeError("current_user() is only available in a view protected by role_required or basic_required")
    return user


def current_token() -> str:
    """The bearer token this request was authenticated with (inside a view protected by ``token_required``)."""
    auth = token_auth.get_auth()
    token = getattr(auth, "token", None)
    if not token:
        raise RuntimeError("current_token() is only available in a view protected by a bearer token")
    return token


# ---- documentation -----------------------------------------------------------------------------------------

_doc = ApiBlueprint("oil_blends_auth_doc", __name__)  # never registered: only its decorators are used, for docs


def _unauthorized_doc(scheme: str) -> Callable[[View], View]:
    return _doc.alt_response(
        401,
        schema=ProblemSchema,
        content_type=PROBLEM_CONTENT_TYPE,
        description="Not authenticated: no credentials, or credentials that are wrong, expired or disabled",
        headers={
            "WWW-Authenticate": {
                "description": f'The scheme to authenticate with: {scheme} realm="{REALM}"',
                "schema": {"type": "string"},
                "required": True,
            }
        },
    )


_FORBIDDEN_DOC = _doc.alt_response(
    403,
    schema=ProblemSchema,
    content_type=PROBLEM_CONTENT_TYPE,
    description="Authenticated, but the account's role is not enough for this operation",
)


TOO_MANY_DOC = _doc.alt_response(
    429,
    schema=ProblemSchema,
    content_type=PROBLEM_CONTENT_TYPE,
    description="Too many failed sign-ins from this address (OIL_BLENDS_LOGIN_LIMIT, with the login page's)",
    headers={
        "Retry-After": {
            "description": "Seconds until an attempt is allowed again",
            "schema": {"type": "integer"},
            "required": True,
        }
    },
)


# ---- decorators --------------------------------------------------------------------------------------------


def basic_required(view: View) -> View:
    """Authenticate the request by HTTP Basic (username and password); documents basicAuth and 401."""
    protected = basic_auth.login_required(view)
    return cast(View, docs_only(_doc.doc(**BASIC_DOC), _unauthorized_doc("Basic"))(protected))


def token_required(view: View) -> View:
    """Authenticate the request by a bearer token, whatever the role; documents bearerAuth and 401."""
    protected = token_auth.login_required(view)
    return cast(View, docs_only(_doc.doc(**BEARER_DOC), _unauthorized_doc("Bearer"))(protected))


def role_required(role: str) -> Callable[[View], View]:
    """Authenticate the request by a bearer token and require ``role`` or higher ("admin" > "editor").

    401 (with ``WWW-Authenticate: Bearer realm="oil-blends"``) for a missing, unknown, expired or revoked token or
    a disabled account; 403 when the role is not enough. Documents bearerAuth, 401 and 403 on the operation.
    """
    check_role(role)

    def decorator(view: View) -> View:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if not has_role(user, role):
                raise Problem(403, _role_detail(role, user))
            return view(*args, **kwargs)

        protected = token_auth.login_required(checked)
        documented = docs_only(_doc.doc(**BEARER_DOC), _unauthorized_doc("Bearer"), _FORBIDDEN_DOC)(protected)
        return cast(View, documented)

    return decorator


def _role_detail(role: str, user: User) -> str:
    if role == "admin":
        return f"this needs the admin role; yours is {user.role}"
    return f"editing needs the {role} role; yours is {user.role}"


def register_security_schemes(api: Any) -> None:
    """Name both schemes in the OpenAPI document (once per ``Api.init_app``)."""
    for name, scheme in (BASIC_SCHEME, BEARER_SCHEME):
        api.spec.components.security_scheme(name, scheme)
