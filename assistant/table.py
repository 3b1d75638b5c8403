"""The passages of the store as a question process sees them: a view over the catalog
(``indexer.catalog``), which keeps texts, metadata, BM25 postings and filter columns on
disk and maps them, so a process's start-up and memory do not grow with the store.

It serves the lexical index, filters, neighbouring passages, language versions and hit
building; a new one is opened whenever the manifest changes.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from indexer.catalog import Catalog
from indexer.catalog.schema import parallel_key
from indexer.models import Hit
from indexer.store import Record

Filters = dict[str, Any]


class PassageTable(Catalog):
    """The catalog with what retrieval adds: filter masks, language twins and hits."""

    @classmethod
    def from_records(cls, records: Iterable[Record], folder: Path | None = None) -> PassageTable:
        """A table over these records alone (a catalog built in ``folder``, or a temporary
        one): for tests and tools that hold passages outside a store."""
        from indexer.catalog.build import build

        folder = folder or Path(tempfile.mkdtemp(prefix="vigilance-catalog-")) / "catalog"
        return cls(build(folder, records, {}, "records"))

    def twins(self, pids: list[str], language: str) -> dict[str, str]:
        """Each passage's version in ``language`` (as ``versions`` finds it), else the
        passage itself: one read per 500 keys for a search's candidates, and the twins'
        records read too, in one go."""
        keys = {}
        for pid, rec in self.fetch(pids).items():
            key = parallel_key(rec.meta)
            if key is not None and rec.meta.get("language") != language:
                keys[pid] = key
        first: dict[str, str] = {}
        unique = list(dict.fromkeys(keys.values()))
        for i in range(0, len(unique), 500):
            part = unique[i : i + 500]
            marks = ",".join("?" * len(part))
            query = (
                f"SELECT pkey, id FROM passages WHERE lang = ? AND pkey IN ({marks}) ORDER BY row"
            )
            for key, other in self.sql(query, [language, *part]):
                first.setdefault(key, other)
        out = {pid: first.get(keys[pid], pid) if pid in keys else pid for pid in pids}
        self.fetch(out.values())
        return out

    def filter_mask(self, filters: Filters) -> np.ndarray:
        """Which rows every filter lets through (year bounds, and one of the values chosen
        for each other field; a passage without a year passes no year bound)."""
        mask = np.ones(len(self), dtype=bool)
        for key, value in filters.items():
            if value in (None, "", []):
                continue
            if key == "year_from":
                mask &= np.asarray(self.column("year")) >= int(value)
            elif key == "year_to":
                year = np.asarray(self.column("year"))
                mask &= (year >= 0) & (year <= int(value))
            else:
                values = value if isinstance(value, (list, tuple, set)) else [value]
                mask &= self.mask(key, values)
        return mask

    def hit(self, pid: str, rank: int, score: float, scores: dict[str, float]) -> Hit:
        rec = self.get(pid)
        m = rec.meta
        ps, pe = m.get("page_start", -1), m.get("page_end", -1)
        pages = "" if ps in (-1, None) else (f"p. {ps}" if pe in (ps, -1) else f"pp. {ps}-{pe}")
        year = m.get("year", -1)
        return Hit(
            rank=rank,
            score=round(float(score), 4),
            passage_id=pid,
            doc_id=m.get("doc_id", ""),
            title=m.get("title", ""),
            locator=m.get("locator", ""),
            text=rec.text,
            language=m.get("language", ""),
            url=m.get("url", ""),
            type=m.get("type", ""),
            jurisdiction=m.get("jurisdiction", ""),
            year=None if year in (-1, None) else int(year),
            binding=m.get("binding", "unknown"),
            short_title=m.get("short_title", ""),
            symbol=m.get("symbol", ""),
            status=m.get("status", ""),
            pages=pages,
            heading=m.get("heading", ""),
            kind=m.get("kind", "para"),
            seq=int(m.get("seq", 0)),
            source_path=m.get("source_path", ""),
            collection=m.get("collection", ""),
            scores={k: round(float(v), 4) for k, v in scores.items()},
            versions=self.versions(pid),
        )


def make_filters(
    types=(), jurisdictions=(), year_from=None, year_to=None, binding=None, languages=(), docs=()
) -> Filters:
    """Retrieval filters from what a user chose; ``binding`` is True / False / "yes" / "no"
    / None. Empty choices are no filter."""
    if isinstance(binding, bool):
        binding = "yes" if binding else "no"
    filters: Filters = {
        "type": list(types or []),
        "jurisdiction": list(jurisdictions or []),
        "year_from": year_from,
        "year_to": year_to,
        "binding": binding,
        "language": list(languages or []),
        "doc_id": list(docs or []),
    }
    return {k: v for k, v in filters.items() if v not in (None, [], "")}


def chroma_where(filters: Filters) -> dict[str, Any] | None:
    """The same filters as a Chroma ``where`` clause."""
    clauses: list[dict[str, Any]] = []
    for key, value in filters.items():
        if value in (None, "", []):
            continue
        if key == "year_from":
            clauses.append({"year": {"$gte": int(value)}})
        elif key == "year_to":
            clauses.append({"$and": [{"year": {"$gte": 0}}, {"year": {"$lte": int(value)}}]})
        else:
            values = list(value) if isinstance(value, (list, tuple, set)) else [value]
            if key in ("type", "binding", "language"):
                values = [str(v).casefold() for v in values]
            elif key == "jurisdiction":
                values = [str(v).upper() for v in values]
            clauses.append({key: {"$in": values}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
