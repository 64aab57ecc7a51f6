"""Request limits (README, "Request limits"): every refused request says what was wrong and what is accepted.

- the body: 64 KiB (``MAX_CONTENT_LENGTH``), announced or chunked: 413, a problem document in the API, a page
  elsewhere; a multipart form has at most 200 fields (``MAX_FORM_PARTS``);
- a JSON body nests at most 100 arrays and objects deep: 400 saying so;
- the query string: 2048 bytes (``MAX_QUERY_BYTES``): 414, saying the limit; the search parameter ``q``: 100
  characters (422 in the API; the oils page keeps the first 100);
- the request line and headers: gunicorn's ``--limit-request-line 4094 --limit-request-fields 50
  --limit-request-field_size 8190``, tested against a real gunicorn started with those flags; what gunicorn refuses
  itself is a problem document too (``gunicorn.conf.py``).
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from oil_blends.config import MAX_BODY_BYTES, MAX_FORM_PARTS, MAX_QUERY_BYTES
from oil_blends.documents.catalog import shipped_oils
from oil_blends.documents.problems import PROBLEM_CONTENT_TYPE
from oil_blends.web.forms import ALLERGIES, CONDITIONS

ROOT = Path(__file__).resolve().parents[1]
CALCULATE = "/api/v1/blends/calculate"
BLEND = {"carrier": "sweet-almond", "amount": "30 mL", "oils": [{"oil": "lavender", "parts": 2}]}
# The deployment command's limits (the README's "Request limits")
GUNICORN_LIMITS = ["--limit-request-line", "4094", "--limit-request-fields", "50", "--limit-request-field_size", "8190"]


@pytest.fixture(scope="module")
def limits_app(make_app):
    return make_app(WTF_CSRF_ENABLED=False)


@pytest.fixture
def web(limits_app):
    return limits_app.test_client()


def problem_of(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == PROBLEM_CONTENT_TYPE
    problem = response.get_json(force=True)
    assert problem["status"] == status and problem["title"] and problem["detail"]
    return problem


def page_of(response, status: int) -> str:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    assert "Traceback" not in text
    return text


def test_the_limits_are_the_documented_ones(limits_app):
    config = limits_app.config
    assert config["MAX_CONTENT_LENGTH"] == MAX_BODY_BYTES == 64 * 1024
    assert config["MAX_FORM_MEMORY_SIZE"] == MAX_BODY_BYTES
    assert config["MAX_FORM_PARTS"] == MAX_FORM_PARTS == 200
    assert config["MAX_QUERY_BYTES"] == MAX_QUERY_BYTES == 2048


# ---- the body --------------------------------------------------------------------------------------------------


def big_blend() -> bytes:
    return json.dumps({**BLEND, "padding": "x" * MAX_BODY_BYTES}).encode()


def chunked(body: bytes) -> dict:
    """Test-client arguments for a body sent without Content-Length, as a server hands a chunked one to the app."""
    return {
        "input_stream": io.BytesIO(body),
        "headers": {"Transfer-Encoding": "chunked"},
        "environ_overrides": {"wsgi.input_terminated": True},
    }


def test_an_api_body_over_64_kib_is_a_413_problem(web):
    problem = problem_of(web.post(CALCULATE, data=big_blend(), content_type="application/json"), 413)
    assert problem["detail"] == "the request body is over the 64 KiB limit"
    problem = problem_of(web.post(CALCULATE, content_type="application/json", **chunked(big_blend())), 413)
    assert "64 KiB" in problem["detail"]


def test_a_form_over_64_kib_is_a_413_page(web):
    form = urlencode({"username": "edna", "password": "p" * MAX_BODY_BYTES}).encode()
    for sent in ({"data": form}, chunked(form)):
        text = page_of(web.post("/login", content_type="application/x-www-form-urlencoded", **sent), 413)
        assert "Too much to send" in text and "64 KiB" in text


def test_a_multipart_form_with_too_many_fields_is_a_413(web):
    fields = {f"field{number}": "x" for number in range(MAX_FORM_PARTS + 1)}
    page_of(web.post("/login", data=fields, content_type="multipart/form-data"), 413)
    few = {"username": "nobody", "password": "wrong password!!"}
    assert web.post("/login", data=few, content_type="multipart/form-data").status_code == 200  # read, refused


# ---- the query string ------------------------------------------------------------------------------------------


def test_a_query_over_2048_bytes_is_a_414_problem(web):
    # padded with zeros in a page number: the list refuses a parameter it does not know (400)
    filler = "0" * (MAX_QUERY_BYTES - len("kind=essential&q=lav&page=1")) + "1"
    assert web.get(f"/api/v1/oils?kind=essential&q=lav&page={filler}").status_code == 200  # 2048 bytes: accepted
    for path in ("/api/v1/oils", "/api/v1/oils/lavender", "/api/v1/no-such-thing", CALCULATE):
        response = web.get(f"{path}?kind=essential&q=lav&page=0{filler}")
        problem = problem_of(response, 414)
        assert problem["title"] == "Query string too long"
        assert problem["detail"] == (
            "the query string is 2049 bytes; at most 2048 are accepted: send fewer or shorter parameters"
        )
    # counted as sent: percent-encoded bytes count three times
    problem = problem_of(web.get("/api/v1/oils?q=" + "%C3%A9" * 400), 414)
    assert "2402 bytes" in problem["detail"]


def test_a_query_over_2048_bytes_is_a_414_page(web):
    text = page_of(web.get("/?" + "amount=" + "9" * MAX_QUERY_BYTES), 414)
    assert f"{MAX_QUERY_BYTES + 7} bytes" in text and f"at most {MAX_QUERY_BYTES} are accepted" in text


def longest_calculator_query() -> str:
    """The calculator's form with twelve of the longest oil names and every person field filled in."""
    oils = shipped_oils()
    essential = sorted((slug for slug, oil in oils.items() if oil.kind == "essential"), key=len, reverse=True)
    carrier = max((slug for slug, oil in oils.items() if oil.kind == "carrier"), key=len)
    fields = [("carrier", carrier), ("amount", "1 1/2"), ("unit", "us_tbsp"), ("amount_of", "carrier")]
    fields += [("strength", "drops"), ("percent", "1.25"), ("drops_per_tsp", "2.5")]
    for row in range(12):
        fields += [(f"oils-{row}-oil", essential[row]), (f"oils-{row}-parts", "12.5")]
    fields += [("use", "massage"), ("person-age", "67.5"), ("person-pregnant", "yes"), ("person-skin", "sensitive")]
    fields += [("person-sun", "maybe"), *(("person-conditions", c) for c in CONDITIONS)]
    fields += [*(("person-allergies", a) for a in ALLERGIES), ("measuring-drops_per_ml", "20")]
    return urlencode([*fields, ("measuring-teaspoon", "metric")])


def test_the_longest_calculator_form_fits_the_limit_with_room(web):
    query = longest_calculator_query()
    assert len(query) < MAX_QUERY_BYTES * 0.7
    assert web.get(f"/?{query}").status_code == 200
    assert web.get(f"/login?{urlencode({'next': '/?' + query})}").status_code == 200  # and back after a login


def test_the_search_parameter_is_at_most_100_characters(web):
    assert web.get("/api/v1/oils?q=" + "a" * 100).status_code == 200
    problem = problem_of(web.get("/api/v1/oils?q=" + "a" * 101), 422)
    assert problem["errors"] == {"q": ["must be 1 to 100 characters long"]}
    page = page_of(web.get("/oils?q=" + "lav" + "x" * 200), 200)  # the page keeps the first 100 characters
    assert 'value="lav' + "x" * 97 + '"' in page


# ---- the request line and headers, against gunicorn ------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def exchange(port: int, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes, read the answer until the server closes: (status, headers, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, body


def get(path: str, *headers: str) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", *headers, "Connection: close", "", ""]
    return "\r\n".join(lines).encode("latin-1")


@pytest.fixture(scope="module")
def gunicorn(make_app, databases, tmp_path_factory):
    """gunicorn with the deployment command's limits, on a migrated and seeded database; yields its port."""
    url = databases.new()
    make_app(url)  # migrated and seeded here, so the server starts at once
    port = free_port()
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith("FLASK_")},
        "DATABASE_URL": url,
        "SECRET_KEY": "request-limits-test-" + "k" * 32,
        "OIL_BLENDS_INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
    }
    command = [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}", *GUNICORN_LIMITS]
    server = subprocess.Popen(
        [*command, "app:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if exchange(port, get("/healthz"))[0] == 200:
                    break
            except OSError:  # not listening yet
                pass
            assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def still_serving(port: int) -> None:
    status, _, body = exchange(port, get("/api/v1/oils/lavender"))
    assert status == 200 and json.loads(body)["slug"] == "lavender"


def test_an_ordinary_request_through_gunicorn(gunicorn):
    still_serving(gunicorn)


def test_a_request_line_over_4094_bytes_is_refused_by_gunicorn_as_a_problem(gunicorn):
    status, headers, body = exchange(gunicorn, get("/api/v1/oils?q=" + "a" * 5000))
    assert status == 414 and headers["content-type"] == PROBLEM_CONTENT_TYPE  # gunicorn.conf.py: not an HTML page
    assert headers["x-content-type-options"] == "nosniff"
    problem = json.loads(body)
    assert (problem["type"], problem["title"], problem["status"]) == ("about:blank", "URI Too Long", 414)
    assert re.fullmatch(r"Request Line is too large \(50\d\d > 4094\)", problem["detail"])  # gunicorn's words
    still_serving(gunicorn)


def test_a_query_the_request_line_allows_is_refused_by_the_app(gunicorn):
    status, headers, body = exchange(gunicorn, get("/api/v1/oils?q=" + "a" * 3000))
    assert status == 414 and headers["content-type"] == PROBLEM_CONTENT_TYPE
    assert json.loads(body)["detail"].startswith("the query string is 3002 bytes; at most 2048 are accepted")


@pytest.mark.parametrize(
    "headers",
    [[f"X-Filler-{number}: x" for number in range(50)], ["X-Big: " + "b" * 9000]],
    ids=["51 header fields", "one field over 8190 bytes"],
)
def test_too_many_or_too_large_headers_are_refused_by_gunicorn(gunicorn, headers):
    status, response_headers, body = exchange(gunicorn, get("/api/v1/oils/lavender", *headers))
    assert status in (400, 431)  # 431 Request Header Fields Too Large; older gunicorn releases answer 400
    assert response_headers["content-type"] == PROBLEM_CONTENT_TYPE
    assert json.loads(body)["status"] == status and "header" in json.loads(body)["detail"].lower()
    still_serving(gunicorn)


def test_what_is_not_http_is_refused_by_gunicorn_as_a_problem(gunicorn):
    status, headers, body = exchange(gunicorn, b"HELLO THERE\r\n\r\n")
    assert status == 400 and headers["content-type"] == PROBLEM_CONTENT_TYPE
    assert json.loads(body)["detail"].startswith("Invalid")
    still_serving(gunicorn)


def test_headers_within_the_limits_pass(gunicorn):
    headers = [f"X-Filler-{number}: x" for number in range(45)] + ["X-Big: " + "b" * 8000]
    assert exchange(gunicorn, get("/api/v1/oils/lavender", *headers))[0] == 200


def test_a_chunked_body_over_64_kib_through_gunicorn_is_a_413_problem(gunicorn):
    body = big_blend()
    chunks = b"".join(
        f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
        for piece in (body[start : start + 8192] for start in range(0, len(body), 8192))
    )
    head = (
        f"POST {CALCULATE} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    ).encode()
    status, headers, answer = exchange(gunicorn, head + chunks + b"0\r\n\r\n")
    assert status == 413 and headers["content-type"] == PROBLEM_CONTENT_TYPE
    assert "64 KiB" in json.loads(answer)["detail"]
    still_serving(gunicorn)


@pytest.mark.parametrize(
    "chunks",
    [b"ZZ\r\n{}\r\n0\r\n\r\n", b"-2\r\n{}\r\n0\r\n\r\n", b"2\r\n{}XX0\r\n\r\n", b"2\r\n{}\r\nZZ\r\n\r\n"],
    ids=["size not hexadecimal", "negative size", "no CRLF after the data", "bad last chunk"],
)
@pytest.mark.parametrize(("path", "content_type"), [(CALCULATE, PROBLEM_CONTENT_TYPE), ("/login", "text/html")])
def test_a_malformed_chunked_body_through_gunicorn_is_a_400(gunicorn, chunks, path, content_type):
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    ).encode()
    status, headers, answer = exchange(gunicorn, head + chunks)
    assert status == 400 and headers["content-type"].startswith(content_type)
    if content_type == PROBLEM_CONTENT_TYPE:
        assert "chunked request body is malformed" in json.loads(answer)["detail"]
    else:
        assert b"could not be read" in answer
    still_serving(gunicorn)


def test_a_body_nested_past_100_levels_is_refused_saying_the_limit(limits_app):
    client = limits_app.test_client()
    for depth, status in ((100, 422), (101, 400)):
        nested = b'{"carrier": "jojoba", "amount": "30 mL", "oils": ' + b"[" * (depth - 1) + b"]" * (depth - 1) + b"}"
        problem = problem_of(client.post(CALCULATE, data=nested, content_type="application/json"), status)
        if status == 400:
            assert problem["detail"] == (
                "the body is not valid JSON: the JSON is nested too deeply: at most 100 arrays and objects inside "
                "each other"
            )
