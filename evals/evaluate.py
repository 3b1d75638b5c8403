"""Score one store against one list of questions: ranking, answers and refusals, by subset.

Both suites (the bundled cards and the user's own documents) go through these functions,
so their figures are computed the same way and can stand side by side. ``run_store``
returns one record per question (what was ranked, answered and cited); ``summarise``
turns any list of records (one store's, or several stores' together) into metrics for the
subsets ``overall``, ``same_language``, ``cross_lingual`` and ``lang:xx``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from evals.metrics import (
    first_relevant_rank,
    is_relevant,
    mean,
    quotes_verified,
    relevance,
    retrieval_summary,
)
from evals.questions import Question

K = 10


def subsets(record: dict[str, Any]) -> list[str]:
    return [
        "overall",
        "cross_lingual" if record["cross_lingual"] else "same_language",
        f"lang:{record['language']}",
    ]


def point_text(table: Any, doc_id: str, locator: str, text: str) -> str:
    """A card point's text in every language it is stored in: the gold phrase of a point
    (often English) also marks its French and Spanish versions, which cite the same point."""
    if not locator.startswith("point "):
        return text
    same = [r.text for r in table.doc_records(doc_id) if r.meta.get("locator") == locator]
    return "\n".join(same) or text


def count_relevant(table: Any, q: Question) -> int:
    """How many stored passages are relevant to a question (the nDCG ideal); a card point
    counts once whatever the number of languages it is stored in."""
    seen: set[tuple[str, str]] = set()
    n = 0
    for doc_id in {g.doc_id for g in q.gold}:
        for rec in table.doc_records(doc_id):
            locator = str(rec.meta.get("locator", ""))
            key = (doc_id, locator if locator.startswith("point ") else rec.id)
            if key in seen:
                continue
            seen.add(key)
            n += is_relevant(doc_id, point_text(table, doc_id, locator, rec.text), q.gold)
    return n


def run_store(
    retriever: Any,
    assistant: Any,
    questions: Sequence[Question],
    modes: Sequence[str] = ("hybrid",),
    store: str = "",
) -> list[dict[str, Any]]:
    """One record per question: relevance of the top 10 in each mode, and the answer."""
    records = []
    for q in questions:
        rec: dict[str, Any] = {
            "id": q.id,
            "store": store,
            "language": q.language,
            "answerable": q.answerable,
            "cross_lingual": q.cross_lingual,
            "question": q.question,
        }
        if q.answerable:
            rec["n_relevant"] = count_relevant(retriever.table, q)
            for mode in modes:
                hits = retriever.search(q.question, k=K, mode=mode).hits
                table = retriever.table
                rels = relevance(
                    [(h.doc_id, point_text(table, h.doc_id, h.locator, h.text)) for h in hits],
                    q.gold,
                )
                rec[f"rels_{mode}"] = rels
                rec[f"rank_{mode}"] = first_relevant_rank(rels)
                rec["top3"] = [
                    {"doc_id": h.doc_id, "locator": h.locator, "relevant": r}
                    for h, r in zip(hits[:3], rels[:3], strict=False)
                ]
        answer = assistant.ask(q.question)
        cites = [
            {
                "doc_id": c.doc_id,
                "locator": c.locator,
                "relevant": is_relevant(
                    c.doc_id, point_text(retriever.table, c.doc_id, c.locator, c.text), q.gold
                ),
            }
            for c in answer.citations
        ]
        quotes = (
            quotes_verified(answer.answer, {c.n: c.text for c in answer.citations})
            if answer.supported
            else (0, 0)
        )
        rec.update(
            supported=answer.supported,
            confidence=answer.confidence,
            support=dict(getattr(answer, "support", {}) or {}),
            citations=cites,
            quotes=list(quotes),
        )
        records.append(rec)
    return records


def retrieval_metrics(records: Sequence[dict[str, Any]], mode: str) -> dict[str, dict[str, Any]]:
    runs: dict[str, list[dict[str, Any]]] = {}
    for rec in records:
        if rec["answerable"] and f"rels_{mode}" in rec:
            for name in subsets(rec):
                runs.setdefault(name, []).append(rec)
    return {
        name: retrieval_summary([r[f"rels_{mode}"] for r in recs], [r["n_relevant"] for r in recs])
        for name, recs in runs.items()
    }


def answer_metrics(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Refusal rates, first-citation accuracy, citation precision and verbatim quotes."""
    ans = [r for r in records if r["answerable"]]
    unans = [r for r in records if not r["answerable"]]
    answered = [r for r in ans if r["supported"]]
    cites = [c for r in answered for c in r["citations"]]
    quotes_n = sum(r["quotes"][1] for r in records)
    refused = [r for r in records if not r["supported"]]
    return {
        "n_answerable": len(ans),
        "n_unanswerable": len(unans),
        "answerable_refused_rate": mean(0.0 if r["supported"] else 1.0 for r in ans),
        "unanswerable_refused_rate": mean(0.0 if r["supported"] else 1.0 for r in unans),
        "refusal_precision": (
            sum(not r["answerable"] for r in refused) / len(refused) if refused else None
        ),
        "first_citation_gold": mean(
            1.0 if r["supported"] and r["citations"] and r["citations"][0]["relevant"] else 0.0
            for r in ans
        ),
        "citation_precision": mean(1.0 if c["relevant"] else 0.0 for c in cites),
        "quotes_verified": sum(r["quotes"][0] for r in records) / quotes_n if quotes_n else None,
    }


def summarise(
    records: Sequence[dict[str, Any]], modes: Sequence[str] = ("hybrid",)
) -> dict[str, Any]:
    """Metrics by subset for any set of question records."""
    answers: dict[str, list[dict[str, Any]]] = {}
    for rec in records:
        for name in subsets(rec):
            answers.setdefault(name, []).append(rec)
    return {
        "retrieval": {mode: retrieval_metrics(records, mode) for mode in modes},
        "answers": {name: answer_metrics(recs) for name, recs in answers.items()},
    }
