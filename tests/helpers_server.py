"""The app served over real HTTP: on werkzeug's development server (what ``flask run`` uses), for the tests that
need a socket (browsers, schemathesis, generated clients), or under gunicorn as the README deploys it, for the
tests that kill or starve the server (durability, database faults)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[1]


def read_before_sending(app):
    """Each response body read (and its file closed) before the server writes to the socket.

    The development server's request handler reads what is left of a request before it closes the response,
    so a browser that drops a connection (a favicon fetch cut short when a page closes) makes it skip the
    close, and a static file stays open until the garbage collector finds it: a ResourceWarning, which this
    suite treats as an error. The app's responses are small documents and pages, so reading them whole first
    changes nothing else.
    """

    def wsgi(environ, start_response) -> Iterable[bytes]:
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return wsgi


@contextmanager
def served(app) -> Iterator[str]:
    """Serve ``app`` on a free loopback port while the block runs; yields its base URL."""
    server = make_server("127.0.0.1", 0, read_before_sending(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(url: str, port: int, instance: Path, secret_key: str, log: Path | None = None) -> subprocess.Popen:
    """gunicorn as the README deploys it (two workers) on the database ``url``, in a process group of its own, once
    it answers /healthz; its output goes to ``log`` (to read when a test fails), or nowhere."""
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secret_key, "OIL_BLENDS_INSTANCE_PATH": str(instance)}
    with open(log or os.devnull, "w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "app:app"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=output,
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
