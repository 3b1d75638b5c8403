"""Training Q&A: question–answer pairs made from the cards' numbered points, each answer
being the point itself with its citation.

Deterministic: the same cards give the same pairs in the same order. A template is
chosen from the point's label ("Who must report" -> who must comply; "Fines" -> what
sanction applies; a point with an article -> which provision ...). Optionally each
pair is checked against the Assistant: kept only if its answer cites the same card.
"""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.sources import Source, cite
from assistant.tools.brief import Asker
from assistant.tools.export import add_link, export_by_suffix, new_docx, write_markdown
from assistant.tools.records import Corpus, Point, Record, load_corpus

# Label families, tried in this order; the first that matches picks the template.
_KINDS: list[tuple[str, str]] = [
    ("status", r"^status\b|\bstatus in\b|^current (version|edition)"),
    ("covered", r"\bwho (must|is|are)\b|\bcovered\b|^scope\b|threshold|reporting entities"),
    ("sanction", r"sanction|penalt|\bfines?\b"),
    ("enforcement", r"enforcement|supervis|court order"),
    (
        "procurement",
        r"public procurement|procurement link|use in (public )?procurement|meaning for procurement",
    ),
    ("obligation", r"obligation|\bdut(y|ies)\b|annual statement|vigilance plan|core duty"),
    # who wrote it and when: true, but not what a trainer wants asked first
    (
        "background",
        r"^(publisher|authors?|origin|adoption|enactment|launch|edition|first edition|"
        r"project and funding|languages|dates|title and authors|place in the series|history)\b",
    ),
]
# Provisions worth asking "which provision ...?" about: articles, sections, paragraphs, regulations.
_PROVISION = re.compile(
    r"(\bart(icle)?s?\.?\s*\d|\bss?\.\s*\d|§|\breg\.\s*\d|\bparas?\.\s*\d|\b\d{2}\.\d{3})", re.I
)
_ANKI_HEADER = ["#separator:semicolon", "#html:true"]


@dataclass
class QAPair:
    question: str
    answer: str
    source: Source  # the card at the point that answers
    kind: str
    verified: bool | None = None  # None: not checked against the Assistant

    def citation(self) -> str:
        return cite(self.source, style="short") + (
            f" — {self.source.url}" if self.source.url else ""
        )


@dataclass
class Quiz:
    pairs: list[QAPair]
    topics: list[str]
    instruments: list[str]


def point_kind(point: Point) -> str:
    """The template family of a point, from its label ("generic" when none fits)."""
    for kind, pattern in _KINDS:
        if re.search(pattern, point.label, re.I):
            return kind
    return "provision" if point.ref and _PROVISION.search(point.ref) else "generic"


def _lower_first(label: str) -> str:
    # keep acronyms and names: "UN procurement", "EO 13126 List"
    if len(label) > 1 and (label[1].isupper() or label[1].isdigit()):
        return label
    return label[:1].lower() + label[1:]


def make_pair(card: Record, point: Point) -> QAPair:
    """One question–answer pair from one point; the answer is the point's own statement."""
    name, kind, topic = card.label, point_kind(point), _lower_first(point.label)
    answer = point.text
    if kind == "covered":
        question = (
            f"{name}: who must comply?"
            if card.binding == "yes"
            else f"{name}: who or what does it cover?"
        )
    elif kind == "sanction":
        question = f"{name}: what sanction applies?"
    elif kind == "enforcement":
        question = f"{name}: how is it enforced?"
    elif kind == "procurement":
        question = f"{name}: what does it mean for public procurement?"
    elif kind == "obligation":
        question = f"{name}: what does it require ({topic})?"
    elif kind == "status":
        question = f"{name}: what is its status?"
    elif kind == "background":
        question = (
            f"{name}: what does it say on {topic}?"
            if point.label
            else f"{name}: what does point {point.n} say?"
        )
    elif kind == "provision":
        question = f"{name}: which provision deals with {topic}?"
        answer = f"{point.ref}: {point.text}"
    elif point.label:
        question = f"{name}: what does it say on {topic}?"
    else:
        question = f"{name}: what does point {point.n} say?"
    answer = answer[:1].upper() + answer[1:]
    return QAPair(question, answer, card.source(point), kind)


def select_cards(
    topics: Iterable[str] = (), instruments: Iterable[str] = (), corpus: Corpus | None = None
) -> list[Record]:
    """Named instruments first (in the order given), then cards with any of ``topics`` (by id);
    every card when both are empty. ValueError naming unknown instrument ids or topics."""
    corpus = corpus or load_corpus()
    cards = {c.id: c for c in corpus.instruments}
    instruments, topics = list(dict.fromkeys(instruments)), list(dict.fromkeys(topics))
    unknown = [i for i in instruments if i not in cards]
    if unknown:
        raise ValueError(f"unknown instrument id(s): {', '.join(unknown)}")
    known_topics = {t for c in cards.values() for t in c.topics}
    bad_topics = [t for t in topics if t not in known_topics]
    if bad_topics:
        raise ValueError(
            f"no card has topic(s) {', '.join(bad_topics)}; topics: {', '.join(sorted(known_topics))}"
        )
    if not instruments and not topics:
        return sorted(cards.values(), key=lambda c: c.id)
    chosen = [cards[i] for i in instruments]
    chosen += sorted(
        (c for c in cards.values() if c.id not in instruments and set(c.topics) & set(topics)),
        key=lambda c: c.id,
    )
    return chosen


_KIND_ORDER = {
    "covered": 0,
    "obligation": 1,
    "procurement": 2,
    "sanction": 3,
    "enforcement": 4,
    "provision": 5,
    "generic": 6,
    "status": 7,
    "background": 8,
}


def candidate_pairs(cards: Sequence[Record]) -> Iterator[QAPair]:
    """Pairs in round-robin over the cards, each card's most useful points first
    (who is covered, obligation, procurement, sanction ...), so a short quiz spans cards
    and question types."""
    queues = []
    for i, card in enumerate(cards):
        pairs = [make_pair(card, p) for p in card.points if p.text]
        pairs.sort(key=lambda q: _KIND_ORDER.get(q.kind, 9))  # stable: card order within a kind
        # card i starts at its (i mod 4)-th best pair, so the first round mixes question types
        k = i % min(4, len(pairs)) if pairs else 0
        queues.append(pairs[k:] + pairs[:k])
    depth = max((len(q) for q in queues), default=0)
    for i in range(depth):
        for queue in queues:
            if i < len(queue):
                yield queue[i]


def verify_pair(assistant: Asker, pair: QAPair) -> bool:
    """True when the Assistant, asked the question, cites the pair's card."""
    answer = assistant.ask(pair.question)
    return answer.supported and any(c.doc_id == pair.source.doc_id for c in answer.citations)


def make_quiz(
    topics: Iterable[str] = (),
    instruments: Iterable[str] = (),
    n: int = 10,
    corpus: Corpus | None = None,
    assistant: Asker | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Quiz:
    """Up to ``n`` pairs from the chosen cards (see ``select_cards``). With ``assistant``, each
    candidate is asked and kept only when verified, until ``n`` are kept or candidates run out."""
    if n < 1:
        raise ValueError("n must be at least 1")
    topics, instruments = list(topics), list(instruments)
    cards = select_cards(topics, instruments, corpus)
    pairs: list[QAPair] = []
    for pair in candidate_pairs(cards):
        if assistant is not None:
            pair.verified = verify_pair(assistant, pair)
            if not pair.verified:
                continue
        pairs.append(pair)
        if progress:
            progress(len(pairs), n)
        if len(pairs) >= n:
            break
    return Quiz(pairs, topics, instruments)


# -- output --------------------------------------------------------------------------------


def export_csv(quiz: Quiz, path: str | Path) -> Path:
    """UTF-8 with a BOM (Excel), one pair per row, with its source."""
    path = Path(path)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Question", "Answer", "Source", "Locator", "URL", "Card id", "Verified"])
        for p in quiz.pairs:
            verified = "" if p.verified is None else ("yes" if p.verified else "no")
            src = p.source
            writer.writerow(
                [p.question, p.answer, src.name, src.locator, src.url, src.doc_id, verified]
            )
    return path


def export_anki(quiz: Quiz, path: str | Path) -> Path:
    """Anki's text import: ``#separator:semicolon`` and ``#html:true`` lines, then front;back
    rows, HTML-escaped, the back ending with the source."""
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("\n".join(_ANKI_HEADER) + "\n")
        writer = csv.writer(fh, delimiter=";", lineterminator="\n")
        for p in quiz.pairs:
            source = html.escape(cite(p.source, style="short"))
            if p.source.url:
                source = f"<a href='{html.escape(p.source.url)}'>{source}</a>"
            back = f"{html.escape(p.answer)}<br><small>{source}</small>"
            writer.writerow([html.escape(p.question), back])
    return path


def to_markdown(quiz: Quiz, title: str = "Training quiz") -> str:
    scope = ", ".join(quiz.instruments + quiz.topics) or "all instruments"
    lines = [f"# {title}", "", f"Scope: {scope}. {len(quiz.pairs)} questions.", ""]
    for i, p in enumerate(quiz.pairs, 1):
        mark = " (verified)" if p.verified else ""
        lines += [f"**{i}. {p.question}**{mark}", "", p.answer, "", f"*Source: {p.citation()}*", ""]
    return "\n".join(lines).rstrip() + "\n"


def export_docx(quiz: Quiz, path: str | Path, title: str = "Training quiz") -> Path:
    """The questions first, to hand out; then a separate answer key with each answer's source."""
    path = Path(path)
    doc = new_docx(title)
    doc.add_heading(title, level=0)
    doc.add_heading("Questions", level=1)
    for i, p in enumerate(quiz.pairs, 1):
        doc.add_paragraph(f"{i}. {p.question}")
    doc.add_page_break()
    doc.add_heading("Answer key", level=1)
    for i, p in enumerate(quiz.pairs, 1):
        doc.add_heading(f"{i}. {p.question}", level=2)
        doc.add_paragraph(p.answer)
        source = doc.add_paragraph()
        source.add_run(f"Source: {cite(p.source, style='short')}").italic = True
        if p.source.url:
            source.add_run(" — ")
            add_link(source, p.source.url)
    doc.save(path)
    return path


def export_quiz(quiz: Quiz, path: str | Path, anki: bool = False) -> Path:
    """Write the quiz as CSV, Markdown or DOCX by extension; ``anki`` (with .csv or .txt) for Anki's import."""
    path = Path(path)
    suffix = path.suffix.casefold()
    if anki:
        if suffix not in (".csv", ".txt"):
            raise ValueError(f"cannot write an Anki file to {path.name}: use .csv or .txt")
        return export_anki(quiz, path)
    md = write_markdown(to_markdown)
    writers = {".csv": export_csv, ".md": md, ".markdown": md, ".docx": export_docx}
    return export_by_suffix(quiz, path, writers)
