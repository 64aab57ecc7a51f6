"""Listing and searching the catalog in memory, at a cost that follows the matches, not the catalog's size.

The entries are kept in name order with a list per kind, so a page is a slice. Search is a case-insensitive
substring match on slug, name and botanical name: an index from every
substring of up to three characters to the entries containing it narrows the candidates, and only those
are checked in full.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import Any

GRAM = 3
SEARCHED_FIELDS = ("slug", "name", "botanical_name")


class CatalogIndex:
    """One catalog version's entries (dicts shaped like ``OilSchema``), ready to page and search."""

    def __init__(self, entries: Sequence[Mapping[str, Any]]):
        self.entries = sorted(entries, key=lambda entry: (entry["name"], entry["slug"]))
        self._by_kind: dict[str | None, list[int]] = {None: list(range(len(self.entries)))}
        for position, entry in enumerate(self.entries):
            self._by_kind.setdefault(entry["kind"], []).append(position)
        self._fields = [tuple((entry.get(name) or "").lower() for name in SEARCHED_FIELDS) for entry in self.entries]

    @cached_property
    def _grams(self) -> dict[str, set[int]]:
        """Every substring of up to three characters -> positions of the entries that contain it.

        Built on the first search of this catalog version, not on every reload.
        """
        grams: dict[str, set[int]] = {}
        for position, fields in enumerate(self._fields):
            for text in fields:
                for size in range(1, GRAM + 1):
                    for start in range(len(text) - size + 1):
                        grams.setdefault(text[start : start + size], set()).add(position)
        return grams

    def select(self, kind: str | None = None, q: str | None = None) -> list[int]:
        """Positions (in name order) of the entries of ``kind`` whose searched fields contain ``q``."""
        in_kind = self._by_kind.get(kind, [])
        if not q:
            return in_kind
        needle = q.lower()
        candidates = self._candidates(needle)
        if candidates is None:
            return []
        if kind is not None:
            candidates &= set(in_kind)
        return sorted(p for p in candidates if any(needle in text for text in self._fields[p]))

    def _candidates(self, needle: str) -> set[int] | None:
        if len(needle) <= GRAM:
            found = self._grams.get(needle)
            return set(found) if found else None
        sets = []
        for start in range(len(needle) - GRAM + 1):
            found = self._grams.get(needle[start : start + GRAM])
            if not found:
                return None
            sets.append(found)
        sets.sort(key=len)
        return set(sets[0]).intersection(*sets[1:])

    def page(self, positions: Sequence[int], first: int, size: int) -> list[Mapping[str, Any]]:
        return [self.entries[p] for p in positions[first : first + size]]
