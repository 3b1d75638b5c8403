"""The Library tab: what is indexed, uploads with a metadata form, and removal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr

from assistant.core import Assistant
from assistant.web import render
from assistant.web.ask import jurisdictions
from assistant.web.paths import public_text
from assistant.web.uploads import (
    TABLE_HEADERS,
    IndexWorker,
    UploadError,
    discard_unindexed,
    library_rows,
    place_upload,
    progress_fraction,
    remove_upload,
    write_sidecar,
)
from indexer.language import LANGUAGES
from indexer.models import DOC_TYPES
from indexer.parsers import SUPPORTED_EXTENSIONS
from indexer.settings import Settings


class LibraryHandlers:
    """What the Library tab's events call: the table state, upload, remove."""

    def __init__(self, settings: Settings, assistant: Assistant, worker: IndexWorker) -> None:
        self.settings, self.retriever, self.worker = settings, assistant.retriever, worker
        self.max_bytes = int(settings.max_file_mb * 1024 * 1024)

    def state(self) -> tuple[Any, Any, Any]:
        """The table, the removal choices and the Ask tab's jurisdiction filter."""
        docs = self.retriever.documents()
        ids = [(f"{d['doc_id']} — {d.get('title', '')}", d["doc_id"]) for d in docs]
        return (
            gr.update(value=library_rows(docs)),
            gr.update(choices=ids, value=None),
            gr.update(choices=jurisdictions(docs)),
        )

    def upload(
        self,
        files,
        title,
        doc_type,
        jurisdiction,
        year,
        binding,
        language,
        progress=gr.Progress(),  # noqa: B008 - gradio injects it
    ):
        files = [f for f in (files or []) if f]
        if not files:
            return (render.lines([], "Choose one or more files to upload."), *self.state())
        form = {
            "title": title if len(files) == 1 else "",  # one title cannot name several files
            "type": doc_type,
            "jurisdiction": jurisdiction,
            "year": year,
            "binding": binding,
            "language": language,
        }
        problems, saved = self._store(files, form)
        summary = self._index(saved, problems, progress) if saved else None
        if summary is not None:
            problems.extend(str(p) for p in summary.problems)
            problems.extend(f"warning: {w}" for w in summary.warnings)
        line = summary.line() if summary is not None else "Nothing indexed."
        # A refused file is not kept: its copy and sidecar go (the user's file is untouched).
        dropped = discard_unindexed(saved, self.retriever.documents(), self.settings.uploads_dir)
        if dropped:
            line = f"{line.rstrip('.')}; not kept: {', '.join(p.name for p in dropped)}"
        shown = [self.public(p) for p in problems]
        return (render.lines(shown, self.public(line)), *self.state())

    def public(self, text: str) -> str:
        """A message with the server's paths taken out (file names, or paths in uploads/)."""
        return public_text(text, self.settings.uploads_dir, self.settings.home)

    def _store(self, files: list[Any], form: dict[str, Any]) -> tuple[list[str], list[Path]]:
        problems: list[str] = []
        saved: list[Path] = []
        uploads = self.settings.uploads_dir
        for f in files:
            path = Path(f if isinstance(f, str) else getattr(f, "name", str(f)))
            target, created = None, False
            try:
                target, created = place_upload(path, path.name, uploads, self.max_bytes)
                write_sidecar(target, form)
                saved.append(target)
            except UploadError as exc:
                problems.append(str(exc))
            except OSError as exc:
                if target is not None and created:  # half-stored: the copy goes too
                    remove_upload(str(target), uploads)
                problems.append(f"{path.name}: cannot store the file ({exc.strerror or exc})")
        return problems, saved

    def _index(self, saved: list[Path], problems: list[str], progress: Any) -> Any:
        summary = None
        progress(0.0, desc="starting")
        try:
            for event in self.worker.run(saved):
                if event.kind == "result":
                    summary = event.info["summary"]
                    continue
                fraction, desc = progress_fraction(event)
                progress(fraction, desc=desc)
        except Exception as exc:  # a store error: shown as one line, the app keeps running
            problems.append(f"indexing failed: {exc}")
        self.retriever.refresh()
        return summary

    def remove(self, doc_id, confirmed):
        from indexer.pipeline import remove_document

        if not doc_id:
            return (render.lines([], "Choose a document to remove."), *self.state())
        if not confirmed:
            return (
                render.lines([], "Tick the confirmation box to remove the document."),
                *self.state(),
            )
        doc = next((d for d in self.retriever.documents() if d["doc_id"] == doc_id), None)
        if doc is None or not remove_document(doc_id, self.settings, self.retriever.embedder.id):
            return (render.lines([f"{doc_id}: not in the knowledge base"]), *self.state())
        deleted = remove_upload(doc.get("source_path", ""), self.settings.uploads_dir)
        self.retriever.refresh()
        note = " and its uploaded file deleted" if deleted else ""
        if doc.get("collection") == "bundled":
            note += "; it is part of the bundled corpus and returns with the next 'vigilance index'"
        return (render.lines([], f"Removed {doc_id}{note}."), *self.state())


def upload_form(settings: Settings) -> tuple[Any, list[Any], Any]:
    """The file picker, the metadata widgets (in ``upload``'s order) and the button."""
    gr.Markdown("### Add documents")
    files = gr.File(
        file_count="multiple",
        file_types=list(SUPPORTED_EXTENSIONS),
        label=f"PDF, DOCX, HTML, Markdown or text (up to {settings.max_file_mb:g} MB each)",
        elem_id="upload-file",
    )
    with gr.Row():
        m_title = gr.Textbox(label="Title", elem_id="upload-title")
        m_type = gr.Dropdown(list(DOC_TYPES), value="other", label="Type", elem_id="upload-type")
        m_jur = gr.Textbox(
            label="Jurisdiction (ISO code or organisation)", elem_id="upload-jurisdiction"
        )
    with gr.Row():
        m_year = gr.Number(None, label="Year", precision=0, elem_id="upload-year")
        m_binding = gr.Radio(
            ["yes", "no", "unknown"], value="unknown", label="Binding", elem_id="upload-binding"
        )
        m_lang = gr.Dropdown(
            ["auto", *LANGUAGES], value="auto", label="Language", elem_id="upload-language"
        )
    button = gr.Button("Upload and index", variant="primary", elem_id="upload-submit")
    return files, [m_title, m_type, m_jur, m_year, m_binding, m_lang], button


def library_tab(
    settings: Settings, assistant: Assistant, worker: IndexWorker, f_jur: Any
) -> tuple[LibraryHandlers, Any, Any]:
    """The tab's layout and events; returns its handlers, table and removal dropdown."""
    handlers = LibraryHandlers(settings, assistant, worker)
    table = gr.Dataframe(
        library_rows(assistant.retriever.documents()),
        headers=TABLE_HEADERS,
        interactive=False,
        elem_id="library-table",
        label="Indexed documents",
        wrap=True,
        max_height=420,
        column_widths=["20%", "32%", "10%", "9%", "6%", "8%", "7%", "8%"],
    )
    with gr.Row():
        with gr.Column():
            files, form, upload_btn = upload_form(settings)
        with gr.Column():
            gr.Markdown("### Remove a document")
            doc_pick = gr.Dropdown([], label="Document", elem_id="remove-doc")
            confirm = gr.Checkbox(
                label="Yes, remove it from the knowledge base", elem_id="remove-confirm"
            )
            remove_btn = gr.Button("Remove", variant="stop", elem_id="remove-submit")
    status = gr.HTML("", elem_id="library-status", css_template=render.CSS, js_on_load=None)
    outputs = [status, table, doc_pick, f_jur]
    upload_btn.click(
        handlers.upload,
        [files, *form],
        outputs,
        api_name="upload",
        concurrency_limit=1,
        concurrency_id="index",
    )
    remove_btn.click(
        handlers.remove,
        [doc_pick, confirm],
        outputs,
        api_name="remove",
        concurrency_limit=1,
        concurrency_id="index",
    ).then(lambda: False, None, confirm, api_visibility="private")
    return handlers, table, doc_pick
