"""Database faults get clear answers, and the same process recovers from them by itself.

PostgreSQL (with ``TEST_DATABASE_URL``; skipped without it or when the server does not answer) is reached through a
TCP proxy started by the test, in a database the test creates and drops. Stopping the proxy cuts every connection
and refuses new ones, as a database that went away: every request that needs it (a calculation, an oil read, the
health check, a page, an editor's write) answers 503 with ``Retry-After`` (a problem document in the API, an HTML
page elsewhere). Starting it again on the same port, the next requests answer 200, with no restart. A restart as
the app sees it (``pg_terminate_backend`` on every connection) costs at most one 503. The same holds under gunicorn.

SQLite: a database file that cannot be written (opened read-only) or whose disk is full (``max_page_count``
pinned to the file's size on every connection) answers an editor's write with 503 or 507 saying that nothing was
saved, keeps serving reads and calculations, and the file stays intact.

Any other database error (a bad query) is still a 500, logged with its traceback: never a silent 503.
"""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import uuid
from pathlib import Path

import psycopg
import psycopg.errors
import pytest
import requests
import sqlalchemy as sa
from bs4 import BeautifulSoup
from flask_login import current_user

from helpers_forms import form_values
from helpers_postgres import postgres_url
from helpers_proxy import TcpProxy
from helpers_server import free_port, start_gunicorn
from oil_blends.app import create_app
from oil_blends.documents.problems import PROBLEM_CONTENT_TYPE
from oil_blends.errors import BUSY, FULL, NUL_CHARACTER, READ_ONLY, UNREACHABLE, database_fault
from oil_blends.extensions import db
from oil_blends.storage.accounts import create_token, create_user
from oil_blends.storage.models import User
from oil_blends.storage.oils import find_oil

PASSWORD = "correct horse battery"
SLUG = "lavender"
KINDS = ("calculation", "oil", "health", "page", "write")
SECRET_KEY = "fault-tests-" + "k" * 32  # production servers need 32 characters or more


def blend(number: int) -> dict:
    """A calculation no earlier request made (the answer memo never hits)."""
    return {
        "carrier": "sweet-almond",
        "amount": f"30.{number:06d} mL",
        "dilution": "2%",
        "oils": [{"oil": "lavender", "parts": 2}, {"oil": "peppermint", "parts": 1}],
    }


def close(app) -> None:
    with app.app_context():
        app.extensions["oil_blends.catalog"].close()
        db.engine.dispose()


def assert_fault(response, status: int, problem_type: str) -> dict:
    """A problem document of a database fault: plain words, no traceback, and when to come back for a 503."""
    body = response.get_data(as_text=True)
    assert response.status_code == status, body
    assert response.mimetype == PROBLEM_CONTENT_TYPE
    assert "Traceback" not in body
    problem = response.get_json(force=True)
    assert problem["status"] == status and problem["type"] == problem_type
    assert "database" in problem["title"].lower() and "database" in problem["detail"]
    if status == 503:
        assert int(response.headers["Retry-After"]) > 0
    return problem


def assert_fault_page(response, status: int, words: str) -> None:
    body = response.get_data(as_text=True)
    assert response.status_code == status, body[:300]
    assert response.mimetype == "text/html"
    assert "Traceback" not in body
    assert words in BeautifulSoup(body, "html.parser").main.get_text(" ", strip=True)
    if status == 503:
        assert int(response.headers["Retry-After"]) > 0


# ---- PostgreSQL through a proxy ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def postgres():
    """A new database of this module's own (dropped at the end), and an engine on the server outside the proxy."""
    base = sa.make_url(postgres_url())
    name = f"oil_faults_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name), admin
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def proxy(postgres):
    url, _ = postgres
    with TcpProxy(url.host or "127.0.0.1", url.port or 5432) as running:
        yield running


@pytest.fixture(scope="module")
def proxied_url(postgres, proxy) -> str:
    url, _ = postgres
    return url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def pg_app(proxied_url, proxy):
    """The app on the test database through the proxy (migrated and seeded), an editor and her token."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": proxied_url, "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        token = create_token(create_user("edna", PASSWORD, "editor"))

    def outage_mid_request():
        """The signed-in editor is read, then the database goes away before the page's own query."""
        name = current_user.username
        proxy.stop()
        find_oil(SLUG)
        return f"not reached by {name}"

    app.add_url_rule("/test-only/outage-mid-request", "outage_mid_request", outage_mid_request)
    yield app, token
    close(app)


def terminate_backends(postgres) -> int:
    """What a server restart does to the app's connections: every one of them is closed by the server."""
    url, admin = postgres
    with admin.connect() as connection:
        return len(
            connection.execute(
                sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                {"name": url.database},
            ).all()
        )


class Caller:
    """One request of each kind an app serves from its database, through Flask's test client or over HTTP."""

    def __init__(self, send, token: str):
        self.send = send  # (method, path, **options) -> (status, headers, body text, response)
        self.token = token
        self.etag = ""
        self.number = 0

    def each_kind(self) -> dict[str, object]:
        self.number += 1
        answers = {
            "calculation": self.send("POST", "/api/v1/blends/calculate", json=blend(self.number)),
            "oil": self.send("GET", f"/api/v1/oils/{SLUG}"),
            "health": self.send("GET", "/healthz"),
            "page": self.send("GET", f"/oils/{SLUG}"),
        }
        if answers["oil"].status_code == 200:
            self.etag = answers["oil"].headers["ETag"]
        answers["write"] = self.send(
            "PATCH",
            f"/api/v1/oils/{SLUG}",
            json={"description": f"fault test {self.number}"},
            headers={"If-Match": self.etag or '"none"', "Authorization": f"Bearer {self.token}"},
        )
        return answers


def statuses(answers: dict) -> dict[str, int]:
    return {kind: answer.status_code for kind, answer in answers.items()}


def assert_unreachable(answers: dict) -> None:
    for kind in ("calculation", "oil", "write"):
        problem = assert_fault(answers[kind], 503, "/problems/database-unavailable")
        assert "try again" in problem["detail"]
    assert "may or may not have been saved" in answers["write"].get_json()["detail"]
    health = answers["health"]
    assert health.status_code == 503 and health.mimetype == PROBLEM_CONTENT_TYPE
    assert int(health.headers["Retry-After"]) > 0
    assert "database does not answer" in health.get_json()["detail"]
    assert_fault_page(answers["page"], 503, "database does not answer")


def test_a_database_away_answers_503_and_the_same_process_serves_again_when_it_is_back(pg_app, proxy):
    app, token = pg_app
    client = app.test_client()
    caller = Caller(lambda method, path, **options: client.open(path, method=method, **options), token)
    assert statuses(caller.each_kind()) == dict.fromkeys(KINDS, 200)

    proxy.stop()  # every connection cut, new ones refused
    for _ in range(2):  # and again: a failed request leaves nothing broken behind
        assert_unreachable(caller.each_kind())

    proxy.start()  # back on the same port
    answers = caller.each_kind()
    assert statuses(answers) == dict.fromkeys(KINDS, 200), {
        k: a.get_data(as_text=True)[:200] for k, a in answers.items()
    }
    assert answers["write"].get_json()["description"] == f"fault test {caller.number}"
    assert statuses(caller.each_kind()) == dict.fromkeys(KINDS, 200)


def test_a_database_lost_in_the_middle_of_a_signed_in_editors_page_gives_the_503_page(pg_app, proxy):
    app, _ = pg_app
    client = app.test_client()
    log_in(client)
    try:
        page = client.get("/test-only/outage-mid-request")
    finally:
        proxy.start()
    # the editor cannot be read again to show the page as hers: it is shown as to anyone, still a 503
    assert_fault_page(page, 503, "database does not answer")
    assert client.get(f"/oils/{SLUG}/edit").status_code == 200  # still signed in once the database is back


EDITOR_PAGES = (f"/oils/{SLUG}/edit", "/oils/new", "/review")


def assert_editor_pages_answer_503(client) -> None:
    """Each editor page of a signed-in editor is the 503 page (not a redirect to the login page), shown as to anyone:
    the editor cannot be read."""
    for path in EDITOR_PAGES:
        page = client.get(path)
        assert "Location" not in page.headers, (path, page.headers.get("Location"))
        assert_fault_page(page, 503, "database does not answer")
        text = BeautifulSoup(page.get_data(as_text=True), "html.parser").get_text(" ", strip=True)
        assert "Log out" not in text
        assert "Log in" in text


def test_a_signed_in_editors_page_while_the_database_is_away_is_the_503_page_not_the_login(pg_app, proxy):
    app, _ = pg_app
    client = app.test_client()
    log_in(client)
    proxy.stop()
    try:
        assert_editor_pages_answer_503(client)
    finally:
        proxy.start()
    for path in EDITOR_PAGES:  # the same session, once the database is back
        assert client.get(path).status_code == 200, path


def test_a_nul_character_postgresql_cannot_take_is_a_4xx_not_a_500(pg_app):
    app, _ = pg_app
    client = app.test_client()
    missing = client.get("/api/v1/oils/lav%00ender")  # no slug has one: looked up, it is simply not there
    assert missing.status_code == 404 and missing.mimetype == PROBLEM_CONTENT_TYPE
    for path in ("/api/v1/oils/lav%00ender/revisions", "/api/v1/oils/lav%00ender/pending"):
        problem = client.get(path)
        assert problem.status_code == 400 and problem.mimetype == PROBLEM_CONTENT_TYPE, path
        assert problem.get_json()["type"] == "/problems/nul-character"
    assert client.get("/oils/lav%00ender").status_code == 404
    for path in ("/oils/lav%00ender/history",):
        page = client.get(path)
        assert page.status_code == 400 and page.mimetype == "text/html", path
        assert "NUL character" in page.get_data(as_text=True)


def test_a_database_restart_costs_at_most_one_503(pg_app, postgres):
    app, token = pg_app
    client = app.test_client()
    caller = Caller(lambda method, path, **options: client.open(path, method=method, **options), token)
    assert statuses(caller.each_kind()) == dict.fromkeys(KINDS, 200)  # connections open in the pool and the cache
    assert terminate_backends(postgres) >= 2
    seen = [status for _ in range(3) for status in statuses(caller.each_kind()).values()]
    assert set(seen) <= {200, 503} and seen.count(503) <= 1, seen
    assert seen[-len(KINDS) :] == [200] * len(KINDS)


class HttpAnswer:
    """A requests response with the few names of a Flask test response these tests read."""

    def __init__(self, response: requests.Response):
        self.status_code = response.status_code
        self.headers = response.headers
        self.mimetype = response.headers.get("Content-Type", "").split(";")[0].strip()
        self.text = response.text

    def get_data(self, as_text: bool = False) -> str:
        return self.text

    def get_json(self, force: bool = False):
        import json

        return json.loads(self.text)


def test_under_gunicorn_every_worker_answers_503_and_recovers(pg_app, postgres, proxy, proxied_url, tmp_path):
    _, token = pg_app
    port = free_port()
    server = start_gunicorn(proxied_url, port, tmp_path / "instance", SECRET_KEY, log=tmp_path / "gunicorn.log")
    try:
        with requests.Session() as session:

            def send(method: str, path: str, **options) -> HttpAnswer:
                return HttpAnswer(session.request(method, f"http://127.0.0.1:{port}{path}", timeout=15, **options))

            caller = Caller(send, token)
            for _ in range(3):  # each of the two workers has its connections open
                assert statuses(caller.each_kind()) == dict.fromkeys(KINDS, 200)
            proxy.stop()
            for _ in range(3):
                assert_unreachable(caller.each_kind())
            proxy.start()
            for _ in range(3):
                assert statuses(caller.each_kind()) == dict.fromkeys(KINDS, 200)
            assert terminate_backends(postgres) >= 2
            seen = [status for _ in range(4) for status in statuses(caller.each_kind()).values()]
            assert set(seen) <= {200, 503} and seen.count(503) <= 2, seen  # at most one in each worker
            assert seen[-2 * len(KINDS) :] == [200] * 2 * len(KINDS)
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)


# ---- SQLite that cannot be written -----------------------------------------------------------------------------


def log_in(client) -> None:
    data = form_values(client.get("/login").get_data(as_text=True), "form.login")
    data["username"], data["password"] = "edna", PASSWORD
    assert client.post("/login", data=data).status_code == 303


def web_edit(client, description: str):
    """Log in as the editor and send the oil's edit form with a new description, as a browser would."""
    log_in(client)
    data = form_values(client.get(f"/oils/{SLUG}/edit").get_data(as_text=True), "form.oil-form")
    data["description"] = description
    return client.post(f"/oils/{SLUG}/edit", data=data)


def stored(path: Path) -> tuple[str, tuple, list[tuple]]:
    """The file's integrity check, the oil's row and its revision trail, read outside the app."""
    connection = sqlite3.connect(path)
    try:
        check = connection.execute("PRAGMA integrity_check").fetchone()[0]
        row = connection.execute("SELECT description, version, updated_at FROM oils WHERE slug = ?", (SLUG,)).fetchone()
        trail = connection.execute(
            "SELECT id, action, author, changes FROM oil_revisions WHERE oil_slug = ? ORDER BY id", (SLUG,)
        ).fetchall()
    finally:
        connection.close()
    return check, row, trail


@pytest.fixture
def sqlite_file(tmp_path):
    """A migrated, seeded SQLite file with an editor, her token and one edit of hers in the oil's trail."""
    path = tmp_path / "oil-blends.sqlite3"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": SECRET_KEY})
    try:
        with app.app_context():
            token = create_token(create_user("edna", PASSWORD, "editor"))
        client = app.test_client()
        etag = client.get(f"/api/v1/oils/{SLUG}").headers["ETag"]
        edited = client.patch(
            f"/api/v1/oils/{SLUG}",
            json={"description": "before the fault"},
            headers={"If-Match": etag, "Authorization": f"Bearer {token}"},
        )
        assert edited.status_code == 200
    finally:
        close(app)
    return path, token


def assert_reads_work(client, number: int) -> None:
    assert client.get(f"/api/v1/oils/{SLUG}").status_code == 200
    assert client.get("/api/v1/oils?q=lav").status_code == 200
    assert client.post("/api/v1/blends/calculate", json=blend(number)).status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get(f"/oils/{SLUG}").status_code == 200
    result_page = client.get(f"/?carrier=sweet-almond&amount={30 + number}&unit=mL&oils-0-oil={SLUG}&oils-0-parts=2")
    assert result_page.status_code == 200 and "drops" in result_page.get_data(as_text=True)


def test_a_read_only_sqlite_file_refuses_writes_clearly_and_keeps_serving_reads(sqlite_file, tmp_path):
    path, token = sqlite_file
    before = stored(path)
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///file:{path}?mode=ro&uri=true",
            "SECRET_KEY": SECRET_KEY,
            "WTF_CSRF_ENABLED": False,
        }
    )
    try:
        client = app.test_client()
        assert_reads_work(client, 1)
        etag = client.get(f"/api/v1/oils/{SLUG}").headers["ETag"]
        write = client.patch(
            f"/api/v1/oils/{SLUG}",
            json={"description": "during the fault"},
            headers={"If-Match": etag, "Authorization": f"Bearer {token}"},
        )
        problem = assert_fault(write, 503, "/problems/database-read-only")
        assert problem["title"] == "The database cannot be written"
        assert "nothing was saved" in problem["detail"]
        new_token = client.post("/api/v1/tokens", auth=("edna", PASSWORD))
        assert_fault(new_token, 503, "/problems/database-read-only")
        assert_fault_page(web_edit(client, "during the fault"), 503, "read-only just now, so nothing was saved")
        assert_reads_work(client, 2)
    finally:
        close(app)
    assert not (Path.cwd() / "file:").exists()  # the URI is read as the file it names, not as a path
    after = stored(path)
    assert after == before and after[0] == "ok" and after[1][0] == "before the fault"


def no_room(dbapi_connection, connection_record) -> None:
    """A full disk: the file may not grow by one page (max_page_count below the size is taken as the size)."""
    dbapi_connection.execute("PRAGMA max_page_count = 1")


def test_a_full_disk_refuses_writes_clearly_keeps_the_file_intact_and_recovers(sqlite_file):
    path, token = sqlite_file
    with sqlite3.connect(path) as connection:
        connection.execute("VACUUM")  # no free page left inside the file for a write to reuse
        assert connection.execute("PRAGMA freelist_count").fetchone()[0] == 0
    connection.close()
    before = stored(path)
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "SECRET_KEY": SECRET_KEY,
            "WTF_CSRF_ENABLED": False,
        }
    )
    try:
        with app.app_context():
            engine = db.engine
        close(app)  # every connection from now on is opened with the disk full
        sa.event.listen(engine, "connect", no_room)
        client = app.test_client()
        long_description = "a description too long for the space left " * 90  # over a page: the file must grow
        etag = client.get(f"/api/v1/oils/{SLUG}").headers["ETag"]
        write = client.patch(
            f"/api/v1/oils/{SLUG}",
            json={"description": long_description[:4000]},
            headers={"If-Match": etag, "Authorization": f"Bearer {token}"},
        )
        problem = assert_fault(write, 507, "/problems/database-full")
        assert "disk is full" in problem["detail"] and "nothing was saved" in problem["detail"]
        assert_fault_page(web_edit(client, long_description[:4000]), 507, "disk is full, so nothing was saved")
        assert_reads_work(client, 3)
        after = stored(path)
        assert after == before and after[0] == "ok" and after[1][0] == "before the fault"

        sa.event.remove(engine, "connect", no_room)  # space freed: the same process saves again
        close(app)
        write = client.patch(
            f"/api/v1/oils/{SLUG}",
            json={"description": long_description[:4000]},
            headers={"If-Match": etag, "Authorization": f"Bearer {token}"},
        )
        assert write.status_code == 200, write.get_data(as_text=True)
    finally:
        close(app)
    check, row, trail = stored(path)
    assert check == "ok" and row[0] == long_description[:4000] and len(trail) == len(before[2]) + 1


def test_a_signed_in_editors_page_while_the_sqlite_file_is_away_is_the_503_page_not_the_login(tmp_path):
    """The file's folder is moved away: no connection can open the file (SQLITE_CANTOPEN), as a database that is
    unreachable. The editor's pages answer 503 rather than send her to log in again, and their error page does not
    try the database a second time for her; public pages answer as before, to her and to anyone; once the folder is
    back her session works again."""
    folder, away = tmp_path / "db", tmp_path / "away"
    folder.mkdir()
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'oil-blends.sqlite3'}",
            "SECRET_KEY": SECRET_KEY,
        }
    )
    try:
        with app.app_context():
            create_user("edna", PASSWORD, "editor")
            engine = db.engine
        editor, anyone = app.test_client(), app.test_client()
        log_in(editor)
        for path in EDITOR_PAGES:
            assert editor.get(path).status_code == 200, path
        close(app)  # no connection left open to the file
        folder.rename(away)
        attempts = []

        def count_attempt(*args) -> None:
            attempts.append(args)

        try:
            sa.event.listen(engine, "do_connect", count_attempt)
            assert_editor_pages_answer_503(editor)
            assert len(attempts) == len(EDITOR_PAGES)  # one each: reading her, not again for the error page
            sa.event.remove(engine, "do_connect", count_attempt)
            assert_fault_page(editor.get(f"/oils/{SLUG}"), 503, "database does not answer")
            # what needs no database still answers, to her (as to anyone) and to anyone
            for client in (editor, anyone):
                assert client.get("/recipes").status_code == 200
                assert client.get("/login").status_code == 200
            for path in EDITOR_PAGES:  # anyone else is still asked to log in
                assert anyone.get(path).headers["Location"].startswith("/login?next=")
            assert_fault_page(anyone.get(f"/oils/{SLUG}"), 503, "database does not answer")
        finally:
            away.rename(folder)
        for path in EDITOR_PAGES:
            assert editor.get(path).status_code == 200, path
        assert editor.get("/login").headers["Location"] == "/review"  # still signed in
    finally:
        close(app)


# ---- a bug is not a fault ----------------------------------------------------------------------------------------


def test_a_database_error_that_is_a_bug_is_a_logged_500_not_a_503(tmp_path, caplog):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'bug.sqlite3'}", "SECRET_KEY": SECRET_KEY})

    def broken():
        db.session.execute(sa.text("SELECT missing_column FROM no_such_table"))
        return "unreachable"

    app.add_url_rule("/api/v1/test-only/broken", "api_broken", broken)
    app.add_url_rule("/test-only/broken", "page_broken", broken)
    try:
        client = app.test_client()
        with caplog.at_level(logging.WARNING):
            api = client.get("/api/v1/test-only/broken")
            page = client.get("/test-only/broken")
    finally:
        close(app)
    assert api.status_code == 500 and api.mimetype == PROBLEM_CONTENT_TYPE
    assert "no_such_table" not in api.get_data(as_text=True) and "Retry-After" not in api.headers
    assert page.status_code == 500 and page.mimetype == "text/html"
    logged = [record for record in caplog.records if record.levelno == logging.ERROR and record.exc_info]
    assert len(logged) == 2 and all("no such table" in str(record.exc_info[1]) for record in logged)


def test_a_bug_after_a_failed_write_still_gets_the_500_page_for_a_signed_in_editor(sqlite_file, caplog):
    """The page's navigation reads the editor again: the failed transaction must not make the page fail too."""
    path, _ = sqlite_file
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": SECRET_KEY})

    def duplicate_user():
        name = current_user.username
        db.session.add(User(username=name, password_hash="x", role="editor"))
        db.session.flush()  # IntegrityError: the name is taken
        return "not reached"

    app.add_url_rule("/test-only/duplicate-user", "duplicate_user", duplicate_user)
    try:
        client = app.test_client()
        log_in(client)
        with caplog.at_level(logging.ERROR):
            page = client.get("/test-only/duplicate-user")
    finally:
        close(app)
    assert page.status_code == 500 and page.mimetype == "text/html"
    text = BeautifulSoup(page.get_data(as_text=True), "html.parser").get_text(" ", strip=True)
    assert "Something went wrong" in text and "Log out (edna)" in text
    assert [record for record in caplog.records if record.exc_info and "UNIQUE" in str(record.exc_info[1])]


def sqlite_error(sql: str, path: str = ":memory:") -> sqlite3.Error:
    connection = sqlite3.connect(path)
    try:
        connection.execute(sql)
    except sqlite3.Error as error:
        return error
    finally:
        connection.close()
    raise AssertionError(f"{sql} did not fail")


@pytest.mark.parametrize(
    ("error", "fault"),
    [
        (psycopg.OperationalError("connection failed: Connection refused"), UNREACHABLE),
        (psycopg.errors.AdminShutdown("terminating connection due to administrator command"), UNREACHABLE),
        (psycopg.errors.ConnectionFailure("connection failure"), UNREACHABLE),
        (psycopg.errors.CannotConnectNow("the database system is starting up"), UNREACHABLE),
        (psycopg.InterfaceError("the connection is closed"), UNREACHABLE),
        (psycopg.errors.DiskFull("could not extend file"), FULL),
        (psycopg.errors.ReadOnlySqlTransaction("cannot execute UPDATE in a read-only transaction"), READ_ONLY),
        (psycopg.errors.SerializationFailure("could not serialize access"), BUSY),
        (sa.exc.TimeoutError("QueuePool limit reached"), BUSY),
        (psycopg.DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes"), NUL_CHARACTER),
        (psycopg.errors.NumericValueOutOfRange("integer out of range"), None),
        (psycopg.errors.UndefinedTable('relation "x" does not exist'), None),
        (psycopg.errors.UniqueViolation("duplicate key"), None),
        (psycopg.errors.SyntaxError("syntax error"), None),
        (psycopg.InterfaceError("the query has 1 placeholder but 2 parameters were passed"), None),
        (sqlite_error("SELECT * FROM no_such_table"), None),
        (ValueError("not a database error"), None),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else getattr(value, "name", "bug"),
)
def test_which_database_errors_are_faults(error, fault):
    assert database_fault(error) is fault
    wrapped = (
        sa.exc.OperationalError("SELECT 1", {}, error) if isinstance(error, psycopg.Error | sqlite3.Error) else None
    )
    if wrapped is not None:
        assert database_fault(wrapped) is fault
