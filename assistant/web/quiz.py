"""The Training Q&A tab: question-answer pairs from the cards, with their sources."""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.web.downloads import export_dir


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
