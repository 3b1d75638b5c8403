"""Building the catalog: one pass over the store, written to files a reader maps lazily.

Pass 1 copies every passage from Chroma (page by page) into a staging table, with its
vector; pass 2 reads it back in reading order (document, then sequence), tokenises each
passage for BM25 and writes the final rows, the per-row filter columns and the postings;
pass 3 writes the vectors in the same order. Memory grows with the postings (a few bytes
per distinct term of a passage), never with the texts, so a million-passage store builds
on a laptop.

BM25 is rank-bm25's Okapi variant (k1 1.5, b 0.75, negative idf floored at a quarter of
the mean idf), computed here in one vectorised step; ``tests/test_catalog.py`` checks the
scores against rank-bm25 itself.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import sqlite3
import sys
from array import array
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from indexer.catalog import stamp_name
from indexer.catalog.schema import FIELDS, FORMAT, SCHEMA, is_current, name_keys, parallel_key
from indexer.language import fold, terms
from indexer.store import Record

K1, B, EPSILON = 1.5, 0.75, 0.25
NAME_MIN = 4


def lexical_text(text: str, meta: dict) -> str:
    """What BM25 sees for a passage: its text plus the names a question may use for it."""
    names = " ".join(
        str(meta.get(k, "")) for k in ("short_title", "title", "symbol", "locator", "heading")
    )
    return f"{names} {text}"


def doc_names(meta: dict[str, Any]) -> set[str]:
    """The folded names a question may call a document by (title, short title, symbol,
    aliases), those long enough to mean something."""
    raw = [meta.get("title", ""), meta.get("short_title", ""), meta.get("symbol", "")]
    raw += str(meta.get("aliases", "")).split(" | ")
    out = set()
    for name in raw:
        key = fold(str(name)).strip(" .")
        if len(key) >= NAME_MIN or (len(key) >= 3 and any(c.isdigit() for c in key)):
            out.add(key)
    return out


BATCH = 1000
PARALLEL_FROM = 50_000  # passages from which tokenising uses every core


def _batches(cursor: Iterable[tuple]) -> Iterator[list[tuple]]:
    batch: list[tuple] = []
    for row in cursor:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def count_terms(batch: list[tuple]) -> tuple[list[tuple], list[tuple[list[tuple[str, int]], int]]]:
    """The BM25 terms of each staged row of a batch, counted: ([(term, tf)], length)."""
    out = []
    for _, _, _, meta_json, text in batch:
        meta = json.loads(meta_json)
        tokens = terms(lexical_text(text, meta), str(meta.get("language", ""))) or ["_"]
        out.append((list(Counter(tokens).items()), len(tokens)))
    return batch, out


def spawn_safe() -> bool:
    """Whether worker processes can start here. A spawned worker imports the main module
    again: a module run with ``-m``, the ``vigilance`` command and an interactive session
    are safe, but a user's script without a ``__main__`` guard would run again in every
    worker and the pool would never start (tokenising then stays in this process)."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    return getattr(main, "__spec__", None) is not None or not path or Path(path).name == "vigilance"


@contextmanager
def tokenizer(n: int) -> Iterator[Any]:
    """``map`` of ``count_terms`` over batches, in order: in this process for a small
    store, over a pool of processes (one per core) for a large one."""
    if n < PARALLEL_FROM or (os.cpu_count() or 1) < 2 or not spawn_safe():
        yield lambda batches: map(count_terms, batches)
        return
    # spawn, not fork: the builder may run inside a threaded server.
    with multiprocessing.get_context("spawn").Pool(os.cpu_count()) as pool:

        def run(batches: Iterable[list[tuple]]) -> Iterator[tuple]:
            # Batches are read here, in the builder's thread (its SQLite connection is
            # its own), with a few in flight at once, and come back in order.
            pending: deque = deque()
            for batch in batches:
                pending.append(pool.apply_async(count_terms, (batch,)))
                if len(pending) > 2 * (os.cpu_count() or 1):
                    yield pending.popleft().get()
            while pending:
                yield pending.popleft().get()

        yield run


def okapi_idf(df: np.ndarray, n: int) -> np.ndarray:
    """rank-bm25's Okapi idf: log((N - df + 0.5) / (df + 0.5)), negatives raised to
    ``EPSILON`` times the mean idf."""
    idf = np.log(n - df + 0.5) - np.log(df + 0.5)
    if len(idf):
        idf = np.where(idf < 0, EPSILON * idf.mean(), idf)
    return idf


class Builder:
    """Writes one catalog into ``folder`` (which must not exist yet)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True)
        self.db = sqlite3.connect(folder / "catalog.sqlite")
        self.db.executescript(SCHEMA)
        self.codes: dict[str, dict[str, int]] = {f: {} for f in FIELDS}
        self.vocab: dict[tuple[int, str], int] = {}  # (language code, term) → column

    def stage(self, records: Iterable[Record]) -> int:
        rows = (
            (
                rec.id,
                str(rec.meta.get("doc_id", "")),
                int(rec.meta.get("seq", 0) or 0),
                json.dumps(rec.meta, ensure_ascii=False, sort_keys=True),  # Chroma's order varies
                rec.text,
                None if rec.vector is None else np.asarray(rec.vector, np.float16).tobytes(),
            )
            for rec in records
        )
        self.db.executemany("INSERT INTO staging VALUES (?,?,?,?,?,?)", rows)
        self.db.execute("CREATE INDEX staging_order ON staging (doc, seq, id)")
        return self.db.execute("SELECT count(*) FROM staging").fetchone()[0]

    def vectors(self, n: int) -> dict[str, Any]:
        """Each row's passage vector, in row order, into ``vectors.npy`` (float16: a
        million 384-d vectors take 768 MB, mapped, not loaded); nothing when any passage
        came without one (a table built from bare records)."""
        missing, dim = self.db.execute(
            "SELECT count(*) - count(vec), max(length(vec)) FROM staging"
        ).fetchone()
        if not n or missing or not dim:
            return {"dim": 0}
        path = self.folder / "vectors.npy"
        out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float16, shape=(n, dim // 2))
        cur = self.db.execute("SELECT vec FROM staging ORDER BY doc, seq, id")
        row = 0
        for batch in _batches(cur):
            out[row : row + len(batch)] = np.frombuffer(
                b"".join(v for (v,) in batch), np.float16
            ).reshape(len(batch), -1)
            row += len(batch)
        out.flush()
        del out
        return {"dim": dim // 2}

    def code(self, field: str, value: str) -> int:
        table = self.codes[field]
        return table.setdefault(value, len(table))

    def passes(
        self, n: int
    ) -> tuple[dict[str, np.ndarray], tuple[array, array, array], np.ndarray]:
        cols = {f: np.zeros(n, dtype=np.int32) for f in FIELDS}
        cols["year"] = np.full(n, -1, dtype=np.int32)
        p_rows, p_cols, p_tf = array("i"), array("i"), array("i")
        lengths = np.zeros(n, dtype=np.float64)
        first: dict[str, tuple[int, dict[str, Any]]] = {}
        cur = self.db.execute("SELECT id, doc, seq, meta, text FROM staging ORDER BY doc, seq, id")
        row = 0
        with tokenizer(n) as tokenize:
            for batch, counted in tokenize(_batches(cur)):
                out = []
                for (pid, doc, _, meta_json, text), (freqs, length) in zip(
                    batch, counted, strict=True
                ):
                    meta = json.loads(meta_json)
                    for f in FIELDS:
                        value = doc if f == "doc_id" else str(meta.get(f, "")).casefold()
                        cols[f][row] = self.code(f, value)
                    year = meta.get("year")
                    cols["year"][row] = int(year) if year is not None else -1
                    lengths[row] = length
                    lang_code = int(cols["language"][row])
                    for term, tf in freqs:
                        p_rows.append(row)
                        p_cols.append(self.vocab.setdefault((lang_code, term), len(self.vocab)))
                        p_tf.append(tf)
                    first.setdefault(doc, (row, meta))
                    lang = str(meta.get("language", ""))
                    out.append((row, pid, doc, parallel_key(meta), lang, meta_json, text))
                    row += 1
                self._rows(out)
        self._docs(first)
        return cols, (p_rows, p_cols, p_tf), lengths

    def _rows(self, out: list[tuple]) -> None:
        self.db.executemany("INSERT INTO passages VALUES (?,?,?,?,?,?,?)", out)
        out.clear()

    def _docs(self, first: dict[str, tuple[int, dict[str, Any]]]) -> None:
        names = []
        for doc, (_, meta) in first.items():
            for name in doc_names(meta):
                names += [(key, name, doc) for key in name_keys(name)]
        self.db.executemany(
            "INSERT INTO docs (doc, first_row, collection) VALUES (?,?,?)",
            [(d, r, str(m.get("collection", ""))) for d, (r, m) in first.items()],
        )
        self.db.executemany("INSERT INTO names VALUES (?,?,?)", names)

    def facts(self, docs: dict[str, dict[str, Any]], sigs: dict[str, str]) -> None:
        """What the manifest says of each document beyond its passages (events, links…),
        and the signature of its manifest entry (what the next build compares)."""
        self.db.executemany(
            "UPDATE docs SET facts = ? WHERE doc = ?",
            [(json.dumps(f, ensure_ascii=False), d) for d, f in docs.items()],
        )
        self.db.executemany(
            "UPDATE docs SET sig = ? WHERE doc = ?", [(s, d) for d, s in sigs.items()]
        )

    def bm25(self, n: int, postings: tuple[array, array, array], lengths: np.ndarray) -> dict:
        """The term weights, one column per language and term: a question's query in one
        language reads only that language's postings. The idf is the term's over the whole
        store, whatever the language, as rank-bm25 computes it over one corpus."""
        rows, cols, tf = (np.frombuffer(a, dtype=np.int32) for a in postings)
        term_ids: dict[str, int] = {}
        term_of = np.array(
            [term_ids.setdefault(t, len(term_ids)) for _, t in self.vocab], dtype=np.int64
        )
        df = np.bincount(term_of[cols], minlength=len(term_ids)).astype(np.float64)
        idf = okapi_idf(df, n)
        avgdl = lengths.sum() / n if n else 1.0
        norm = K1 * (1 - B + B * lengths[rows] / avgdl)
        weights = (idf[term_of[cols]] * tf * (K1 + 1) / (tf + norm)).astype(np.float32)
        # Compressed sparse columns: the postings of each term, rows in order.
        order = np.lexsort((rows, cols))
        indptr = np.zeros(len(self.vocab) + 1, dtype=np.int64)
        np.cumsum(np.bincount(cols, minlength=len(self.vocab)), out=indptr[1:])
        np.save(self.folder / "bm25_data.npy", weights[order])
        np.save(self.folder / "bm25_indices.npy", rows[order].astype(np.int32))
        np.save(self.folder / "bm25_indptr.npy", indptr)
        self.db.executemany(
            "INSERT INTO terms VALUES (?,?,?,?)",
            ((t, lang, c, float(idf[term_of[c]])) for (lang, t), c in self.vocab.items()),
        )
        return {"idf_max": float(idf.max()) if len(idf) else 1.0}

    def finish(self, cols: dict[str, np.ndarray], info: dict[str, Any]) -> None:
        for f, values in cols.items():
            np.save(self.folder / f"col_{f}.npy", values)
        self.db.executemany(
            "INSERT INTO codes VALUES (?,?,?)",
            [(f, v, c) for f, table in self.codes.items() for v, c in table.items()],
        )
        self.db.execute("DROP TABLE staging")
        self.db.commit()
        self.db.execute("VACUUM")
        self.db.close()
        (self.folder / "info.json").write_text(json.dumps(info), encoding="utf-8")


def build(
    folder: Path,
    records: Iterable[Record],
    facts: dict[str, dict[str, Any]],
    stamp: str,
    sigs: dict[str, str] | None = None,
    about: dict[str, Any] | None = None,
) -> Path:
    """Write the catalog of these passages (a store's, read page by page) into ``folder``;
    ``about`` (how it was built) goes into its info.json as it is once the passages are
    read."""
    builder = Builder(folder)
    n = builder.stage(records)
    cols, postings, lengths = builder.passes(n)
    builder.facts(facts, sigs or {})
    info = {**builder.bm25(n, postings, lengths), **builder.vectors(n)}
    builder.finish(cols, {**info, **(about or {}), "passages": n, "stamp": stamp, "format": FORMAT})
    return folder


KEEP = 2  # catalogs kept: the newest, and the one processes may still be reading


def publish(root: Path, stamp: str, make: Any) -> Path:
    """Build into a private folder under ``root`` and rename it to its stamp's name, so a
    reader only ever sees complete catalogs; the one before stays (a process still
    answering from it may open it from a new thread), older ones are removed."""
    root.mkdir(parents=True, exist_ok=True)
    final = root / stamp_name(stamp)
    if is_current(final):
        return final
    tmp = root / f".build-{os.getpid()}-{stamp_name(stamp)}"
    shutil.rmtree(tmp, ignore_errors=True)
    make(tmp)
    if final.exists() and not is_current(final):  # left by an older version: set aside
        stale = root / f".stale-{os.getpid()}-{final.name}"
        os.replace(final, stale)
        shutil.rmtree(stale, ignore_errors=True)
    try:
        os.replace(tmp, final)
    except OSError:  # another process published the same stamp first
        shutil.rmtree(tmp, ignore_errors=True)
    done = [p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")]
    done.sort(key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in done[KEEP:]:
        if old != final:
            shutil.rmtree(old, ignore_errors=True)
    return final
