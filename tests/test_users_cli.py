"""``flask --app app users ...`` and ``tokens create|list|revoke``: accounts and tokens from the command line."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from oil_blends.extensions import db
from oil_blends.storage import accounts
from oil_blends.storage.models import Token, User

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def cli_app(make_app):
    return make_app()


@pytest.fixture
def flask_cli(cli_app):
    runner = cli_app.test_cli_runner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(args=list(args), input=input)

    return invoke


def in_app(app, action, *args):
    with app.app_context():
        return action(*args)


def stored_user(username: str) -> User | None:
    return db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()


def test_create_with_password_stdin(flask_cli, cli_app):
    result = flask_cli("users", "create", "carol", "--role", "admin", "--password-stdin", input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "created admin carol" in result.output
    user = in_app(cli_app, stored_user, "carol")
    assert user.role == "admin" and user.active
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash
    assert in_app(cli_app, lambda: accounts.authenticate("carol", PASSWORD).username) == "carol"


def test_create_with_the_hidden_prompt(flask_cli, cli_app):
    result = flask_cli("users", "create", "prue", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output  # hidden input is not echoed
    assert in_app(cli_app, stored_user, "prue").role == "editor"


def test_the_prompt_wants_the_same_password_twice(flask_cli, cli_app):
    result = flask_cli("users", "create", "quin", input=f"{PASSWORD}\nsomething else!\n{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("users", "create", "shorty", "--password-stdin"), "too short\n", "the password is too short"),
        (("users", "create", "no input", "--password-stdin"), PASSWORD + "\n", "invalid username 'no input'"),
        (("users", "create", "ab", "--password-stdin"), PASSWORD + "\n", "use 3 to 80 characters"),
        (("users", "create", "empty", "--password-stdin"), "", "nothing on standard input"),
        (("users", "create", "spaces", "--password-stdin"), " " * 12 + "\n", "the password is only spaces"),
        (("users", "create", "twolines", "--password-stdin"), f"{PASSWORD}\nanother password\n", "more than one line"),
        (("tokens", "create", "carol", "--label", "lap\u202etop"), None, "must be plain text"),
        (("users", "create", "rolf", "--role", "owner", "--password-stdin"), PASSWORD + "\n", "'owner'"),
        (("users", "disable", "nobody"), None, "no user 'nobody'"),
        (("users", "set-role", "nobody", "admin"), None, "no user 'nobody'"),
        (("tokens", "create", "nobody"), None, "no user 'nobody'"),
        (("tokens", "create", "carol", "--days", "0"), None, "0 is not in the range 1<=x<=3650"),
        (("tokens", "list", "nobody"), None, "no user 'nobody'"),
        (("tokens", "revoke", "nobody", "--all"), None, "no user 'nobody'"),
        (("tokens", "revoke", "carol", "999999"), None, "'carol' has no token 999999: see tokens list carol"),
        (("tokens", "revoke", "carol"), None, "give a token ID (see tokens list USERNAME) or --all"),
        (("tokens", "revoke", "carol", "1", "--all"), None, "give a token ID (see tokens list USERNAME) or --all"),
    ],
)
def test_refusals_are_one_line_without_traceback(flask_cli, args, stdin, message):
    result = flask_cli(*args, input=stdin)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_duplicate_user_is_refused(flask_cli):
    assert flask_cli("users", "create", "dup", "--password-stdin", input=PASSWORD + "\n").exit_code == 0
    for name in ("dup", "DUP"):
        result = flask_cli("users", "create", name, "--password-stdin", input=PASSWORD + "\n")
        assert result.exit_code == 1
        assert "Error: a user 'dup' already exists" in result.output


def test_the_only_active_admin_is_neither_disabled_nor_made_an_editor(make_app):
    app = make_app()
    run = app.test_cli_runner().invoke
    for name, role in (("solo", "admin"), ("duo", "editor")):
        assert run(args=["users", "create", name, "--role", role, "--password-stdin"], input=PASSWORD).exit_code == 0
    for args in (["users", "disable", "solo"], ["users", "set-role", "solo", "editor"]):
        refused = run(args=args)
        assert refused.exit_code == 1 and "Traceback" not in refused.output
        assert refused.output.startswith(
            f"Error: cannot {'disable' if 'disable' in args else 'take the admin role from'}"
        )
        assert "solo, the only active admin: make another account admin first" in refused.output
    assert in_app(app, lambda: (stored_user("solo").role, stored_user("solo").active)) == ("admin", True)
    assert run(args=["users", "set-role", "duo", "admin"]).exit_code == 0
    assert run(args=["users", "set-role", "solo", "editor"]).output == "solo is now editor\n"  # duo is admin now
    assert run(args=["users", "disable", "duo"]).exit_code == 1
    assert run(args=["users", "set-role", "solo", "admin"]).exit_code == 0
    assert run(args=["users", "disable", "duo"]).output == "disabled duo\n"
    assert run(args=["users", "disable", "solo"]).exit_code == 1  # duo, disabled, does not count


def test_list_disable_and_set_role(flask_cli, cli_app):
    flask_cli("users", "create", "lena", "--password-stdin", input=PASSWORD + "\n")
    assert flask_cli("users", "set-role", "lena", "admin").output == "lena is now admin\n"
    assert flask_cli("users", "disable", "lena").output == "disabled lena\n"
    lines = flask_cli("users", "list").output.splitlines()
    assert lines[0].split() == ["name", "role", "active", "created"]
    lena = next(line.split() for line in lines if line.startswith("lena "))
    assert lena[:3] == ["lena", "admin", "no"]
    assert in_app(cli_app, accounts.authenticate, "lena", PASSWORD) is None
    assert flask_cli("users", "enable", "lena").output == "enabled lena\n"
    assert in_app(cli_app, lambda: accounts.authenticate("lena", PASSWORD).role) == "admin"


def test_set_password(flask_cli, cli_app):
    assert flask_cli("users", "create", "moe", "--password-stdin", input=PASSWORD + "\n").exit_code == 0
    new = "another long password"
    assert flask_cli("users", "set-password", "moe", "--password-stdin", input=new + "\n").exit_code == 0
    assert in_app(cli_app, accounts.authenticate, "moe", PASSWORD) is None
    assert in_app(cli_app, lambda: accounts.authenticate("moe", new).username) == "moe"


def test_tokens_create_prints_the_token_once_and_stores_its_hash(flask_cli, cli_app):
    flask_cli("users", "create", "tess", "--password-stdin", input=PASSWORD + "\n")
    result = flask_cli("tokens", "create", "tess", "--days", "7", "--label", "ci")
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert len(token) >= 43 and "\n" not in token
    assert "it is not shown again" in result.stderr
    assert in_app(cli_app, lambda: accounts.user_for_token(token).username) == "tess"
    hashes = in_app(cli_app, lambda: db.session.execute(select(Token.token_hash, Token.name)).all())
    assert (accounts.token_digest(token), "ci") in hashes
    assert all(token not in value for value, _ in hashes)


def test_no_token_for_a_disabled_user(flask_cli):
    flask_cli("users", "create", "gone", "--password-stdin", input=PASSWORD + "\n")
    flask_cli("users", "disable", "gone")
    result = flask_cli("tokens", "create", "gone")
    assert result.exit_code == 1
    assert "'gone' is disabled" in result.output


def test_accounts_storage_refusals(cli_app):
    with cli_app.app_context():
        with pytest.raises(ValueError, match="at least 12 characters"):
            accounts.create_user("valid-name", "short", "editor")
        with pytest.raises(ValueError, match="unknown role"):
            accounts.create_user("valid-name", PASSWORD, "root")
        assert accounts.authenticate("nobody-here", PASSWORD) is None
        assert accounts.user_for_token("") is None
        assert accounts.revoke_token("not-a-token") is False


def token_for(flask_cli, username: str, *options: str) -> str:
    result = flask_cli("tokens", "create", username, *options)
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def works(app, token: str) -> bool:
    return in_app(app, accounts.user_for_token, token) is not None


def test_set_password_revokes_the_users_tokens(flask_cli, cli_app):
    flask_cli("users", "create", "rita", "--password-stdin", input=PASSWORD + "\n")
    flask_cli("users", "create", "other", "--password-stdin", input=PASSWORD + "\n")
    tokens = [token_for(flask_cli, "rita"), token_for(flask_cli, "rita")]
    kept = token_for(flask_cli, "other")
    result = flask_cli("users", "set-password", "rita", "--password-stdin", input="a new long password\n")
    assert result.exit_code == 0, result.output
    assert result.output == "password changed for rita; 2 tokens revoked\n"
    assert not any(works(cli_app, token) for token in tokens)
    assert works(cli_app, kept)
    again = flask_cli("users", "set-password", "rita", "--password-stdin", input="yet another password\n")
    assert again.output == "password changed for rita\n"  # nothing left to revoke


def test_disable_revokes_the_users_tokens_and_enable_gives_none_back(flask_cli, cli_app):
    flask_cli("users", "create", "dan", "--password-stdin", input=PASSWORD + "\n")
    token = token_for(flask_cli, "dan")
    assert flask_cli("users", "disable", "dan").output == "disabled dan; 1 token revoked\n"
    assert not works(cli_app, token)
    assert flask_cli("users", "enable", "dan").output == "enabled dan\n"
    assert not works(cli_app, token)
    assert works(cli_app, token_for(flask_cli, "dan"))


def test_tokens_list_shows_no_secret(flask_cli, cli_app):
    flask_cli("users", "create", "lisa", "--password-stdin", input=PASSWORD + "\n")
    empty = flask_cli("tokens", "list", "lisa")
    assert empty.exit_code == 0 and empty.stdout == "" and "lisa has no tokens" in empty.stderr
    laptop = token_for(flask_cli, "lisa", "--label", "laptop", "--days", "7")
    token_for(flask_cli, "lisa", "--label", "ci")
    in_app(cli_app, accounts.user_for_token, laptop)  # used once: its last use is recorded
    result = flask_cli("tokens", "list", "lisa")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "label", "created", "expires", "last", "used"]
    rows = [line.split() for line in lines[1:]]
    assert [row[1] for row in rows] == ["laptop", "ci"]
    assert rows[0][-1] != "-" and rows[1][-1] == "-"  # last used: a date and time, or "-"
    hashes = in_app(cli_app, lambda: db.session.execute(select(Token.token_hash)).scalars().all())
    assert laptop not in result.output and not any(value in result.output for value in hashes)


def test_tokens_revoke_one_or_all(flask_cli, cli_app):
    flask_cli("users", "create", "ravi", "--password-stdin", input=PASSWORD + "\n")
    first, second, third = (token_for(flask_cli, "ravi", "--label", label) for label in ("a", "b", "c"))
    ids = [int(line.split()[0]) for line in flask_cli("tokens", "list", "ravi").stdout.splitlines()[1:]]
    result = flask_cli("tokens", "revoke", "ravi", str(ids[1]))
    assert result.exit_code == 0 and result.output == f"revoked token {ids[1]} of ravi\n"
    assert works(cli_app, first) and not works(cli_app, second) and works(cli_app, third)
    flask_cli("users", "create", "rhea", "--password-stdin", input=PASSWORD + "\n")
    theirs = token_for(flask_cli, "rhea")
    assert flask_cli("tokens", "revoke", "rhea", str(ids[0])).exit_code == 1  # only one's own tokens by name
    assert works(cli_app, first)
    assert flask_cli("tokens", "revoke", "ravi", "--all").output == "revoked 2 tokens of ravi\n"
    assert not works(cli_app, first) and not works(cli_app, third) and works(cli_app, theirs)


@pytest.mark.parametrize("number", ["2147483648", "99999999999999999999", "0"])
def test_a_token_number_no_key_can_be_is_refused_in_one_line(flask_cli, number):
    result = flask_cli("tokens", "revoke", "nobody", number)
    assert result.exit_code == 2 and "is not in the range 1<=x<=2147483647" in result.output
    assert "Traceback" not in result.output
