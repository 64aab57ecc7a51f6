"""The calculation's answer memo: same body and catalog version, same bytes; an edit changes the answer."""

from __future__ import annotations

import json

from oil_blends.api.blends import AnswerMemo
from oil_blends.extensions import db
from oil_blends.storage.oils import find_oil

from .helpers import BLEND, CALCULATE, assert_problem


def test_memo_is_bounded_and_least_recently_used_goes_first():
    memo = AnswerMemo(size=2)
    memo.put((1, b"a"), (200, "application/json", b"A"))
    memo.put((1, b"b"), (200, "application/json", b"B"))
    assert memo.get((1, b"a")) == (200, "application/json", b"A")  # a is now the most recent
    memo.put((1, b"c"), (200, "application/json", b"C"))
    assert memo.get((1, b"b")) is None
    assert memo.get((1, b"a")) is not None and memo.get((1, b"c")) is not None
    assert memo.get((2, b"a")) is None  # another catalog version is another key


def test_repeated_body_gets_the_same_answer_and_problems_too(make_app):
    client = make_app().test_client()
    body = json.dumps(BLEND)
    first = client.post(CALCULATE, data=body, content_type="application/json")
    second = client.post(CALCULATE, data=body, content_type="application/json")
    assert first.status_code == second.status_code == 200
    assert first.get_data() == second.get_data()
    unsafe = json.dumps({**BLEND, "dilution": "5%"})
    for _ in range(2):
        problem = assert_problem(client.post(CALCULATE, data=unsafe, content_type="application/json"), 422)
        assert problem["warnings"][0]["code"] == "use_maximum"


def test_an_edit_in_the_same_instance_changes_the_remembered_answer(make_app):
    app = make_app()
    client = app.test_client()
    body = json.dumps({"carrier": "jojoba", "amount": "30 mL", "dilution": "1%", "oils": [{"oil": "lavender"}]})
    assert client.post(CALCULATE, data=body, content_type="application/json").status_code == 200
    with app.app_context():
        find_oil("lavender").max_dermal_percent = 0.5
        db.session.commit()
    problem = assert_problem(client.post(CALCULATE, data=body, content_type="application/json"), 422)
    assert problem["warnings"][0]["code"] == "oil_maximum"


def test_long_bodies_are_answered_but_not_remembered(make_app):
    from oil_blends.api.blends import MEMO_BODY_LIMIT

    app = make_app()
    padded = json.dumps(BLEND)[:-1] + ', "use": "massage"' + " " * MEMO_BODY_LIMIT + "}"
    short = json.dumps(BLEND)
    client = app.test_client()
    for body in (padded, short):
        assert client.post(CALCULATE, data=body, content_type="application/json").status_code == 200
    memo = app.extensions["oil_blends.answers"]
    with app.app_context():
        version = app.extensions["oil_blends.catalog"].current().version
    assert (version, short.encode()) in memo
    assert (version, padded.encode()) not in memo
