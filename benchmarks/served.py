"""The app served as the README deploys it, for the scripts in this folder that need it with accounts.

``served(workers)`` starts ``gunicorn -w <workers> -b 127.0.0.1:<free port> app:app`` with a random SECRET_KEY and a
new SQLite database in a temporary folder (or DATABASE_URL from the environment: a scratch database), waits for
``/healthz`` and stops it at the end; ``flask(...)`` runs a ``flask --app app`` command (``users``, ``tokens``)
against the same database. The only addition to the README's command is ``--control-socket`` in the temporary
folder, so that the script's server leaves another gunicorn's control socket alone.
"""

from __future__ import annotations

import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Server:
    port: int
    pid: int  # gunicorn's master
    workdir: Path
    env: dict[str, str]

    def flask(self, *args: str, stdin: str | None = None) -> str:
        """A ``flask --app app`` command against this server's database; its standard output."""
        done = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "app", *args],
            cwd=ROOT,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    def log(self) -> str:
        return (self.workdir / "gunicorn.log").read_text()


@contextmanager
def served(workers: int = 2, prefix: str = "served-") -> Iterator[Server]:
    """The app under gunicorn until the block ends (SystemExit when it does not start within a minute)."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    env = {
        **os.environ,
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'served.sqlite3'}",
        "OIL_BLENDS_INSTANCE_PATH": str(workdir / "instance"),
    }
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115  (closed at the end, after the server)
    command = ["gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}", "--control-socket", str(workdir / "ctl")]
    server = subprocess.Popen([*command, "app:app"], cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
    try:
        _wait_for_health(port, server, workdir)
        yield Server(port, server.pid, workdir, env)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


def _wait_for_health(port: int, server: subprocess.Popen, workdir: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            healthy = connection.getresponse().status == 200
            connection.close()
            if healthy:
                return
        except OSError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            print((workdir / "gunicorn.log").read_text())
            raise SystemExit("gunicorn did not start")
        time.sleep(0.2)
