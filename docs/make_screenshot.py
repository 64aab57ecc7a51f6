"""Redraw docs/result-page.png, the README's picture of a result page: python docs/make_screenshot.py

It serves the app on a fresh SQLite database in a temporary folder and photographs the calculator's answer for a
foot oil (sweet almond, lavender and peppermint, for a 68-year-old with neuropathy and diabetes) in Chromium.
"""

from __future__ import annotations

import secrets
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from oil_blends.app import create_app

PAGE = (
    "/?carrier=sweet-almond&amount=2&unit=fl+oz&oils-0-oil=lavender&oils-0-parts=2&oils-1-oil=peppermint"
    "&oils-1-parts=1&strength=safe&person-conditions=neuropathy&person-conditions=diabetes&person-age=68"
)
OUT = Path(__file__).resolve().parent / "result-page.png"


def main() -> None:
    folder = tempfile.mkdtemp()
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/shot.sqlite3", "SECRET_KEY": secrets.token_hex(32)}
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
            )
            page = browser.new_page(viewport={"width": 1000, "height": 900})
            page.goto(f"http://127.0.0.1:{server.server_port}{PAGE}")
            page.locator("section.result").screenshot(path=str(OUT))
            browser.close()
    finally:
        server.shutdown()
        shutil.rmtree(folder, ignore_errors=True)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
