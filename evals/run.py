"""``python -m evals``: index the corpus, score retrieval and answers on the gold questions.

Steps: build (or incrementally update) an evaluation store holding ``corpus/`` and
``evals/docs/``; load the embedder once; rank every answerable question with the three
retrieval modes (BM25 only, dense only, the shipped hybrid); ask the extractive
assistant every question; optionally calibrate the refusal threshold; write
``results.json`` and ``results.md`` and print the Markdown.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from evals.metrics import (
    AnswerOutcome,
    Calibration,
    Gold,
    choose_threshold,
    citation_precision,
    citation_precision_documents,
    first_relevant_rank,
    is_relevant,
    quotes_verified,
    refusal_metrics,
    relevance,
    retrieval_summary,
)
from evals.questions import EVAL_DOCS, EVALS_DIR, QUESTIONS, Question, load_questions
from evals.report import markdown

MODES = ("bm25", "dense", "hybrid")
K = 10
FAILURE_RANK = 3  # a question whose first relevant passage is below this rank is listed


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m evals", description=__doc__.splitlines()[0])
    p.add_argument("--store", help="data directory of the evaluation store (default: $VIGILANCE_HOME/eval-store)")
    p.add_argument("--out", default=str(EVALS_DIR / "results"), help="folder for results.json and results.md")
    p.add_argument("--calibrate", action="store_true", help="choose the refusal threshold and write assistant/calibration.json")
    p.add_argument("--limit", type=int, default=0, help="only the first N questions (quick runs)")
    p.add_argument("--questions", default=str(QUESTIONS), help=argparse.SUPPRESS)
    return p.parse_args(argv)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def count_relevant(table: Any, gold: Sequence[Gold]) -> int:
    """How many stored passages are relevant to a question (the nDCG ideal)."""
    n = 0
    for doc_id in {g.doc_id for g in gold}:
        for row in table.by_doc.get(doc_id, []):
            rec = table.records[row]
            n += is_relevant(doc_id, rec.text, gold)
    return n


def subsets(q: Question) -> list[str]:
    out = ["overall", f"lang:{q.language}"]
    if q.cross_lingual:
        out.append("cross_lingual")
    return out


def evaluate_retrieval(retriever: Any, questions: Sequence[Question]) -> tuple[dict, dict]:
    """Per mode and subset, the ranking metrics; per question, first relevant rank and top hits."""
    answerable = [q for q in questions if q.answerable]
    counts = {q.id: count_relevant(retriever.table, q.gold) for q in answerable}
    summary: dict[str, dict[str, Any]] = {}
    per_question: dict[str, dict[str, Any]] = {q.id: {"relevant_passages": counts[q.id]} for q in answerable}
    for mode in MODES:
        runs: dict[str, list[tuple[list[bool], int]]] = {}
        for q in answerable:
            hits = retriever.search(q.question, k=K, mode=mode).hits
            rels = relevance([(h.doc_id, h.text) for h in hits], q.gold)
            for name in subsets(q):
                runs.setdefault(name, []).append((rels, counts[q.id]))
            per_question[q.id][f"rank_{mode}"] = first_relevant_rank(rels)
            if mode == "hybrid":
                per_question[q.id]["top3"] = [
                    {"doc_id": h.doc_id, "locator": h.locator, "relevant": r}
                    for h, r in zip(hits[:3], rels[:3], strict=False)
                ]
        summary[mode] = {
            name: retrieval_summary([r for r, _ in pairs], [n for _, n in pairs])
            for name, pairs in runs.items()
        }
    return summary, per_question


def support_scores(retriever: Any, questions: Sequence[Question]) -> dict[str, float]:
    """The composer's support score for every question (what the refusal threshold cuts)."""
    from assistant.compose import ComposeConfig, ExtractiveComposer

    composer = ExtractiveComposer(retriever, ComposeConfig())
    out = {}
    for q in questions:
        result = retriever.search(q.question, k=composer.config.k)
        out[q.id] = round(float(composer.support(q.question, result)[0]), 6)
    return out


def write_calibration(cal: Calibration, n: int, embedder_id: str) -> Path:
    from assistant.compose import CALIBRATION

    CALIBRATION.write_text(
        json.dumps(
            {
                "threshold": round(cal.threshold, 6),
                "answerable_refused_rate": round(cal.answerable_refused_rate, 4),
                "unanswerable_accepted_rate": round(cal.unanswerable_accepted_rate, 4),
                "date": date.today().isoformat(),
                "questions": n,
                "embedder": embedder_id,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    return CALIBRATION


def evaluate_answers(assistant: Any, questions: Sequence[Question]) -> tuple[dict, dict]:
    """Answer metrics over all questions, and per question what was answered and cited."""
    outcomes: list[AnswerOutcome] = []
    per_question: dict[str, dict[str, Any]] = {}
    quotes_ok = quotes_total = 0
    for q in questions:
        answer = assistant.ask(q.question)
        if answer.supported:  # a refusal's bullet list names documents, it quotes nothing
            ok, n = quotes_verified(answer.answer, {c.n: c.text for c in answer.citations})
            quotes_ok, quotes_total = quotes_ok + ok, quotes_total + n
        cites = tuple((c.doc_id, c.text) for c in answer.citations)
        outcomes.append(AnswerOutcome(q.answerable, answer.supported, cites, q.gold))
        per_question[q.id] = {
            "supported": answer.supported,
            "confidence": answer.confidence,
            "citations": [
                {"doc_id": c.doc_id, "locator": c.locator, "relevant": is_relevant(c.doc_id, c.text, q.gold)}
                for c in answer.citations
            ],
        }
    metrics: dict[str, Any] = {
        **refusal_metrics(outcomes),
        "citation_precision": citation_precision(outcomes),
        "citation_precision_documents": citation_precision_documents(outcomes),
        "quotes_verified": quotes_ok / quotes_total if quotes_total else None,
        "threshold": assistant.composer.config.threshold,
        "n_answerable": sum(q.answerable for q in questions),
        "n_unanswerable": sum(not q.answerable for q in questions),
    }
    return metrics, per_question


def failure_lists(questions: Sequence[Question], per_q: dict[str, dict[str, Any]]) -> dict[str, list]:
    """Questions the lead should look at: weak rankings, wrong refusals, unwarranted answers."""
    retrieval = []
    for q in questions:
        info = per_q.get(q.id, {})
        if not q.answerable or "rank_hybrid" not in info:
            continue
        rank = info["rank_hybrid"]
        if rank is None or rank > FAILURE_RANK:
            retrieval.append(
                {"id": q.id, "language": q.language, "question": q.question, "rank": rank,
                 "gold": [g.doc_id for g in q.gold], "top3": info.get("top3", [])}
            )
    retrieval.sort(key=lambda f: (f["rank"] is not None, f["rank"] or 0, f["id"]))
    refused = [
        {"id": q.id, "question": q.question, "support": per_q[q.id].get("support")}
        for q in questions
        if q.answerable and per_q.get(q.id, {}).get("supported") is False
    ]
    answered = [
        {"id": q.id, "question": q.question, "support": per_q[q.id].get("support"),
         "cited": [c["doc_id"] for c in per_q[q.id].get("citations", [])]}
        for q in questions
        if not q.answerable and per_q.get(q.id, {}).get("supported")
    ]
    return {"retrieval": retrieval, "answerable_refused": refused, "unanswerable_answered": answered}


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation; 0 on success, 1 when the store could not be built."""
    from assistant.core import Assistant
    from assistant.retrieval import Retriever
    from indexer.embedders import make_embedder
    from indexer.pipeline import index_paths
    from indexer.settings import BUNDLED_CORPUS, Settings

    args = parse_args(argv)
    settings = Settings.from_env()
    settings = settings.with_store(Path(args.store) if args.store else settings.home / "eval-store")
    questions = load_questions(Path(args.questions))
    if args.limit:
        questions = questions[: args.limit]
    t0 = time.perf_counter()

    log(f"loading embedder {settings.embedder!r}")
    embedder = make_embedder(settings.embedder, settings.batch_size)
    log(f"indexing corpus/ and evals/docs/ into {settings.home}")
    summary = index_paths([BUNDLED_CORPUS, EVAL_DOCS], settings, embedder=embedder)
    log(summary.line())
    for problem in summary.problems:
        log(f"  {problem}")
    if summary.failed:
        log("some documents could not be indexed: results would not be comparable")
        return 1
    t_index = time.perf_counter()

    retriever = Retriever(settings, embedder=embedder)
    log(f"retrieval: {sum(q.answerable for q in questions)} answerable questions x {len(MODES)} modes")
    retrieval, per_q = evaluate_retrieval(retriever, questions)
    t_retrieval = time.perf_counter()

    log("support scores and answers")
    scores = support_scores(retriever, questions)
    for qid, s in scores.items():
        per_q.setdefault(qid, {})["support"] = s
    flags = [q.answerable for q in questions]
    calibration = None
    if any(flags) and not all(flags):
        calibration = choose_threshold([scores[q.id] for q in questions], flags)
    written = False
    if args.calibrate:
        if calibration is None:
            log("--calibrate needs both answerable and unanswerable questions; nothing written")
        else:
            path = write_calibration(calibration, len(questions), embedder.id)
            written = True
            log(f"threshold {calibration.threshold:.4f} written to {path}")
    assistant = Assistant(settings, retriever=retriever, use_llm=False)
    answers, answer_info = evaluate_answers(assistant, questions)
    for qid, info in answer_info.items():
        per_q.setdefault(qid, {}).update(info)
    t_answers = time.perf_counter()

    results: dict[str, Any] = {
        "meta": {
            "date": date.today().isoformat(),
            "store": str(settings.home),
            "embedder": embedder.id,
            "passages": len(retriever.table),
            "questions": len(questions),
            "answerable": sum(flags),
            "unanswerable": len(flags) - sum(flags),
            "cross_lingual": sum(q.cross_lingual for q in questions),
            "index": summary.line(),
            "seconds": {
                "index": round(t_index - t0, 1),
                "retrieval": round(t_retrieval - t_index, 1),
                "answers": round(t_answers - t_retrieval, 1),
            },
        },
        "retrieval": retrieval,
        "answers": answers,
        "calibration": None
        if calibration is None
        else {
            "threshold": round(calibration.threshold, 6),
            "answerable_refused_rate": calibration.answerable_refused_rate,
            "unanswerable_accepted_rate": calibration.unanswerable_accepted_rate,
            "written": written,
        },
        "failures": failure_lists(questions, per_q),
        "questions": [
            {"id": q.id, "language": q.language, "answerable": q.answerable,
             "cross_lingual": q.cross_lingual, **per_q.get(q.id, {})}
            for q in questions
        ],
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    report = markdown(results)
    (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "results.md").write_text(report, encoding="utf-8")
    print(report)
    log(f"wrote {out / 'results.json'} and {out / 'results.md'}")
    return 0
