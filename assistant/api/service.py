"""What the API's routes do, without HTTP: one assistant per process, built at the first
request that needs it, and the same records and refusals as the command line and the app.

Every refusal is an ``ApiError`` with its status and one line, naming files, never the
server's folders (``assistant.web.paths``). Up to ``CONCURRENCY`` questions are answered
at once, as in the app; uploads and removals go one at a time through the indexing worker
(the app's own, when ``vigilance serve`` mounts the API).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import IO, Any

from assistant.api.models import AskRequest, SearchRequest
from assistant.asof import parse_date
from assistant.core import Assistant
from assistant.records import EMPTY_STORE, answer_record, document_records, search_record
from assistant.retrieval import FilterError, check_question
from assistant.table import Filters
from assistant.web.paths import public_paths, public_text
from assistant.web.uploads import (
    IndexWorker,
    UploadError,
    discard_unindexed,
    load_assistant,
    place_upload,
    remove_upload,
    safe_name,
    write_sidecar,
)
from indexer.errors import StoreError
from indexer.parsers import SUPPORTED_EXTENSIONS
from indexer.settings import Settings

CONCURRENCY = 4  # questions answered at once: as the app, enough for 2 cores
EMPTY = f"{EMPTY_STORE}, or upload a document with POST /documents"


class ApiError(Exception):
    """A request refused: its HTTP status and one line saying why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


class Service:
    """The API over one store. ``assistant`` and ``worker``: the app's, when it has them."""

    def __init__(
        self,
        settings: Settings,
        assistant: Assistant | None = None,
        worker: IndexWorker | None = None,
    ) -> None:
        self.settings = settings
        self.max_bytes = int(settings.max_file_mb * 1024 * 1024)
        self._assistant, self._worker = assistant, worker
        self._owns_worker = worker is None
        self._loading = threading.Lock()
        self._slots = threading.BoundedSemaphore(CONCURRENCY)
        self._indexing = threading.Lock()

    # -- shared ----------------------------------------------------------------------------
    def public(self, text: str) -> str:
        """A message with the server's folders taken out."""
        return public_text(text, self.settings.uploads_dir, self.settings.home)

    def shown(self, record: dict[str, Any]) -> dict[str, Any]:
        """A record with its files named as the app names them."""
        return public_paths(record, self.settings.uploads_dir, self.settings.home)

    def assistant(self) -> Assistant:
        """The assistant, built at the first call (the models load then)."""
        with self._loading:
            if self._assistant is None:
                try:
                    self._assistant = load_assistant(self.settings)
                except (StoreError, ValueError) as exc:
                    raise ApiError(503, self.public(str(exc))) from exc
            if self._worker is None:
                self._worker = IndexWorker(self.settings, self._assistant.retriever.embedder)
            return self._assistant

    def close(self) -> None:
        """Stop the indexing thread, unless it is the app's."""
        if self._owns_worker and self._worker is not None:
            self._worker.shutdown()

    def records(self) -> list[dict[str, Any]]:
        """The documents as ``vigilance docs --json`` has them (no model loads)."""
        try:
            return document_records(self.settings)
        except StoreError as exc:
            raise ApiError(503, self.public(str(exc))) from exc

    # -- questions -------------------------------------------------------------------------
    def checked(self, request: AskRequest) -> tuple[str, dt.date, Filters]:
        """The question, date and filters as the assistant takes them; 400 when refused."""
        try:
            question = check_question(request.question, self.settings.max_question_chars)
            on = parse_date(request.as_of)
        except ValueError as exc:  # QuestionError is one
            raise ApiError(400, str(exc)) from exc
        return question, on, request.filters.retrieval() if request.filters else {}

    def ready(self, filters: Filters) -> Assistant:
        """The assistant, once its store holds passages that ``filters`` let through."""
        assistant = self.assistant()
        retriever = assistant.retriever
        retriever.refresh()
        table = retriever.table
        if not len(table):
            raise ApiError(409, EMPTY)
        try:
            retriever.filter_mask(filters, table)
        except FilterError as exc:
            raise ApiError(400, str(exc)) from exc
        return assistant

    def search(self, request: SearchRequest) -> dict[str, Any]:
        """What ``vigilance search --json`` prints."""
        question, on, filters = self.checked(request)
        with self._slots:
            retriever = self.ready(filters).retriever
            try:
                result = retriever.search(question, k=request.k, filters=filters)
            except FilterError as exc:
                raise ApiError(400, str(exc)) from exc
            return self.shown(search_record(retriever, result, on))

    def ask(self, request: AskRequest) -> dict[str, Any]:
        """What ``vigilance ask --json`` prints (and the app's ``ask`` API returns)."""
        question, on, filters = self.checked(request)
        with self._slots:
            answer = self.ready(filters).ask(question, filters=filters or None, as_of=on)
        return self.shown(answer_record(answer))

    # -- documents -------------------------------------------------------------------------
    def documents(self) -> list[dict[str, Any]]:
        return [self.shown(row) for row in self.records()]

    def passages(self) -> int:
        return sum(int(row.get("passages") or 0) for row in self.records())

    def upload(self, name: str, content: IO[bytes], form: dict[str, Any]) -> dict[str, Any]:
        """Store an uploaded file as the app does (safe name, size and type limits, the
        form as its sidecar), index it, and say how; 413, 415 or 422 naming the file when
        it is refused (and then it is not kept)."""
        with tempfile.TemporaryDirectory(prefix="vigilance-upload-") as tmp:
            src = Path(tmp) / "upload"
            with src.open("wb") as fh:
                shutil.copyfileobj(content, fh)
            with self._indexing:
                assistant = self.assistant()
                target = self._place(src, name, form)
                summary = self._index(target, name)
                assistant.retriever.refresh()
        documents = assistant.retriever.documents()
        discard_unindexed([target], documents, self.settings.uploads_dir)  # refused: not kept
        here = (d for d in documents if os.path.realpath(d.get("source_path", "")) == str(target))
        doc = next(here, None)
        if doc is None:
            reasons = [self.public(str(p)) for p in summary.problems]
            raise ApiError(422, "; ".join(reasons) or f"{name}: not indexed")
        return {
            "file": target.name,
            "document": self.shown(dict(doc)),
            "summary": summary.line(),
            "indexed": summary.indexed,
            "unchanged": summary.unchanged,
            "passages": summary.passages,
            "warnings": [self.public(str(w)) for w in summary.warnings],
        }

    def _place(self, src: Path, name: str, form: dict[str, Any]) -> Path:
        uploads = self.settings.uploads_dir
        try:
            target, created = place_upload(src, name, uploads, self.max_bytes)
        except UploadError as exc:
            known = Path(safe_name(name)).suffix.lower() in SUPPORTED_EXTENSIONS
            raise ApiError(413 if known else 415, self.public(str(exc))) from exc
        try:
            write_sidecar(target, form)
        except OSError as exc:
            if created:  # half-stored: the copy goes too
                remove_upload(str(target), uploads)
            raise ApiError(500, f"{name}: cannot be stored ({exc.strerror or exc})") from exc
        return Path(os.path.realpath(target))

    def _index(self, target: Path, name: str) -> Any:
        try:
            for event in self._worker.run([target]):  # type: ignore[union-attr]
                if event.kind == "result":
                    return event.info["summary"]
        except StoreError as exc:
            raise ApiError(503, self.public(f"{name}: not indexed: {exc}")) from exc
        raise ApiError(500, f"{name}: indexing stopped before it finished")

    def remove(self, doc_id: str) -> dict[str, Any]:
        """Remove a document and, when it was uploaded, its file (as the app's Library)."""
        from indexer.pipeline import remove_document

        with self._indexing:
            doc = next((d for d in self.records() if d.get("doc_id") == doc_id), None)
            if doc is None:
                raise ApiError(404, f"no document {doc_id!r} in the knowledge base")
            retriever = self.assistant().retriever
            if not remove_document(doc_id, self.settings, retriever.embedder.id):
                raise ApiError(404, f"no document {doc_id!r} in the knowledge base")
            deleted = remove_upload(doc.get("source_path", ""), self.settings.uploads_dir)
            retriever.refresh()
        return {"removed": doc_id, "title": str(doc.get("title", "")), "file_deleted": deleted}
