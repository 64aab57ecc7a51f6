"""``flask --app app`` commands: the catalog (seed, export-oils, import-oils), ``users`` and ``tokens``."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
import tempfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from oil_blends.documents import strict_json
from oil_blends.extensions import db
from oil_blends.storage import accounts
from oil_blends.storage.database import SCHEMA_BEHIND
from oil_blends.storage.models import MAX_KEY, ROLES
from oil_blends.storage.oils import all_entries, source_entries
from oil_blends.storage.seed import CatalogError, catalog_problems, load_catalog, seed_if_new


def with_database(command):
    """``with_appcontext``, and one line on standard error instead of a traceback when the database is not migrated
    to this release's schema yet (start-up left it alone: OIL_BLENDS_AUTO_MIGRATE=0) or the output cannot be written."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        behind = current_app.extensions.get(SCHEMA_BEHIND)
        if behind:
            raise click.ClickException(behind)
        try:
            return command(*args, **kwargs)
        except OSError as error:  # the output's disk is full, or its reader went away
            raise click.ClickException(f"could not write the output: {error.strerror or error}") from None

    return with_appcontext(run)


@click.command("seed")
@with_database
def seed_command() -> None:
    """Load the shipped catalog into a database that has never been seeded."""
    if seed_if_new():
        click.echo("seeded the shipped catalog")
    else:
        click.echo("the database was already seeded; use import-oils to load entries again")


@click.command("export-oils")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True), default="-")
@with_database
def export_oils_command(file: str) -> None:
    """Write the catalog as JSON (the shape import-oils reads) to FILE, or standard output."""
    document = {"sources": source_entries(), "oils": all_entries()}
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if file == "-":
        click.echo(text, nl=False)
        return
    path = Path(file).resolve()  # a symbolic link: the file it points to is the one written
    try:
        if path.exists() and not path.is_file():  # a pipe or a device (/dev/stdout): a stream, written as one
            with open(path, "w", encoding="utf-8") as out:
                out.write(text)
            return
        write_whole(path, text)
    except OSError as error:
        kept = "; the earlier file was left as it was" if path.is_file() else ""
        raise click.ClickException(f"cannot write {file}: {error.strerror or error}{kept}") from None


def write_whole(path: Path, text: str) -> None:
    """Write the regular file ``path`` whole or not at all: a temporary file beside it, flushed to disk, then renamed
    over it (a full disk or a crash never leaves a cut-off catalog where the last good export was). The file keeps
    the mode an earlier one had, or gets the one a new file would."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, path.stat().st_mode if path.exists() else 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    mask = os.umask(0)  # the only way to read it is to set it
    os.umask(mask)
    return mask


@click.command("import-oils")
@click.argument("file", type=click.File("rb"))  # bytes: read as the API reads a body (UTF-8, -16 or -32, a BOM)
@with_database
def import_oils_command(file) -> None:
    """Create or update oils from a JSON FILE ({"oils": [...]} or a list); every entry is validated first."""
    try:
        document = strict_json.loads(file.read())
    except ValueError as error:
        raise click.ClickException(f"{file.name}: not valid JSON: {error}") from None
    try:
        created, updated = load_catalog(document, author="import")
    except CatalogError as error:
        click.echo(f"{file.name}: nothing imported: {error}", err=True)
        sys.exit(2)
    click.echo(f"{created} oils created, {updated} updated")


@click.command("check-catalog")
@with_database
def check_catalog_command() -> None:
    """Check every stored oil and source against today's rules (as an import would); exit 1 naming each bad one."""
    try:
        problems = catalog_problems()
    except Exception as error:  # a row that cannot even be read (written past the app): say so, not a traceback
        db.session.rollback()
        raise click.ClickException(f"the stored catalog cannot be read: {type(error).__name__}: {error}") from None
    for line in problems:
        click.echo(line, err=True)
    if problems:
        click.echo(
            f"{len(problems)} entries break today's rules: correct them (the web form, PATCH or import-oils)", err=True
        )
        sys.exit(1)
    click.echo("every stored oil and source passes today's rules")


# ---- accounts and tokens ------------------------------------------------------------------------------------


def _read_password(from_stdin: bool) -> str:
    """The password: one line of standard input, or a hidden prompt typed twice."""
    if from_stdin:
        stdin = sys.stdin  # None: standard input was closed
        # Up to the end of the input (a pipe), but never more than a password and its line break can be: a reader
        # that sends line after line (yes) is refused, not read for ever. At a terminal, the line typed.
        if stdin is None:
            given = ""
        else:
            given = stdin.readline() if stdin.isatty() else stdin.read(accounts.MAX_PASSWORD_LENGTH + 3)
        if not given:
            raise click.UsageError("--password-stdin: nothing on standard input; send the password as one line")
        lines = given.rstrip("\r\n").splitlines() or [""]
        if len(lines) > 1:  # which line was meant cannot be told
            raise click.ClickException(
                "--password-stdin: more than one line on standard input; send the password alone"
            )
        password = lines[0]
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        return accounts.check_password(password)
    except ValueError as error:
        raise click.ClickException(str(error)) from None


def _run(action, *args):
    """Run an accounts function; its ValueError becomes one line on standard error and exit status 1."""
    try:
        return action(*args)
    except ValueError as error:
        raise click.ClickException(str(error)) from None


@click.group("users")
def users_group() -> None:
    """Editors' and admins' accounts (there is no default account)."""


@users_group.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), default="editor", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from one line of standard input.")
@with_database
def users_create_command(username: str, role: str, password_stdin: bool) -> None:
    """Create the account USERNAME; the password is asked for (hidden, twice) or read with --password-stdin."""
    _run(accounts.check_username, username)
    if accounts.find_user(username) is not None:
        raise click.ClickException(f"a user {username!r} already exists")
    password = _read_password(password_stdin)
    user = _run(accounts.create_user, username, password, role)
    click.echo(f"created {user.role} {user.username}")


@users_group.command("list")
@with_database
def users_list_command() -> None:
    """List the accounts: name, role, whether active, when created (UTC)."""
    users = accounts.list_users()
    if not users:
        click.echo("no users yet: flask --app app users create NAME --role admin", err=True)
        return
    width = max(len("name"), *(len(user.username) for user in users))
    click.echo(f"{'name':<{width}}  {'role':<6}  {'active':<6}  created")
    for user in users:
        active = "yes" if user.active else "no"
        created = user.created_at.strftime("%Y-%m-%d %H:%M")
        click.echo(f"{user.username:<{width}}  {user.role:<6}  {active:<6}  {created}")


def _tokens_revoked(count: int) -> str:
    if not count:
        return ""
    return f"; {count} token{'' if count == 1 else 's'} revoked"


@users_group.command("disable")
@click.argument("username")
@with_database
def users_disable_command(username: str) -> None:
    """Disable USERNAME: no sign-in, and every token of theirs is revoked."""
    count = len(_run(accounts.list_tokens, username))
    user = _run(accounts.disable_user, username)
    click.echo(f"disabled {user.username}{_tokens_revoked(count)}")


@users_group.command("enable")
@click.argument("username")
@with_database
def users_enable_command(username: str) -> None:
    """Enable USERNAME again (the tokens revoked when it was disabled stay revoked)."""
    user = _run(accounts.enable_user, username)
    click.echo(f"enabled {user.username}")


@users_group.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
@with_database
def users_set_role_command(username: str, role: str) -> None:
    """Give USERNAME the ROLE editor or admin."""
    user = _run(accounts.set_role, username, role)
    click.echo(f"{user.username} is now {user.role}")


@users_group.command("set-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from one line of standard input.")
@with_database
def users_set_password_command(username: str, password_stdin: bool) -> None:
    """Set a new password for USERNAME (asked for, hidden, twice, or --password-stdin); their tokens are revoked."""
    _run(accounts.get_user, username)
    password = _read_password(password_stdin)
    count = len(_run(accounts.list_tokens, username))
    user = _run(accounts.set_password, username, password)
    click.echo(f"password changed for {user.username}{_tokens_revoked(count)}")


@click.group("tokens")
def tokens_group() -> None:
    """Bearer tokens for the API's write endpoints."""


@tokens_group.command("create")
@click.argument("username")
@click.option(
    "--days",
    type=click.IntRange(1, accounts.MAX_TOKEN_DAYS),
    help="How long the token lasts [default: OIL_BLENDS_TOKEN_DAYS, 30]",
)
@click.option("--label", default="", help="A name to tell the user's tokens apart.")
@with_database
def tokens_create_command(username: str, days: int | None, label: str) -> None:
    """Create a token for USERNAME and print it once (only its hash is stored)."""
    user = _run(accounts.get_user, username)
    if not user.active:
        raise click.ClickException(f"{username!r} is disabled: enable the account first")
    token = _run(accounts.create_token, user, label, days)
    expires_at = accounts.token_expiry(token)
    click.echo(token)
    when = expires_at.strftime("%Y-%m-%d %H:%M UTC") if expires_at else "never"
    click.echo(f"a token for {username}, expires {when}; it is not shown again", err=True)


def _when(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"


@tokens_group.command("list")
@click.argument("username")
@with_database
def tokens_list_command(username: str) -> None:
    """List USERNAME's tokens: id, label, created, expires, last used (UTC); never the token itself."""
    tokens = _run(accounts.list_tokens, username)
    if not tokens:
        click.echo(f"{username} has no tokens", err=True)
        return
    width = max(len("label"), *(len(token.name) for token in tokens))
    click.echo(f"{'id':>5}  {'label':<{width}}  {'created':<16}  {'expires':<16}  last used")
    for token in tokens:
        click.echo(
            f"{token.id:>5}  {token.name:<{width}}  {_when(token.created_at):<16}  {_when(token.expires_at):<16}  "
            f"{_when(token.last_used_at)}"
        )


@tokens_group.command("revoke")
@click.argument("username")
@click.argument("token_id", metavar="ID", type=click.IntRange(1, MAX_KEY), required=False)
@click.option("--all", "revoke_all", is_flag=True, help="Revoke every token of USERNAME.")
@with_database
def tokens_revoke_command(username: str, token_id: int | None, revoke_all: bool) -> None:
    """Revoke USERNAME's token ID (from tokens list), or every token of theirs with --all."""
    if revoke_all == (token_id is not None):
        raise click.UsageError("give a token ID (see tokens list USERNAME) or --all, not both")
    if revoke_all:
        count = _run(accounts.revoke_tokens, username)
        click.echo(f"revoked {count} token{'' if count == 1 else 's'} of {username}")
        return
    _run(accounts.revoke_token_id, username, token_id)
    click.echo(f"revoked token {token_id} of {username}")


catalog_commands = (
    seed_command,
    export_oils_command,
    import_oils_command,
    check_catalog_command,
    users_group,
    tokens_group,
)
