"""Training Q&A: questions a trainer would ask, each answered by one numbered point of a
card, with its citation.

Questions are written from templates keyed on what a point states (see
``quiz_templates`` and ``quiz_cases``), in English, French or Spanish; the answer is the
point in that language. Two levels: "recall" (a figure, a date, who must do what) and
"application" (a short case whose answer compares the case with the point and quotes it).
Only points about the chosen topics are used (``quiz_topics``). Without a seed the order is
fixed (each card's most useful questions first, cards in turn); with a seed it is shuffled,
the same way every time for the same seed. Optionally each pair is checked against the
Assistant: kept only if its answer cites the same card.
"""

from __future__ import annotations

import csv
import html
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.sources import Source, cite
from assistant.tools.brief import Asker
from assistant.tools.export import add_link, export_by_suffix, new_docx, write_markdown
from assistant.tools.quiz_cases import application_pairs, threshold_question
from assistant.tools.quiz_lang import EXPORT_WORDS, LANGS
from assistant.tools.quiz_templates import recall_question
from assistant.tools.quiz_topics import point_is_about, topic_label
from assistant.tools.records import Corpus, Point, Record, load_corpus

LEVELS = ("recall", "application", "mixed")
_ANKI_HEADER = ["#separator:semicolon", "#html:true"]


@dataclass
class QAPair:
    question: str
    answer: str
    source: Source  # the card at the point that answers
    kind: str
    verified: bool | None = None  # None: not checked against the Assistant
    level: str = "recall"
    lang: str = "en"

    def citation(self) -> str:
        return cite(self.source, style="short") + (
            f" — {self.source.url}" if self.source.url else ""
        )


@dataclass
class Quiz:
    pairs: list[QAPair]
    topics: list[str]
    instruments: list[str]
    lang: str = "en"
    level: str = "recall"
    seed: int | None = None  # None: fixed order, not shuffled
    cards: list[str] = field(default_factory=list)  # ids of the cards questions came from


def _point_text(card: Record, point: Point, lang: str) -> str | None:
    """The point in ``lang`` (the card's own translation), English when the card has no
    text in that language at all, None when its translation lacks this point."""
    found = card.point(point.n, lang)
    if found is None or not found.text:
        return None
    text = found.text
    return text[:1].upper() + text[1:]


def _source(card: Record, point: Point, text: str) -> Source:
    return card.source(point, text=text)


def recall_pair(card: Record, point: Point, lang: str = "en") -> QAPair | None:
    """The recall question a point supports in ``lang``, answered by the point; None when no
    natural question fits it."""
    made = threshold_question(card, point, lang) or recall_question(card, point, lang)
    text = _point_text(card, point, lang)
    if made is None or text is None:
        return None
    kind, question = made
    return QAPair(question, text, _source(card, point, text), kind, level="recall", lang=lang)


def case_pairs(card: Record, point: Point, lang: str = "en") -> list[QAPair]:
    """The application questions (short cases) a point supports in ``lang``."""
    text = _point_text(card, point, lang)
    if text is None:
        return []
    return [
        QAPair(q, a, _source(card, point, text), kind, level="application", lang=lang)
        for kind, q, a in application_pairs(card, point, text, lang)
    ]


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


# Most useful first: who is covered and from what figure, the core duty, exclusion,
# sanctions … then dates and background.
_PRIORITY = (
    "threshold_turnover threshold_staff threshold_case coverage dd_duty dd_state dd_none "
    "supplier_case annual_report doc_content mandatory_exclusion exclusion_case "
    "discretionary_exclusion exclusion_period self_cleaning fine sanctions prison enforcement "
    "compliance_plan certification contract_remedies procurement_use procurement procurement_none "
    "un_procurement criminal_duty criminal demand victims corporate_liability civil civil_none "
    "remedy_access prohibited recruitment scope scope_doc approval publication register monitoring "
    "in_force adopted legal_status purpose audience tools training"
).split()
_RANK = {kind: i for i, kind in enumerate(_PRIORITY)}


def card_pairs(
    card: Record, lang: str = "en", level: str = "recall", topics: Sequence[str] = ()
) -> list[QAPair]:
    """Every question the card supports at ``level`` (recall, application or mixed), from its
    points about ``topics`` (all points when no topic is given), one pair per question."""
    pairs: list[QAPair] = []
    for point in card.points:
        if not point.text or (topics and not point_is_about(card, point, topics)):
            continue
        if level in ("recall", "mixed") and (pair := recall_pair(card, point, lang)):
            pairs.append(pair)
        if level in ("application", "mixed"):
            pairs += case_pairs(card, point, lang)
    unique = {p.question: p for p in reversed(pairs)}  # the first point asking it answers
    return [p for p in pairs if unique[p.question] is p]


def candidate_pairs(
    cards: Sequence[Record],
    lang: str = "en",
    level: str = "recall",
    topics: Sequence[str] = (),
    named: Iterable[str] = (),
    rng: random.Random | None = None,
) -> Iterator[QAPair]:
    """Pairs in round-robin over the cards, so a short quiz spans instruments. Without
    ``rng`` each card's most useful questions come first (card i starting at its (i mod 4)-th,
    so the first round mixes question types); with ``rng`` cards and questions are shuffled.
    Cards in ``named`` give questions from all their points; the others only on ``topics``."""
    named, queues = set(named), []
    for i, card in enumerate(cards):
        pairs = card_pairs(card, lang, level, () if card.id in named else topics)
        if not pairs:
            continue
        if rng is not None:
            rng.shuffle(pairs)
        else:
            pairs.sort(key=lambda q: _RANK.get(q.kind, len(_RANK)))
            k = i % min(4, len(pairs))
            pairs = pairs[k:] + pairs[:k]
        queues.append(pairs)
    if rng is not None:
        rng.shuffle(queues)
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
    lang: str = "en",
    level: str = "recall",
    seed: int | None = None,
) -> Quiz:
    """Up to ``n`` pairs in ``lang`` at ``level`` from the chosen cards (see ``select_cards``),
    only on ``topics`` for cards chosen by topic. ``seed``: shuffle, reproducibly. With
    ``assistant``, each candidate is asked and kept only when verified, until ``n`` are kept
    or candidates run out."""
    if n < 1:
        raise ValueError("n must be at least 1")
    if lang not in LANGS:
        raise ValueError(f"language must be one of {', '.join(LANGS)}")
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}")
    topics, instruments = list(topics), list(instruments)
    cards = select_cards(topics, instruments, corpus)
    rng = random.Random(seed) if seed is not None else None
    pairs: list[QAPair] = []
    for pair in candidate_pairs(cards, lang, level, topics, instruments, rng):
        if assistant is not None:
            pair.verified = verify_pair(assistant, pair)
            if not pair.verified:
                continue
        pairs.append(pair)
        if progress:
            progress(len(pairs), n)
        if len(pairs) >= n:
            break
    used = list(dict.fromkeys(p.source.doc_id for p in pairs))
    return Quiz(pairs, topics, instruments, lang, level, seed, used)


# -- output --------------------------------------------------------------------------------


def export_csv(quiz: Quiz, path: str | Path) -> Path:
    """UTF-8 with a BOM (Excel), one pair per row: the question, then the answer key (answer,
    source, locator, address) in columns of their own, so the question column can be handed
    out alone."""
    path = Path(path)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            ["Question", "Answer", "Source", "Locator", "URL", "Card id", "Verified", "Level",
             "Language"]
        )  # fmt: skip
        for p in quiz.pairs:
            verified = "" if p.verified is None else ("yes" if p.verified else "no")
            src = p.source
            writer.writerow(
                [p.question, p.answer, src.name, src.locator, src.url, src.doc_id, verified,
                 p.level, p.lang]
            )  # fmt: skip
    return path


def export_anki(quiz: Quiz, path: str | Path) -> Path:
    """Anki's text import: ``#separator:semicolon`` and ``#html:true`` lines, then front;back
    rows, HTML-escaped: the question alone on the front, the answer and its source on the back."""
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


def _colon(lang: str) -> str:
    return " : " if lang == "fr" else ": "


def _scope_line(quiz: Quiz) -> str:
    words = EXPORT_WORDS[quiz.lang]
    scope = ", ".join(quiz.instruments + [topic_label(t) for t in quiz.topics]) or words["all"]
    parts = [f"{words['scope']}{_colon(quiz.lang)}{scope}", words["count"].format(n=len(quiz.pairs)),
             words["levels"][quiz.level]]  # fmt: skip
    if quiz.seed is not None:
        parts.append(words["seed"].format(seed=quiz.seed))
    return ". ".join(parts) + "."


def to_markdown(quiz: Quiz, title: str | None = None) -> str:
    """The questions first, then the answer key with each answer's source."""
    words = EXPORT_WORDS[quiz.lang]
    lines = [
        f"# {title or words['title']}",
        "",
        _scope_line(quiz),
        "",
        f"## {words['questions']}",
        "",
    ]
    lines += [f"{i}. {p.question}" for i, p in enumerate(quiz.pairs, 1)]
    lines += ["", f"## {words['key']}", ""]
    for i, p in enumerate(quiz.pairs, 1):
        mark = f" ({words['verified']})" if p.verified else ""
        lines += [f"**{i}. {p.question}**{mark}", "", p.answer, ""]
        lines += [f"*{words['source']}{_colon(quiz.lang)}{p.citation()}*", ""]
    return "\n".join(lines).rstrip() + "\n"


def export_docx(quiz: Quiz, path: str | Path, title: str | None = None) -> Path:
    """The questions first, to hand out; then a separate answer key with each answer's source."""
    path, words = Path(path), EXPORT_WORDS[quiz.lang]
    title = title or words["title"]
    doc = new_docx(title, quiz.lang)
    doc.add_heading(title, level=0)
    doc.add_paragraph(_scope_line(quiz))
    doc.add_heading(words["questions"], level=1)
    for i, p in enumerate(quiz.pairs, 1):
        doc.add_paragraph(f"{i}. {p.question}")
    doc.add_page_break()
    doc.add_heading(words["key"], level=1)
    for i, p in enumerate(quiz.pairs, 1):
        doc.add_heading(f"{i}. {p.question}", level=2)
        doc.add_paragraph(p.answer)
        source = doc.add_paragraph()
        label = f"{words['source']}{_colon(quiz.lang)}{cite(p.source, style='short')}"
        source.add_run(label).italic = True
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
