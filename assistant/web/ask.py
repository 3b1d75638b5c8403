"""The Ask tab: cited answers, the sources beside them, a passage view, filters, and the
``ask`` API endpoint."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

import gradio as gr

from assistant.asof import parse_date
from assistant.conversation import Conversation
from assistant.core import Assistant
from assistant.retrieval import QuestionError, check_question
from assistant.table import make_filters
from assistant.web import render
from assistant.web.i18n import LANGS, lang_of, supported, text, ui
from assistant.web.paths import public_paths
from indexer.language import LANGUAGES
from indexer.models import DOC_TYPES

BINDING_CHOICES = ["any", "binding", "non-binding"]


def build_filters(types, juris, binding, year_from, year_to, languages) -> dict[str, Any]:
    """The Ask tab's filter widgets as retrieval filters (empty widgets are no filter)."""
    mapped = {"binding": "yes", "non-binding": "no"}.get(binding or "any")
    return make_filters(types, juris, _year(year_from), _year(year_to), mapped, languages)


def _year(value: Any) -> int | None:
    """A year from a number widget; empty or 0 (the widget's blank) is no year."""
    try:
        year = int(float(value))
    except (TypeError, ValueError):
        return None
    return year if year > 0 else None


def hint(lang: str = "en") -> str:
    """What the passage view says once there is an answer, before a source is chosen."""
    return f'<p class="vg-empty">{render.esc(text("ask.hint", lang))}</p>'


def new_session() -> dict[str, Any]:
    return {"turns": [], "conversation": Conversation()}


def jurisdictions(documents: list[dict[str, Any]]) -> list[str]:
    return sorted({d.get("jurisdiction", "") for d in documents if d.get("jurisdiction")})


class AskHandlers:
    """What the Ask tab's events call; plain methods over one assistant."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    # Named so as not to take the API name "ask", which belongs to ``api``.
    def submit(
        self,
        question,
        types,
        juris,
        binding,
        year_from,
        year_to,
        languages,
        as_of,
        session,
        request: gr.Request | None = None,
    ):
        session = session or new_session()
        try:
            on = parse_date(as_of)
        except ValueError as exc:
            gr.Warning(str(exc))
            return gr.skip(), gr.skip(), gr.skip(), session, gr.skip()
        try:
            question = check_question(question or "", self.assistant.settings.max_question_chars)
        except QuestionError as exc:
            if (question or "").strip():  # an empty box is ignored; anything else is said
                gr.Warning(str(exc))
            return gr.skip(), gr.skip(), gr.skip(), session, gr.skip()
        filters = build_filters(types, juris, binding, year_from, year_to, languages)
        answer = self.assistant.ask(
            question, filters=filters, conversation=session["conversation"], as_of=on
        )
        session["turns"].append({"answer": asdict(answer)})
        turns, lang = session["turns"], lang_of(request)
        return render.transcript(turns, lang), render.sources(turns, lang), hint(lang), session, ""

    @staticmethod
    def relabel(lang, session, shown, drawn):
        """The conversation, its sources and the passage view's hint (``shown``: what the
        view holds) again, in the interface language just chosen, unless ``drawn`` in it."""
        lang, turns = supported(lang), (session or {}).get("turns", [])
        if lang == drawn:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        still_hint = shown in {hint(other) for other in LANGS}
        again = hint(lang) if still_hint else gr.skip()
        return render.transcript(turns, lang), render.sources(turns, lang), again, lang

    def show_passage(self, session, evt: gr.EventData, request: gr.Request | None = None):
        data = getattr(evt, "_data", None) or {}
        turns = (session or {}).get("turns", [])
        try:
            answer = turns[int(data["turn"])]["answer"]
            cite = next(c for c in answer["citations"] if c["n"] == int(data["n"]))
        except (KeyError, IndexError, StopIteration, TypeError, ValueError):
            return gr.skip()
        retriever = self.assistant.retriever
        retriever.refresh()
        table = retriever.table  # one snapshot: the indexer may swap in a new table meanwhile
        # "also in: EN": the same paragraph in another language version of the document
        pid = (cite.get("versions") or {}).get(str(data.get("version") or ""), cite["passage_id"])
        rec = table.get(pid)
        lang = lang_of(request)
        if rec is None:
            return render.lines([], text("ask.passage_gone", lang))
        as_dict = lambda r: {"id": r.id, "text": r.text, "meta": r.meta}  # noqa: E731
        context = table.neighbours(pid, 1, 1)
        facts = retriever.facts(str(rec.meta.get("doc_id", "")))
        notes = render.CardNotes(facts.checked, list(cite.get("caveats") or []), facts.unverified)
        return render.passage(as_dict(rec), [as_dict(r) for r in context], notes, lang)

    @staticmethod
    def clear(request: gr.Request | None = None):
        lang = lang_of(request)
        return render.transcript([], lang), render.sources([], lang), "", new_session()

    def api(self, question: str, filters: dict | None = None, as_of: str = "") -> dict:
        """Answer a question; ``filters`` as in ``vigilance ask`` (type, jurisdiction,
        year_from, year_to, binding, language, doc_id); ``as_of`` a YYYY-MM-DD date (default
        today). Returns the answer record; a question that is empty or over
        VIGILANCE_MAX_QUESTION_CHARS, or a bad date, is an error."""
        try:
            question = check_question(question, self.assistant.settings.max_question_chars)
            on = parse_date(as_of)
        except ValueError as exc:
            raise gr.Error(str(exc)) from exc
        record = asdict(self.assistant.ask(question, filters=filters or None, as_of=on))
        settings = self.assistant.settings  # files named as the app shows them
        return public_paths(record, settings.uploads_dir, settings.home)


def filter_widgets(documents: list[dict[str, Any]]) -> list[Any]:
    """Type, jurisdiction, binding, years, language and the date, in the order ``submit``
    takes them."""
    binding_labels = ("common.any", "filter.binding_yes", "filter.binding_no")
    with gr.Accordion(ui("filter.title"), open=False, elem_id="ask-filters"):
        with gr.Row():
            f_type = gr.Dropdown(
                list(DOC_TYPES), multiselect=True, label=ui("common.type"), elem_id="filter-type"
            )
            f_jur = gr.Dropdown(
                render.jurisdiction_choices(jurisdictions(documents)),
                multiselect=True,
                label=ui("common.jurisdiction"),
                elem_id="filter-jurisdiction",
            )
            f_lang = gr.Dropdown(
                list(LANGUAGES),
                multiselect=True,
                label=ui("common.language"),
                elem_id="filter-language",
            )
        with gr.Row():
            f_binding = gr.Radio(
                [(ui(k), v) for k, v in zip(binding_labels, BINDING_CHOICES, strict=True)],
                value="any",
                label=ui("common.binding"),
                elem_id="filter-binding",
            )
            # text fields: gradio's number field shows 0 when empty
            f_from = gr.Textbox(
                label=ui("filter.from"),
                placeholder=ui("filter.from_placeholder"),
                max_lines=1,
                elem_id="filter-year-from",
            )
            f_to = gr.Textbox(label=ui("filter.to"), max_lines=1, elem_id="filter-year-to")
            f_as_of = gr.Textbox(
                "",
                label=ui("filter.as_of"),
                placeholder=date.today().isoformat(),
                max_length=10,
                elem_id="filter-as-of",
            )
    return [f_type, f_jur, f_binding, f_from, f_to, f_lang, f_as_of]


def ask_tab(
    assistant: Assistant,
    session: gr.State,
    documents: list[dict[str, Any]],
    ui_lang: gr.Radio | None = None,
) -> gr.Dropdown:
    """The tab's layout and events; returns the jurisdiction filter (the Library updates it).
    ``ui_lang``, the interface language switch, redraws the conversation when it changes."""
    handlers = AskHandlers(assistant)
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
                    label=ui("ask.question"),
                    placeholder=ui("ask.placeholder"),
                    elem_id="ask-input",
                    scale=5,
                    lines=2,
                    max_lines=6,
                )
                with gr.Column(scale=1, min_width=120):
                    ask_btn = gr.Button(ui("ask.submit"), variant="primary", elem_id="ask-submit")
                    clear_btn = gr.Button(ui("ask.clear"), elem_id="ask-clear", size="sm")
            filters = filter_widgets(documents)
        with gr.Column(scale=2):
            gr.Markdown(ui("ask.sources"))
            sources = gr.HTML(
                render.sources([]),
                elem_id="sources",
                js_on_load=render.CITE_JS,
                css_template=render.CSS,
            )
            gr.Markdown(ui("ask.passage"))
            passage = gr.HTML("", elem_id="passage-view", css_template=render.CSS, js_on_load=None)
    outputs = [transcript, sources, passage, session, question]
    for trigger in (ask_btn.click, question.submit):
        trigger(
            handlers.submit,
            [question, *filters, session],
            outputs,
            api_visibility="private",
            concurrency_id="ask",
        )
    for view in (transcript, sources):
        view.click(handlers.show_passage, [session], [passage], api_visibility="private")
    clear_btn.click(
        handlers.clear, None, [transcript, sources, passage, session], api_visibility="private"
    )
    if ui_lang is not None:
        drawn = gr.State("en")  # the language the conversation is drawn in
        ui_lang.change(
            handlers.relabel,
            [ui_lang, session, passage, drawn],
            [transcript, sources, passage, drawn],
            api_visibility="private",
        )
    gr.api(handlers.api, api_name="ask", concurrency_id="ask")
    return filters[1]
