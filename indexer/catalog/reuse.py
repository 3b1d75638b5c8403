"""A new catalog from the one before: the passages of documents whose manifest entry has
not changed are copied from the previous catalog on this disk; only the documents
indexed, re-indexed or changed since are read from the store.

Reading every passage back from Chroma is most of a full build (about 40 s per 100,000
passages, growing with the store), so after a change to a few documents of a large store
each answering machine reads those documents only. Tokenising and BM25 are redone over
all rows (the weights depend on every passage). The copy is checked: when the new
catalog does not hold as many passages as the store, it is built again in full.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np

from indexer.catalog.build import build
from indexer.catalog.schema import is_current
from indexer.store import Record, Store

DOCS_PER_READ = 100  # document ids per ``$in`` filter when reading changed documents


def previous(root: Path, stamp_folder: str) -> Path | None:
    """The newest complete catalog under ``root`` of this format, other than the one built."""
    found = []
    for folder in root.iterdir() if root.exists() else []:
        if folder.name.startswith(".") or folder.name == stamp_folder:
            continue
        if is_current(folder):
            found.append(((folder / "info.json").stat().st_mtime_ns, folder))
    return max(found)[1] if found else None


@contextmanager
def _connect(folder: Path) -> Iterator[sqlite3.Connection]:
    uri = (folder / "catalog.sqlite").as_uri() + "?mode=ro&immutable=1"
    db = sqlite3.connect(uri, uri=True)
    try:
        yield db
    finally:
        db.close()


def unchanged(prev: Path, sigs: dict[str, str], writing: set[str]) -> set[str]:
    """Documents whose manifest entry is the one the previous catalog was built from."""
    with _connect(prev) as db:
        old = dict(db.execute("SELECT doc, sig FROM docs WHERE sig IS NOT NULL"))
    return {d for d, sig in sigs.items() if old.get(d) == sig and d not in writing}


def copied(prev: Path, keep: set[str], about: dict[str, Any]) -> Iterator[Record]:
    """The previous catalog's passages of the documents in ``keep`` (counted in ``about``)."""
    path = prev / "vectors.npy"
    vectors = np.load(path, mmap_mode="r") if path.exists() else None
    with _connect(prev) as db:
        query = "SELECT row, id, doc, meta, text FROM passages"
        for row, pid, doc, meta, text in db.execute(query):
            if doc in keep:
                about["reused"] += 1
                vec = vectors[row] if vectors is not None else None
                yield Record(pid, text, json.loads(meta), vec)


def read_docs(store: Store, doc_ids: list[str]) -> Iterator[Record]:
    """The stored passages of these documents, a hundred documents per read, the next
    read running while the caller writes the last one (the store, often a server, and
    the builder each get a core)."""
    parts = [doc_ids[i : i + DOCS_PER_READ] for i in range(0, len(doc_ids), DOCS_PER_READ)]

    def fetch(part: list[str]) -> list[Record]:
        where = {"doc_id": {"$in": part}}
        return [rec for rec, _ in store.records(with_vectors=True, where=where)]

    with ThreadPoolExecutor(max_workers=1) as pool:
        ahead = None
        for i, part in enumerate(parts):
            current = ahead.result() if ahead is not None else fetch(part)
            ahead = pool.submit(fetch, parts[i + 1]) if i + 1 < len(parts) else None
            yield from current


def build_catalog(
    folder: Path,
    root: Path,
    store: Store,
    docs: tuple[dict[str, dict[str, Any]], dict[str, str], set[str]],
    stamp: str,
) -> Path:
    """The catalog of ``store`` into ``folder``, from the previous one where it can be.

    ``docs`` is what the manifest says: card facts, entry signatures, documents being
    written. The documents not copied are read a hundred at a time by their ids, so the
    cost of a read does not grow with the store (paging through a million passages by
    offset slows down as the offset grows)."""
    facts, sigs, writing = docs
    prev = previous(root, folder.name)
    keep = unchanged(prev, sigs, writing) if prev is not None else set()
    about: dict[str, Any] = {"copied_from": prev.name if keep else "", "reused": 0}
    copies = copied(prev, keep, about) if prev is not None and keep else iter(())
    build(
        folder, chain(copies, read_docs(store, sorted(set(sigs) - keep))), facts, stamp, sigs, about
    )
    info = json.loads((folder / "info.json").read_text(encoding="utf-8"))
    if info["passages"] == store.count():
        return folder
    shutil.rmtree(folder)  # the store holds passages the manifest does not list
    everything = (rec for rec, _ in store.records(with_vectors=True))
    return build(folder, everything, facts, stamp, sigs, {"reused": 0, "read": "every page"})
