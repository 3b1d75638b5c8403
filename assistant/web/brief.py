"""The Briefing pack tab: the guiding questions (or the user's own) answered with sources."""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.sources import cite
from assistant.web import render
from assistant.web.downloads import download_pair, export_dir
from assistant.web.i18n import LANG_NAMES, lang_of, supported, text, ui


def brief_html(brief: Any) -> str:
    """The pack as shown on screen: each question and answer, then the numbered sources."""
    parts = []
    for item in brief.items:
        answer = render.answer_body(
            {"answer": item.answer, "citations": []}, 0
        )  # markers stay text
        parts.append(f"<h4>{render.esc(item.label)} {render.esc(item.question)}</h4>{answer}")
    sources = "".join(
        f"<li>[{s.n}] {render.esc(cite(s, brief.lang, 'entry').split(' — ')[0])} {render.link(s.url) if s.url else ''}</li>"
        for s in brief.sources
    )
    if sources:
        heading = render.esc(text("brief.sources", brief.lang))  # the pack's language
        parts.append(f'<h4>{heading}</h4><ul class="vg-sources">{sources}</ul>')
    return "".join(parts)


def download_buttons() -> tuple[Any, Any, Any]:
    """DOCX, Markdown and print view, with a word on the print view."""
    with gr.Row():
        buttons = tuple(
            gr.DownloadButton(ui(key), interactive=False, elem_id=elem_id)
            for key, elem_id in (
                ("common.download_docx", "brief-download"),
                ("common.download_md", "brief-download-md"),
                ("brief.print", "brief-download-print"),
            )
        )
    gr.Markdown(ui("brief.print_note"))
    return buttons


def pack_language(ui_lang: str | None, offered: tuple[str, ...] | None = None) -> str:
    """The pack's language for an interface language: the same when packs are written in it
    (``offered``: by default the languages ``assistant.tools.brief`` writes), else English."""
    if offered is None:
        from assistant.tools.brief import LANGS as offered
    lang = supported(ui_lang)
    return lang if lang in offered else "en"


def brief_tab(assistant: Any, ui_lang: Any = None) -> None:
    """The tab; the pack's language follows ``ui_lang``, the interface language switch,
    until another is chosen (English for an interface language packs are not written in)."""
    from assistant.tools.brief import LANGS as PACK_LANGS
    from assistant.tools.brief import BriefQuestion, build_brief, export_brief, guiding_questions

    def choices(lang: str) -> list[tuple[str, str]]:
        return [(f"{q.label} {q.question}", q.record_id) for q in guiding_questions(lang)]

    first = choices("en")
    with gr.Row():
        lang = gr.Radio(
            [(LANG_NAMES[code], code) for code in PACK_LANGS],
            value="en",
            label=ui("common.language"),
            elem_id="brief-lang",
        )
        source = gr.Radio(
            [(ui("brief.guiding_source"), "guiding"), (ui("brief.own_source"), "own")],
            value="guiding",
            label=ui("brief.questions"),
            elem_id="brief-source",
        )
    guiding = gr.CheckboxGroup(
        first, value=[v for _, v in first], label=ui("brief.guiding"), elem_id="brief-guiding"
    )
    own = gr.Textbox(label=ui("brief.own"), lines=4, elem_id="brief-own")
    btn = gr.Button(ui("brief.run"), variant="primary", elem_id="brief-run")
    result = gr.HTML("", elem_id="brief-result", js_on_load=None, css_template=render.CSS)
    docx_btn, md_btn, print_btn = download_buttons()

    def relabel(language):
        opts = choices(language)
        return gr.update(choices=opts, value=[v for _, v in opts])

    def run(
        language,
        which,
        picked,
        own_text,
        progress=gr.Progress(),  # noqa: B008 - gradio injects it
        request: gr.Request | None = None,
    ):
        if which == "own":
            lines = [q.strip() for q in (own_text or "").splitlines() if q.strip()]
            questions = [BriefQuestion(str(i), q) for i, q in enumerate(lines, 1)]
        else:
            wanted = set(picked or [])
            questions = [q for q in guiding_questions(language) if q.record_id in wanted]
        if not questions:
            said = render.esc(text("brief.none", lang_of(request)))
            return f"<p>{said}</p>", gr.skip(), gr.skip(), gr.skip()
        brief = build_brief(
            assistant,
            questions,
            lang=language,
            progress=lambda done, total: progress(
                done / total, desc=text("brief.progress", lang_of(request), done=done, total=total)
            ),
        )
        stem = "vigilance-briefing-pack"
        printable = export_brief(brief, export_dir() / f"{stem}.html")
        return (
            brief_html(brief),
            *download_pair(export_brief, brief, stem),
            gr.update(value=str(printable), interactive=True),
        )

    lang.change(relabel, lang, guiding, api_visibility="private")
    if ui_lang is not None:
        ui_lang.change(pack_language, ui_lang, lang, api_visibility="private")
    # Typing questions of one's own means using them.
    own.input(
        lambda text: "own" if text.strip() else "guiding", own, source, api_visibility="private"
    )
    btn.click(
        run, [lang, source, guiding, own], [result, docx_btn, md_btn, print_btn], api_name="brief"
    )
