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
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from oil_blends.storage.accounts import create_token, create_user

ROOT = Path(__file__).resolve().parents[2]
SLUG = "cedarwood"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(url: str, port: int, instance: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "durability-test-" + "k" * 32,
        "OIL_BLENDS_INSTANCE_PATH": str(instance),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "app:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        except requests.RequestException:  # not listening yet, or still starting its workers
            time.sleep(0.2)
    os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=30)
    raise AssertionError("gunicorn did not start")


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
    server = start_server(url, port, tmp_path / "instance")
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

    restarted = start_server(url, port, tmp_path / "instance")
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
