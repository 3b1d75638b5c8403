"""The web app (gradio): ask with cited answers, manage the library, run the tools.

``build_app(settings)`` returns the ``gr.Blocks``; ``main()`` (and ``vigilance serve``)
loads the assistant once and serves it on 127.0.0.1. Every text that comes from a
document is escaped in ``assistant.web_render`` before it reaches the page.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import gradio as gr

from assistant import web_render as render
from assistant.conversation import Conversation
from assistant.core import Assistant
from assistant.web_library import (
    ALLOWED_SUFFIXES,
    TABLE_HEADERS,
    IndexWorker,
    SerialEmbedder,
    UploadError,
    library_rows,
    progress_fraction,
    remove_upload,
    store_upload,
    write_sidecar,
)
from indexer.models import DOC_TYPES
from indexer.settings import Settings

LANGUAGES = ["en", "fr", "es", "de", "pt", "it", "nl"]
BINDING_CHOICES = ["any", "binding", "non-binding"]
CONCURRENCY = 4  # simultaneous requests: enough for a meeting room on 2 cores


def load_assistant(settings: Settings) -> Assistant:
    """The assistant with its embedder behind a lock (see ``SerialEmbedder``)."""
    from assistant.retrieval import Retriever
    from indexer.embedders import make_embedder

    embedder = SerialEmbedder(make_embedder(settings.embedder, settings.batch_size))
    return Assistant(settings, retriever=Retriever(settings, embedder=embedder))


def build_filters(types, jurisdictions, binding, year_from, year_to, languages) -> dict[str, Any]:
    """The Ask tab's filter widgets as retrieval filters (empty widgets are no filter)."""
    filters: dict[str, Any] = {
        "type": list(types or []),
        "jurisdiction": list(jurisdictions or []),
        "language": list(languages or []),
        "year_from": _year(year_from),
        "year_to": _year(year_to),
        "binding": {"binding": "yes", "non-binding": "no"}.get(binding or "any"),
    }
    return {k: v for k, v in filters.items() if v not in (None, [], "")}


def _year(value: Any) -> int | None:
    """A year from a number widget; empty or 0 (the widget's blank) is no year."""
    try:
        year = int(float(value))
    except (TypeError, ValueError):
        return None
    return year if year > 0 else None


def new_session() -> dict[str, Any]:
    return {"turns": [], "conversation": Conversation()}


def _jurisdictions(documents: list[dict[str, Any]]) -> list[str]:
    return sorted({d.get("jurisdiction", "") for d in documents if d.get("jurisdiction")})


def build_app(settings: Settings, assistant: Assistant | None = None) -> gr.Blocks:
    """The whole app; ``assistant`` is built from ``settings`` when not given."""
    assistant = assistant or load_assistant(settings)
    retriever = assistant.retriever
    worker = IndexWorker(settings, retriever.embedder)
    max_bytes = int(settings.max_file_mb * 1024 * 1024)

    # -- Ask -------------------------------------------------------------------------
    # Named so as not to take the API name "ask", which belongs to ``ask_api``.
    def submit_question(
        question, types, jurisdictions, binding, year_from, year_to, languages, session
    ):
        session = session or new_session()
        question = (question or "").strip()
        if not question:
            return gr.skip(), gr.skip(), gr.skip(), session, gr.skip()
        filters = build_filters(types, jurisdictions, binding, year_from, year_to, languages)
        answer = assistant.ask(question, filters=filters, conversation=session["conversation"])
        session["turns"].append({"answer": answer.to_dict()})
        turns = session["turns"]
        hint = '<p class="vg-empty">Choose a source to read the passage in full.</p>'
        return render.transcript(turns), render.sources(turns), hint, session, ""

    def show_passage(session, evt: gr.EventData):
        data = getattr(evt, "_data", None) or {}
        turns = (session or {}).get("turns", [])
        try:
            answer = turns[int(data["turn"])]["answer"]
            cite = next(c for c in answer["citations"] if c["n"] == int(data["n"]))
        except (KeyError, IndexError, StopIteration, TypeError, ValueError):
            return gr.skip()
        retriever.refresh()
        table = retriever.table  # one snapshot: the indexer may swap in a new table meanwhile
        rec = table.get(cite["passage_id"])
        if rec is None:
            return render.lines(
                [], "This passage is no longer in the knowledge base (its document was removed)."
            )
        context = table.neighbours(cite["passage_id"], 1, 1)
        as_dict = lambda r: {"id": r.id, "text": r.text, "meta": r.meta}  # noqa: E731
        return render.passage(as_dict(rec), [as_dict(r) for r in context])

    def clear():
        session = new_session()
        return render.transcript([]), render.sources([]), "", session

    def ask_api(question: str, filters: dict | None = None) -> dict:
        """Answer a question; ``filters`` as in ``vigilance ask`` (type, jurisdiction,
        year_from, year_to, binding, language, doc_id). Returns the answer record."""
        return assistant.ask(question, filters=filters or None).to_dict()

    # -- Library ---------------------------------------------------------------------
    def library_state():
        docs = retriever.documents()
        ids = [(f"{d['doc_id']} — {d.get('title', '')}", d["doc_id"]) for d in docs]
        return (
            gr.update(value=library_rows(docs)),
            gr.update(choices=ids, value=None),
            gr.update(choices=_jurisdictions(docs)),
        )

    def upload(
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
            return (render.lines([], "Choose one or more files to upload."), *library_state())
        form = {
            "title": title if len(files) == 1 else "",  # one title cannot name several files
            "type": doc_type,
            "jurisdiction": jurisdiction,
            "year": year,
            "binding": binding,
            "language": language,
        }
        problems: list[str] = []
        saved: list[Path] = []
        for f in files:
            path = Path(f if isinstance(f, str) else getattr(f, "name", str(f)))
            try:
                target = store_upload(path, path.name, settings.uploads_dir, max_bytes)
                write_sidecar(target, form)
                saved.append(target)
            except UploadError as exc:
                problems.append(str(exc))
            except OSError as exc:
                problems.append(f"{path.name}: cannot store the file ({exc.strerror or exc})")
        summary = None
        if saved:
            progress(0.0, desc="starting")
            try:
                for event in worker.run(saved):
                    if event.kind == "result":
                        summary = event.info["summary"]
                        continue
                    fraction, desc = progress_fraction(event)
                    progress(fraction, desc=desc)
            except Exception as exc:  # a store error: shown as one line, the app keeps running
                problems.append(f"indexing failed: {exc}")
            retriever.refresh()
        if summary is not None:
            problems.extend(str(p) for p in summary.problems)
            line = summary.line()
        else:
            line = "Nothing indexed."
        return (render.lines(problems, line), *library_state())

    def remove(doc_id, confirmed):
        from indexer.pipeline import remove_document

        if not doc_id:
            return (render.lines([], "Choose a document to remove."), *library_state())
        if not confirmed:
            return (
                render.lines([], "Tick the confirmation box to remove the document."),
                *library_state(),
            )
        doc = next((d for d in retriever.documents() if d["doc_id"] == doc_id), None)
        if doc is None or not remove_document(doc_id, settings, retriever.embedder.id):
            return (render.lines([f"{doc_id}: not in the knowledge base"]), *library_state())
        deleted = remove_upload(doc.get("source_path", ""), settings.uploads_dir)
        retriever.refresh()
        note = " and its uploaded file deleted" if deleted else ""
        if doc.get("collection") == "bundled":
            note += "; it is part of the bundled corpus and returns with the next 'vigilance index'"
        return (render.lines([], f"Removed {doc_id}{note}."), *library_state())

    # -- Layout ----------------------------------------------------------------------
    documents = retriever.documents()
    with gr.Blocks(title="Vigilance") as app:
        gr.Markdown(
            "## Vigilance\nTrafficking in persons and forced labour in public procurement and "
            "supply chains: answers that cite their sources, offline."
        )
        session = gr.State(new_session())
        with gr.Tabs(elem_id="tabs"):
            with gr.Tab("Ask", id="ask", elem_id="tab-ask"):
                with gr.Row():
                    with gr.Column(scale=3):
                        transcript = gr.HTML(
                            render.transcript([]),
                            elem_id="answer",
                            js_on_load=render.CITE_JS,
                            css_template=render.CSS,
                            autoscroll=True,
                            max_height=620,
                        )
                        with gr.Row():
                            question = gr.Textbox(
                                label="Question",
                                placeholder="e.g. Must a public buyer exclude a "
                                "supplier convicted of forced labour?",
                                elem_id="ask-input",
                                scale=5,
                                lines=2,
                                max_lines=6,
                            )
                            with gr.Column(scale=1, min_width=120):
                                ask_btn = gr.Button("Ask", variant="primary", elem_id="ask-submit")
                                clear_btn = gr.Button(
                                    "New conversation", elem_id="ask-clear", size="sm"
                                )
                        with gr.Accordion("Filters", open=False, elem_id="ask-filters"):
                            with gr.Row():
                                f_type = gr.Dropdown(
                                    list(DOC_TYPES),
                                    multiselect=True,
                                    label="Type",
                                    elem_id="filter-type",
                                )
                                f_jur = gr.Dropdown(
                                    _jurisdictions(documents),
                                    multiselect=True,
                                    label="Jurisdiction",
                                    elem_id="filter-jurisdiction",
                                )
                                f_lang = gr.Dropdown(
                                    LANGUAGES,
                                    multiselect=True,
                                    label="Language",
                                    elem_id="filter-language",
                                )
                            with gr.Row():
                                f_binding = gr.Radio(
                                    BINDING_CHOICES,
                                    value="any",
                                    label="Binding",
                                    elem_id="filter-binding",
                                )
                                f_from = gr.Number(
                                    None, label="From year", precision=0, elem_id="filter-year-from"
                                )
                                f_to = gr.Number(
                                    None, label="To year", precision=0, elem_id="filter-year-to"
                                )
                    with gr.Column(scale=2):
                        gr.Markdown("### Sources")
                        sources = gr.HTML(
                            render.sources([]),
                            elem_id="sources",
                            js_on_load=render.CITE_JS,
                            css_template=render.CSS,
                        )
                        gr.Markdown("### Passage")
                        passage = gr.HTML(
                            "", elem_id="passage-view", css_template=render.CSS, js_on_load=None
                        )
                ask_inputs = [question, f_type, f_jur, f_binding, f_from, f_to, f_lang, session]
                ask_outputs = [transcript, sources, passage, session, question]
                for trigger in (ask_btn.click, question.submit):
                    trigger(
                        submit_question,
                        ask_inputs,
                        ask_outputs,
                        api_visibility="private",
                        concurrency_id="ask",
                    )
                transcript.click(show_passage, [session], [passage], api_visibility="private")
                sources.click(show_passage, [session], [passage], api_visibility="private")
                clear_btn.click(
                    clear, None, [transcript, sources, passage, session], api_visibility="private"
                )
                gr.api(ask_api, api_name="ask", concurrency_id="ask")

            with gr.Tab("Library", id="library", elem_id="tab-library"):
                table = gr.Dataframe(
                    library_rows(documents),
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
                        gr.Markdown("### Add documents")
                        files = gr.File(
                            file_count="multiple",
                            file_types=list(ALLOWED_SUFFIXES),
                            label=f"PDF, DOCX, HTML, Markdown or text (up to {settings.max_file_mb:g} MB each)",
                            elem_id="upload-file",
                        )
                        with gr.Row():
                            m_title = gr.Textbox(label="Title", elem_id="upload-title")
                            m_type = gr.Dropdown(
                                list(DOC_TYPES), value="other", label="Type", elem_id="upload-type"
                            )
                            m_jur = gr.Textbox(
                                label="Jurisdiction (ISO code or organisation)",
                                elem_id="upload-jurisdiction",
                            )
                        with gr.Row():
                            m_year = gr.Number(
                                None, label="Year", precision=0, elem_id="upload-year"
                            )
                            m_binding = gr.Radio(
                                ["yes", "no", "unknown"],
                                value="unknown",
                                label="Binding",
                                elem_id="upload-binding",
                            )
                            m_lang = gr.Dropdown(
                                ["auto", *LANGUAGES],
                                value="auto",
                                label="Language",
                                elem_id="upload-language",
                            )
                        upload_btn = gr.Button(
                            "Upload and index", variant="primary", elem_id="upload-submit"
                        )
                    with gr.Column():
                        gr.Markdown("### Remove a document")
                        doc_pick = gr.Dropdown([], label="Document", elem_id="remove-doc")
                        confirm = gr.Checkbox(
                            label="Yes, remove it from the knowledge base", elem_id="remove-confirm"
                        )
                        remove_btn = gr.Button("Remove", variant="stop", elem_id="remove-submit")
                status = gr.HTML(
                    "", elem_id="library-status", css_template=render.CSS, js_on_load=None
                )
                lib_outputs = [status, table, doc_pick, f_jur]
                upload_btn.click(
                    upload,
                    [files, m_title, m_type, m_jur, m_year, m_binding, m_lang],
                    lib_outputs,
                    api_name="upload",
                    concurrency_limit=1,
                    concurrency_id="index",
                )
                remove_btn.click(
                    remove,
                    [doc_pick, confirm],
                    lib_outputs,
                    api_name="remove",
                    concurrency_limit=1,
                    concurrency_id="index",
                ).then(lambda: False, None, confirm, api_visibility="private")

            from assistant.web_tools import tool_tabs

            tool_tabs(assistant)

        app.load(lambda: library_state()[1:], None, [doc_pick, f_jur], api_visibility="private")
        app.load(lambda: library_state()[0], None, [table], api_visibility="private")
    app.vigilance_worker = worker  # kept so main() can stop the indexing thread on exit
    return app


def auth_from_env(env: dict[str, str] | None = None) -> tuple[str, str] | None:
    """``VIGILANCE_AUTH="user:password"`` as gradio's ``auth``; unset or malformed: no login."""
    raw = (env if env is not None else os.environ).get("VIGILANCE_AUTH", "")
    user, sep, password = raw.partition(":")
    if not sep or not user or not password:
        if raw:
            print("VIGILANCE_AUTH must be 'user:password'; ignoring it", file=sys.stderr)
        return None
    return user, password


def launch(app: gr.Blocks, settings: Settings, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Serve the app (blocking): queue sized for 2 cores, upload limit, no tracebacks shown."""
    app.queue(default_concurrency_limit=CONCURRENCY, max_size=64)
    app.launch(
        server_name=host,
        server_port=port,
        show_error=False,
        max_file_size=int(settings.max_file_mb * 1024 * 1024),
        auth=auth_from_env(),
        css=render.CSS,
        footer_links=["api"],
        quiet=False,
    )


def main(host: str = "127.0.0.1", port: int = 7860, store: str | None = None) -> None:
    """Load the assistant once and serve the app until interrupted."""
    settings = Settings.from_env().with_store(store)
    print(f"Loading the knowledge base from {settings.home} ...", file=sys.stderr, flush=True)
    app = build_app(settings)
    try:
        launch(app, settings, host, port)
    finally:
        app.vigilance_worker.shutdown()
