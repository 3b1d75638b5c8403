"""Briefing packs: a list of questions put to the Assistant, compiled into one document with
citations numbered across the whole pack and one consolidated list of sources.

The questions are the Working Group's guiding questions (a)-(m) (``guiding-question``
records, in any of the six UN languages) or the user's own, one per line in a text file.
A pack's headings are written in the same six languages (``brief_labels``).

A pack opens with its contents and an executive summary: for each question, the first
cited statement(s) of its answer, quoted with their citation markers (nothing written anew).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from assistant.answer import MARKER, Answer, Citation
from assistant.messages import message
from assistant.retrieval import QuestionError
from assistant.sources import cite
from assistant.tools.brief_labels import LABELS, LANGS
from assistant.tools.export import (
    add_link,
    add_toc_field,
    export_by_suffix,
    new_docx,
    write_markdown,
)
from assistant.tools.records import Corpus, load_corpus


def label(key: str, lang: str) -> str:
    """The pack's own phrases, else the assistant's (binding status and the like)."""
    table = LABELS.get(key)
    return (table.get(lang) or table["en"]) if table else message(key, lang)


class Asker(Protocol):
    """Anything with ``Assistant.ask``'s signature (the real Assistant, or a stub in the app)."""

    def ask(
        self, question: str, filters: Any = None, conversation: Any = None, across: bool = False
    ) -> Answer: ...


@dataclass
class BriefQuestion:
    label: str  # "(a)" for a guiding question, "1" for a user's question
    question: str
    record_id: str = ""


@dataclass
class BriefItem:
    label: str
    question: str
    answer: str  # markers renumbered to the pack's sources
    supported: bool
    citations: list[int] = field(default_factory=list)
    record_id: str = ""
    summary: str = ""  # the answer's first cited statement(s), markers kept


@dataclass
class Brief:
    title: str
    date: str
    lang: str
    items: list[BriefItem]
    sources: list[Citation]  # numbered once for the whole pack


def guiding_questions(lang: str = "en", corpus: Corpus | None = None) -> list[BriefQuestion]:
    """The Working Group's guiding questions, by letter, in ``lang`` (English when a translation is missing)."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: use {', '.join(LANGS)}")
    corpus = corpus or load_corpus()
    records = sorted(
        corpus.of_kind("guiding-question"), key=lambda r: (str(r.get("letter", "")), r.id)
    )
    key = "question" if lang == "en" else f"question_{lang}"
    out = []
    for r in records:
        text = str(r.get(key) or r.get("question") or "").strip()
        if text:
            out.append(BriefQuestion(f"({r.get('letter', '')})", text, r.id))
    return out


def read_questions(path: str | Path) -> list[BriefQuestion]:
    """A user's questions, one per line (blank lines skipped); ValueError when there are none."""
    lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    questions = [q.strip() for q in lines if q.strip()]
    if not questions:
        raise ValueError(f"{Path(path).name} holds no questions (one per line)")
    return [BriefQuestion(str(i), q) for i, q in enumerate(questions, 1)]


class _Numbering:
    """Global citation numbers: a passage cited by several answers keeps one number."""

    def __init__(self) -> None:
        self.by_passage: dict[str, Citation] = {}

    def number(self, c: Citation) -> int:
        if c.passage_id not in self.by_passage:
            self.by_passage[c.passage_id] = replace(c, n=len(self.by_passage) + 1)
        return self.by_passage[c.passage_id].n


def renumber(answer: Answer, numbering: _Numbering) -> tuple[str, list[int]]:
    """The answer text with its local ``[n]`` markers replaced by pack-wide numbers, and those numbers."""
    local = {c.n: numbering.number(c) for c in answer.citations}
    text = MARKER.sub(lambda m: f"[{local.get(int(m.group(1)), m.group(1))}]", answer.answer)
    return text, sorted(set(local.values()))


def build_brief(
    assistant: Asker,
    questions: Sequence[BriefQuestion] | None = None,
    lang: str = "en",
    title: str | None = None,
    filters: dict[str, Any] | None = None,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Brief:
    """Ask every question (default: the guiding questions in ``lang``) and compile the pack.

    An unsupported answer becomes "Not covered by the sources." with no citation;
    ``progress(done, total)`` is called after each question.
    """
    questions = list(questions) if questions is not None else guiding_questions(lang)
    numbering = _Numbering()
    items = []
    for i, q in enumerate(questions, 1):
        try:
            # A guiding question asks what States do: answered across instruments.
            answer = assistant.ask(q.question, filters=filters, across=bool(q.record_id))
        except QuestionError as exc:  # too long or empty: said in the pack, the rest goes on
            shown = q.question if len(q.question) <= 300 else q.question[:300] + "…"
            note = f"({exc})"
            items.append(BriefItem(q.label, shown, note, False, [], q.record_id, note))
        else:
            items.append(answered(q, answer, numbering, lang))
        if progress:
            progress(i, len(questions))
    sources = sorted(numbering.by_passage.values(), key=lambda s: s.n)
    return Brief(
        title or label("title", lang), (today or dt.date.today()).isoformat(), lang, items, sources
    )


def answered(q: BriefQuestion, answer: Answer, numbering: _Numbering, lang: str) -> BriefItem:
    """One question's item: its answer with pack-wide citation numbers, or "not covered"."""
    if answer.supported and answer.citations:
        text, numbers = renumber(answer, numbering)
        return BriefItem(q.label, q.question, text, True, numbers, q.record_id, summarize(text))
    none = label("not_covered", lang)
    return BriefItem(q.label, q.question, none, False, [], q.record_id, none)


# -- the executive summary ----------------------------------------------------------------------

# Where a cited statement ends: a sentence end followed by its markers ("… 2015. [1]") or
# markers followed by a sentence end ("… (ECOSOC res. 76/7) [1]."). A statement is cut only
# there, never by a sentence splitter, so an abbreviation ("res.", "art.") cannot split it.
CLAIM_END = re.compile(
    r"(?:[.!?…][\"'”’»)]*(?:\s*\[\d+\])+|(?:\s*\[\d+\])+\s*[.!?…;][\"'”’»)]*)(?=\s|$)"
)
SUMMARY_CHARS = 360  # a second statement is added only while the two stay this short


def cited_statements(text: str) -> list[str]:
    """The statements of an answer that carry citation markers, in order: the quoted
    bullets of an extractive answer, else the cited sentences of a written one."""
    lines = [line.strip() for line in text.splitlines()]
    bullets = [line[2:].strip() for line in lines if line.startswith("- ") and MARKER.search(line)]
    if bullets:
        return bullets
    found = []
    for line in lines:
        if not MARKER.search(line) or MARKER.match(line):
            continue  # no citation, or a note about a source ("[2] … had been adopted by …")
        start = 0
        for end in CLAIM_END.finditer(line):
            found.append(line[start : end.end()].strip())
            start = end.end()
        if MARKER.search(line[start:]):
            found.append(line[start:].strip())
    return found


def summarize(text: str, max_chars: int = SUMMARY_CHARS) -> str:
    """One or two cited statements of an answer, quoted whole with their markers. A statement
    that only repeats a question (ends with "?") is passed over when another one exists."""
    found = cited_statements(text)
    statements = [s for s in found if not MARKER.sub("", s).rstrip(" .").endswith("?")] or found
    picked = statements[:1]
    if len(statements) > 1 and len(picked[0]) + len(statements[1]) < max_chars:
        picked.append(statements[1])
    return " ".join(picked)


def contents(brief: Brief) -> list[str]:
    """The pack's sections in order, questions with their letter or number."""
    lang = brief.lang
    questions = [f"{item.label} {item.question}" for item in brief.items]
    return [label("summary", lang), *questions, label("sources", lang)]


# -- output ---------------------------------------------------------------------------------


def to_markdown(brief: Brief) -> str:
    """The pack in Markdown: contents, executive summary, the answers, the sources."""
    lang = brief.lang
    lines = [
        f"# {brief.title}",
        "",
        f"{label('date', lang)}: {brief.date}",
        "",
        label("intro", lang),
        "",
        f"## {label('contents', lang)}",
        "",
        *(f"- {entry}" for entry in contents(brief)),
        "",
        f"## {label('summary', lang)}",
        "",
        label("summary_intro", lang),
        "",
        *(f"- **{item.label} {item.question}** {item.summary}" for item in brief.items),
        "",
    ]
    for item in brief.items:
        lines += [f"## {item.label} {item.question}", "", item.answer.strip(), ""]
    lines += [f"## {label('sources', lang)}", ""]
    lines += [f"- [{s.n}] {cite(s, lang, 'entry')}" for s in brief.sources]
    return "\n".join(lines).rstrip() + "\n"


def _docx_front(doc: Any, brief: Brief) -> None:
    """Title, date, contents (a Word field and, for readers who never update it, a plain
    list) and the executive summary."""
    lang = brief.lang
    doc.add_heading(brief.title, level=0)
    doc.add_paragraph(f"{label('date', lang)}: {brief.date}")
    doc.add_paragraph(label("intro", lang))
    doc.add_paragraph(label("contents", lang), style="TOC Heading")
    add_toc_field(doc, label("toc_hint", lang))
    for entry in contents(brief):
        doc.add_paragraph(entry)
    doc.add_heading(label("summary", lang), level=1)
    doc.add_paragraph(label("summary_intro", lang))
    for item in brief.items:
        para = doc.add_paragraph()
        para.add_run(f"{item.label} {item.question}").bold = True
        para.add_run().add_break()
        para.add_run(item.summary)


def export_docx(brief: Brief, path: str | Path) -> Path:
    """The pack as a Word document: contents and executive summary, a heading per question
    with the answer's bullets as a list, then the numbered sources with their links."""
    path = Path(path)
    lang = brief.lang
    doc = new_docx(brief.title, lang)
    _docx_front(doc, brief)
    for item in brief.items:
        doc.add_heading(f"{item.label} {item.question}", level=1)
        for line in item.answer.strip().splitlines():
            if not line.strip():
                continue
            if line.lstrip().startswith("- "):
                doc.add_paragraph(line.lstrip()[2:], style="List Bullet")
            else:
                doc.add_paragraph(line.strip())
    doc.add_heading(label("sources", lang), level=1)
    for s in brief.sources:
        entry = cite(replace(s, url=""), lang, "entry")
        para = doc.add_paragraph(f"[{s.n}] {entry}" + (" — " if s.url else ""))
        if s.url:
            add_link(para, s.url)
    doc.save(path)
    return path


def export_brief(brief: Brief, path: str | Path) -> Path:
    """Write the pack as Markdown (.md), Word (.docx) or a print view (.html), chosen by the
    extension."""
    from assistant.tools.printview import to_html  # it reads the pack's types from here

    md, html = write_markdown(to_markdown), write_markdown(to_html)
    writers = {".md": md, ".markdown": md, ".docx": export_docx, ".html": html, ".htm": html}
    return export_by_suffix(brief, path, writers)
