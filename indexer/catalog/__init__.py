"""The catalog: the store's passages as files a question process maps, not loads.

A process that answers questions needs, per question, the BM25 scores of the passages,
a filter mask, and the text and metadata of a few hundred candidates. Loading every
passage and a BM25 matrix at start-up made start-up time and memory grow with the store.
The catalog keeps them on disk instead (``schema``): SQLite for rows looked up by id,
document or name, and memory-mapped numpy arrays for the BM25 postings and the filter
columns, so opening it costs milliseconds and the pages a question touches are all it
reads.

It is derived data, built again whenever the manifest changes (its stamp is the
manifest's version): in embedded mode by the indexer at the end of a run, in server mode
by the first process that needs it, on each machine, under a lock. A new catalog copies
the unchanged documents' passages from the one before (``reuse``) and reads only the
changed documents from the store.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

from indexer.catalog.read import Catalog
from indexer.catalog.schema import is_current
from indexer.locks import file_lock
from indexer.settings import Settings
from indexer.store import Store

__all__ = [
    "Catalog",
    "catalog_ready",
    "catalog_root",
    "ensure_catalog",
    "refresh_catalog",
    "stamp_of",
]


def stamp_name(stamp: str) -> str:
    """A catalog's folder name for a stamp (the manifest's version)."""
    return re.sub(r"[^\w.-]+", "_", stamp)[:120]


def catalog_root(settings: Settings, store: Store) -> Path:
    """Where this store's catalogs live: beside the embedded store, or for a server, in a
    per-machine cache named after the server's collection. The collection's id names it,
    not the server's address: the same server reached on another port or host name keeps
    its catalogs, and a collection made again under the same name does not inherit them."""
    if not settings.chroma_url:
        return settings.store_dir / "catalog" / settings.collection
    key = hashlib.sha1(f"{store.passages.id}|{settings.collection}".encode()).hexdigest()[:16]
    return settings.home / "cache" / f"catalog-{key}"


def catalog_ready(settings: Settings, store: Store, stamp: str) -> bool:
    """Whether the catalog for ``stamp`` is built, whole and of this format."""
    return is_current(catalog_root(settings, store) / stamp_name(stamp))


def ensure_catalog(settings: Settings, store: Store, stamp: str) -> Path:
    """The folder of the catalog for ``stamp``, built first if missing (one builder per
    machine at a time; the others wait and then open it)."""
    from indexer.catalog.build import publish  # numpy-heavy: only when building
    from indexer.catalog.reuse import build_catalog

    root = catalog_root(settings, store)
    if catalog_ready(settings, store, stamp):
        return root / stamp_name(stamp)
    with file_lock(root / ".lock"):
        docs = manifest_docs(settings, store)
        return publish(root, stamp, lambda tmp: build_catalog(tmp, root, store, docs, stamp))


def stamp_of(version: tuple[Any, ...]) -> str:
    """The catalog name for a manifest version (``indexer.servermanifest.manifest_version``)."""
    return "-".join(str(v) for v in version)


def refresh_catalog(settings: Settings, store: Store) -> None:
    """After indexing into an embedded store, build the catalog of its new state, so the
    next question opens it instead of building it. (Server mode: each answering machine
    builds its own, when it first needs it.)"""
    from indexer.servermanifest import manifest_version

    if not settings.chroma_url:
        ensure_catalog(settings, store, stamp_of(manifest_version(settings) or (0, store.count())))


def manifest_docs(
    settings: Settings, store: Store
) -> tuple[dict[str, dict[str, Any]], dict[str, str], set[str]]:
    """What the manifest says of the documents: doc_id → what its card says beyond the
    passages (events, related instruments, unverified notes, the day its status was
    checked), for those that say any; doc_id → a signature of its entry (it changes
    whenever the document is indexed again); the documents being written."""
    from indexer.errors import StoreError
    from indexer.servermanifest import open_manifest

    try:
        manifest = open_manifest(settings, store.client)
    except StoreError:
        return {}, {}, set()
    facts, sigs = {}, {}
    for doc_id, entry in manifest.entries.items():
        doc = entry.doc
        found = {k: doc.get(k) for k in ("events", "related", "unverified", "checked")}
        if any(found.values()):
            facts[doc_id] = json.loads(json.dumps(found, default=str))
        raw = json.dumps(asdict(entry), sort_keys=True, default=str)
        sigs[doc_id] = hashlib.sha1(raw.encode()).hexdigest()
    return facts, sigs, set(manifest.writing)
