"""Listing and searching the catalog at 60-odd oils (the shipped one) and at 10,000.

Run: python benchmarks/catalog_scale.py
Each figure is the median of 200 requests through the app in process (Flask test client, SQLite): the JSON API's
list, search and entry, and the web pages' search and entry.
"""

from __future__ import annotations

import json
import secrets
import statistics
import tempfile
import time
from pathlib import Path

from oil_blends.app import create_app
from oil_blends.documents.catalog import catalog_document
from oil_blends.extensions import db
from oil_blends.storage.models import Oil

REQUESTS = {
    "page 1": "/api/v1/oils?page=1&page_size=20",
    "page 3": "/api/v1/oils?page=3&page_size=20",
    "page 4 (full page)": "/api/v1/oils?page=4&page_size=20",
    "kind=carrier": "/api/v1/oils?kind=carrier&page_size=20",
    "search q=lav": "/api/v1/oils?q=lav&page_size=20",
    "search q=peppermint": "/api/v1/oils?q=peppermint&page_size=20",
    "search q=zz (no hit)": "/api/v1/oils?q=zz&page_size=20",
    "search q=syn (10k hits)": "/api/v1/oils?q=syn&page_size=20",
    "one oil": "/api/v1/oils/lavender",
    "page /oils?q=lav": "/oils?q=lav",
    "page /oils/lavender": "/oils/lavender",
}


def grow(app, total: int) -> None:
    """Add synthetic oils (copies of shipped entries under new slugs) until the catalog holds ``total``."""
    entries = catalog_document()["oils"]
    with app.app_context():
        present = db.session.query(Oil).count()
        rows = []
        for index in range(total - present):
            # Distinct names, so a search for a shipped oil finds as many entries in both catalogs.
            entry = dict(entries[index % len(entries)])
            entry.update(slug=f"synthetic-{index:05d}", name=f"Synthetic {index:05d}", botanical_name=None)
            rows.append(Oil(**entry))
        db.session.add_all(rows)
        db.session.commit()


def median_ms(client, path: str, rounds: int = 200) -> float:
    for _ in range(20):
        assert client.get(path).status_code == 200, path
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def measure(size: int | None) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp())
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'scale.sqlite3'}", "SECRET_KEY": secrets.token_hex(32)}
    )
    if size:
        grow(app, size)
    client = app.test_client()
    figures = {name: median_ms(client, path) for name, path in REQUESTS.items()}
    figures["oils"] = json.loads(client.get("/api/v1/oils?page_size=1").headers["X-Pagination"])["total"]
    return figures


def main() -> None:
    small, large = measure(None), measure(10_000)
    print(f"{'request':<24}{small['oils']:>10} oils{large['oils']:>12} oils   ratio")
    for name in REQUESTS:
        print(f"{name:<24}{small[name]:>11.3f} ms{large[name]:>12.3f} ms   {large[name] / small[name]:.2f}x")


if __name__ == "__main__":
    main()
