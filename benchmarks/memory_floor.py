"""Where a worker's memory comes from: the resident memory of a fresh Python as each layer of the app is imported.

Run: python benchmarks/memory_floor.py            (SQLite in a temporary folder, migrated once beforehand)

The worker-memory bar (issue 9) asks an app worker to hold at most 1.5 times what a bare Flask echo app's worker
holds (``rss_100k.sh``). This script shows which layers set the app's figure: each line is a new Python process
that imports the layers above it and the one named, then prints its VmRSS (and the anonymous and file-backed
parts of it) from ``/proc/self/status``. The last lines are the app's own package imported, then ``create_app()``
run on a database already at the newest migration (the catalog, rules and recipes loaded, as a worker starts)
and 200 calculations answered. The bar is printed beside them: 1.5 times the Flask layer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = [  # (what, the statements that load it)
    ("Python, nothing imported", ""),
    ("+ Flask (the echo app)", "import echo_app"),
    ("+ SQLAlchemy Core", "import sqlalchemy"),
    ("+ SQLAlchemy ORM, Flask-SQLAlchemy", "import sqlalchemy.orm, flask_sqlalchemy"),
    ("+ marshmallow, flask-smorest", "import marshmallow, flask_smorest"),
    ("+ Flask-Limiter, Flask-WTF, Flask-Login", "import flask_limiter, flask_wtf, flask_login, flask_httpauth"),
    ("+ the app's package (oil_blends.app)", "import oil_blends.app"),
    ("+ create_app() (what a worker holds at start)", "import app"),
    ("+ 200 calculations, bodies never seen", "calculate(200)"),
]
CHILD = """
import sys
sys.path[:0] = {paths!r}
def calculate(count):
    import calculate_in_process as measured
    for number in range(count):
        measured.call(app.app, "/api/v1/blends/calculate", measured.body(number))
{statements}
fields = {{}}
for line in open("/proc/self/status"):
    name, _, value = line.partition(":")
    if name in ("VmRSS", "RssAnon", "RssFile"):
        fields[name] = int(value.split()[0]) / 1024
print(fields)
"""


def resident(statements: list[str], env: dict[str, str]) -> dict[str, float]:
    """VmRSS, RssAnon and RssFile (MiB) of a new Python that ran ``statements``."""
    source = CHILD.format(paths=[str(ROOT), str(ROOT / "benchmarks")], statements="\n".join(statements))
    completed = subprocess.run(
        [sys.executable, "-c", source], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise SystemExit(completed.stderr[-3000:])
    return json.loads(completed.stdout.strip().splitlines()[-1].replace("'", '"'))


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    env = {
        **os.environ,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "memory-floor-benchmark-" + "k" * 32),
        "DATABASE_URL": f"sqlite:///{folder / 'floor.sqlite3'}",
        "OIL_BLENDS_INSTANCE_PATH": str(folder / "instance"),
    }
    resident(["import app"], env)  # migrates and seeds the new database, so that no measured run does
    print("resident memory of a new Python process as each layer is imported (MiB)")
    print(f"  {'layer':50s} {'VmRSS':>7s} {'anon':>7s} {'file':>7s} {'added':>7s}")
    statements: list[str] = []
    previous = None
    flask_rss = None
    for words, statement in LAYERS:
        if statement:
            statements.append(statement)
        fields = resident(statements, env)
        rss = fields["VmRSS"]
        added = f"{rss - previous:+7.1f}" if previous is not None else ""
        print(f"  {words:50s} {rss:7.1f} {fields['RssAnon']:7.1f} {fields['RssFile']:7.1f} {added}", flush=True)
        if statement == "import echo_app":
            flask_rss = rss
        previous = rss
    assert flask_rss is not None
    print(f"the bar, 1.5 x the Flask layer: {1.5 * flask_rss:.1f} MiB")


if __name__ == "__main__":
    main()
