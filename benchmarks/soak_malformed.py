"""A soak of malformed requests: every answer must be a 4xx, and the workers' memory must stay flat.

Usage: python benchmarks/soak_malformed.py [count=10000]
       python benchmarks/soak_malformed.py --cases    # each case of the corpus once, with its answer's status

Starts gunicorn as the README deploys it (``gunicorn -w 2 -b 127.0.0.1:<port> app:app``, SECRET_KEY and a new
SQLite database in a temporary folder, or DATABASE_URL from the environment: a scratch database), makes an editor
and her token with the ``flask users`` and ``flask tokens`` commands, and sends ``count`` malformed requests from
4 threads, cycling through a corpus built from tests/test_malformed_requests.py (every case of its CASES, to the
calculation and to the check) and more: truncated JSON, wrong types in every field, huge numbers, deep nesting,
bad encodings, wrong content types, oversize bodies (with a length and chunked), bad query strings, unknown paths
and methods, bad Authorization headers, an editor's writes without or with a stale If-Match or an invalid entry,
web forms without their CSRF token (an editor's signed in), and requests gunicorn itself refuses (a request line
or a header too long, too many headers). The whole corpus is sent once first (a warm-up, counted apart).

Prints the answers by status, the corpus size, and each worker's RSS (VmRSS) before the soak (after the warm-up),
after half of it and at the end. Exit status 1 when any answer is not a 4xx, any request fails to get an answer,
the server logs a traceback, a worker is replaced, or a worker's RSS grows by more than 10 % from before to the end.
"""

from __future__ import annotations

import base64
import http.client
import json
import math
import os
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from served import served  # noqa: E402
from test_malformed_requests import BASE, CASES  # noqa: E402  (the tests' corpus)

THREADS = 4
GROWTH_LIMIT = 0.10
PASSWORD = "soak-malformed-password"
CALCULATE = "/api/v1/blends/calculate"
CHECK = "/api/v1/blends/check"
JSON = {"Content-Type": "application/json"}
CHECK_BASE = {"carrier": "jojoba", "amount": "10 mL", "oils": [{"oil": "lavender", "drops": 3}]}


@dataclass
class Case:
    name: str
    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    chunked: bool = False


def dumps(document) -> bytes:
    """JSON as Python writes it: NaN and Infinity as those words, integers of any length (both malformed)."""
    return json.dumps(document).encode()


def with_(**changes) -> dict:
    document = json.loads(json.dumps(BASE))
    document.update(changes)
    return document


def post(name: str, path: str, body: bytes, headers: dict[str, str] | None = None, **options) -> Case:
    return Case(name, "POST", path, body, {**JSON, **(headers or {})}, **options)


def corpus(token: str, username: str, session_cookie: str) -> list[Case]:
    cases: list[Case] = []
    # tests/test_malformed_requests.py: each document to the calculation and to the check
    for name, document, _, _ in CASES:
        cases.append(post(f"tests: {name}", CALCULATE, dumps(document)))
        cases.append(post(f"tests to check: {name}", CHECK, dumps(document)))

    # truncated JSON: every proper prefix of a JSON object is malformed
    valid = dumps(with_(profile={"age_years": 40, "conditions": ["neuropathy"]}))
    for cut in range(0, len(valid), 7):
        cases.append(post(f"truncated at {cut}", CALCULATE, valid[:cut] or b"{"))
    cases.append(post("truncated check", CHECK, dumps(CHECK_BASE)[:-1]))

    # wrong types in every field (values no schema takes there)
    wrong = {
        "carrier": [True, 0, 1.5, [], {}, None],
        "amount": [True, [], {}, None, ["30 mL"]],
        "amount_of": [True, 0, [], {}],
        "dilution": [True, [], {}, "x", ["2%"]],
        "oils": [True, 0, "lavender", {}, None, [1], [[]], [None]],
        "use": [True, 0, [], {}],
        "profile": [True, 0, "x", [], [{}]],
        "conventions": [True, 0, "x", [], {"teaspoon": 5}, {"drops_per_ml": "many"}],
        "on_limit": [True, 0, [], {}],
    }
    for name, values in wrong.items():
        for value in values:
            cases.append(post(f"{name} = {json.dumps(value)}", CALCULATE, dumps(with_(**{name: value}))))
    for name, value in [("carrier", 5), ("amount", 10), ("oils", "lavender"), ("profile", []), ("oils", [{"oil": 1}])]:
        cases.append(post(f"check {name} = {json.dumps(value)}", CHECK, dumps({**CHECK_BASE, name: value})))
    cases.append(post("check drops a word", CHECK, dumps({**CHECK_BASE, "oils": [{"oil": "lavender", "drops": "x"}]})))

    # huge numbers
    huge = [
        ("parts 1e308", with_(oils=[{"oil": "lavender", "parts": 1e308}])),
        ("parts 400 digits", with_(oils=[{"oil": "lavender", "parts": 10**400}])),
        ("parts 4000 digits", with_(oils=[{"oil": "lavender", "parts": 10**4000}])),
        ("amount 1e308 mL", with_(amount="1e308 mL")),
        ("amount 10^30 mL", with_(amount=f"{10**30} mL")),
        ("amount 1e-320 mL", with_(amount="1e-320 mL")),
        ("dilution 1e308", with_(dilution=1e308)),
        ("dilution -1e308", with_(dilution=-1e308)),
        ("dilution 10^400", with_(dilution=10**400)),
        ("age 1e308", with_(profile={"age_years": 1e308})),
        ("age -1e308", with_(profile={"age_years": -1e308})),
        ("drops_per_ml 1e308", with_(conventions={"drops_per_ml": 1e308})),
        ("dilution Infinity", with_(dilution=math.inf)),
        ("parts -Infinity", with_(oils=[{"oil": "lavender", "parts": -math.inf}])),
    ]
    cases += [post(name, CALCULATE, dumps(document)) for name, document in huge]
    cases.append(post("check drops 1e308", CHECK, dumps({**CHECK_BASE, "oils": [{"oil": "lavender", "drops": 1e308}]})))
    cases.append(
        post("check drops 10^400", CHECK, dumps({**CHECK_BASE, "oils": [{"oil": "lavender", "drops": 10**400}]}))
    )

    # deep nesting: past the decoder's recursion limit, and just under it
    for depth in (20000, 5000, 1000):
        cases.append(post(f"body nested {depth} lists", CALCULATE, b"[" * depth + b"]" * depth))
        cases.append(post(f"body nested {depth} objects", CALCULATE, b'{"a":' * depth + b"1" + b"}" * depth))
    for depth in (900, 200):
        nested = json.loads("[" * depth + '"x"' + "]" * depth)
        cases.append(post(f"oils nested {depth}", CALCULATE, dumps(with_(oils=nested))))
        cases.append(post(f"conditions nested {depth}", CALCULATE, dumps(with_(profile={"conditions": nested}))))
        cases.append(post(f"unknown field nested {depth}", CALCULATE, dumps(with_(extra=nested))))
        cases.append(post(f"check oils nested {depth}", CHECK, dumps({**CHECK_BASE, "oils": nested})))

    # bad encodings and odd text
    body = dumps(BASE)
    cases += [
        post("invalid UTF-8", CALCULATE, b'{"carrier": "\xff\xfe\xfd", "amount": "30 mL", "oils": []}'),
        post(
            "UTF-16 cut in a character",
            CALCULATE,
            "\ufeff".encode("utf-16-le") + body.decode().encode("utf-16-le")[:-1],
        ),
        post("UTF-8 BOM then garbage", CALCULATE, b"\xef\xbb\xbfnot json"),
        post("lone surrogate", CALCULATE, body.replace(b'"jojoba"', b'"\\ud800"')),
        post("NUL in a string", CALCULATE, body.replace(b'"jojoba"', b'"jojo\\u0000ba"')),
        post("control characters", CALCULATE, body.replace(b'"jojoba"', b'"jo\x01\x02ba"')),
        post("empty body", CALCULATE, b""),
        post("whitespace body", CALCULATE, b"  \n\t "),
        post("two documents", CALCULATE, body + body),
        post("trailing comma", CALCULATE, body[:-1] + b",}"),
        post("single quotes", CALCULATE, body.replace(b'"', b"'")),
        post("comments", CALCULATE, b"/* a blend */" + body),
        post("duplicate keys, the last unknown", CALCULATE, body[:-1] + b', "carrier": "nothing"}'),
    ]

    # wrong content types (with a valid body: only the type is wrong)
    for content_type in (
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        "text/json",
        "application/jsonx",
        "",
    ):
        headers = {"Content-Type": content_type} if content_type else {}
        cases.append(Case(f"content type {content_type or 'none'}", "POST", CALCULATE, body, headers))
        cases.append(Case(f"check content type {content_type or 'none'}", "POST", CHECK, dumps(CHECK_BASE), headers))

    # oversize bodies, with a Content-Length and chunked
    for size in (64 * 1024 + 1, 100 * 1024, 256 * 1024):
        padded = dumps(with_(notes="x" * size))
        cases.append(post(f"body of {len(padded)} bytes", CALCULATE, padded))
    cases.append(post("chunked body of 100 KiB", CALCULATE, dumps(with_(notes="x" * 100 * 1024)), chunked=True))

    # bad query strings and paths
    for query in (
        "page=0",
        "page=-1",
        "page=abc",
        "page=1e9",
        "page=%ff",
        "page_size=0",
        "page_size=101",
        "page_size=100000",
        "kind=gas",
        "kind=",
        "kind=%00",
        "q=",
        "q=" + "a" * 101,
    ):
        cases.append(Case(f"oils?{query}", "GET", f"/api/v1/oils?{query}"))
    for query in (
        "amount=abc",
        "amount=30",
        "amount=1e999%20mL",
        "amount=25%20L",
        "age_years=-5",
        "age_years=abc",
        "conditions=flu",
        "on_limit=ignore",
        "teaspoon=imperial",
        "drops_per_ml=0",
        "use=neck",
        "unknown=1",
        "pregnant=maybe",
    ):
        cases.append(Case(f"recipe?{query}", "GET", f"/api/v1/recipes/neuropathy-foot-oil?{query}"))
    for path in (
        "/api/v1/oils/lavendr",
        "/api/v1/oils/%ff%fe",
        "/api/v1/oils/lav%00ender",
        "/api/v1/oils/" + "a" * 3000,
        "/api/v1/recipes/nothing",
        "/api/v1/recipes/nothing?amount=abc",
        "/api/v1/sources/NOPE",
        "/api/v1/oils/lavender/pending/999999",
        "/api/v1/oils/lavender/pending/abc",
        "/api/v1/nothing",
        "/api/v2/oils",
        "/healthz/nothing",
        "/oils/nothing",
        "/recipes/nothing",
        "/nothing",
        "/static/../../etc/passwd",
        "/static/nothing.css",
    ):
        cases.append(Case(f"GET {path[:60]}", "GET", path))
    for method, path in (
        ("PUT", CALCULATE),
        ("GET", CALCULATE),
        ("DELETE", CHECK),
        ("DELETE", "/healthz"),
        ("POST", "/healthz"),
        ("TRACE", "/api/v1/oils"),
        ("PATCH", "/api/v1/recipes"),
        ("POST", "/api/v1/sources"),
        ("BREW", "/"),
    ):
        cases.append(
            Case(f"{method} {path}", method, path, b"{}" if method in ("PUT", "POST", "PATCH") else None, JSON)
        )

    # bad Authorization headers on the write endpoints
    entry_change = dumps({"description": "never saved"})
    authorizations = [
        "Bearer",
        "Bearer ",
        "Bearer not-a-token",
        "Bearer " + "x" * 5000,
        "Bearer " + token[:-1],
        "bearer" + token,
        "Token " + token,
        "Basic " + token,
        "Basic !!!not-base64!!!",
        "Basic " + base64.b64encode(b"no-colon").decode(),
        "Basic " + base64.b64encode(f"{username}:wrong password".encode()).decode(),
        "Basic " + base64.b64encode("\xe9dna:caf\xe9".encode("latin-1")).decode(),
        "Digest username=edna",
        "Bearer caf\xe9",
    ]
    for value in authorizations:
        label = value[:30]
        headers = {"Authorization": value, "If-Match": '"anything"', **JSON}
        cases.append(Case(f"PATCH auth {label}", "PATCH", "/api/v1/oils/lavender", entry_change, headers))
        cases.append(Case(f"POST oils auth {label}", "POST", "/api/v1/oils", entry_change, headers))
        cases.append(Case(f"DELETE token auth {label}", "DELETE", "/api/v1/tokens", None, {"Authorization": value}))
        if value.startswith("Basic") or value == "Bearer":
            cases.append(Case(f"POST tokens auth {label}", "POST", "/api/v1/tokens", None, {"Authorization": value}))
    cases.append(Case("PATCH no auth", "PATCH", "/api/v1/oils/lavender", entry_change, {"If-Match": '"x"', **JSON}))

    # an editor's malformed writes (a real token)
    bearer = {"Authorization": f"Bearer {token}", **JSON}
    stale = {**bearer, "If-Match": '"stale"'}
    writes = [
        ("PATCH without If-Match", "PATCH", "/api/v1/oils/lavender", {"description": "x"}, bearer),
        ("PATCH stale If-Match", "PATCH", "/api/v1/oils/lavender", {"description": "x"}, stale),
        ("PATCH unknown field", "PATCH", "/api/v1/oils/lavender", {"colour": "blue"}, stale),
        ("PATCH description too long", "PATCH", "/api/v1/oils/lavender", {"description": "x" * 4001}, stale),
        ("PATCH percent a word", "PATCH", "/api/v1/oils/lavender", {"max_dermal_percent": "abc"}, stale),
        ("PATCH percent NaN", "PATCH", "/api/v1/oils/lavender", {"max_dermal_percent": math.nan}, stale),
        ("PATCH a list", "PATCH", "/api/v1/oils/lavender", [1, 2], stale),
        ("PATCH unknown source", "PATCH", "/api/v1/oils/lavender", {"description": "x", "source": "NOPE"}, stale),
        ("PATCH unknown oil", "PATCH", "/api/v1/oils/nothing", {"description": "x"}, stale),
        ("PUT empty entry", "PUT", "/api/v1/oils/lavender", {}, stale),
        ("POST empty entry", "POST", "/api/v1/oils", {}, bearer),
        ("POST bad slug", "POST", "/api/v1/oils", {"slug": "Not A Slug!", "name": "x", "kind": "essential"}, bearer),
        ("POST kind gas", "POST", "/api/v1/oils", {"slug": "gas-oil", "name": "Gas", "kind": "gas"}, bearer),
        ("DELETE as editor", "DELETE", "/api/v1/oils/lavender", None, stale),
        ("approve nothing", "POST", "/api/v1/oils/lavender/pending/999999/approve", {}, stale),
        ("reject nothing", "POST", "/api/v1/oils/lavender/pending/999999/reject", {}, stale),
        ("tokens days 0", "POST", "/api/v1/tokens", {"days": 0}, None),
        ("tokens days 99999", "POST", "/api/v1/tokens", {"days": 99999}, None),
        ("tokens days word", "POST", "/api/v1/tokens", {"days": "week"}, None),
        ("tokens unknown field", "POST", "/api/v1/tokens", {"scope": "all"}, None),
    ]
    basic = {"Authorization": "Basic " + base64.b64encode(f"{username}:{PASSWORD}".encode()).decode(), **JSON}
    for name, method, path, document, headers in writes:
        cases.append(Case(name, method, path, None if document is None else dumps(document), headers or basic))

    # the web pages' forms without their CSRF token, and bad form values: the sign-in form signed out, an editor's
    # forms signed in (signed out, they are sent to sign in first: a redirect, not a refusal)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    cases.append(Case("form without CSRF /login", "POST", "/login", b"username=edna&password=x", form))
    for path in ("/logout", "/oils/new", "/oils/lavender/edit", "/review/1"):
        signed_in = {**form, "Cookie": session_cookie}
        cases.append(Case(f"form without CSRF {path}", "POST", path, b"username=edna&password=x", signed_in))
    cases.append(Case("history of no oil", "GET", "/oils/nothing/history"))
    return cases


def sign_in(port: int, username: str) -> str:
    """The session cookie of ``username`` signed in through the sign-in form, with the token its page gives."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/login")
    page = connection.getresponse()
    html = page.read().decode()
    cookie = page.getheader("Set-Cookie", "").split(";", 1)[0]
    csrf = html.split('name="csrf_token"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    form = urlencode({"username": username, "password": PASSWORD, "csrf_token": csrf})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("POST", "/login", form, headers)
    answer = connection.getresponse()
    answer.read()
    if answer.status not in (302, 303):
        raise SystemExit(f"signing in as {username} answered {answer.status}, not a redirect")
    return answer.getheader("Set-Cookie", "").split(";", 1)[0]


def gunicorn_refusals() -> list[tuple[str, bytes]]:
    """Requests gunicorn answers itself, sent as raw bytes (http.client will not write them)."""
    host = b"Host: 127.0.0.1\r\n"
    return [
        ("request line too long", b"GET /api/v1/oils?q=" + b"a" * 9000 + b" HTTP/1.1\r\n" + host + b"\r\n"),
        ("header too long", b"GET /healthz HTTP/1.1\r\n" + host + b"X-Long: " + b"a" * 9000 + b"\r\n\r\n"),
        (
            "too many headers",
            b"GET /healthz HTTP/1.1\r\n" + host + b"".join(b"X-%d: 1\r\n" % i for i in range(120)) + b"\r\n",
        ),
        ("not HTTP", b"HELLO THERE\r\n\r\n"),
        (
            "bad Content-Length",
            b"POST " + CALCULATE.encode() + b" HTTP/1.1\r\n" + host + b"Content-Length: abc\r\n\r\n{}",
        ),
        (
            "negative Content-Length",
            b"POST " + CALCULATE.encode() + b" HTTP/1.1\r\n" + host + b"Content-Length: -5\r\n\r\n",
        ),
        ("space in the path", b"GET /api/v1/oils/lav ender HTTP/1.1\r\n" + host + b"\r\n"),
    ]


def raw_status(port: int, data: bytes) -> int:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        answer = b""
        while b"\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    return int(answer.split(b" ", 2)[1])


class Tally:
    """Answers by status, failures by kind, and a few examples of each unexpected answer."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: Counter[int] = Counter()
        self.failures: Counter[str] = Counter()
        self.unexpected: dict[str, str] = {}
        self.not_problem = 0

    def add(self, case: str, status: int | None, failure: str | None = None, detail: str = "") -> None:
        with self.lock:
            if status is not None:
                self.statuses[status] += 1
            if failure is not None:
                self.failures[failure] += 1
            if (failure is not None or status is None or not 400 <= status < 500) and len(self.unexpected) < 20:
                self.unexpected.setdefault(case, f"{status or failure}: {detail[:300]}")


def send(port: int, case: Case, tally: Tally) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        try:
            if case.chunked:
                body = case.body or b""
                chunks: Iterator[bytes] = (body[i : i + 8192] for i in range(0, len(body), 8192))
                connection.request(case.method, case.path, chunks, case.headers, encode_chunked=True)
            else:
                connection.request(case.method, case.path, case.body, case.headers)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered (413) before the whole body was sent: read its answer
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        if "Traceback" in text:
            tally.add(case.name, response.status, "traceback in the answer", text)
        else:
            tally.add(case.name, response.status, None, text)
        problem = response.getheader("Content-Type", "") == "application/problem+json"
        if case.path.startswith("/api/") and 400 <= response.status < 500 and not problem:
            with tally.lock:
                tally.not_problem += 1
    except (OSError, http.client.HTTPException) as error:
        tally.add(case.name, None, type(error).__name__, str(error))
    finally:
        connection.close()


def run(port: int, cases: list[Case], start: int, count: int, tally: Tally) -> None:
    """Send cases[start], cases[start + 1], ... (cycling), ``count`` in all, from THREADS threads."""
    numbers = iter(range(start, start + count))
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                number = next(numbers, None)
            if number is None:
                return
            send(port, cases[number % len(cases)], tally)

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def workers(master: int) -> list[int]:
    children = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(master):
            children.append(int(status.parent.name))
    return sorted(children)


def rss(master: int) -> dict[int, float]:
    """Each worker's VmRSS in MiB."""
    sizes = {}
    for pid in workers(master):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes[pid] = int(line.split()[1]) / 1024
    return sizes


def shown(sizes: dict[int, float]) -> str:
    return "  ".join(f"worker {pid} {size:.1f} MiB" for pid, size in sizes.items())


def main() -> int:
    show_cases = sys.argv[1:] == ["--cases"]
    count = int(sys.argv[1]) if len(sys.argv) > 1 and not show_cases else 10000
    with served(2, prefix="soak-malformed-") as server:
        username = f"edna{os.getpid()}"
        server.flask("users", "create", username, "--role", "editor", "--password-stdin", stdin=PASSWORD + "\n")
        token = server.flask("tokens", "create", username, "--days", "1", "--label", "soak")
        cases = corpus(token, username, sign_in(server.port, username))
        if show_cases:
            return list_cases(server.port, cases)
        return soak(server.port, server.pid, cases, count, server.workdir, server.env)


def soak(port: int, master: int, cases: list[Case], count: int, workdir: Path, env: dict[str, str]) -> int:
    database = env["DATABASE_URL"].split(":", 1)[0]
    print(f"== soak_malformed: {count} requests, {THREADS} threads, database {database}, ", end="")
    print(datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    print(f"load average before: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    print(f"corpus: {len(cases)} HTTP cases ({len(CASES)} from tests/test_malformed_requests.py, each to 2 endpoints)")
    print(f"RSS after start-up (no request yet): {shown(rss(master))}")

    warm = Tally()
    run(port, cases, 0, len(cases), warm)
    for name, data in gunicorn_refusals():
        try:
            warm.add(name, raw_status(port, data))
        except (OSError, ValueError, IndexError) as error:
            warm.add(name, None, type(error).__name__, str(error))
    print(f"warm-up, the corpus once and {len(gunicorn_refusals())} raw requests: {summary(warm)}")
    before = rss(master)
    print(f"RSS before the soak (after the warm-up): {shown(before)}")

    tally = Tally()
    started = time.monotonic()
    half = count // 2
    run(port, cases, 0, half, tally)
    middle = rss(master)
    print(f"RSS after {half} requests:               {shown(middle)}")
    run(port, cases, half, count - half, tally)
    elapsed = time.monotonic() - started
    after = rss(master)
    print(f"RSS after {count} requests:              {shown(after)}")
    print(f"soak: {sum(tally.statuses.values())} answers in {elapsed:.1f} s ({count / elapsed:.0f} requests/s)")
    print(f"answers by status: {summary(tally)}")
    print(f"API 4xx answers that were not application/problem+json: {tally.not_problem}")

    failed = []
    for name, checked in (("warm-up", warm), ("soak", tally)):
        bad = {status: n for status, n in checked.statuses.items() if not 400 <= status < 500}
        if bad or checked.failures:
            failed.append(f"{name}: answers not 4xx {bad}, failures {dict(checked.failures)}")
            for case, detail in checked.unexpected.items():
                print(f"  unexpected: {case}: {detail}")
    if set(before) != set(after):
        failed.append(f"the workers changed: {sorted(before)} -> {sorted(after)}")
    else:
        for pid, size in after.items():
            growth = size / before[pid] - 1
            print(f"worker {pid}: {before[pid]:.1f} -> {middle.get(pid, 0):.1f} -> {size:.1f} MiB ({growth:+.1%})")
            if growth > GROWTH_LIMIT:
                failed.append(f"worker {pid} grew {growth:.1%} (limit {GROWTH_LIMIT:.0%})")
    log = (workdir / "gunicorn.log").read_text()
    if "Traceback" in log:
        failed.append("the server logged a traceback")
        print(log[log.index("Traceback") :][:3000])
    print(f"load average after: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    for failure in failed:
        print(f"FAIL: {failure}")
    if not failed:
        print("OK: every answer a 4xx, no failed request, worker memory flat")
    return 1 if failed else 0


def list_cases(port: int, cases: list[Case]) -> int:
    """Each case once, one line each: its answer's status (or failure) and its name."""
    wrong = 0
    for case in cases:
        tally = Tally()
        send(port, case, tally)
        status = next(iter(tally.statuses), None)
        wrong += status is None or not 400 <= status < 500
        print(f"{status or dict(tally.failures)}  {case.method} {case.name}")
    for name, data in gunicorn_refusals():
        print(f"{raw_status(port, data)}  raw: {name}")
    return 1 if wrong else 0


def summary(tally: Tally) -> str:
    by_class = Counter()
    for status, n in tally.statuses.items():
        by_class[f"{status // 100}xx"] += n
    statuses = ", ".join(f"{status} {n}" for status, n in sorted(tally.statuses.items()))
    classes = ", ".join(f"{name} {n}" for name, n in sorted(by_class.items()))
    failures = ", ".join(f"{name} {n}" for name, n in tally.failures.items()) or "none"
    return f"{classes} ({statuses}); failed requests: {failures}"


if __name__ == "__main__":
    sys.exit(main())
