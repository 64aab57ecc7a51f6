"""The in-memory catalog index: the same answers as a plain substring scan, in name order."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from oil_blends.documents.catalog import catalog_document
from oil_blends.documents.search import CatalogIndex

words = st.text(alphabet=string.ascii_lowercase[:6] + " -", min_size=0, max_size=12)
entries = st.lists(
    st.builds(
        lambda slug, name, botanical, kind: {"slug": slug, "name": name, "botanical_name": botanical, "kind": kind},
        words,
        words,
        st.one_of(st.none(), words),
        st.sampled_from(["carrier", "essential"]),
    ),
    max_size=40,
)


def scan(rows, kind, q):
    matching = [
        row
        for row in rows
        if (kind is None or row["kind"] == kind)
        and (not q or any(q.lower() in (row.get(f) or "").lower() for f in ("slug", "name", "botanical_name")))
    ]
    return sorted(matching, key=lambda row: (row["name"], row["slug"]))


@settings(max_examples=300)
@given(entries, st.sampled_from([None, "carrier", "essential"]), words)
def test_select_equals_a_scan(rows, kind, q):
    index = CatalogIndex(rows)
    found = [index.entries[p] for p in index.select(kind, q)]
    assert found == scan(rows, kind, q)


def test_shipped_catalog_search_and_pages():
    rows = catalog_document()["oils"]
    index = CatalogIndex(rows)
    assert [index.entries[p]["slug"] for p in index.select(q="Lav")] == [row["slug"] for row in scan(rows, None, "lav")]
    assert "lavender" in [index.entries[p]["slug"] for p in index.select("essential", "lavandula")]
    everything = index.select()
    assert index.page(everything, 0, 5) == index.entries[:5]
    assert index.page(everything, len(everything), 5) == []
    assert index.select("resin") == []
    assert index.select(q="no such oil at all") == []
