"""Markdown tables for the evaluation results (what ``python -m evals`` prints and saves)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

MODE_LABELS = {"bm25": "BM25 only", "dense": "dense only", "hybrid": "shipped hybrid"}
RETRIEVAL_COLUMNS = ("hit@1", "hit@3", "hit@5", "hit@10", "mrr", "ndcg@10")
ANSWER_COLUMNS = (
    ("supported_share_answerable", "answered (answerable)"),
    ("quotes_verified", "quoted sentences found verbatim in the cited passage"),
    ("citation_precision_documents", "citation precision (cited instrument is a gold instrument)"),
    ("citation_precision", "citation precision (cited passage is a gold passage)"),
    ("refusal_precision", "refusal precision"),
    ("refusal_recall", "refusal recall"),
    ("answerable_refused_rate", "answerable refused"),
    ("unanswerable_refused_rate", "unanswerable refused"),
)


def fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(fmt(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def retrieval_table(retrieval: dict[str, dict[str, Any]], subset: str = "overall") -> str:
    """Rows: the three modes; columns: hit@k, MRR, nDCG@10 on one subset of questions."""
    rows = []
    n = None
    for mode, label in MODE_LABELS.items():
        if mode not in retrieval or subset not in retrieval[mode]:
            continue
        summary = retrieval[mode][subset]
        n = summary.get("n")
        rows.append([label, *(summary.get(c) for c in RETRIEVAL_COLUMNS)])
    header = [f"retrieval ({subset}, n={n})", *RETRIEVAL_COLUMNS]
    return table(header, rows)


def answer_table(answers: dict[str, Any]) -> str:
    rows = [[label, answers.get(key)] for key, label in ANSWER_COLUMNS]
    rows.append(["refusal threshold", answers.get("threshold")])
    rows.append(["questions (answerable / unanswerable)", f"{answers.get('n_answerable')} / {answers.get('n_unanswerable')}"])
    return table(["answers (extractive, no LLM)", "value"], rows)


def failures_table(failures: Sequence[dict[str, Any]], limit: int = 15) -> str:
    rows = []
    for f in failures[:limit]:
        top = "; ".join(f"{h['doc_id']} ({h['locator']})" for h in f["top3"])
        rows.append([f["id"], f["language"], f["rank"] or "not in top 10", f["question"], top])
    return table(["id", "lang", "first relevant", "question", "top-3 hits (shipped hybrid)"], rows)


def markdown(results: dict[str, Any]) -> str:
    """The whole report: retrieval tables (overall, cross-lingual, per language), answers, failures."""
    retrieval = results["retrieval"]
    parts = [f"# Vigilance evaluation ({results['meta']['date']})", ""]
    meta = results["meta"]
    parts.append(
        f"{meta['questions']} questions ({meta['answerable']} answerable, {meta['cross_lingual']} "
        f"cross-lingual); store `{meta['store']}`; embedder `{meta['embedder']}`; "
        f"{meta['passages']} passages."
    )
    subsets = ["overall", "cross_lingual", *(f"lang:{lang}" for lang in ("en", "fr", "es"))]
    for subset in subsets:
        if any(subset in retrieval.get(m, {}) for m in MODE_LABELS):
            parts += ["", retrieval_table(retrieval, subset)]
    if results.get("answers"):
        parts += ["", answer_table(results["answers"])]
    cal = results.get("calibration")
    if cal:
        parts += [
            "",
            f"Calibration: best threshold {fmt(cal['threshold'])} "
            f"(answerable refused {fmt(cal['answerable_refused_rate'])}, unanswerable accepted "
            f"{fmt(cal['unanswerable_accepted_rate'])}); "
            + ("written to assistant/calibration.json." if cal.get("written") else "not written (run with --calibrate)."),
        ]
    failures = results.get("failures", {}).get("retrieval", [])
    if failures:
        parts += ["", f"Retrieval failures (shipped hybrid, relevant passage not in top 3: {len(failures)}):", ""]
        parts.append(failures_table(failures))
    return "\n".join(parts) + "\n"
