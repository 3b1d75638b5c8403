"""An in-memory view of every stored passage: texts, metadata, order within documents.

Loaded once per process from the store (page by page) and reloaded when the manifest
changes. It serves the lexical index, filters, neighbouring passages and hit building.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from indexer.models import Hit
from indexer.store import Record, Store

Filters = dict[str, Any]


@dataclass
class PassageTable:
    records: list[Record] = field(default_factory=list)
    pos: dict[str, int] = field(default_factory=dict)
    by_doc: dict[str, list[int]] = field(default_factory=dict)
    _versions: dict[tuple[Any, ...], dict[str, str]] | None = field(default=None, repr=False)

    @classmethod
    def load(cls, store: Store) -> PassageTable:
        records = [rec for rec, _ in store.records()]
        records.sort(key=lambda r: (r.meta.get("doc_id", ""), r.meta.get("seq", 0)))
        by_doc: dict[str, list[int]] = defaultdict(list)
        for i, rec in enumerate(records):
            by_doc[rec.meta.get("doc_id", "")].append(i)
        return cls(records, {r.id: i for i, r in enumerate(records)}, dict(by_doc))

    def __len__(self) -> int:
        return len(self.records)

    def twin(self, pid: str, language: str) -> str:
        """The same paragraph in ``language`` (``versions``), else ``pid`` itself."""
        return self.versions(pid).get(language, pid)

    def versions(self, pid: str) -> dict[str, str]:
        """The same paragraph in the store's other languages, language → passage id.

        A card's French or Spanish body cites the same points as its English one; the
        language versions of a UN document share its symbol and paragraph numbers (their
        locators are written alike in every language, ``indexer.numbering``)."""
        rec = self.get(pid)
        key = _parallel_key(rec.meta) if rec is not None else None
        if key is None:
            return {}
        if self._versions is None:
            index: dict[tuple[Any, ...], dict[str, str]] = {}
            for r in self.records:
                if (k := _parallel_key(r.meta)) is not None:
                    index.setdefault(k, {}).setdefault(str(r.meta.get("language", "")), r.id)
            self._versions = index
        own = rec.meta.get("language")
        return {lang: other for lang, other in self._versions.get(key, {}).items() if lang != own}

    def get(self, pid: str) -> Record | None:
        i = self.pos.get(pid)
        return None if i is None else self.records[i]

    def neighbours(self, pid: str, before: int = 1, after: int = 1) -> list[Record]:
        """The passages around ``pid`` in its document, in reading order (itself included)."""
        rec = self.get(pid)
        if rec is None:
            return []
        order = self.by_doc[rec.meta["doc_id"]]
        k = order.index(self.pos[pid])
        return [self.records[j] for j in order[max(0, k - before) : k + after + 1]]

    def matches(self, meta: dict[str, Any], filters: Filters) -> bool:
        return all(
            _match(meta, key, value)
            for key, value in filters.items()
            if value not in (None, "", [])
        )

    def filtered_mask(self, filters: Filters) -> list[bool]:
        return [self.matches(r.meta, filters) for r in self.records]

    def hit(self, pid: str, rank: int, score: float, scores: dict[str, float]) -> Hit:
        m = self.records[self.pos[pid]].meta
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
            text=self.records[self.pos[pid]].text,
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


def _parallel_key(meta: dict[str, Any]) -> tuple[Any, ...] | None:
    """What the language versions of one paragraph share: a card point's document and
    point, or a UN document's symbol and locator."""
    locator = str(meta.get("locator", ""))
    if not locator or not meta.get("language"):
        return None
    if locator.startswith("point "):
        return ("doc", meta.get("doc_id"), locator)
    symbol = re.sub(r"\s+", "", str(meta.get("symbol", ""))).casefold()
    return ("symbol", symbol, locator) if symbol else None


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


def _match(meta: dict[str, Any], key: str, value: Any) -> bool:
    if key == "year_from":
        return meta.get("year", -1) >= int(value)
    if key == "year_to":
        return 0 <= meta.get("year", -1) <= int(value)
    if key == "doc_id":
        values = value if isinstance(value, (list, tuple, set)) else [value]
        return meta.get("doc_id") in values
    values = value if isinstance(value, (list, tuple, set)) else [value]
    got = str(meta.get(key, "")).casefold()
    return got in {str(v).casefold() for v in values}


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
