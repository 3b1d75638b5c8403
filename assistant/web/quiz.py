"""The Training Q&A tab: questions a trainer can use, in English, French or Spanish, each
answered by a card point with its source.

Options: topics and instruments, language, level (recall, application or both), number of
questions, shuffle with a seed (the same seed gives the same set again). The table is HTML so
that it wraps to the window (fixed column widths, a reading font, no sideways scrolling);
the answers can be hidden to show the questions alone on a screen.
"""

from __future__ import annotations

import random
from typing import Any

import gradio as gr

from assistant.web import render
from assistant.web.downloads import export_dir
from assistant.web.i18n import ui

# Share of the table's width per column (percent).
WIDTHS = {"n": 4, "question": 36, "answer": 42, "source": 18}
LEVEL_CHOICES = [
    (ui("quiz.level_recall"), "recall"),
    (ui("quiz.level_application"), "application"),
    (ui("quiz.level_mixed"), "mixed"),
]
EMPTY = '<p class="vg-empty">Choose a topic or instruments, then make the questions.</p>'


def table_html(quiz: Any, show_answers: bool = True) -> str:
    """The questions (and, unless hidden, their answers and sources) as an HTML table."""
    if not quiz.pairs:
        return '<p class="vg-empty">No question could be made from these choices.</p>'
    columns = ["n", "question"] + (["answer", "source"] if show_answers else [])
    names = {"n": "#", "question": "Question", "answer": "Answer", "source": "Source"}
    widths = dict(WIDTHS, question=WIDTHS["question"] if show_answers else 96)
    cols = "".join(f'<col style="width: {widths[c]}%">' for c in columns)
    head = "".join(f'<th scope="col">{names[c]}</th>' for c in columns)
    rows = []
    for i, p in enumerate(quiz.pairs, 1):
        cells = {
            "n": str(i),
            "question": render.esc(p.question),
            "answer": render.esc(p.answer),
            "source": source_html(p),
        }
        rows.append(
            f'<tr data-card="{render.esc(p.source.doc_id)}" data-level="{render.esc(p.level)}">'
            + "".join(f"<td>{cells[c]}</td>" for c in columns)
            + "</tr>"
        )
    return (
        f'<div class="vg-quiz-wrap"><table class="vg-quiz" lang="{render.esc(quiz.lang)}">'
        f"<colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def source_html(pair: Any) -> str:
    from assistant.sources import cite

    text = render.esc(cite(pair.source, style="short"))
    if render.safe_url(pair.source.url):
        return f"{text}<br>{render.link(pair.source.url, 'open the text')}"
    return text


def note_text(quiz: Any, asked: int, verified: bool = False) -> str:
    """What was made: the count (and why it is short of the number asked), the seed."""
    from assistant.tools.quiz_lang import EXPORT_WORDS

    level = EXPORT_WORDS["en"]["levels"][quiz.level].lower()
    text = f"{len(quiz.pairs)} question(s), {level}, each answered by a card point with its source."
    if len(quiz.pairs) < asked:
        text += (
            f" Only {len(quiz.pairs)} of the {asked} asked: the chosen cards hold no more points"
            " that make a natural question of this level on this topic"
            + (
                ", or the assistant did not answer the others from the same card."
                if verified
                else "."
            )
        )
    if quiz.seed is not None:
        text += f" Shuffled with seed {quiz.seed}: enter it again to get the same set."
    return text


def seed_of(shuffle: bool, seed: Any) -> int | None:
    """The seed to shuffle with: the trainer's, a new one when none is given, None for the
    fixed order."""
    if not shuffle:
        return None
    if seed not in (None, ""):
        return int(seed)
    return random.SystemRandom().randint(1, 99_999)


def options() -> tuple[Any, ...]:
    """Language, level, number; shuffle and seed; verification; answers shown or hidden."""
    from assistant.tools.quiz_lang import LANG_NAMES

    with gr.Row():
        lang = gr.Radio(
            [(name, code) for code, name in LANG_NAMES.items()],
            value="en",
            label=ui("common.language"),
            elem_id="quiz-lang",
        )
        level = gr.Radio(
            LEVEL_CHOICES, value="recall", label=ui("quiz.level"), elem_id="quiz-level"
        )
        n = gr.Slider(1, 50, value=10, step=1, label=ui("quiz.count"), elem_id="quiz-n")
    with gr.Row():
        shuffle = gr.Checkbox(label=ui("quiz.shuffle"), elem_id="quiz-shuffle")
        seed = gr.Number(
            label=ui("quiz.seed"),
            precision=0,
            minimum=0,
            elem_id="quiz-seed",
        )
        verify = gr.Checkbox(
            label=ui("quiz.verify"),
            elem_id="quiz-verify",
        )
        show = gr.Checkbox(value=True, label=ui("quiz.show"), elem_id="quiz-show")
    return lang, level, n, shuffle, seed, verify, show


def quiz_tab(assistant: Any) -> None:
    from assistant.tools.quiz import export_quiz, make_quiz
    from assistant.tools.quiz_topics import topic_label
    from assistant.tools.records import load_corpus

    cards = sorted(load_corpus().instruments, key=lambda c: c.label.casefold())
    topics = sorted({t for c in cards for t in c.topics})
    with gr.Row():
        topic = gr.Dropdown(
            [(topic_label(t), t) for t in topics],
            multiselect=True,
            label=ui("quiz.topics"),
            elem_id="quiz-topics",
        )
        instrument = gr.Dropdown(
            [(c.label, c.id) for c in cards],
            multiselect=True,
            label=ui("quiz.instruments"),
            elem_id="quiz-instruments",
        )
    lang, level, n, shuffle, seed, verify, show = options()
    btn = gr.Button(ui("quiz.run"), variant="primary", elem_id="quiz-run")
    note = gr.Markdown("", elem_id="quiz-note")
    table = gr.HTML(EMPTY, elem_id="quiz-table")
    made = gr.State(None)
    with gr.Row():
        buttons = {
            "csv": gr.DownloadButton("CSV", interactive=False, elem_id="quiz-csv"),
            "anki": gr.DownloadButton("Anki (CSV)", interactive=False, elem_id="quiz-anki"),
            "md": gr.DownloadButton("Markdown", interactive=False, elem_id="quiz-md"),
            "docx": gr.DownloadButton("DOCX", interactive=False, elem_id="quiz-docx"),
        }

    def run(topics_, instruments_, lang_, level_, count, shuffle_, seed_, check, show_,
            progress=gr.Progress()):  # noqa: B008 - gradio injects it  # fmt: skip
        try:
            quiz = make_quiz(
                topics_ or [],
                instruments_ or [],
                int(count),
                assistant=assistant if check else None,
                progress=lambda done, total: progress(done / total, desc=f"{done} of {total}"),
                lang=lang_ or "en",
                level=level_ or "recall",
                seed=seed_of(shuffle_, seed_),
            )
        except ValueError as exc:
            return gr.skip(), f"{exc}", gr.skip(), *[gr.skip()] * 4
        folder = export_dir()
        paths = {
            "csv": export_quiz(quiz, folder / "vigilance-quiz.csv"),
            "anki": export_quiz(quiz, folder / "vigilance-quiz-anki.csv", anki=True),
            "md": export_quiz(quiz, folder / "vigilance-quiz.md"),
            "docx": export_quiz(quiz, folder / "vigilance-quiz.docx"),
        }
        ready = [gr.update(value=str(paths[k]), interactive=bool(quiz.pairs)) for k in buttons]
        return table_html(quiz, show_), note_text(quiz, int(count), check), quiz, *ready

    def toggle(quiz, show_):
        return EMPTY if quiz is None else table_html(quiz, show_)

    inputs = [topic, instrument, lang, level, n, shuffle, seed, verify, show]
    btn.click(run, inputs, [table, note, made, *buttons.values()], api_name="quiz")
    show.change(toggle, [made, show], [table], api_visibility="private")
