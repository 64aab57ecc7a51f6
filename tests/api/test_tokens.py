"""Accounts and tokens: POST/DELETE /api/v1/tokens, bearer authentication and roles for the write endpoints, the
limit on failed sign-ins, tokens revoked by a new password or a disabled account, and no shortcut in password checks.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta

import pytest
from flask import Flask
from flask.views import MethodView
from sqlalchemy import select

from oil_blends.api.auth import BEARER_DOC, current_user, register_security_schemes, role_required
from oil_blends.api.spec import ApiBlueprint, ProblemApi
from oil_blends.extensions import db
from oil_blends.storage import accounts
from oil_blends.storage.models import Token, User, utcnow

from .helpers import assert_problem

TOKENS = "/api/v1/tokens"
EDIT = "/api/v1/test-only/edit"
ADMIN = "/api/v1/test-only/admin"
PASSWORD = "correct horse battery"

protected = ApiBlueprint("test_only_protected", __name__, url_prefix="/api/v1/test-only")


@protected.route("/edit")
class EditorOnly(MethodView):
    @role_required("editor")
    @protected.response(200)
    def post(self):
        user = current_user()
        return {"user": user.username, "role": user.role}


@protected.route("/admin")
class AdminOnly(MethodView):
    @protected.response(200)
    @role_required("admin")  # below flask-smorest's decorators works too
    def post(self):
        return {"user": current_user().username}


@pytest.fixture(scope="module")
def auth_app(make_app):
    """An app of its own (users are made here), with two protected test-only routes; sign-ins are not limited here."""
    app = make_app(LOGIN_RATE_LIMIT="1000 per minute")
    app.register_blueprint(protected)
    with app.app_context():
        accounts.create_user("edna", PASSWORD, "editor")
        accounts.create_user("ada", PASSWORD, "admin")
    return app


@pytest.fixture
def api(auth_app):
    return auth_app.test_client()


@pytest.fixture
def run(auth_app):
    """Call ``action`` in an app context of its own, between requests (each request has its own, as in production)."""

    def call(action, *args, **kwargs):
        with auth_app.app_context():
            return action(*args, **kwargs)

    return call


def stored_token(token: str) -> Token:
    return db.session.execute(select(Token).where(Token.token_hash == accounts.token_digest(token))).scalar_one()


def basic(username: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def new_token(client, username: str = "edna") -> str:
    response = client.post(TOKENS, headers=basic(username, PASSWORD))
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["token"]


def test_a_token_for_a_username_and_password(api, run):
    response = api.post(TOKENS, headers=basic("edna", PASSWORD))
    assert response.status_code == 201
    document = response.get_json()
    assert set(document) == {"token", "expires_at", "token_type"}
    assert document["token_type"] == "Bearer"
    assert len(document["token"]) >= 43
    assert response.headers["Cache-Control"] == "no-store"
    expires = run(accounts.token_expiry, document["token"])
    assert timedelta(days=29, hours=23) < expires - utcnow() <= timedelta(days=30)
    assert document["expires_at"] == expires.isoformat()
    answer = api.post(EDIT, headers=bearer(document["token"]))
    assert answer.status_code == 200
    assert answer.get_json() == {"user": "edna", "role": "editor"}


def test_a_token_with_a_name_and_fewer_days(api, run):
    response = api.post(TOKENS, headers=basic("edna", PASSWORD), json={"name": "laptop", "days": 2})
    assert response.status_code == 201
    token = run(stored_token, response.get_json()["token"])
    assert token.name == "laptop"
    assert timedelta(days=1, hours=23) < token.expires_at - utcnow() <= timedelta(days=2)


@pytest.mark.parametrize(("name", "where"), [("a\x00b", "U+0000 at character 2"), ("ci\n", "U+000A at character 3")])
def test_a_token_name_has_no_control_characters(api, name, where):
    problem = assert_problem(api.post(TOKENS, headers=basic("edna", PASSWORD), json={"name": name}), 422)
    assert problem["errors"]["name"][0].startswith("must be plain text") and where in problem["errors"]["name"][0]


def test_a_token_lasts_at_most_the_configured_days(api):
    problem = assert_problem(api.post(TOKENS, headers=basic("edna", PASSWORD), json={"days": 31}), 422)
    assert problem["errors"] == {"days": ["a token lasts at most 30 days"]}


@pytest.mark.parametrize(
    ("headers", "detail"),
    [
        ({}, "no credentials: send your username and password with HTTP Basic authentication"),
        (basic("edna", "wrong password!!"), "wrong username or password, or the account is disabled"),
        (basic("nobody", PASSWORD), "wrong username or password, or the account is disabled"),
        # a name no account can have is not looked up (PostgreSQL refuses NUL characters)
        (basic("ed\x00na", PASSWORD), "wrong username or password, or the account is disabled"),
        ({"Authorization": "Bearer whatever"}, "no credentials"),
    ],
)
def test_no_token_without_the_right_password(api, headers, detail):
    response = api.post(TOKENS, headers=headers)
    problem = assert_problem(response, 401)
    assert problem["detail"].startswith(detail)
    assert response.headers["WWW-Authenticate"] == 'Basic realm="oil-blends"'


def test_tokens_are_stored_only_as_hashes(api, run):
    token = new_token(api)
    stored = run(lambda: db.session.execute(select(Token.token_hash)).scalars().all())
    assert hashlib.sha256(token.encode()).hexdigest() in stored
    assert token not in stored
    assert all(len(value) == 64 for value in stored)


def test_revoking_a_token(api):
    token = new_token(api)
    revoked = api.delete(TOKENS, headers=bearer(token))
    assert revoked.status_code == 204 and "Content-Type" not in revoked.headers
    response = api.post(EDIT, headers=bearer(token))
    problem = assert_problem(response, 401)
    assert problem["detail"].startswith("the token is not valid: it was revoked or never issued")
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="oil-blends"'
    assert_problem(api.delete(TOKENS, headers=bearer(token)), 401)


def test_revoking_one_token_keeps_the_others(api):
    kept, revoked = new_token(api), new_token(api)
    assert api.delete(TOKENS, headers=bearer(revoked)).status_code == 204
    assert api.post(EDIT, headers=bearer(kept)).status_code == 200


@pytest.mark.parametrize(
    ("headers", "detail"),
    [
        ({}, "no bearer token: send Authorization: Bearer <token> from POST /api/v1/tokens"),
        ({"Authorization": "Bearer"}, "no bearer token"),
        (basic("edna", PASSWORD), "no bearer token"),
        (bearer("not-a-token"), "the token is not valid"),
        (bearer("x" * 5000), "the token is not valid"),
    ],
)
def test_a_protected_route_without_a_good_token(api, headers, detail):
    response = api.post(EDIT, headers=headers)
    problem = assert_problem(response, 401)
    assert problem["detail"].startswith(detail)
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="oil-blends"'


def test_an_expired_token(api, run):
    token = run(lambda: accounts.create_token(accounts.get_user("edna"), days=-1))
    problem = assert_problem(api.post(EDIT, headers=bearer(token)), 401)
    assert problem["detail"] == "the token has expired; get a new one from POST /api/v1/tokens"


def test_a_token_expiring_now(api, run):
    token = new_token(api)

    def expire():
        stored_token(token).expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()

    run(expire)
    assert assert_problem(api.post(EDIT, headers=bearer(token)), 401)["detail"].startswith("the token has expired")


def test_disabling_a_user_revokes_their_tokens(api, run):
    run(accounts.create_user, "dora", PASSWORD, "editor")
    token = new_token(api, "dora")
    assert api.post(EDIT, headers=bearer(token)).status_code == 200
    run(accounts.disable_user, "dora")
    problem = assert_problem(api.post(EDIT, headers=bearer(token)), 401)
    assert problem["detail"].startswith("the token is not valid: it was revoked")
    assert_problem(api.post(TOKENS, headers=basic("dora", PASSWORD)), 401)
    assert run(accounts.list_tokens, "dora") == []
    run(accounts.enable_user, "dora")
    assert_problem(api.post(EDIT, headers=bearer(token)), 401)  # enabling gives no token back
    assert api.post(EDIT, headers=bearer(new_token(api, "dora"))).status_code == 200


def test_a_token_of_a_disabled_account_is_refused_as_disabled(api, run):
    """A token left on an account disabled in the database itself (not by disable_user) still stops at once."""
    run(accounts.create_user, "dina", PASSWORD, "editor")
    token = new_token(api, "dina")

    def disable_in_place():
        accounts.get_user("dina").active = False
        db.session.commit()

    run(disable_in_place)
    problem = assert_problem(api.post(EDIT, headers=bearer(token)), 401)
    assert problem["detail"] == "this account is disabled; ask an admin to enable it"


def test_a_new_password_revokes_every_token_of_the_user(api, run):
    run(accounts.create_user, "pia", PASSWORD, "editor")
    first, second = new_token(api, "pia"), new_token(api, "pia")
    others = new_token(api, "edna")
    run(accounts.set_password, "pia", "a brand new passphrase")
    for token in (first, second):
        assert assert_problem(api.post(EDIT, headers=bearer(token)), 401)["detail"].startswith("the token is not valid")
    assert api.post(EDIT, headers=bearer(others)).status_code == 200  # nobody else's
    assert_problem(api.post(TOKENS, headers=basic("pia", PASSWORD)), 401)
    assert api.post(EDIT, headers=bearer(new_token_with(api, "pia", "a brand new passphrase"))).status_code == 200


def new_token_with(client, username: str, password: str) -> str:
    response = client.post(TOKENS, headers=basic(username, password))
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["token"]


def test_an_editor_on_an_admin_route(api):
    response = api.post(ADMIN, headers=bearer(new_token(api, "edna")))
    problem = assert_problem(response, 403)
    assert problem["detail"] == "this needs the admin role; yours is editor"


def test_an_admin_passes_editor_and_admin_routes(api):
    token = new_token(api, "ada")
    assert api.post(EDIT, headers=bearer(token)).get_json() == {"user": "ada", "role": "admin"}
    assert api.post(ADMIN, headers=bearer(token)).get_json() == {"user": "ada"}


def test_a_role_change_applies_to_existing_tokens(api, run):
    run(accounts.create_user, "rory", PASSWORD, "admin")
    token = new_token(api, "rory")
    assert api.post(ADMIN, headers=bearer(token)).status_code == 200
    run(accounts.set_role, "rory", "editor")
    assert_problem(api.post(ADMIN, headers=bearer(token)), 403)


def test_last_used_is_recorded(api, run):
    token = new_token(api)
    assert run(stored_token, token).last_used_at is None
    assert api.post(EDIT, headers=bearer(token)).status_code == 200
    assert run(stored_token, token).last_used_at is not None


def test_role_required_checks_the_role_name():
    with pytest.raises(ValueError, match="unknown role 'owner'"):
        role_required("owner")


def test_the_openapi_document_has_both_schemes_and_the_token_operations(client):
    document = client.get("/api/openapi.json").get_json()
    assert document["components"]["securitySchemes"] == {
        "basicAuth": {"type": "http", "scheme": "basic"},
        "bearerAuth": {"type": "http", "scheme": "bearer"},
    }
    create, revoke = document["paths"][TOKENS]["post"], document["paths"][TOKENS]["delete"]
    assert create["security"] == [{"basicAuth": []}]
    assert revoke["security"] == [{"bearerAuth": []}]
    assert {"201", "401"} <= set(create["responses"])
    assert {"204", "401"} <= set(revoke["responses"])
    assert "WWW-Authenticate" in revoke["responses"]["401"]["headers"]


def test_role_required_documents_the_operation():
    """On an Api of its own, so the service's document is left as it is."""
    app = Flask(__name__)
    app.config.update(API_TITLE="t", API_VERSION="1", OPENAPI_VERSION="3.0.3")
    api = ProblemApi(app)
    register_security_schemes(api)
    blp = ApiBlueprint("documented", __name__, url_prefix="/api/v1/documented")

    @blp.route("")
    class Documented(MethodView):
        @role_required("admin")
        @blp.response(200)
        def put(self):
            """Replace"""

        @blp.doc(**BEARER_DOC)
        @blp.response(200)
        def patch(self):
            """Documented by hand"""

    api.register_blueprint(blp)
    operations = api.spec.to_dict()["paths"]["/api/v1/documented"]
    assert operations["put"]["security"] == [{"bearerAuth": []}]
    assert {"200", "401", "403"} <= set(operations["put"]["responses"])
    assert operations["patch"]["security"] == [{"bearerAuth": []}]


def test_passwords_are_scrypt_hashes(run):
    stored = run(lambda: db.session.execute(select(User.password_hash).where(User.username == "edna")).scalar_one())
    assert stored.startswith("scrypt:")
    assert PASSWORD not in stored


# ---- no shortcut for a wrong name (the same scrypt work as a wrong password) ----------------------------------


@pytest.fixture
def password_checks(monkeypatch):
    """Every hash a password is checked against, in order (the real check still runs)."""
    checked: list[str] = []
    real = accounts.check_password_hash

    def spy(stored: str, password: str) -> bool:
        checked.append(stored)
        return real(stored, password)

    monkeypatch.setattr(accounts, "check_password_hash", spy)
    return checked


@pytest.mark.parametrize(
    ("username", "password", "against"),
    [
        ("edna", "wrong password!!", "edna"),  # a wrong password: the user's own hash
        ("edna", PASSWORD, "edna"),
        ("nobody", PASSWORD, "dummy"),  # no such user: a dummy scrypt hash all the same
        ("ed\x00na", PASSWORD, "dummy"),  # a name no account can have: not looked up, still checked
        ("", "", "dummy"),
    ],
)
def test_every_sign_in_checks_one_scrypt_hash(run, password_checks, username, password, against):
    user = run(accounts.authenticate, username, password)
    assert (user is not None) == (password == PASSWORD and username == "edna")
    assert len(password_checks) == 1
    stored = password_checks[0]
    assert stored.startswith("scrypt:")
    if against == "dummy":
        assert stored == accounts._dummy_hash()
    else:
        assert stored == run(lambda: accounts.get_user(against).password_hash)


def test_a_disabled_account_checks_its_password_too(run, password_checks):
    run(accounts.create_user, "dot", PASSWORD, "editor")
    run(accounts.disable_user, "dot")
    assert run(accounts.authenticate, "dot", PASSWORD) is None
    assert run(accounts.authenticate, "dot", "wrong password!!") is None
    assert password_checks == [run(lambda: accounts.get_user("dot").password_hash)] * 2


def test_a_wrong_name_through_the_api_costs_a_scrypt_check(api, password_checks):
    assert_problem(api.post(TOKENS, headers=basic("nobody", PASSWORD)), 401)
    assert password_checks == [accounts._dummy_hash()]


# ---- the limit on failed sign-ins ------------------------------------------------------------------------------


@pytest.fixture
def limited(make_app):
    """An app whose sign-ins are limited to 3 failures a minute per address, with a user; CSRF off for the form."""
    app = make_app(LOGIN_RATE_LIMIT="3 per minute", WTF_CSRF_ENABLED=False)
    with app.app_context():
        accounts.create_user("edna", PASSWORD, "editor")
    return app


def test_failed_basic_attempts_are_limited_per_address(limited, password_checks):
    client = limited.test_client()
    assert client.post(TOKENS, headers=basic("edna", PASSWORD)).status_code == 201  # a success does not count
    for _ in range(3):
        assert_problem(client.post(TOKENS, headers=basic("edna", "wrong password!!")), 401)
    checks = len(password_checks)
    response = client.post(TOKENS, headers=basic("edna", PASSWORD))  # even the right password, until it is over
    problem = assert_problem(response, 429)
    assert len(password_checks) == checks  # refused before any password is checked
    seconds = int(response.headers["Retry-After"])
    assert 1 <= seconds <= 60
    assert problem["title"] == "Too many attempts"
    assert problem["detail"].startswith("too many failed sign-ins from your address (at most 3 per 1 minute")
    assert problem["detail"].endswith(f"try again in {seconds} second{'' if seconds == 1 else 's'}")
    assert response.headers["Content-Security-Policy"]
    # another address is not limited, nor is revoking a token, nor reading
    other = limited.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.1.2.3"
    token = new_token(other)
    assert client.delete(TOKENS, headers=bearer(token)).status_code == 204
    assert client.get("/api/v1/oils/lavender").status_code == 200


def test_requests_without_basic_credentials_do_not_count(limited):
    client = limited.test_client()
    for _ in range(5):
        assert_problem(client.post(TOKENS), 401)
        assert_problem(client.post(TOKENS, headers=bearer("not-a-token")), 401)
    assert client.post(TOKENS, headers=basic("edna", PASSWORD)).status_code == 201


def test_the_login_page_and_the_api_share_one_count(limited):
    client = limited.test_client()
    for _ in range(2):
        page = client.post("/login", data={"username": "edna", "password": "wrong password!!"})
        assert page.status_code == 200  # the form again, saying the name or password is wrong
    assert_problem(client.post(TOKENS, headers=basic("nobody", PASSWORD)), 401)
    assert_problem(client.post(TOKENS, headers=basic("edna", PASSWORD)), 429)
    page = client.post("/login", data={"username": "edna", "password": PASSWORD})
    assert page.status_code == 429 and page.mimetype == "text/html"
    assert page.headers["Retry-After"]


def test_the_limit_is_in_the_openapi_document(client):
    create = client.get("/api/openapi.json").get_json()["paths"][TOKENS]["post"]
    assert "Retry-After" in create["responses"]["429"]["headers"]
    assert create["responses"]["429"]["content"]["application/problem+json"]


@pytest.mark.parametrize("proxies", [0, 1])
def test_behind_a_trusted_proxy_the_limit_counts_per_forwarded_address(make_app, proxies):
    """OIL_BLENDS_PROXIES=1: the address is the one the proxy forwards; without it, every client behind the proxy
    shares the proxy's address, and a header sent by a client is never believed."""
    app = make_app(LOGIN_RATE_LIMIT="2 per minute", TRUSTED_PROXIES=proxies)
    with app.app_context():
        accounts.create_user("edna", PASSWORD, "editor")
    client = app.test_client()

    def attempt(address: str, password: str = "wrong password!!"):
        return client.post(TOKENS, headers={**basic("edna", password), "X-Forwarded-For": address})

    for _ in range(2):
        assert attempt("203.0.113.5").status_code == 401
    assert attempt("203.0.113.5", PASSWORD).status_code == 429
    other = attempt("198.51.100.7", PASSWORD)
    assert other.status_code == (201 if proxies else 429)
