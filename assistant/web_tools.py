"""The tool tabs of the web app: thin UIs over ``assistant/tools`` (compare, gap analysis,
briefing pack, training Q&A). Each tab calls a tool, shows the result escaped, and offers
the tool's exports as downloads. A tool that fails to load leaves a one-line notice, not a
broken app.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import gradio as gr

from assistant import web_render as render
from assistant.tools.brief import source_line

EXPORT_PREFIX = "vigilance-export-"
EXPORT_TTL = 3600  # seconds: gradio has copied the files to its cache long before


def export_dir() -> Path:
    """A fresh folder for one export in the system temp dir (which gradio serves from);
    folders of earlier exports older than an hour are removed on the way."""
    root = Path(tempfile.gettempdir())
    for old in root.glob(f"{EXPORT_PREFIX}*"):
        try:
            if time.time() - old.stat().st_mtime > EXPORT_TTL:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            continue  # removed by another export meanwhile
    return Path(tempfile.mkdtemp(prefix=EXPORT_PREFIX))


def unavailable(name: str, exc: Exception) -> None:
    gr.Markdown(f"The {name} tool could not be loaded: `{type(exc).__name__}`.")


# -- Compare -----------------------------------------------------------------------------
def compare_tab() -> None:
    from assistant.tools.compare import COLUMNS, POINT_COLUMNS, compare_table, export_table
    from assistant.tools.records import load_corpus

    cards = load_corpus().instruments
    juris = sorted({c.jurisdiction for c in cards if c.jurisdiction})
    types = sorted({c.type for c in cards if c.type})
    topics = sorted({t for c in cards for t in c.topics})
    headers = list(COLUMNS.values())

    def rows_of(table: Any) -> list[list[str]]:
        rows = []
        for row in table.rows:
            cells = []
            for column in COLUMNS:
                cell = row.cells[column]
                tail = f" [{cell.locator}]" if column in POINT_COLUMNS and cell.value else ""
                cells.append(cell.value + tail)
            rows.append(cells)
        return rows

    def run(jurisdiction, doc_type, binding, topic):
        filters = {"jurisdiction": jurisdiction, "type": doc_type, "topic": topic}
        if binding in ("yes", "no"):
            filters["binding"] = binding
        table = compare_table(filters)
        rows = rows_of(table)
        folder = export_dir()
        csv_path = export_table(table, folder / "vigilance-comparison.csv")
        xlsx_path = export_table(table, folder / "vigilance-comparison.xlsx")
        note = f"{len(rows)} instrument(s). Each text cell ends with the point it comes from."
        return (
            rows,
            note,
            gr.update(value=str(csv_path), interactive=True),
            gr.update(value=str(xlsx_path), interactive=True),
        )

    with gr.Row():
        jur = gr.Dropdown(
            juris, multiselect=True, label="Jurisdiction", elem_id="compare-jurisdiction"
        )
        typ = gr.Dropdown(types, multiselect=True, label="Type", elem_id="compare-type")
        bnd = gr.Radio(
            ["any", "yes", "no"], value="any", label="Binding", elem_id="compare-binding"
        )
        top = gr.Dropdown(topics, multiselect=True, label="Topic", elem_id="compare-topic")
    btn = gr.Button("Compare", variant="primary", elem_id="compare-run")
    note = gr.Markdown("", elem_id="compare-note")
    table = gr.Dataframe(
        rows_of(compare_table()),
        headers=headers,
        interactive=False,
        wrap=True,
        elem_id="compare-table",
        max_height=520,
    )
    with gr.Row():
        csv_btn = gr.DownloadButton("Download CSV", interactive=False, elem_id="compare-csv")
        xlsx_btn = gr.DownloadButton("Download XLSX", interactive=False, elem_id="compare-xlsx")
    btn.click(run, [jur, typ, bnd, top], [table, note, csv_btn, xlsx_btn], api_name="compare")


def tool_tabs(assistant: Any) -> None:
    """The four tool tabs, each independent of the others."""
    for title, tab_id, builder in (
        ("Compare", "compare", compare_tab),
        ("Gap analysis", "gap", gap_tab),
        ("Briefing pack", "brief", lambda: brief_tab(assistant)),
        ("Training Q&A", "quiz", lambda: quiz_tab(assistant)),
    ):
        with gr.Tab(title, id=tab_id, elem_id=f"tab-{tab_id}"):
            try:
                builder()
            except ImportError as exc:
                unavailable(title, exc)


# -- Gap analysis ------------------------------------------------------------------------
def gap_html(report: Any) -> str:
    """The missing measures by theme, each with what it is, who recommends it and examples."""
    parts = [
        f"<p><strong>{len(report.missing_ids)} of {report.total} measures missing</strong> "
        f"({len(report.in_place)} marked as in place).</p>"
    ]
    for group in report.missing:
        parts.append(f"<h3>{render.esc(group.label)}</h3>")
        for m in group.measures:
            recs = "".join(f"<li>{render.link(r.url, r.cite())}</li>" for r in m.recommended_by)
            examples = "".join(
                f"<li><strong>{render.esc(ex.short_title)}</strong> ({render.esc(ex.jurisdiction or '-')}): "
                f"{render.esc(ex.text)} <em>[{render.link(ex.url, ex.locator)}]</em></li>"
                for ex in m.examples
            )
            parts.append(
                f'<div class="vg-gap-measure" data-id="{render.esc(m.id)}">'
                f"<h4>{render.esc(m.title)}</h4>"
                f"<p>{render.esc(m.what.text)} <em>[{render.esc(m.what.source.cite())}]</em></p>"
                + (f"<p><strong>Recommended by:</strong></p><ul>{recs}</ul>" if recs else "")
                + (f"<p><strong>Examples:</strong></p><ul>{examples}</ul>" if examples else "")
                + "</div>"
            )
    if report.problems:
        parts.append(render.lines(report.problems))
    return "".join(parts)


def measure_label(title: str) -> str:
    """``Measure (a): Require ...`` -> ``(a) Require ...``; ``Measure: Ban ...`` -> ``Ban ...``."""
    return re.sub(
        r"^Measure\s*(\(\w\))?\s*:\s*", lambda m: f"{m.group(1)} " if m.group(1) else "", title
    )


def gap_tab() -> None:
    from assistant.tools.gap import THEMES, export_report, gap_analysis, measures_by_theme

    gr.Markdown(
        "Tick the measures already in place; the analysis lists the others, with who "
        "recommends them and where they are applied."
    )
    groups = []
    for theme, items in measures_by_theme().items():
        choices = [(measure_label(m.title), m.id) for m in items]
        groups.append(
            gr.CheckboxGroup(
                choices,
                label=THEMES.get(theme, theme or "Other"),
                elem_id=f"gap-{theme or 'other'}",
            )
        )
    btn = gr.Button("Run gap analysis", variant="primary", elem_id="gap-run")
    result = gr.HTML("", elem_id="gap-result", js_on_load=None, css_template=render.CSS)
    with gr.Row():
        docx_btn = gr.DownloadButton("Download DOCX", interactive=False, elem_id="gap-docx")
        md_btn = gr.DownloadButton("Download Markdown", interactive=False, elem_id="gap-md")

    def run(*ticked):
        have = [mid for group in ticked for mid in (group or [])]
        report = gap_analysis(have)
        return (gap_html(report), *download_pair(export_report, report, "vigilance-gap-analysis"))

    btn.click(run, groups, [result, docx_btn, md_btn], api_name="gap")


# -- Briefing pack -----------------------------------------------------------------------
def download_pair(export: Any, obj: Any, stem: str) -> tuple[Any, Any]:
    """Write ``obj`` as DOCX and Markdown for the two download buttons of a tab."""
    folder = export_dir()
    docx_path = export(obj, folder / f"{stem}.docx")
    md_path = export(obj, folder / f"{stem}.md")
    return (
        gr.update(value=str(docx_path), interactive=True),
        gr.update(value=str(md_path), interactive=True),
    )


def brief_html(brief: Any) -> str:
    """The pack as shown on screen: each question and answer, then the numbered sources."""
    parts = []
    for item in brief.items:
        answer = render.answer_body(
            {"answer": item.answer, "citations": []}, 0
        )  # markers stay text
        parts.append(f"<h4>{render.esc(item.label)} {render.esc(item.question)}</h4>{answer}")
    sources = "".join(
        f"<li>[{s.n}] {render.esc(source_line(s, brief.lang).split(' — ')[0])} {render.link(s.url) if s.url else ''}</li>"
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


# -- Training Q&A ------------------------------------------------------------------------
def quiz_tab(assistant: Any) -> None:
    from assistant.tools.quiz import export_quiz, make_quiz
    from assistant.tools.records import load_corpus

    cards = sorted(load_corpus().instruments, key=lambda c: c.label.casefold())
    topics = sorted({t for c in cards for t in c.topics})
    with gr.Row():
        topic = gr.Dropdown(topics, multiselect=True, label="Topics", elem_id="quiz-topics")
        instrument = gr.Dropdown(
            [(c.label, c.id) for c in cards],
            multiselect=True,
            label="Instruments",
            elem_id="quiz-instruments",
        )
    with gr.Row():
        n = gr.Slider(1, 50, value=10, step=1, label="Number of questions", elem_id="quiz-n")
        verify = gr.Checkbox(
            label="Keep only pairs the assistant answers from the same instrument (slower)",
            elem_id="quiz-verify",
        )
    btn = gr.Button("Make questions", variant="primary", elem_id="quiz-run")
    note = gr.Markdown("", elem_id="quiz-note")
    table = gr.Dataframe(
        headers=["Question", "Answer", "Source"],
        interactive=False,
        wrap=True,
        elem_id="quiz-table",
        max_height=520,
    )
    with gr.Row():
        buttons = {
            "csv": gr.DownloadButton("CSV", interactive=False, elem_id="quiz-csv"),
            "anki": gr.DownloadButton("Anki (CSV)", interactive=False, elem_id="quiz-anki"),
            "md": gr.DownloadButton("Markdown", interactive=False, elem_id="quiz-md"),
            "docx": gr.DownloadButton("DOCX", interactive=False, elem_id="quiz-docx"),
        }

    def run(topics_, instruments_, count, check, progress=gr.Progress()):  # noqa: B008 - gradio injects it
        try:
            quiz = make_quiz(
                topics_ or [],
                instruments_ or [],
                int(count),
                assistant=assistant if check else None,
                progress=lambda done, total: progress(done / total, desc=f"{done} of {total}"),
            )
        except ValueError as exc:
            return [], f"{exc}", *[gr.skip()] * 4
        rows = [[p.question, p.answer, p.citation()] for p in quiz.pairs]
        folder = export_dir()
        paths = {
            "csv": export_quiz(quiz, folder / "vigilance-quiz.csv"),
            "anki": export_quiz(quiz, folder / "vigilance-quiz-anki.csv", anki=True),
            "md": export_quiz(quiz, folder / "vigilance-quiz.md"),
            "docx": export_quiz(quiz, folder / "vigilance-quiz.docx"),
        }
        note_text = f"{len(rows)} question(s); each answer is a point of an instrument card, with its source."
        return rows, note_text, *[gr.update(value=str(paths[k]), interactive=True) for k in buttons]

    btn.click(
        run, [topic, instrument, n, verify], [table, note, *buttons.values()], api_name="quiz"
    )
