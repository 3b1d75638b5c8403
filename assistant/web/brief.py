"""The Briefing pack tab: the guiding questions (or the user's own) answered with sources."""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.sources import cite
from assistant.web import render
from assistant.web.downloads import download_pair


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
        parts.append(f'<h4>Sources</h4><ul class="vg-sources">{sources}</ul>')
    return "".join(parts)


def brief_tab(assistant: Any) -> None:
    from assistant.tools.brief import BriefQuestion, build_brief, export_brief, guiding_questions

    def choices(lang: str) -> list[tuple[str, str]]:
        return [(f"{q.label} {q.question}", q.record_id) for q in guiding_questions(lang)]

    first = choices("en")
    with gr.Row():
        lang = gr.Radio(["en", "fr", "es"], value="en", label="Language", elem_id="brief-lang")
        source = gr.Radio(
            [("Guiding questions (a)-(m)", "guiding"), ("My own questions", "own")],
            value="guiding",
            label="Questions",
            elem_id="brief-source",
        )
    guiding = gr.CheckboxGroup(
        first, value=[v for _, v in first], label="Guiding questions", elem_id="brief-guiding"
    )
    own = gr.Textbox(label="My own questions (one per line)", lines=4, elem_id="brief-own")
    btn = gr.Button("Build briefing pack", variant="primary", elem_id="brief-run")
    result = gr.HTML("", elem_id="brief-result", js_on_load=None, css_template=render.CSS)
    with gr.Row():
        docx_btn = gr.DownloadButton("Download DOCX", interactive=False, elem_id="brief-download")
        md_btn = gr.DownloadButton(
            "Download Markdown", interactive=False, elem_id="brief-download-md"
        )

    def relabel(language):
        opts = choices(language)
        return gr.update(choices=opts, value=[v for _, v in opts])

    def run(language, which, picked, own_text, progress=gr.Progress()):  # noqa: B008 - gradio injects it
        if which == "own":
            lines = [q.strip() for q in (own_text or "").splitlines() if q.strip()]
            questions = [BriefQuestion(str(i), q) for i, q in enumerate(lines, 1)]
        else:
            wanted = set(picked or [])
            questions = [q for q in guiding_questions(language) if q.record_id in wanted]
        if not questions:
            return "<p>Choose at least one question.</p>", gr.skip(), gr.skip()
        brief = build_brief(
            assistant,
            questions,
            lang=language,
            progress=lambda done, total: progress(done / total, desc=f"question {done} of {total}"),
        )
        return (brief_html(brief), *download_pair(export_brief, brief, "vigilance-briefing-pack"))

    lang.change(relabel, lang, guiding, api_visibility="private")
    # Typing questions of one's own means using them.
    own.input(
        lambda text: "own" if text.strip() else "guiding", own, source, api_visibility="private"
    )
    btn.click(run, [lang, source, guiding, own], [result, docx_btn, md_btn], api_name="brief")
