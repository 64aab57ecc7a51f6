"""The direct answers (api/direct.py) are the Flask view's: the same status, headers and body for any request, and
a request the direct layer does not answer reaches Flask as it was sent."""

from __future__ import annotations

import json
import logging
import os
import shutil
from contextlib import contextmanager

import pytest
from flask import request_started
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event
from werkzeug.test import EnvironBuilder, run_wsgi_app

from oil_blends.config import MAX_BODY_BYTES
from oil_blends.extensions import db
from oil_blends.security import SecurityHeaders

from .helpers import BLEND, CALCULATE, assert_problem

CHECK = "/api/v1/blends/check"
PATHS = [CALCULATE, CHECK, f"{CALCULATE}/", "/api/v1/blends/calculatex", "/api/v1/blends"]
CONTENT_TYPES = [
    "application/json",
    "application/json; charset=utf-8",
    "Application/JSON",
    " application/json ;",
    "application/json;charset=latin-1",
    "application/json\xa0",  # werkzeug strips only spaces and tabs around the type: not JSON
    "\x85application/json",
    "application/json\x0b; charset=utf-8",
    "\tapplication/json ",
    "application/problem+json",
    "application/jsonx",
    "text/plain",
    "",
    None,
]
SLUGS = ["lavender", "peppermint", "bergamot", "tea-tree", "jojoba", "sweet-almond", "lavendar", "birch", 3, None]
AMOUNTS = ["30 mL", "2 tbsp", "1 fl oz", "0.5 cup", "600 drops", "0 mL", "30 kg", "25 L", "tsp", 30, -1, None]
DILUTIONS = ["2%", "1 %", 3, "2 drops/tsp", "12 drops per fl oz", "50%", "0%", "x", None]
PROFILES = [
    {"age_years": 40},
    {"age_years": 1, "skin": "sensitive"},
    {"age_years": 70, "conditions": ["neuropathy"], "sun_exposure": True},
    {"pregnant": True, "allergies": ["tree_nut"]},
    {"age_years": "old"},
]


def _fields(**fields):
    """A document of the given optional fields, each left out when the drawn value is None."""
    return st.fixed_dictionaries({}, optional=fields)


def _oil_items(measure: str):
    item = _fields(oil=st.sampled_from(SLUGS), **{measure: st.one_of(st.integers(-1, 40), st.floats(0, 5))})
    return st.lists(item, max_size=4)


documents = st.one_of(
    _fields(
        carrier=st.sampled_from(SLUGS),
        amount=st.sampled_from(AMOUNTS),
        dilution=st.sampled_from(DILUTIONS),
        oils=st.one_of(_oil_items("parts"), _oil_items("drops")),
        use=st.sampled_from(["massage", "face", "small_area", "feet"]),
        profile=st.sampled_from(PROFILES),
        on_limit=st.sampled_from(["reject", "cap", "both"]),
    ),
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5), lambda inner: st.lists(inner)),
)
bodies = st.one_of(
    documents.map(lambda document: json.dumps(document).encode()),
    documents.map(lambda document: json.dumps(document).encode()[:-3]),  # cut short
    st.sampled_from([b"", b"   ", b"\n", b"{", b'{"amount": NaN}', b'{"a": 1, "a": 2}', b"\xff\xfe{\x00}\x00"]),
    st.binary(max_size=40),
    st.just(b'{"carrier": "jojoba", "amount": "30 mL", "oils": []' + b" " * MAX_BODY_BYTES + b"}"),
)
requests = st.fixed_dictionaries(
    {
        "method": st.sampled_from(["POST"] * 6 + ["GET", "PUT"]),
        "path": st.sampled_from(PATHS[:2] * 4 + PATHS[2:]),
        "content_type": st.sampled_from(CONTENT_TYPES[:2] * 4 + CONTENT_TYPES[2:]),
        "query_string": st.sampled_from([""] * 6 + ["x=1", "amount=30%20mL"]),
        "data": bodies,
        "headers": st.sampled_from([{}, {}, {"X-Forwarded-Proto": "https"}, {"Host": "elsewhere.example"}]),
    }
)


def answered(app, wsgi_app, sent: dict) -> tuple[tuple, int]:
    """(status, headers, body) of ``wsgi_app`` for a request, with the answer memo emptied first, and how many
    requests Flask's request cycle started for it."""
    app.extensions["oil_blends.answers"].clear()
    started = []

    def count(sender, **extra):
        started.append(sender)

    with request_started.connected_to(count, app):
        body, status, headers = run_wsgi_app(wsgi_app, EnvironBuilder(**sent).get_environ(), buffered=True)
        answer = (status, list(headers.items()), b"".join(body))
    return answer, len(started)


def through_flask(app):
    """The app's WSGI stack without the direct answers: its security headers around Flask itself."""
    return SecurityHeaders(app.extensions["oil_blends.direct"].wsgi_app)


@given(sent=requests)
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_request_gets_the_answer_flask_gives(app, sent):
    direct, _ = answered(app, app.wsgi_app, sent)
    viewed, _ = answered(app, through_flask(app), sent)
    assert direct == viewed


def test_a_plain_calculation_and_check_are_answered_without_flask_and_as_the_views_answer(app):
    check = {"carrier": "jojoba", "amount": "30 mL", "oils": [{"oil": "lavender", "drops": 12}]}
    refused = {**BLEND, "dilution": "5%"}
    for path, document in ((CALCULATE, BLEND), (CALCULATE, refused), (CHECK, check)):
        sent = {"method": "POST", "path": path, "data": json.dumps(document), "content_type": "application/json"}
        direct, flask_requests = answered(app, app.wsgi_app, sent)
        assert flask_requests == 0
        assert direct == answered(app, through_flask(app), sent)[0]
        status, headers, _ = direct
        assert status == ("200 OK" if document is not refused else "422 UNPROCESSABLE ENTITY")
        assert dict(headers)["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "changes",
    [
        {"query_string": "x=1"},
        {"content_type": "text/plain"},
        {"content_type": "application/problem+json"},
        {"data": "   "},
        {"data": b'{"carrier": "jojoba"' + b" " * MAX_BODY_BYTES + b"}"},
        {"method": "PUT"},
        {"path": f"{CALCULATE}/"},
    ],
    ids=["query", "text", "+json", "blank", "too large", "PUT", "slash"],
)
def test_any_other_request_goes_to_flask_with_its_body(app, changes):
    sent = {"method": "POST", "path": CALCULATE, "data": json.dumps(BLEND), "content_type": "application/json"}
    sent.update(changes)
    direct, flask_requests = answered(app, app.wsgi_app, sent)
    assert flask_requests == 1
    assert direct == answered(app, through_flask(app), sent)[0]


@pytest.mark.parametrize("length", ["9" * 4301, "0" * 4300 + "142", "99999999999999999999", "0142", "١٤٢", "-1", ""])
def test_any_content_length_gets_the_answer_flask_gives(app, length):
    body = json.dumps(BLEND)[:142].ljust(142).encode()
    sent = {"method": "POST", "path": CALCULATE, "data": body, "content_type": "application/json"}
    overridden = {**sent, "environ_overrides": {"CONTENT_LENGTH": length}}
    assert answered(app, app.wsgi_app, overridden)[0] == answered(app, through_flask(app), overridden)[0]


def test_a_host_outside_trusted_hosts_is_refused_by_flask(make_app):
    app = make_app(TRUSTED_HOSTS=["oils.example"])
    sent = {"method": "POST", "path": CALCULATE, "data": json.dumps(BLEND), "content_type": "application/json"}
    trusted, flask_requests = answered(app, app.wsgi_app, {**sent, "headers": {"Host": "oils.example"}})
    assert trusted[0] == "200 OK" and flask_requests == 0
    untrusted, _ = answered(app, app.wsgi_app, {**sent, "headers": {"Host": "elsewhere.example"}})
    assert untrusted[0].startswith("400") and b"not served at the host name" in untrusted[2]
    assert untrusted == answered(app, through_flask(app), {**sent, "headers": {"Host": "elsewhere.example"}})[0]


@contextmanager
def database_file_gone(path: str):
    """The SQLite file replaced by a folder of its name: SQLite cannot open it (SQLITE_CANTOPEN), as when the
    file's disk is away."""
    shutil.move(path, f"{path}.away")
    os.mkdir(path)
    try:
        yield
    finally:
        os.rmdir(path)
        shutil.move(f"{path}.away", path)


def test_a_database_fault_met_by_the_direct_answer_is_answered_by_flask_and_logged(
    make_app, close_connections, tmp_path, caplog
):
    path = str(tmp_path / "away.sqlite3")
    app = make_app(f"sqlite:///{path}")
    client = app.test_client()
    assert client.post(CALCULATE, json=BLEND).status_code == 200
    close_connections(app)  # the next version read opens the file again
    with database_file_gone(path), caplog.at_level(logging.WARNING), opened(app) as tries:
        started = []
        with request_started.connected_to(lambda sender, **extra: started.append(sender), app):
            response = client.post(CALCULATE, json={**BLEND, "amount": "31 mL"})
        direct_tries = len(tries)
        run_wsgi_app(through_flask(app), EnvironBuilder(CALCULATE, method="POST", json=BLEND).get_environ(), True)
        assert direct_tries == len(tries) - direct_tries  # the error met directly is not met a second time in Flask
        problem = assert_problem(response, 503)
        assert problem["type"] == "/problems/database-unavailable"
        assert int(response.headers["Retry-After"]) > 0
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert len(started) == 1  # handed to Flask, which answered it
        assert any("database unreachable" in record.getMessage() for record in caplog.records)
    assert client.post(CALCULATE, json={**BLEND, "amount": "32 mL"}).status_code == 200  # and back by itself


@contextmanager
def opened(app):
    """The connections the app's engine tries to open meanwhile (SQLAlchemy's own connect event)."""
    tries: list[object] = []

    def count(dialect, record, cargs, cparams):
        tries.append(cargs)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "do_connect", count)
    try:
        yield tries
    finally:
        event.remove(engine, "do_connect", count)
