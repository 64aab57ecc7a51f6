"""A server killed with SIGKILL while an editor saves changes loses no acknowledged write and no data.

gunicorn (the production server) runs the app in its own process group on the test's database; one writer
saves edit after edit, each on the ETag the previous answer gave; the whole group is killed mid-stream. After a
restart every acknowledged edit is in the revision trail, the entry is the last acknowledged edit (or the one
in flight when the server died, which may have committed without its answer arriving), and the database
passes its integrity check.
"""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
import requests
import sqlalchemy as sa

from helpers_server import free_port, start_gunicorn
from oil_blends.storage.accounts import create_token, create_user

SLUG = "cedarwood"
SECRET_KEY = "durability-test-" + "k" * 32


@pytest.fixture
def database(make_app, databases, tmp_path):
    """A migrated, seeded database with an admin and a token, and its URL."""
    url = databases.new()
    app = make_app(url)
    with app.app_context():
        token = create_token(create_user("ada", "correct horse battery", "admin"))
    return url, token


def test_sigkill_mid_write_loses_no_acknowledged_edit(database, tmp_path):
    url, token = database
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(url, port, tmp_path / "instance", SECRET_KEY)
    acknowledged: list[str] = []
    sent: list[str] = []
    stop = threading.Event()

    def write() -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        etag = session.get(f"{base}/api/v1/oils/{SLUG}", timeout=10).headers["ETag"]
        number = 0
        while not stop.is_set():
            number += 1
            text = f"edit {number}"
            sent.append(text)
            try:
                answer = session.patch(
                    f"{base}/api/v1/oils/{SLUG}", json={"description": text}, headers={"If-Match": etag}, timeout=10
                )
            except requests.RequestException:
                return  # the server died under this request
            assert answer.status_code == 200, answer.text
            acknowledged.append(text)
            etag = answer.headers["ETag"]

    writer = threading.Thread(target=write)
    try:
        writer.start()
        while len(acknowledged) < 20:
            time.sleep(0.05)
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
    finally:
        stop.set()
        writer.join(timeout=30)
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)

    restarted = start_gunicorn(url, port, tmp_path / "instance", SECRET_KEY)
    try:
        entry = requests.get(f"{base}/api/v1/oils/{SLUG}", timeout=10).json()
        trail = requests.get(f"{base}/api/v1/oils/{SLUG}/revisions", timeout=10).json()
    finally:
        os.killpg(restarted.pid, signal.SIGKILL)
        restarted.wait(timeout=30)

    saved = [revision["after"]["description"] for revision in trail if revision["action"] == "update"]
    assert set(acknowledged) <= set(saved)
    in_flight = sent[len(acknowledged) : len(acknowledged) + 1]
    assert entry["description"] in [acknowledged[-1], *in_flight]
    assert saved[0] == entry["description"]  # newest first: the entry is its last revision
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            assert connection.execute(sa.text("PRAGMA integrity_check")).scalar() == "ok"
        count = connection.execute(sa.text("SELECT count(*) FROM oils")).scalar()
        assert count == 83
    engine.dispose()
