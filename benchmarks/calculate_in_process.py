"""A calculation's cost in process, without gunicorn or the network: the WSGI app called directly.

Run: python benchmarks/calculate_in_process.py [requests per run]      (SQLite in a temporary folder)
     PYTHONPATH=<another checkout>/src python benchmarks/calculate_in_process.py   measures that checkout's package

Prints, for the bare echo app and for POST /api/v1/blends/calculate with a body never seen before and with the
same body again, the best and the median of five runs (µs per request); then each step of a new calculation
timed on its own, in a loop with nothing else between the calls: JSON parse, validation, engine, response
document, JSON write. The body is the one benchmarks/calculate_unique.lua sends (a person profile, two oils, an
amount that changes on every request).
"""

from __future__ import annotations

import io
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("SECRET_KEY", secrets.token_hex(32))
os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/in-process.sqlite3"
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import orjson  # noqa: E402
from echo_app import app as echo_app  # noqa: E402

import app as served  # noqa: E402
from oil_blends.documents import calculator, strict_json  # noqa: E402
from oil_blends.documents.catalog import default_rules  # noqa: E402
from oil_blends.storage.cache import catalog_cache  # noqa: E402

BODY = (
    '{"carrier": "sweet-almond", "amount": "31.%06d mL", "dilution": "2%%", "oils": [{"oil": "lavender", "parts": 2}, '
    '{"oil": "peppermint", "parts": 1}], "profile": {"age_years": 40}}'
)


def body(number: int) -> bytes:
    return (BODY % number).encode()


def call(app, path: str, data: bytes) -> bytes:
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(data),
        "wsgi.errors": sys.stderr,
        "CONTENT_LENGTH": str(len(data)),
        "CONTENT_TYPE": "application/json",
    }
    statuses = []
    answer = app(environ, lambda status, headers, exc_info=None: statuses.append(status))
    try:
        payload = b"".join(answer)
    finally:
        if hasattr(answer, "close"):
            answer.close()
    assert statuses[0].startswith("200"), (statuses, payload[:300])
    return payload


def timed(name: str, step: Callable[[int], object], count: int, numbers: Callable[[int, int], int]) -> None:
    """Best and median of five runs of ``count`` calls, after a warm-up; ``numbers(run, i)`` numbers the bodies."""
    for i in range(500):
        step(numbers(-1, i))
    runs = []
    for run in range(5):
        start = time.perf_counter()
        for i in range(count):
            step(numbers(run, i))
        runs.append((time.perf_counter() - start) / count * 1e6)
    print(f"{name:34s} {min(runs):7.1f} us   (median {statistics.median(runs):.1f})")


STEPS = {  # name -> what it is
    "parse": "JSON parse",
    "validation": "validation",
    "engine": "engine",
    "document": "response document",
    "write": "JSON write",
}


def step_functions(numbers: range) -> dict[str, Callable[[int], object]]:
    """Each step of a new calculation (named as in ``STEPS``) as a function of a body's number in ``numbers``,
    its input made beforehand, so that a step's cost is its own."""
    app = served.app
    with app.app_context():
        catalog = catalog_cache(app).current().oils
    rules = default_rules()
    first = numbers.start
    bodies = [body(number) for number in numbers]
    documents = [strict_json.loads(each) for each in bodies]
    requests = [calculator.load_request(each) for each in documents]
    results = [calculator.run_calculation(each, catalog, rules) for each in requests]
    answers = [calculator.result_document(each) for each in results]
    return {
        "parse": lambda n: strict_json.loads(bodies[n - first]),
        "validation": lambda n: calculator.load_request(documents[n - first]),
        "engine": lambda n: calculator.run_calculation(requests[n - first], catalog, rules),
        "document": lambda n: calculator.result_document(results[n - first]),
        "write": lambda n: orjson.dumps(answers[n - first]),
    }


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    app = served.app
    new = lambda run, i: 10_000_000 + (run + 1) * count + i  # noqa: E731 - never the same body twice
    same = lambda run, i: 1  # noqa: E731
    print(f"in process, {count} requests per run, best of 5 (µs per request)")
    timed("echo app", lambda n: call(echo_app, "/echo", body(n)), count, new)
    timed("calculation, body never seen", lambda n: call(app, "/api/v1/blends/calculate", body(n)), count, new)
    timed("calculation, same body again", lambda n: call(app, "/api/v1/blends/calculate", body(n)), count, same)

    numbers = range(20_000_000, 20_000_000 + 6 * count + 500)
    steps = lambda run, i: numbers.start + (run + 1) * count + i  # noqa: E731 - a new body, document or request each call
    print("\neach step of a new calculation on its own")
    for name, step in step_functions(numbers).items():
        timed(STEPS[name], step, count, steps)


if __name__ == "__main__":
    main()
