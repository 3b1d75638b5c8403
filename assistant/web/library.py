"""The Library tab: what is indexed (searchable, by title), uploads with a metadata form,
and removal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr

from assistant.core import Assistant
from assistant.web import render
from assistant.web.ask import jurisdictions
from assistant.web.i18n import lang_of, supported, text, ui
from assistant.web.paths import public_text
from assistant.web.uploads import (
    IndexWorker,
    UploadError,
    discard_unindexed,
    place_upload,
    progress_fraction,
    remove_upload,
    write_sidecar,
)
from indexer.language import LANGUAGES
from indexer.models import DOC_TYPES
from indexer.parsers import SUPPORTED_EXTENSIONS
from indexer.settings import Settings

HEADERS = [
    "Title",
    "Jurisdiction",
    "Type",
    "Year",
    "Status",
    "Binding",
    "Language",
    "Passages",
    "Id",
]
WIDTHS = ["27%", "13%", "10%", "6%", "8%", "7.5%", "8.5%", "8.5%", "11.5%"]
HEADER_KEYS = [
    "common.title",
    "common.jurisdiction",
    "common.type",
    "common.year",
    "lib.col_status",
    "lib.col_binding",
    "common.language",
    "lib.col_passages",
    "lib.col_id",
]


def headers(lang: str = "en") -> list[str]:
    """The table's column names in ``lang`` (``HEADERS`` in English)."""
    return [text(key, lang) for key in HEADER_KEYS]


def binding_word(value: str, lang: str = "en") -> str:
    """A document's "yes", "no" or "unknown" in ``lang`` (anything else as it is)."""
    return text(f"common.{value}", lang) if value in ("yes", "no", "unknown") else value


def table_value(rows: list[list[Any]], lang: str = "en") -> dict[str, Any]:
    """Rows with their column names in ``lang``: what the table is given."""
    return {"headers": headers(lang), "data": rows}


def summary_line(summary: Any, lang: str = "en") -> str:
    """The indexing run's counts in one line (``IndexSummary.line`` in ``lang``)."""
    counts = ("indexed", "unchanged", "skipped", "failed", "removed", "passages", "reused")
    fields = {name: getattr(summary, name) for name in counts}
    return text("lib.summary", lang, seconds=f"{summary.seconds:.1f}", **fields)


def typed_year(value: Any) -> int | None:
    """The Year field: ``None`` when empty (or 0, what a number widget sends), the year when
    it is one such as 2024 (an API client may send 2024.0); ValueError for anything else."""
    text = "" if value is None else str(value).strip()
    try:
        year = float(text) if text else 0.0
    except ValueError:
        year = -1.0
    if year == 0:
        return None
    if not year.is_integer() or not 1000 <= year <= 2999:
        raise ValueError("Year: type a year such as 2024, or leave the field empty.")
    return int(year)


def shown_title(doc: dict[str, Any]) -> str:
    """The name people know a document by: its short title when it has one."""
    return str(doc.get("short_title") or doc.get("title") or doc.get("doc_id", ""))


def library_table(
    documents: list[dict[str, Any]], query: str = "", lang: str = "en"
) -> list[list[Any]]:
    """Rows of the library table (``HEADERS``), by title; with a query, only the documents
    whose title, jurisdiction (code or name), type or id contain it (any case)."""
    words = (query or "").casefold().split()
    rows = []
    for d in sorted(documents, key=lambda d: shown_title(d).casefold()):
        jur = d.get("jurisdiction") or ""
        seen = [shown_title(d), d.get("title"), jur, render.jurisdiction_label(jur)]
        seen += [d.get("type"), d.get("doc_id")]
        haystack = " ".join(str(x) for x in seen if x).casefold()
        if not all(w in haystack for w in words):
            continue
        year = d.get("year")
        rows.append(
            [
                shown_title(d),
                render.jurisdiction_label(jur),
                d.get("type", ""),
                year if isinstance(year, int) and year > 0 else "",
                render.status_label(d.get("status"), lang),
                binding_word(d.get("binding", ""), lang),
                d.get("language", ""),
                d.get("passages", 0),
                d.get("doc_id", ""),
            ]
        )
    return rows


class LibraryHandlers:
    """What the Library tab's events call: the table state, upload, remove."""

    def __init__(self, settings: Settings, assistant: Assistant, worker: IndexWorker) -> None:
        self.settings, self.retriever, self.worker = settings, assistant.retriever, worker
        self.max_bytes = int(settings.max_file_mb * 1024 * 1024)

    def state(self, keep: str | None = None, lang: str = "en") -> tuple[Any, Any, Any]:
        """The table (column names in ``lang``), the removal choices (``keep`` stays chosen
        if still there) and the Ask tab's jurisdiction filter."""
        docs = sorted(self.retriever.documents(), key=lambda d: shown_title(d).casefold())
        ids = [(f"{shown_title(d)} — {d['doc_id']}", d["doc_id"]) for d in docs]
        chosen = keep if keep in {d["doc_id"] for d in docs} else None
        return (
            gr.update(value=table_value(library_table(docs, lang=lang), lang)),
            gr.update(choices=ids, value=chosen),
            gr.update(choices=render.jurisdiction_choices(jurisdictions(docs))),
        )

    def loaded(self, request: gr.Request | None = None) -> tuple[Any, Any, Any]:
        """``state`` in the language of the page that just loaded."""
        return self.state(lang=lang_of(request))

    def search(self, query: str, request: gr.Request | None = None) -> Any:
        """The table with only the documents matching ``query``."""
        return self.relabel(lang_of(request), query)[0]

    def relabel(self, lang: str, query: str = "") -> tuple[Any, Any]:
        """The table and the file picker's label in the interface language ``lang``."""
        lang = supported(lang)
        rows = library_table(self.retriever.documents(), query, lang)
        files = text("lib.files", lang, mb=f"{self.settings.max_file_mb:g}")
        return gr.update(value=table_value(rows, lang)), gr.update(label=files)

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
        request: gr.Request | None = None,
    ):
        lang = lang_of(request)
        files = [f for f in (files or []) if f]
        if not files:
            return (render.lines([], text("lib.no_files", lang)), *self.state(lang=lang))
        try:
            year = typed_year(year)
        except ValueError:
            said = render.lines([text("lib.bad_year", lang)], text("lib.nothing_uploaded", lang))
            return (said, *self.state(lang=lang))
        form = {
            "title": title if len(files) == 1 else "",  # one title cannot name several files
            "type": doc_type,
            "jurisdiction": jurisdiction,
            "year": year,
            "binding": binding,
            "language": language,
        }
        problems, saved = self._store(files, form, lang)
        summary = self._index(saved, problems, progress, lang) if saved else None
        if summary is not None:
            problems.extend(str(p) for p in summary.problems)
            problems.extend(text("lib.warning", lang, text=w) for w in summary.warnings)
        line = summary_line(summary, lang) if summary is not None else None
        line = line or text("lib.nothing_indexed", lang)
        # A refused file is not kept: its copy and sidecar go (the user's file is untouched).
        dropped = discard_unindexed(saved, self.retriever.documents(), self.settings.uploads_dir)
        if dropped:
            names = ", ".join(p.name for p in dropped)
            line = text("lib.not_kept", lang, line=line.rstrip("."), names=names)
        shown = [self.public(p) for p in problems]
        return (render.lines(shown, self.public(line)), *self.state(lang=lang))

    def public(self, message: str) -> str:
        """A message with the server's paths taken out (file names, or paths in uploads/)."""
        return public_text(message, self.settings.uploads_dir, self.settings.home)

    def _store(
        self, files: list[Any], form: dict[str, Any], lang: str = "en"
    ) -> tuple[list[str], list[Path]]:
        problems: list[str] = []
        saved: list[Path] = []
        uploads = self.settings.uploads_dir
        for f in files:
            path = Path(f if isinstance(f, str) else getattr(f, "name", str(f)))
            target, created = None, False
            try:
                target, created = place_upload(path, path.name, uploads, self.max_bytes, lang)
                write_sidecar(target, form)
                saved.append(target)
            except UploadError as exc:
                problems.append(str(exc))
            except OSError as exc:
                if target is not None and created:  # half-stored: the copy goes too
                    remove_upload(str(target), uploads)
                reason = exc.strerror or str(exc)
                problems.append(text("lib.store_failed", lang, name=path.name, reason=reason))
        return problems, saved

    def _index(self, saved: list[Path], problems: list[str], progress: Any, lang: str) -> Any:
        summary = None
        progress(0.0, desc=text("lib.progress_start", lang))
        try:
            for event in self.worker.run(saved):
                if event.kind == "result":
                    summary = event.info["summary"]
                    continue
                fraction, desc = progress_fraction(event, lang)
                progress(fraction, desc=desc)
        except Exception as exc:  # a store error: shown as one line, the app keeps running
            problems.append(text("lib.index_failed", lang, reason=exc))
        self.retriever.refresh()
        return summary

    def remove(self, doc_id, confirmed, request: gr.Request | None = None):
        from indexer.pipeline import remove_document

        lang = lang_of(request)
        if not doc_id:
            return (render.lines([], text("lib.choose_remove", lang)), *self.state(lang=lang))
        if not confirmed:  # the choice stays: tick the box and click again
            return (
                render.lines([], text("lib.tick", lang)),
                *self.state(keep=doc_id, lang=lang),
            )
        doc = next((d for d in self.retriever.documents() if d["doc_id"] == doc_id), None)
        if doc is None or not remove_document(doc_id, self.settings, self.retriever.embedder.id):
            missing = [text("lib.not_in_kb", lang, doc_id=doc_id)]
            return (render.lines(missing), *self.state(lang=lang))
        deleted = remove_upload(doc.get("source_path", ""), self.settings.uploads_dir)
        self.retriever.refresh()
        said = text("lib.removed", lang, title=shown_title(doc), doc_id=doc_id)
        said += text("lib.removed_file", lang) if deleted else ""
        if doc.get("collection") == "bundled":
            said += text("lib.removed_bundled", lang)
        return (render.lines([], f"{said}."), *self.state(lang=lang))


def upload_form(settings: Settings) -> tuple[Any, list[Any], Any]:
    """The file picker, the metadata widgets (in ``upload``'s order) and the button."""
    gr.Markdown(ui("lib.add"))
    files = gr.File(
        file_count="multiple",
        file_types=list(SUPPORTED_EXTENSIONS),
        label=text("lib.files", "en", mb=f"{settings.max_file_mb:g}"),  # see ``relabel``
        elem_id="upload-file",
    )
    with gr.Row():
        m_title = gr.Textbox(label=ui("common.title"), elem_id="upload-title")
        m_type = gr.Dropdown(
            list(DOC_TYPES), value="other", label=ui("common.type"), elem_id="upload-type"
        )
        m_jur = gr.Textbox(label=ui("lib.jurisdiction"), elem_id="upload-jurisdiction")
    with gr.Row():
        # A text field: gradio's number field shows 0 when empty
        m_year = gr.Textbox(
            label=ui("common.year"),
            placeholder=ui("lib.year_placeholder"),
            max_lines=1,
            elem_id="upload-year",
        )
        m_binding = gr.Radio(
            [(ui(f"common.{v}"), v) for v in ("yes", "no", "unknown")],
            value="unknown",
            label=ui("common.binding"),
            elem_id="upload-binding",
        )
        m_lang = gr.Dropdown(
            [(ui("lib.auto"), "auto"), *LANGUAGES],
            value="auto",
            label=ui("common.language"),
            elem_id="upload-language",
        )
    button = gr.Button(ui("lib.upload"), variant="primary", elem_id="upload-submit")
    return files, [m_title, m_type, m_jur, m_year, m_binding, m_lang], button


def library_tab(
    settings: Settings,
    assistant: Assistant,
    worker: IndexWorker,
    f_jur: Any,
    ui_lang: Any = None,
) -> tuple[LibraryHandlers, Any, Any]:
    """The tab's layout and events; returns its handlers, table and removal dropdown.
    ``ui_lang``, the interface language switch, renames the table's columns."""
    handlers = LibraryHandlers(settings, assistant, worker)
    search = gr.Textbox(
        label=ui("lib.search"),
        placeholder=ui("lib.search_placeholder"),
        elem_id="library-search",
    )
    table = gr.Dataframe(
        library_table(assistant.retriever.documents()),
        headers=HEADERS,
        interactive=False,
        elem_id="library-table",
        label=ui("lib.table"),
        wrap=True,
        max_height=420,
        column_widths=WIDTHS,
    )
    with gr.Row():
        with gr.Column():
            files, form, upload_btn = upload_form(settings)
        with gr.Column():
            gr.Markdown(ui("lib.remove_heading"))
            doc_pick = gr.Dropdown([], label=ui("lib.document"), elem_id="remove-doc")
            confirm = gr.Checkbox(label=ui("lib.confirm"), elem_id="remove-confirm")
            remove_btn = gr.Button(ui("lib.remove"), variant="stop", elem_id="remove-submit")
    status = gr.HTML("", elem_id="library-status", css_template=render.CSS, js_on_load=None)
    outputs = [status, table, doc_pick, f_jur]
    search.change(handlers.search, [search], [table], api_visibility="private")
    if ui_lang is not None:
        ui_lang.change(
            handlers.relabel, [ui_lang, search], [table, files], api_visibility="private"
        )
    upload_btn.click(
        handlers.upload,
        [files, *form],
        outputs,
        api_name="upload",
        concurrency_limit=1,
        concurrency_id="index",
    ).then(handlers.search, [search], [table], api_visibility="private")
    remove_btn.click(
        handlers.remove,
        [doc_pick, confirm],
        outputs,
        api_name="remove",
        concurrency_limit=1,
        concurrency_id="index",
    ).then(lambda: False, None, confirm, api_visibility="private").then(
        handlers.search, [search], [table], api_visibility="private"
    )
    return handlers, table, doc_pick
