"""Indexing: files → documents and passages → vectors → the store, incrementally.

``index_paths`` is the one entry point used by the CLI, the app and the tests. Bad
files are reported and skipped, never fatal; unchanged files cost a hash; deleted
files lose their passages; the manifest is saved after every document.
"""

from __future__ import annotations

import fcntl
import hashlib
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from indexer.chunking import CHUNKER_VERSION, chunk_blocks, split_sentences
from indexer.embedcache import CachedEmbedder
from indexer.embedders import BatchedEmbedder, make_embedder
from indexer.errors import DocumentError
from indexer.language import vocabulary
from indexer.manifest import Entry, Manifest
from indexer.metadata import load_metadata
from indexer.models import DOC_TYPES, Document, Passage, binding_value
from indexer.parsers import parse_file, parser_for
from indexer.probes import PROBE_VERSION, probe_floor
from indexer.settings import BUNDLED_CORPUS, Settings
from indexer.store import Store, StoreError

SUPPORTED = {".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt"}
METADATA_SUFFIXES = {".yaml", ".yml"}
MIN_SENTENCE_CHARS = 25
# Bumped when metadata handling or passage storage changes, so old entries re-index.
PIPELINE_VERSION = "3"
SYNTHESES = {"measure", "guiding-question"}

Progress = Callable[[str, dict[str, Any]], None]


@dataclass
class Problem:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class IndexSummary:
    indexed: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    removed: int = 0
    passages: int = 0
    reused: int = 0  # passage and sentence vectors taken from the cache, not embedded
    seconds: float = 0.0
    embed_seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def line(self) -> str:
        return (
            f"{self.indexed} indexed, {self.unchanged} unchanged, {self.skipped} skipped, "
            f"{self.failed} failed, {self.removed} removed; {self.passages} passages written "
            f"({self.reused} vectors from the cache) in {self.seconds:.1f} s"
        )


@dataclass
class Prepared:
    """A changed file, parsed and chunked, waiting to be embedded."""

    doc: Document
    passages: list[Passage]
    parser: str
    meta_sha: str = ""


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def metadata_sha(path: Path) -> str:
    """Hash of the metadata files that apply to ``path`` (sidecar, folder catalogue)."""
    h = hashlib.sha256(PIPELINE_VERSION.encode())
    for extra in (
        path.with_name(path.name + ".yaml"),
        path.with_name(path.name + ".yml"),
        path.parent / "catalogue.yaml",
        path.parent / "catalogue.yml",
    ):
        if extra.is_file():
            h.update(extra.name.encode() + b"\0" + extra.read_bytes())
    return h.hexdigest()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:60] or "doc"


def discover(paths: Sequence[Path]) -> tuple[list[Path], list[Problem]]:
    """Files to index under the given paths (sorted), and the ones skipped with a reason."""
    found: list[Path] = []
    skipped: list[Problem] = []
    for root in paths:
        if not root.exists():
            skipped.append(Problem(str(root), "no such file or folder"))
            continue
        candidates = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in candidates:
            rel = path.relative_to(root) if root.is_dir() else Path(path.name)
            if any(part.startswith((".", "_", "~$")) for part in rel.parts):
                continue
            suffix = path.suffix.lower()
            if suffix in METADATA_SUFFIXES:
                continue
            if suffix not in SUPPORTED:
                skipped.append(Problem(str(path), f"unsupported file type {suffix or '(none)'}"))
                continue
            found.append(path.resolve())
    return sorted(set(found)), skipped


def _year(meta: dict[str, Any]) -> int | None:
    for key in ("year", "date", "adopted"):
        m = re.match(r"\s*(\d{4})", str(meta.get(key) or ""))
        if m:
            return int(m.group(1))
    return None


def make_document(path: Path, meta: dict[str, Any], sha: str) -> Document:
    """A ``Document`` from merged metadata; the id is given, or derived from name and path."""
    doc_id = str(meta.get("doc_id") or meta.get("id") or "")
    if not doc_id:
        doc_id = f"{slug(path.stem)}-{hashlib.sha1(str(path).encode()).hexdigest()[:6]}"
    doc_type = str(meta.get("type") or "other").strip().casefold()
    status = meta.get("status") or ""
    if isinstance(status, dict):
        status = status.get("value", "")
    bundled = BUNDLED_CORPUS.resolve() in path.parents
    # The project's own syntheses (gap-analysis measures, guiding questions) are tools,
    # not sources: retrieval ranks them below the instruments themselves.
    collection = "user"
    if bundled:
        collection = "synthesis" if meta.get("record") in SYNTHESES else "bundled"
    jurisdiction = meta.get("jurisdiction")
    if jurisdiction is False:  # YAML 1.1 reads an unquoted NO (Norway) as false
        jurisdiction = "NO"
    return Document(
        doc_id=doc_id,
        title=str(meta.get("title") or path.stem),
        short_title=str(meta.get("short_title") or ""),
        symbol=str(meta.get("symbol") or ""),
        type=doc_type if doc_type in DOC_TYPES else "other",
        jurisdiction=str(jurisdiction or "").strip().upper(),
        date=str(meta.get("date") or meta.get("adopted") or ""),
        year=_year(meta),
        binding=binding_value(meta.get("binding")),
        status=str(status),
        language=str(meta.get("language") or ""),
        source_path=str(path),
        url=str(meta.get("url") or ""),
        sha256=sha,
        aliases=[str(a) for a in meta.get("aliases") or []],
        topics=[str(t) for t in meta.get("topics") or []],
        collection=collection,
    )


def prepare(path: Path, sha: str, settings: Settings) -> Prepared:
    """Parse, read metadata and chunk one file. Raises DocumentError on bad input."""
    max_bytes = int(settings.max_file_mb * 1024 * 1024)
    parsed = parse_file(path, max_bytes)
    meta = load_metadata(path, parsed)
    doc = make_document(path, meta, sha)
    passages = chunk_blocks(
        parsed.blocks,
        doc,
        max_chars=settings.max_chars,
        overlap_sentences=settings.overlap_sentences,
    )
    if not passages:
        raise DocumentError(path, "no text found to index")
    p = parser_for(path)
    return Prepared(doc, passages, f"{p.name}/{p.version}")


def sentence_units(passages: Sequence[Passage], doc: Document) -> list[tuple[str, int, str]]:
    """(passage_id, n, text) for each sentence of passages that have two or more."""
    out: list[tuple[str, int, str]] = []
    for p in passages:
        sents = [s for s in split_sentences(p.text) if len(s) >= MIN_SENTENCE_CHARS]
        if len(sents) >= 2:
            out.extend((p.passage_id, n, s) for n, s in enumerate(sents))
    return out


def document_vocabulary(doc: Document, passages: Sequence[Passage]) -> dict[str, set[str]]:
    """The content words of a document by passage language (what the lexicon aligns)."""
    out: dict[str, set[str]] = {}
    names = f"{doc.title} {doc.short_title}"
    for p in passages:
        lang = p.language or doc.language or "und"
        out.setdefault(lang, set()).update(
            vocabulary(f"{names} {' '.join(p.heading_path)} {p.text}", lang)
        )
    return out


class Vocabulary:
    """Adds the words of indexed documents to the store's lexicon, embedding only new ones."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store, self.settings = store, settings
        self._embedder: BatchedEmbedder | None = None
        self.added = 0

    @property
    def embedder(self) -> BatchedEmbedder:
        if self._embedder is None:
            from indexer.embedders.use import UseEmbedder

            emb: BatchedEmbedder = UseEmbedder()
            if self.settings.embed_cache_path is not None:
                emb = CachedEmbedder(emb, self.settings.embed_cache_path)
            self._embedder = emb
        return self._embedder

    def add(self, by_lang: dict[str, set[str]]) -> None:
        for lang, words in sorted(by_lang.items()):
            new = self.store.missing_terms(lang, words)
            if new:
                self.store.add_terms(lang, new, self.embedder.embed_passages(new))
                self.added += len(new)

    def backfill(self) -> None:
        """A store indexed before the lexicon existed gets the words of all its passages."""
        if self.store.count() == 0 or self.store.term_languages():
            return
        by_lang: dict[str, set[str]] = {}
        for rec, _ in self.store.records():
            meta = rec.meta
            lang = str(meta.get("language") or "und")
            text = f"{meta.get('title', '')} {meta.get('short_title', '')} {meta.get('heading', '')} {rec.text}"
            by_lang.setdefault(lang, set()).update(vocabulary(text, lang))
        self.add(by_lang)


@contextmanager
def store_lock(settings: Settings) -> Iterator[None]:
    """One indexer at a time per data directory (the app and the CLI may both try)."""
    settings.home.mkdir(parents=True, exist_ok=True)
    with (settings.home / ".index.lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def manifest_path(settings: Settings) -> Path:
    if settings.chroma_url:
        key = hashlib.sha1(f"{settings.chroma_url}|{settings.collection}".encode()).hexdigest()
        return settings.home / "servers" / f"{key[:12]}.manifest.json"
    return settings.manifest_path


def index_paths(
    paths: Sequence[Path],
    settings: Settings,
    *,
    embedder: BatchedEmbedder | None = None,
    rebuild: bool = False,
    sentence_vectors: bool = True,
    progress: Progress | None = None,
) -> IndexSummary:
    """Bring the store up to date with the files under ``paths``."""
    t0 = time.perf_counter()
    emit = progress or (lambda event, info: None)
    summary = IndexSummary()
    with store_lock(settings):
        manifest = Manifest.load(manifest_path(settings))
        embedder = embedder or make_embedder(settings.embedder, settings.batch_size)
        if settings.embed_cache_path is not None and not isinstance(embedder, CachedEmbedder):
            embedder = CachedEmbedder(embedder, settings.embed_cache_path)
        if manifest.embedder and manifest.embedder != embedder.id and not rebuild:
            raise StoreError(
                f"the store was built with embedder {manifest.embedder!r}, not {embedder.id!r}: "
                "re-run with --rebuild, or choose the same embedder (VIGILANCE_EMBEDDER)"
            )
        store = Store(settings, embedder.id, rebuild=rebuild)
        if rebuild:
            manifest.entries.clear()
        manifest.embedder = embedder.id
        lexicon = Vocabulary(store, settings)
        lexicon.backfill()

        # The chunker's version and every setting that changes passages or vectors: a
        # document indexed under other ones is indexed again.
        chunker_id = (
            f"{CHUNKER_VERSION}/chars={settings.max_chars}/overlap={settings.overlap_sentences}"
            f"/sentences={int(sentence_vectors)}"
        )
        files, skipped = discover(paths)
        summary.skipped = len(skipped)
        summary.problems.extend(skipped)
        emit("start", {"files": len(files)})

        # Phase 1: hash everything, parse and chunk what changed (cheap, no model).
        todo: list[Prepared] = []
        seen_ids: dict[str, str] = {}
        by_source = manifest.by_source()
        for i, path in enumerate(files):
            emit("scan", {"file": str(path), "n": i + 1, "files": len(files)})
            try:
                sha = sha256_file(path)
                pid = parser_for(path)
                meta_sha = metadata_sha(path)
                old = manifest.entries.get(by_source.get(str(path), ""))
                parser_id = f"{pid.name}/{pid.version}"
                if old and old.same_pipeline(sha, parser_id, chunker_id, meta_sha):
                    summary.unchanged += 1
                    seen_ids[old.doc["doc_id"]] = str(path)
                    continue
                prep = prepare(path, sha, settings)
                prep.meta_sha = meta_sha
                other = seen_ids.get(prep.doc.doc_id)
                if other:
                    raise DocumentError(path, f"duplicate id {prep.doc.doc_id!r} (also {other})")
                seen_ids[prep.doc.doc_id] = str(path)
                todo.append(prep)
            except DocumentError as exc:
                summary.failed += 1
                summary.problems.append(Problem(str(path), exc.reason))
            except OSError as exc:
                summary.failed += 1
                summary.problems.append(Problem(str(path), f"cannot read: {exc.strerror or exc}"))

        # Phase 2: embed and write, document by document; manifest saved after each.
        total = sum(len(p.passages) for p in todo)
        emit("embed", {"passages": total, "documents": len(todo)})
        done = 0
        for prep in todo:
            doc, passages = prep.doc, prep.passages
            old_id = by_source.get(doc.source_path)
            if old_id and old_id != doc.doc_id:
                store.delete_document(old_id)
                manifest.entries.pop(old_id, None)
            # Every changed document is written again; vectors of texts embedded before (a
            # sidecar edit, a new chunker that keeps most passages) come from the cache.
            te = time.perf_counter()
            before = getattr(embedder, "misses", None)
            vectors = embedder.embed_passages([p.embed_text(doc) for p in passages])
            sents = sentence_units(passages, doc) if sentence_vectors else []
            svecs = embedder.embed_passages([f"{doc.label}: {s}" for _, _, s in sents])
            summary.embed_seconds += time.perf_counter() - te
            if before is not None:
                summary.reused += len(passages) + len(sents) - (embedder.misses - before)
            store.upsert_document(doc, passages, vectors, sents, svecs)
            lexicon.add(document_vocabulary(doc, passages))
            summary.passages += len(passages)
            manifest.entries[doc.doc_id] = Entry(
                doc=doc.to_dict(),
                sha256=doc.sha256,
                parser=prep.parser,
                chunker=chunker_id,
                passages=len(passages),
                meta_sha256=prep.meta_sha,
                indexed_at=datetime.now(UTC).isoformat(timespec="seconds"),
            )
            manifest.save()
            summary.indexed += 1
            done += len(passages)
            emit("document", {"doc_id": doc.doc_id, "done": done, "passages": total})

        # Phase 3: documents whose file is gone from an indexed folder lose their passages.
        roots = [p.resolve() for p in paths if p.exists()]
        present = {str(p) for p in files}
        for doc_id, entry in list(manifest.entries.items()):
            src = Path(entry.doc.get("source_path", ""))
            under = any(src == r or r in src.parents for r in roots)
            if under and str(src) not in present and not src.exists():
                store.delete_document(doc_id)
                del manifest.entries[doc_id]
                manifest.save()
                summary.removed += 1
        manifest.save()
        floor = store.probes()
        changed = summary.indexed or summary.removed or not floor
        if store.count() and (changed or floor.get("version") != PROBE_VERSION):
            store.save_probes(probe_floor(store, embedder))
    summary.seconds = time.perf_counter() - t0
    emit("done", {"summary": summary})
    return summary


def remove_document(doc_id: str, settings: Settings, embedder_id: str) -> bool:
    """Remove a document's passages and manifest entry; the source file is left alone."""
    with store_lock(settings):
        manifest = Manifest.load(manifest_path(settings))
        if doc_id not in manifest.entries:
            return False
        Store(settings, embedder_id).delete_document(doc_id)
        del manifest.entries[doc_id]
        manifest.save()
        return True
