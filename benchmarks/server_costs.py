"""Server-side costs measured in process (Flask test client, no network), printed as figures.

Run: python benchmarks/server_costs.py            (SQLite in a temporary folder)
     DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test python benchmarks/server_costs.py

- the web calculator's result page for blends never seen before: server time per page and the page's bytes;
- POST /api/v1/blends/calculate with a body never seen before, and the same body again (the answer memo);
- the catalog-version check every calculation and catalog read makes first (one primary-key SELECT on a
  connection the worker keeps): its cost alone, per call.
Each figure is the median of the rounds; the first rounds warm the caches and are not counted.
"""

from __future__ import annotations

import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from oil_blends.app import create_app
from oil_blends.storage.cache import catalog_cache

ROUNDS = 2000


def median_us(action: Callable[[int], object], rounds: int = ROUNDS, warm: int = 200) -> float:
    for index in range(warm):
        action(-1 - index)
    times = []
    for index in range(rounds):
        start = time.perf_counter()
        action(index)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def calculation(index: int) -> dict:
    """A request with a person profile and three oils; the amount makes each one new."""
    return {
        "carrier": "sweet-almond",
        "amount": f"{30 + index % 20}.{abs(index):06d} mL",
        "dilution": "1%",
        "oils": [{"oil": "lavender", "parts": 2}, {"oil": "frankincense"}, {"oil": "peppermint"}],
        "profile": {"age_years": 67, "conditions": ["neuropathy"]},
    }


def page_query(index: int) -> str:
    fields = {
        "carrier": "jojoba",
        "amount": f"{2 + index % 5}.{abs(index):05d} fl oz",
        "dilution": "1%",
        "oils-0-oil": "lavender",
        "oils-0-parts": "2",
        "oils-1-oil": "frankincense",
        "oils-1-parts": "1",
        "age_years": "67",
        "conditions": "neuropathy",
    }
    return "/?" + urlencode(fields)


def main() -> None:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(tempfile.mkdtemp()) / 'costs.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_hex(32)})
    client = app.test_client()
    print(f"database: {url.split(':')[0]}; median of {ROUNDS} requests each, in process")

    sizes = []

    def page(index: int) -> None:
        response = client.get(page_query(index))
        assert response.status_code == 200 and b"drops" in response.data, response.status_code
        sizes.append(len(response.data))

    page_ms = median_us(page) / 1000
    print(f"web result page, new blend         {page_ms:8.3f} ms   {statistics.median(sizes) / 1024:.1f} KiB")

    def new_body(index: int) -> None:
        response = client.post("/api/v1/blends/calculate", json=calculation(index))
        assert response.status_code == 200, response.get_json()

    same = calculation(7)

    def same_body(index: int) -> None:
        client.post("/api/v1/blends/calculate", json=same)

    print(f"calculation, body never seen       {median_us(new_body):8.1f} us")
    print(f"calculation, same body again       {median_us(same_body):8.1f} us")

    cache = catalog_cache(app)
    with app.app_context():
        check = median_us(lambda index: cache.version(), rounds=20_000)
    print(f"catalog-version check              {check:8.1f} us")


if __name__ == "__main__":
    main()
