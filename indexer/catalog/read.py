"""Reading a catalog: rows by id, document, language version or name; BM25 postings and
filter columns memory-mapped. Safe to share between threads (one SQLite connection per
thread, read-only, on files that never change once published)."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from indexer.catalog.schema import FIELDS, parallel_key, question_keys
from indexer.store import Record

CACHE = 4096  # records kept decoded per process (the candidates of a few questions)


class NpyFile:
    """A ``.npy`` array on disk, read by ranges of its first axis with ``pread``.

    Not mapped: a mapped file's pages count in the process's resident memory, and every
    page fault maps its neighbours too (16 pages around each of a question's few hundred
    candidates), so a process answering questions over a million passages held a third of
    the vectors' file and a third of the postings after 30 questions. Read this way, the
    pages stay in the system's file cache, shared and given back under pressure, and the
    process keeps only the rows it asked for."""

    def __init__(self, path: Path) -> None:
        with open(path, "rb") as f:
            major, _ = np.lib.format.read_magic(f)
            read_header = (
                np.lib.format.read_array_header_1_0
                if major == 1
                else np.lib.format.read_array_header_2_0
            )
            self.shape, fortran, self.dtype = read_header(f)
            self.offset = f.tell()
        assert not fortran
        self.row_bytes = int(np.prod(self.shape[1:], dtype=np.int64)) * self.dtype.itemsize
        self.fd = os.open(path, os.O_RDONLY)
        weakref.finalize(self, os.close, self.fd)

    def __len__(self) -> int:
        return int(self.shape[0])

    def read(self, lo: int, hi: int) -> np.ndarray:
        """Rows ``lo`` to ``hi`` (excluded)."""
        size = (hi - lo) * self.row_bytes
        raw = os.pread(self.fd, size, self.offset + lo * self.row_bytes) if size else b""
        return np.frombuffer(raw, dtype=self.dtype).reshape((hi - lo, *self.shape[1:]))

    def take(self, rows: np.ndarray) -> np.ndarray:
        """These rows (sorted, unique), runs of consecutive rows read at once."""
        if not len(rows):
            return np.zeros((0, *self.shape[1:]), dtype=self.dtype)
        breaks = np.flatnonzero(np.diff(rows) != 1) + 1
        starts = np.concatenate([[0], breaks])
        ends = np.concatenate([breaks, [len(rows)]])
        return np.concatenate(
            [
                self.read(int(rows[a]), int(rows[b - 1]) + 1)
                for a, b in zip(starts, ends, strict=True)
            ]
        )


class Catalog:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.info = json.loads((folder / "info.json").read_text(encoding="utf-8"))
        self._local = threading.local()
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, tuple[int, Record]] = OrderedDict()  # id → (row, record)
        load = lambda name: np.load(folder / name, mmap_mode="r")  # noqa: E731
        self.data = NpyFile(folder / "bm25_data.npy")
        self.indices = NpyFile(folder / "bm25_indices.npy")
        self.indptr = np.load(folder / "bm25_indptr.npy")  # a number per column: loaded
        self.cols = {f: load(f"col_{f}.npy") for f in (*FIELDS, "year")}
        has_vectors = (folder / "vectors.npy").exists()
        self.vectors = NpyFile(folder / "vectors.npy") if has_vectors else None
        self.codes: dict[str, dict[str, int]] = {f: {} for f in FIELDS}
        for field, value, code in self.sql("SELECT field, value, code FROM codes"):
            self.codes[field][value] = code
        self.languages = {c: v for v, c in self.codes["language"].items()}

    # -- SQLite, one read-only connection per thread ------------------------------------
    def sql(self, query: str, args: Iterable[Any] = ()) -> list[tuple]:
        db = getattr(self._local, "db", None)
        if db is None:
            uri = (self.folder / "catalog.sqlite").as_uri() + "?mode=ro&immutable=1"
            db = self._local.db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        return db.execute(query, tuple(args)).fetchall()

    def __len__(self) -> int:
        return int(self.info["passages"])

    # -- passages --------------------------------------------------------------------------
    def _entries(self, pids: Iterable[str]) -> dict[str, tuple[int, Record]]:
        """(row, record) of the passage ids that exist, read in one query where not cached."""
        pids = list(dict.fromkeys(pids))
        with self._lock:
            out = {pid: self._cache[pid] for pid in pids if pid in self._cache}
        todo = [p for p in pids if p not in out]
        for i in range(0, len(todo), 500):
            part = todo[i : i + 500]
            marks = ",".join("?" * len(part))
            got = self.sql(f"SELECT row, id, meta, text FROM passages WHERE id IN ({marks})", part)
            with self._lock:
                for row, pid, meta, text in got:
                    out[pid] = self._cache[pid] = (row, Record(pid, text, json.loads(meta)))
                while len(self._cache) > CACHE:
                    self._cache.popitem(last=False)
        return out

    def fetch(self, pids: Iterable[str]) -> dict[str, Record]:
        """The records of these passage ids that exist."""
        return {pid: rec for pid, (_, rec) in self._entries(pids).items()}

    def get(self, pid: str) -> Record | None:
        return self.fetch([pid]).get(pid)

    def row_of(self, pid: str) -> int | None:
        entry = self._entries([pid]).get(pid)
        return entry[0] if entry else None

    def ids(self, rows: Iterable[int]) -> list[str]:
        """Passage ids of table rows, in the order given."""
        rows = [int(r) for r in rows]
        found: dict[int, str] = {}
        for i in range(0, len(rows), 500):
            part = rows[i : i + 500]
            marks = ",".join("?" * len(part))
            found.update(self.sql(f"SELECT row, id FROM passages WHERE row IN ({marks})", part))
        return [found[r] for r in rows if r in found]

    def doc_records(self, doc_id: str) -> list[Record]:
        """A document's passages in reading order."""
        got = self.sql(
            "SELECT row, id, meta, text FROM passages WHERE doc = ? ORDER BY row", [doc_id]
        )
        return [Record(pid, text, json.loads(meta)) for _, pid, meta, text in got]

    def doc_languages(self, doc_ids: Iterable[str]) -> dict[str, list[tuple[int, str, str]]]:
        """(row, passage id, language) of the passages of these documents, in reading
        order, a read per 500 documents: no text or metadata read."""
        docs = list(dict.fromkeys(doc_ids))
        out: dict[str, list[tuple[int, str, str]]] = {d: [] for d in docs}
        for i in range(0, len(docs), 500):
            part = docs[i : i + 500]
            marks = ",".join("?" * len(part))
            query = f"SELECT doc, row, id, lang FROM passages WHERE doc IN ({marks}) ORDER BY row"
            for doc, row, pid, lang in self.sql(query, part):
                out[doc].append((row, pid, lang or ""))
        return out

    def doc_ids(self, doc_id: str) -> list[tuple[int, str]]:
        """(row, passage id) of a document's passages in reading order."""
        return [
            tuple(r)
            for r in self.sql("SELECT row, id FROM passages WHERE doc = ? ORDER BY row", [doc_id])
        ]

    def neighbours(self, pid: str, before: int = 1, after: int = 1) -> list[Record]:
        """The passages around ``pid`` in its document, in reading order (itself included)."""
        rec = self.get(pid)
        row = self.row_of(pid) if rec is not None else None
        if rec is None or row is None:
            return []
        got = self.sql(
            "SELECT row, id, meta, text FROM passages WHERE doc = ? AND row BETWEEN ? AND ? ORDER BY row",
            [rec.meta.get("doc_id", ""), row - before, row + after],
        )
        return [Record(p, text, json.loads(meta)) for _, p, meta, text in got]

    def versions(self, pid: str) -> dict[str, str]:
        """The same paragraph in the store's other languages, language → passage id.

        A card's French or Spanish body cites the same points as its English one; the
        language versions of a UN document share its symbol and paragraph numbers (their
        locators are written alike in every language, ``indexer.numbering``)."""
        rec = self.get(pid)
        key = parallel_key(rec.meta) if rec is not None else None
        if key is None:
            return {}
        own = rec.meta.get("language")
        out: dict[str, str] = {}
        for lang, other in self.sql(
            "SELECT lang, id FROM passages WHERE pkey = ? ORDER BY row", [key]
        ):
            if lang != own:
                out.setdefault(lang, other)
        return out

    # -- documents -------------------------------------------------------------------------
    def documents(self, collection: str | None = None) -> list[str]:
        if collection is None:
            return [d for (d,) in self.sql("SELECT doc FROM docs ORDER BY doc")]
        return [
            d
            for (d,) in self.sql(
                "SELECT doc FROM docs WHERE collection = ? ORDER BY doc", [collection]
            )
        ]

    def has_doc(self, doc_id: str) -> bool:
        return bool(self.sql("SELECT 1 FROM docs WHERE doc = ?", [doc_id]))

    def facts(self, doc_id: str) -> dict[str, Any]:
        got = self.sql("SELECT facts FROM docs WHERE doc = ?", [doc_id])
        return json.loads(got[0][0]) if got and got[0][0] else {}

    def names(self, text: str, *more: str) -> dict[str, set[str]]:
        """The document names that may occur in the folded ``text`` (and its other forms):
        name → documents, from the names whose key the text holds. (A name's keys depend
        on the name alone, so every document called by a found name is found with it.)"""
        keys = sorted(set().union(*(question_keys(t) for t in (text, *more))))
        out: dict[str, set[str]] = {}
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            marks = ",".join("?" * len(part))
            for name, doc in self.sql(f"SELECT name, doc FROM names WHERE key IN ({marks})", part):
                out.setdefault(name, set()).add(doc)
        return out

    # -- columns ---------------------------------------------------------------------------
    def column(self, field: str) -> np.ndarray:
        return self.cols[field]

    def mask(self, field: str, values: Iterable[str]) -> np.ndarray:
        """Rows whose ``field`` is one of ``values`` (casefolded, except document ids)."""
        fold = (lambda v: str(v)) if field == "doc_id" else (lambda v: str(v).casefold())
        codes = [self.codes[field][fold(v)] for v in values if fold(v) in self.codes[field]]
        return np.isin(self.cols[field], np.asarray(codes, dtype=np.int32))

    # -- vectors -------------------------------------------------------------------------
    def similarity(self, rows: Any, query: np.ndarray) -> np.ndarray:
        """Cosine of ``query`` with the stored vectors of these rows (read in row order,
        a block at a time). Only for a catalog with vectors (``self.vectors``)."""
        assert self.vectors is not None
        rows = np.asarray(rows, dtype=np.int64)
        unique, back = np.unique(rows, return_inverse=True)
        sims = np.empty(len(unique), dtype=np.float32)
        q = np.asarray(query, dtype=np.float32)
        for i in range(0, len(unique), 8192):  # memory stays small
            block = self.vectors.take(unique[i : i + 8192])
            sims[i : i + 8192] = block.astype(np.float32) @ q
        return sims[back]

    def vector_rows(self, rows: Iterable[int]) -> np.ndarray:
        """The stored vectors of these rows, as float32 (for tests and tools)."""
        assert self.vectors is not None
        rows = np.asarray(list(rows), dtype=np.int64)
        unique, back = np.unique(rows, return_inverse=True)
        return self.vectors.take(unique).astype(np.float32)[back]

    # -- BM25 --------------------------------------------------------------------------------
    def term_columns(self, tokens: Iterable[str]) -> dict[str, tuple[dict[int, int], float]]:
        """term → ({language code: matrix column}, idf) for the tokens the store has."""
        toks = sorted(set(tokens))
        out: dict[str, tuple[dict[int, int], float]] = {}
        for i in range(0, len(toks), 500):
            part = toks[i : i + 500]
            marks = ",".join("?" * len(part))
            query = f"SELECT term, lang, col, idf FROM terms WHERE term IN ({marks})"
            for term, lang, col, idf in self.sql(query, part):
                out.setdefault(term, ({}, float(idf)))[0][int(lang)] = int(col)
        return out

    def bm25(self, counts: dict[int, int], out: np.ndarray | None = None) -> np.ndarray:
        """Sum over columns of count × column weight, for every row (dense, float32), added
        to ``out``. The cost follows the columns' postings, not the number of rows."""
        out = np.zeros(len(self), dtype=np.float32) if out is None else out
        for col, mult in counts.items():
            lo, hi = int(self.indptr[col]), int(self.indptr[col + 1])
            out[self.indices.read(lo, hi)] += mult * self.data.read(lo, hi)
        return out
