"""Security headers on every response, the session cookie's flags, and Swagger UI under the CSP."""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from helpers_server import served

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
CALCULATE = "/api/v1/blends/calculate"
BLEND = {
    "carrier": "sweet-almond",
    "amount": "30 mL",
    "dilution": "2%",
    "oils": [{"oil": "lavender", "parts": 2}, {"oil": "peppermint", "parts": 1}],
}
START_SCRIPT = "/api/docs/static/swagger-ui-init.js"

REQUESTS = {
    "oils": ("GET", "/api/v1/oils", None, 200),
    "calculation": ("POST", CALCULATE, BLEND, 200),
    "refused calculation": ("POST", CALCULATE, {**BLEND, "dilution": "5%"}, 422),
    "invalid calculation": ("POST", CALCULATE, {**BLEND, "amount": "thirty"}, 422),
    "unknown path": ("GET", "/nothing", None, 404),
    "unknown oil": ("GET", "/api/v1/oils/nothing", None, 404),
    "wrong method": ("DELETE", "/api/v1/oils", None, 405),
    "docs": ("GET", "/api/docs", None, 200),
    "docs start script": ("GET", START_SCRIPT, None, 200),
    "docs asset": ("GET", "/api/docs/assets/swagger-ui.css", None, 200),
    "openapi": ("GET", "/api/openapi.json", None, 200),
    "health": ("GET", "/healthz", None, 200),
}


def assert_security_headers(response) -> None:
    for name, value in HEADERS.items():
        assert response.headers.getlist(name) == [value], name  # once, never twice


@pytest.mark.parametrize(("method", "path", "body", "status"), REQUESTS.values(), ids=REQUESTS.keys())
def test_every_response_carries_the_security_headers(client, method, path, body, status):
    response = client.open(path, method=method, json=body)
    assert response.status_code == status
    assert_security_headers(response)
    assert "Strict-Transport-Security" not in response.headers  # plain http
    response.close()


def test_a_server_error_carries_them_too(make_app):
    app = make_app(TESTING=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert_security_headers(response)


def test_http_is_not_redirected_and_https_gets_hsts(client):
    assert client.get("/api/v1/oils").status_code == 200  # no redirect to https
    response = client.get("/api/v1/oils", base_url="https://localhost")
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert_security_headers(response)
    forwarded = client.get("/api/v1/oils", headers={"X-Forwarded-Proto": "https"})  # behind a TLS proxy
    assert "Strict-Transport-Security" in forwarded.headers


def test_session_cookie_is_http_only_lax_and_secure_only_over_https(make_app):
    app = make_app()

    @app.get("/visit")
    def visit():
        from flask import session

        session["visited"] = True
        return "ok"

    client = app.test_client()
    plain = client.get("/visit").headers["Set-Cookie"]
    assert "HttpOnly" in plain and "SameSite=Lax" in plain
    assert "Secure" not in plain  # the development server's browser would never send it back
    secure = client.get("/visit", base_url="https://localhost").headers["Set-Cookie"]
    assert "Secure" in secure and "HttpOnly" in secure and "SameSite=Lax" in secure
    proxied = client.get("/visit", headers={"X-Forwarded-Proto": "https"}).headers["Set-Cookie"]
    assert "Secure" in proxied


class PageParts(HTMLParser):
    """The scripts, style sheets, <style> elements and style attributes of a page."""

    def __init__(self):
        super().__init__()
        self.scripts: list[dict] = []
        self.stylesheets: list[str] = []
        self.inline_styles = 0
        self.containers: list[dict] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "style" in attrs or tag == "style":
            self.inline_styles += 1
        if any(name.startswith("on") for name in attrs):
            self.inline_styles += 1000  # an event-handler attribute is inline script: fail loudly
        if tag == "script":
            self.scripts.append({"src": attrs.get("src"), "text": ""})
            self._in = "script"
        elif tag == "link" and attrs.get("rel") == "stylesheet":
            self.stylesheets.append(attrs["href"])
        elif tag == "div" and "data-spec-url" in attrs:
            self.containers.append(attrs)

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "script":
            self.scripts[-1]["text"] += data


def docs_page(client) -> PageParts:
    response = client.get("/api/docs")
    assert response.status_code == 200
    parts = PageParts()
    parts.feed(response.get_data(as_text=True))
    return parts


def test_docs_page_has_no_inline_script_or_style(client):
    page = docs_page(client)
    assert page.scripts, "Swagger UI needs its scripts"
    for script in page.scripts:
        assert script["src"] and script["src"].startswith("/") and not script["src"].startswith("//")
        assert not script["text"].strip(), "an inline script is blocked by script-src 'self'"
    assert page.inline_styles == 0
    assert page.stylesheets == ["/api/docs/assets/swagger-ui.css"]
    assert START_SCRIPT in [script["src"] for script in page.scripts]


def test_every_file_the_docs_page_loads_is_served_with_its_type(client):
    page = docs_page(client)
    for script in page.scripts:
        response = client.get(script["src"])
        assert response.status_code == 200, script["src"]
        assert response.mimetype in {"text/javascript", "application/javascript"}
        response.close()
    for sheet in page.stylesheets:
        response = client.get(sheet)
        assert response.status_code == 200 and response.mimetype == "text/css"
        response.close()
    with client.get(START_SCRIPT) as response:
        start = response.get_data(as_text=True)
    assert "SwaggerUIBundle(" in start and "dataset.specUrl" in start


def test_docs_page_passes_the_document_url_and_the_swagger_ui_config(make_app):
    config = {"deepLinking": True, "displayOperationId": True, "tricky": "</script><b x='1'>&"}
    client = make_app(OPENAPI_SWAGGER_UI_CONFIG=config).test_client()
    (container,) = docs_page(client).containers
    assert container["data-spec-url"] == "/api/openapi.json"
    assert json.loads(container["data-config"]) == config
    assert client.get(container["data-spec-url"]).get_json()["openapi"].startswith("3.")


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine")
def test_swagger_ui_runs_in_a_browser_under_the_policy(make_app, tmp_path):
    """Headless Chromium loads /api/docs over real HTTP: every operation is drawn and no CSP violation logged."""
    app = make_app()  # its own: the API object is shared, and holds the latest app's OPENAPI_SWAGGER_UI_CONFIG
    with served(app) as url:
        result = subprocess.run(
            [
                CHROMIUM,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--enable-logging=stderr",
                "--v=0",
                f"--user-data-dir={tmp_path}",
                "--virtual-time-budget=15000",
                "--dump-dom",
                f"{url}/api/docs",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    paths = app.test_client().get("/api/openapi.json").get_json()["paths"]
    operations = sum(len(set(item) - {"parameters"}) for item in paths.values())
    assert result.stdout.count('class="opblock-summary-path"') == operations, result.stdout[-2000:]
    console = [line for line in result.stderr.splitlines() if "CONSOLE" in line]
    assert not [line for line in console if "Content Security Policy" in line], console
