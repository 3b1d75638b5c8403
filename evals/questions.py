"""The gold question set (``evals/questions.jsonl``) and the documents it points to.

``load_questions`` reads and validates the file; ``document_passages`` chunks the
bundled corpus and the evaluation documents exactly as the indexer does (no model,
no store), so a gold phrase can be checked against the very passages that retrieval
will return.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from evals.metrics import Gold, is_relevant

T = TypeVar("T")

EVALS_DIR = Path(__file__).resolve().parent
QUESTIONS = EVALS_DIR / "questions.jsonl"
EVAL_DOCS = EVALS_DIR / "docs"
LANGUAGES = ("en", "fr", "es")
FIELDS = ("id", "question", "language", "answerable", "cross_lingual", "gold", "expect", "category")


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    language: str
    answerable: bool
    cross_lingual: bool
    gold: tuple[Gold, ...]
    expect: str
    category: str


@dataclass(frozen=True)
class DocPassage:
    doc_id: str
    locator: str
    language: str
    text: str


def parse_question(row: dict) -> Question:
    """One JSON row as a ``Question``; raises ValueError naming the problem."""
    missing = [f for f in FIELDS if f not in row]
    if missing:
        raise ValueError(f"{row.get('id', '?')}: missing {', '.join(missing)}")
    if row["language"] not in LANGUAGES:
        raise ValueError(f"{row['id']}: language {row['language']!r} is not one of {LANGUAGES}")
    gold = tuple(Gold(g["doc_id"], g.get("phrase")) for g in row["gold"])
    if bool(row["answerable"]) != bool(gold):
        raise ValueError(f"{row['id']}: answerable questions need gold, unanswerable ones none")
    return Question(
        id=str(row["id"]),
        question=str(row["question"]),
        language=row["language"],
        answerable=bool(row["answerable"]),
        cross_lingual=bool(row["cross_lingual"]),
        gold=gold,
        expect=str(row["expect"]),
        category=str(row["category"]),
    )


def read_jsonl(path: Path, parse: Callable[[dict[str, Any]], T]) -> list[T]:
    """Every row of a JSON-lines question file, parsed, in order; a bad row or a duplicate
    id is a ValueError naming the file and line."""
    out: list[T] = []
    seen: set[str] = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            q = parse(json.loads(line))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ValueError(f"{path.name} line {n}: {exc}") from exc
        if q.id in seen:
            raise ValueError(f"{path.name} line {n}: duplicate id {q.id}")
        seen.add(q.id)
        out.append(q)
    return out


def load_questions(path: Path = QUESTIONS) -> list[Question]:
    """Every question in the file, in order; duplicate ids are an error."""
    return read_jsonl(path, parse_question)


def passage_language(text: str) -> str:
    """en / fr / es (or another code) for a passage, detected from its words.

    The stored language is not used: it is the document's, and a card whose French and
    Spanish summaries outweigh its English points is stored as French throughout. The
    detector is the one retrieval uses for questions.
    """
    from indexer.language import detect

    return detect(text)


def document_passages(folders: Iterable[Path]) -> dict[str, list[DocPassage]]:
    """Passages of every indexable file under ``folders``, by document id, as the indexer cuts them."""
    from indexer.pipeline import discover, prepare, sha256_file
    from indexer.settings import Settings

    settings = Settings()
    files, _ = discover(list(folders))
    out: dict[str, list[DocPassage]] = {}
    for path in files:
        prep = prepare(path, sha256_file(path), settings)
        out[prep.doc.doc_id] = [
            DocPassage(prep.doc.doc_id, p.locator, passage_language(p.text), p.text)
            for p in prep.passages
        ]
    return out


def gold_passages(question: Question, passages: dict[str, list[DocPassage]]) -> list[DocPassage]:
    """The passages that count as relevant for a question."""
    hits: list[DocPassage] = []
    for doc_id in dict.fromkeys(g.doc_id for g in question.gold):
        docs = passages.get(doc_id, [])
        found = [p for p in docs if is_relevant(p.doc_id, p.text, question.gold)]
        # A card point counts in every language it is written in (same locator).
        points = {p.locator for p in found if p.locator.startswith("point ")}
        hits.extend(p for p in docs if p in found or p.locator in points)
    return hits


def problems(questions: Sequence[Question], passages: dict[str, list[DocPassage]]) -> list[str]:
    """What is wrong with the gold of a question set, checked against the documents.

    Each gold (document, phrase) must match a passage; a question marked cross-lingual
    must have no relevant passage in its own language, and one not so marked at least one.
    """
    out: list[str] = []
    for q in questions:
        for g in q.gold:
            docs = passages.get(g.doc_id)
            if docs is None:
                out.append(f"{q.id}: no document {g.doc_id!r}")
            elif not any(is_relevant(p.doc_id, p.text, [g]) for p in docs):
                out.append(f"{q.id}: phrase {g.phrase!r} not in any passage of {g.doc_id}")
        if q.answerable:
            langs = {p.language for p in gold_passages(q, passages)}
            if langs and q.cross_lingual == (q.language in langs):
                out.append(
                    f"{q.id}: cross_lingual={q.cross_lingual} but gold languages are {sorted(langs)}"
                )
    return out
