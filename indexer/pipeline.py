"""Indexing: files → documents and passages → vectors → the store, incrementally.

``index_paths`` is the one entry point used by the CLI, the app and the tests. Bad
files are reported and skipped, never fatal; unchanged files cost a hash; deleted
files lose their passages; the manifest is saved after every document. Phases: scan
(hash, parse and chunk what changed; no model), write (embed through the vector cache,
store, add words to the lexicon), prune (documents whose file is gone), then the
off-topic probe floor of the store is measured again.

In server mode several indexers (processes or machines, each with its own data
directory) may write to one Chroma server at once, each on its own folders: the manifest
is on the server and changes one document at a time (``indexer.servermanifest``), a run
removes and repairs only documents under the folders it indexes, and passages, sentences
and words are upserted by content id.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from indexer.catalog import refresh_catalog
from indexer.chunking import CHUNKER_VERSION
from indexer.discovery import Problem, discover
from indexer.documents import (
    Prepared,
    metadata_sha,
    prepare,
    sentence_units,
    sha256_file,
)
from indexer.embedcache import CachedEmbedder
from indexer.embedders import BatchedEmbedder, make_embedder
from indexer.errors import DocumentError, StoreError, path_text
from indexer.locks import file_lock
from indexer.manifest import Entry
from indexer.parsers import parser_for
from indexer.probes import PROBE_VERSION, probe_floor, probe_vectors
from indexer.seed import SeededEmbedder, seeded
from indexer.servermanifest import open_for_indexing, open_manifest, under
from indexer.settings import Settings
from indexer.store import Store
from indexer.vocabulary import Vocabulary, document_vocabulary

__all__ = [
    "IndexSummary",
    "Problem",
    "discover",
    "index_paths",
    "prepare",
    "sha256_file",
]

Progress = Callable[[str, dict[str, Any]], None]


class Embedded(NamedTuple):
    """One document's vectors: its passages', and its sentences' with the sentences."""

    vectors: Any
    sentences: list[tuple[str, int, str]]
    sentence_vectors: Any


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
    warnings: list[Problem] = field(default_factory=list)  # indexed, but something was ignored

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def line(self) -> str:
        return (
            f"{self.indexed} indexed, {self.unchanged} unchanged, {self.skipped} skipped, "
            f"{self.failed} failed, {self.removed} removed; {self.passages} passages written "
            f"({self.reused} vectors reused, not embedded) in {self.seconds:.1f} s"
        )

    def fail(self, path: Path | str, reason: str) -> None:
        self.failed += 1
        self.problems.append(Problem(str(path), reason))


@contextmanager
def store_lock(settings: Settings, on_wait: Callable[[Path], None] | None = None) -> Iterator[None]:
    """One indexer at a time per data directory (the app and the CLI may both try).

    When another indexer holds the lock, ``on_wait`` is told (so the user sees why
    nothing happens) before this one waits for it.
    """
    wait = (lambda: on_wait(settings.home)) if on_wait else None
    with file_lock(settings.home / ".index.lock", wait):
        yield


def chunker_key(settings: Settings, sentence_vectors: bool) -> str:
    """The chunker's version and every setting that changes passages or vectors: a
    document indexed under other ones is indexed again."""
    return (
        f"{CHUNKER_VERSION}/chars={settings.max_chars}/overlap={settings.overlap_sentences}"
        f"/sentences={int(sentence_vectors)}"
    )


class Run:
    """One indexing run's state: the store, the manifest, the embedder, the summary."""

    def __init__(
        self,
        settings: Settings,
        embedder: BatchedEmbedder,
        rebuild: bool,
        sentence_vectors: bool,
        roots: Sequence[Path] = (),
    ) -> None:
        self.settings, self.summary = settings, IndexSummary()
        self.roots = [p.resolve() for p in roots if p.exists()]  # the folders this run owns
        self.manifest, notice = open_for_indexing(settings)
        if notice:
            self.summary.problems.append(Problem(str(self.manifest.path), notice))
        if settings.embed_cache_path is not None and not isinstance(embedder, CachedEmbedder):
            embedder = CachedEmbedder(embedder, settings.embed_cache_path)
        if not isinstance(embedder, SeededEmbedder):
            embedder = seeded(embedder)  # the bundled corpus's own vectors, shipped with it
        if self.manifest.embedder and self.manifest.embedder != embedder.id and not rebuild:
            raise StoreError(
                f"the store was built with embedder {self.manifest.embedder!r}, not {embedder.id!r}: "
                "re-run with --rebuild, or choose the same embedder (VIGILANCE_EMBEDDER)"
            )
        self.embedder = embedder
        self.store = Store(settings, embedder.id, rebuild=rebuild)
        if rebuild:
            self.manifest.clear()
        self.manifest.embedder = embedder.id
        self.finish_interrupted()
        self.lexicon = Vocabulary(self.store, settings)
        self.lexicon.backfill()
        self.sentence_vectors = sentence_vectors
        self.chunker = chunker_key(settings, sentence_vectors)
        self.by_source = self.manifest.by_source()

    def finish_interrupted(self) -> None:
        """Documents a killed run was writing lose every passage and their entry, so the
        store holds one version of each; their files are then indexed again (the vector
        cache spares the embedding). In server mode, only those under this run's folders:
        another indexer may be writing the others right now."""
        interrupted = self.manifest.interrupted(self.roots)
        for doc_id in interrupted:
            self.store.delete_document(doc_id)
            entry = self.manifest.entries.get(doc_id)
            where = entry.doc.get("source_path", doc_id) if entry else doc_id
            self.summary.warnings.append(
                Problem(where, "an earlier run was interrupted while writing it; indexed again")
            )
        if interrupted:
            self.manifest.forget(interrupted)

    def scan(self, files: list[Path], emit: Progress) -> list[Prepared]:
        """Hash every file; parse and chunk those that changed (cheap, no model)."""
        todo: list[Prepared] = []
        seen: dict[str, str] = {}
        for i, path in enumerate(files):
            emit("scan", {"file": path_text(path), "n": i + 1, "files": len(files)})
            try:
                sha, meta_sha = sha256_file(path), metadata_sha(path)
                parser = parser_for(path)
                old = self.manifest.entries.get(self.by_source.get(path_text(path), ""))
                if old and old.same_pipeline(
                    sha, f"{parser.name}/{parser.version}", self.chunker, meta_sha
                ):
                    self.summary.unchanged += 1
                    seen[old.doc["doc_id"]] = path_text(path)
                    continue
                prep = prepare(path, sha, self.settings)
                prep.meta_sha = meta_sha
                self.summary.warnings.extend(prep.warnings)
                if other := seen.get(prep.doc.doc_id):
                    raise DocumentError(path, f"duplicate id {prep.doc.doc_id!r} (also {other})")
                seen[prep.doc.doc_id] = path_text(path)
                todo.append(prep)
            except DocumentError as exc:
                self.summary.fail(exc.path or path, exc.reason)
            except OSError as exc:
                self.summary.fail(path, f"cannot read: {exc.strerror or exc}")
        return todo

    def embed(self, prep: Prepared) -> Embedded:
        """The vectors of one document's passages and sentences (through the cache)."""
        doc, passages, summary = prep.doc, prep.passages, self.summary
        started, before = time.perf_counter(), getattr(self.embedder, "misses", None)
        vectors = self.embedder.embed_passages([p.embed_text(doc) for p in passages])
        sents = sentence_units(passages, doc) if self.sentence_vectors else []
        svecs = self.embedder.embed_passages([f"{doc.label}: {s}" for _, _, s in sents])
        summary.embed_seconds += time.perf_counter() - started
        if before is not None:
            summary.reused += len(passages) + len(sents) - (self.embedder.misses - before)
        return Embedded(vectors, sents, svecs)

    def write(self, prep: Prepared, embedded: Embedded) -> None:
        """Store and record one embedded document; the manifest is saved."""
        doc, passages, summary = prep.doc, prep.passages, self.summary
        old_id = self.by_source.get(doc.source_path)
        replaced = [old_id] if old_id and old_id != doc.doc_id else []
        self.manifest.begin([doc.doc_id, *replaced], doc.source_path)
        for gone in replaced:
            self.store.delete_document(gone)
            self.manifest.drop(gone)
        self.store.upsert_document(doc, passages, *embedded)
        self.lexicon.add(document_vocabulary(doc, passages))
        summary.passages += len(passages)
        entry = Entry(
            doc=asdict(doc),
            sha256=doc.sha256,
            parser=prep.parser,
            chunker=self.chunker,
            passages=len(passages),
            meta_sha256=prep.meta_sha,
            indexed_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        self.manifest.record(doc.doc_id, entry)
        summary.indexed += 1

    def write_all(self, todo: list[Prepared], emit: Progress) -> None:
        """Embed each document while the one before is written: the store's round trips
        (a server busy with other indexers' writes answers slowly) overlap the embedding
        instead of adding to it. One document is written at a time, in order; a failed
        write stops the run as it did before."""
        total = sum(len(p.passages) for p in todo)
        emit("embed", {"passages": total, "documents": len(todo)})
        done = 0
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="vigilance-write") as pool:
            pending: tuple[Prepared, Future] | None = None
            for prep in [*todo, None]:
                embedded = self.embed(prep) if prep is not None else None
                if pending is not None:
                    pending[1].result()  # the write before: its error stops the run here
                    done += len(pending[0].passages)
                    emit(
                        "document",
                        {"doc_id": pending[0].doc.doc_id, "done": done, "passages": total},
                    )
                if prep is not None:
                    pending = (prep, pool.submit(self.write, prep, embedded))

    def prune(self, files: list[Path]) -> None:
        """Documents whose file is gone from a folder of this run lose their passages; a
        document under any other folder is left alone (another indexer's, perhaps)."""
        present = {path_text(p) for p in files}
        for doc_id, entry in list(self.manifest.entries.items()):
            src = Path(entry.doc.get("source_path", ""))
            if under(str(src), self.roots) and str(src) not in present and not src.exists():
                self.store.delete_document(doc_id)
                self.manifest.drop(doc_id)
                self.summary.removed += 1
        self.manifest.save()

    def measure_probes(self) -> None:
        """The off-topic probe floor, again whenever the store changed (``indexer.probes``)."""
        floor = self.store.probes()
        changed = self.summary.indexed or self.summary.removed or not floor
        if self.store.count() and (changed or floor.get("version") != PROBE_VERSION):
            vectors = probe_vectors(self.embedder)
            for _ in range(3):  # measured again while another indexer changed the store
                floor = probe_floor(self.store, self.embedder, vectors)
                self.store.save_probes(floor)
                if self.store.count() == floor["passages"]:
                    break


def index_paths(
    paths: Sequence[Path],
    settings: Settings,
    *,
    embedder: BatchedEmbedder | None = None,
    rebuild: bool = False,
    sentence_vectors: bool = True,
    progress: Progress | None = None,
    follow_links: bool = False,
) -> IndexSummary:
    """Bring the store up to date with the files under ``paths``.

    Progress events: wait (another indexer holds the store), start, scan, embed,
    document, done.
    """
    t0 = time.perf_counter()
    emit = progress or (lambda event, info: None)
    with store_lock(settings, lambda home: emit("wait", {"home": str(home)})):
        embedder = embedder or make_embedder(settings.embedder, settings.batch_size)
        run = Run(settings, embedder, rebuild, sentence_vectors, paths)
        files, skipped = discover(paths, follow_links)
        run.summary.skipped = len(skipped)
        run.summary.problems.extend(skipped)
        emit("start", {"files": len(files)})
        run.write_all(run.scan(files, emit), emit)
        run.prune(files)
        run.measure_probes()
        refresh_catalog(settings, run.store)
    summary = run.summary
    summary.seconds = time.perf_counter() - t0
    emit("done", {"summary": summary})
    return summary


def remove_document(doc_id: str, settings: Settings, embedder_id: str) -> bool:
    """Remove a document's passages and manifest entry; the source file is left alone."""
    with store_lock(settings):
        manifest = open_manifest(settings)
        if doc_id not in manifest.entries:
            return False
        store = Store(settings, embedder_id)
        store.delete_document(doc_id)
        manifest.drop(doc_id)
        refresh_catalog(settings, store)
        return True
