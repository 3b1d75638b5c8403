"""The app's library: storing uploads safely, their metadata sidecars, indexing them in a
worker thread, removing documents, and the table of what is indexed.

Nothing here imports gradio: the app and the HTTP API (``assistant.api``) call these
functions and show what they return.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from assistant.web.i18n import text
from indexer.embedders import BatchedEmbedder
from indexer.parsers import SUPPORTED_EXTENSIONS
from indexer.pipeline import sha256_file
from indexer.settings import Settings

if TYPE_CHECKING:
    from assistant.core import Assistant

SIDECAR_FIELDS = ("title", "type", "jurisdiction", "year", "binding", "language", "url")
TABLE_HEADERS = ["id", "title", "type", "jurisdiction", "year", "binding", "language", "passages"]
MAX_STEM = 80


class UploadError(ValueError):
    """An uploaded file refused before indexing (type, size); the message is one line."""


def safe_name(name: str) -> str:
    """A file name safe to store: no folder parts, only ``[A-Za-z0-9._-]``, never hidden.

    The indexer skips names starting with ``.``, ``_`` or ``~$``, so those are stripped too.
    """
    base = re.split(r"[\\/]", name or "")[-1]
    # "été" -> "ete": accents dropped, not the letters they sit on
    base = "".join(c for c in unicodedata.normalize("NFKD", base) if not unicodedata.combining(c))
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base)
    base = re.sub(r"_+", "_", base).lstrip("._-~")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = stem.strip("._-")[:MAX_STEM] or "upload"
    return f"{stem}.{suffix.lower()}" if suffix else stem


def store_upload(src: Path, original_name: str, uploads_dir: Path, max_bytes: int) -> Path:
    """Copy an upload into ``uploads_dir`` under a safe name (see ``place_upload``)."""
    return place_upload(src, original_name, uploads_dir, max_bytes)[0]


def place_upload(
    src: Path, original_name: str, uploads_dir: Path, max_bytes: int, lang: str = "en"
) -> tuple[Path, bool]:
    """Copy an upload into ``uploads_dir`` under a safe name; never overwrite a file.
    Returns the stored path and whether this call wrote it.

    A name already taken gets a short hash of the content (``report-1a2b3c.pdf``); if
    that file exists with the same bytes, it is the same upload and is returned as is.
    Raises UploadError for a type the indexer cannot read or a file over the size limit
    (said in ``lang``). ``src`` is only read; a copy that fails half-way is deleted.
    """
    name = safe_name(original_name)
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_EXTENSIONS:
        suffix_shown = suffix or text("upload.no_suffix", lang)
        accepted = ", ".join(SUPPORTED_EXTENSIONS)
        raise UploadError(
            text(
                "upload.bad_type", lang, name=original_name, suffix=suffix_shown, accepted=accepted
            )
        )
    size = src.stat().st_size
    if size > max_bytes:
        size_mb, limit_mb = f"{size / 1048576:.1f}", f"{max_bytes / 1048576:.0f}"
        raise UploadError(
            text("upload.too_large", lang, name=original_name, size=size_mb, limit=limit_mb)
        )
    uploads_dir.mkdir(parents=True, exist_ok=True)
    target = uploads_dir / name
    if target.exists():
        digest = sha256_file(src)
        if target.is_file() and sha256_file(target) == digest:
            return target, False
        stem = Path(name).stem
        for length in (6, 12, 64):
            target = uploads_dir / f"{stem}-{digest[:length]}{suffix}"
            if not target.exists():
                break
            if sha256_file(target) == digest:
                return target, False
        else:  # pragma: no cover - a 256-bit clash
            raise UploadError(f"{original_name}: cannot find a free file name")
    with src.open("rb") as fin:
        # "x" mode: a file created between the check and the copy is not overwritten either.
        fout = target.open("xb")
        try:
            with fout:
                shutil.copyfileobj(fin, fout)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
    return target, True


def sidecar_fields(form: dict[str, Any]) -> dict[str, Any]:
    """The metadata form's non-empty fields, typed as the indexer reads them."""
    out: dict[str, Any] = {}
    for key in SIDECAR_FIELDS:
        value = form.get(key)
        if value in (None, "", [], "auto", "unknown") and key != "binding":
            continue
        if key == "year":
            try:
                year = int(float(value))
            except (TypeError, ValueError):
                continue
            if year > 0:  # 0 is what an untouched number widget sends
                out["year"] = year
        elif key == "jurisdiction":
            out[key] = str(value).strip().upper()
        elif key == "binding":
            if value in ("yes", "no"):
                out[key] = value
        else:
            out[key] = str(value).strip()
    return {k: v for k, v in out.items() if v not in ("", None)}


def write_sidecar(path: Path, form: dict[str, Any]) -> Path | None:
    """Write ``name.ext.yaml`` next to an upload with the form's fields (none: no file).

    An existing sidecar is replaced only for a file this upload owns; the upload itself
    is never overwritten (see ``store_upload``).
    """
    fields = sidecar_fields(form)
    if not fields:
        return None
    side = path.with_name(path.name + ".yaml")
    side.write_text(
        "# Written by the Vigilance app from the upload form.\n"
        + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    return side


def library_rows(documents: Sequence[dict[str, Any]]) -> list[list[Any]]:
    """Rows of the library table, in ``TABLE_HEADERS`` order."""
    return [
        [
            d.get("doc_id", ""),
            d.get("title", ""),
            d.get("type", ""),
            d.get("jurisdiction", ""),
            d.get("year") or "",
            d.get("binding", ""),
            d.get("language", ""),
            d.get("passages", 0),
        ]
        for d in documents
    ]


@dataclass
class IndexEvent:
    """A progress event from the worker, or the end of the job (``done`` with a result)."""

    kind: str
    info: dict[str, Any] = field(default_factory=dict)


class IndexWorker:
    """One indexing job at a time, in its own thread, so questions keep being answered.

    ``run`` yields the pipeline's progress events as they happen, then the summary.
    """

    def __init__(self, settings: Settings, embedder: BatchedEmbedder) -> None:
        self.settings = settings
        self.embedder = embedder
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vigilance-index")

    def run(self, paths: Sequence[Path], poll: float = 0.2) -> Iterator[IndexEvent]:
        from indexer.pipeline import index_paths

        events: queue.Queue[IndexEvent] = queue.Queue()

        def progress(event: str, info: dict[str, Any]) -> None:
            events.put(IndexEvent(event, dict(info)))

        future: Future = self._pool.submit(
            index_paths, list(paths), self.settings, embedder=self.embedder, progress=progress
        )
        while not (future.done() and events.empty()):
            try:
                yield events.get(timeout=poll)
            except queue.Empty:
                continue
        yield IndexEvent("result", {"summary": future.result()})

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


class SerialEmbedder(BatchedEmbedder):
    """The same model behind a lock: one batch at a time.

    The engine parallelises each batch over all cores with OpenMP; two batches at once
    (a question while a document is indexed) would fight over 2 cores. Locking per batch
    lets a question's embedding slip in between the indexer's batches.
    """

    def __init__(self, inner: BatchedEmbedder, batch_size: int = 8) -> None:
        self.inner = inner
        self.id = inner.id
        self.dim = inner.dim
        # Small batches: a question waits for at most one of them.
        self.batch_size = min(inner.batch_size, batch_size)
        self._lock = threading.Lock()

    def _embed(self, texts: list[str], is_query: bool):
        with self._lock:
            return self.inner._embed(texts, is_query)


def load_assistant(settings: Settings) -> Assistant:
    """The assistant with its embedder behind a lock (see ``SerialEmbedder``): what the app
    and the HTTP API answer with, and what their indexing worker embeds with."""
    from assistant.core import Assistant
    from assistant.retrieval import Retriever
    from indexer.embedders import make_embedder

    embedder = SerialEmbedder(make_embedder(settings.embedder, settings.batch_size))
    return Assistant(settings, retriever=Retriever(settings, embedder=embedder))


def remove_upload(source_path: str, uploads_dir: Path) -> bool:
    """Delete an uploaded file and its sidecar, only if it lives in ``uploads_dir``."""
    src = Path(source_path)
    try:
        inside = src.resolve().parent == uploads_dir.resolve()
    except OSError:
        return False
    if not inside or not src.exists():
        return False
    src.unlink()
    for suffix in (".yaml", ".yml"):
        src.with_name(src.name + suffix).unlink(missing_ok=True)
    return True


def discard_unindexed(
    stored: Sequence[Path], documents: Sequence[dict[str, Any]], uploads_dir: Path
) -> list[Path]:
    """Delete, with their sidecars, the ``stored`` uploads that are not in the knowledge
    base (``documents``) after indexing: the files it refused. Returns those deleted."""
    indexed = {os.path.realpath(d["source_path"]) for d in documents if d.get("source_path")}
    dropped = []
    for path in stored:
        if os.path.realpath(path) not in indexed and remove_upload(str(path), uploads_dir):
            dropped.append(path)
    return dropped


def progress_fraction(event: IndexEvent, lang: str = "en") -> tuple[float | None, str]:
    """How far along the job is and what to say (in ``lang``), for a progress bar."""
    info = event.info
    if event.kind == "wait":
        return None, text("lib.progress_wait", lang)
    if event.kind == "scan":
        return None, text("lib.progress_read", lang, name=Path(info.get("file", "")).name)
    if event.kind == "embed":
        return 0.0, text("lib.progress_embed", lang, n=info.get("passages", 0))
    if event.kind == "document":
        total = max(int(info.get("passages") or 1), 1)
        done = text("lib.progress_done", lang, doc_id=info.get("doc_id", ""))
        return min(info.get("done", 0) / total, 1.0), done
    return None, event.kind
