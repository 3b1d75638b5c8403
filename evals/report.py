"""Markdown tables for the evaluation results (what ``python -m evals`` prints and saves).

The suites stand side by side, one column per view (bundled store; user documents each in
their own store; user documents together). Lists of failed questions are printed for the
dev half only: reading the test half's failures would be tuning on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

MODE_LABELS = {"bm25": "BM25 only", "dense": "dense only", "hybrid": "shipped hybrid"}
VIEW_LABELS = {
    "bundled": "bundled cards",
    "own_store": "user docs, own store",
    "combined_store": "user docs, combined store",
}
RETRIEVAL_ROWS = (("hit@1", "hit@1"), ("hit@5", "hit@5"), ("hit@10", "hit@10"), ("mrr", "MRR"))
ANSWER_ROWS = (
    ("first_citation_gold", "first citation holds the gold"),
    ("answerable_refused_rate", "answerable refused"),
    ("unanswerable_refused_rate", "unanswerable refused"),
    ("citation_precision", "citations holding the gold"),
    ("quotes_verified", "quotes verbatim in the cited passage"),
)
SUBSETS = (
    ("overall", "all questions"),
    ("same_language", "same language"),
    ("cross_lingual", "cross-lingual"),
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


def views(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for suite in results["suites"].values():
        out.update(suite.get("views", {}))
    return out


def side_by_side(results: dict[str, Any], subset: str, mode: str = "hybrid") -> str:
    """Rows: ranking and answer metrics; columns: the views, for one subset of questions."""
    cols = views(results)
    header = [f"{dict(SUBSETS).get(subset, subset)}"] + [VIEW_LABELS.get(v, v) for v in cols]
    counts = []
    for view in cols.values():
        a = view["answers"].get(subset, {})
        counts.append(f"{a.get('n_answerable', 0)} + {a.get('n_unanswerable', 0)}")
    rows: list[list[Any]] = [["questions (answerable + unanswerable)", *counts]]
    for key, label in RETRIEVAL_ROWS:
        rows.append(
            [label, *(v["retrieval"].get(mode, {}).get(subset, {}).get(key) for v in cols.values())]
        )
    for key, label in ANSWER_ROWS:
        rows.append([label, *(v["answers"].get(subset, {}).get(key) for v in cols.values())])
    return table(header, rows)


def modes_table(results: dict[str, Any], view_name: str, subset: str = "overall") -> str:
    view = views(results)[view_name]
    rows = []
    for mode, label in MODE_LABELS.items():
        s = view["retrieval"].get(mode, {}).get(subset)
        if s:
            rows.append([label, *(s.get(k) for k, _ in RETRIEVAL_ROWS)])
    return table(
        [
            f"{VIEW_LABELS.get(view_name, view_name)}, {subset}",
            *(name for _, name in RETRIEVAL_ROWS),
        ],
        rows,
    )


# Question languages in the order the suites introduce them; any other code follows.
LANGUAGE_ORDER = ("en", "fr", "es", "ar", "zh", "ru")


def language_key(lang: str) -> tuple[int, str]:
    return (LANGUAGE_ORDER.index(lang) if lang in LANGUAGE_ORDER else len(LANGUAGE_ORDER), lang)


def languages_table(results: dict[str, Any], mode: str = "hybrid") -> str:
    """One row per question language, whatever languages the suites hold; each cell ends
    with its counts (answerable + unanswerable), a view without the language shows –."""
    cols = views(results)
    langs = sorted(
        {k[5:] for v in cols.values() for k in v["answers"] if k.startswith("lang:")},
        key=language_key,
    )
    rows = []
    for lang in langs:
        row: list[Any] = [lang]
        for v in cols.values():
            r = v["retrieval"].get(mode, {}).get(f"lang:{lang}", {})
            a = v["answers"].get(f"lang:{lang}")
            if not a:
                row.append("–")
                continue
            row.append(
                f"{fmt(r.get('hit@1'))} / {fmt(r.get('hit@5'))} / {fmt(a.get('answerable_refused_rate'))} / "
                f"{fmt(a.get('unanswerable_refused_rate'))} "
                f"({a.get('n_answerable', 0)} + {a.get('n_unanswerable', 0)})"
            )
        rows.append(row)
    header = [
        "question language: hit@1 / hit@5 / answerable refused / unanswerable refused "
        "(answerable + unanswerable)"
    ]
    return table(header + [VIEW_LABELS.get(v, v) for v in cols], rows)


def failures(results: dict[str, Any], limit: int = 40) -> str:
    rows = []
    for name, suite in results["suites"].items():
        for r in suite.get("records", []):
            rank = r.get("rank_hybrid")
            wrong_refusal = r["answerable"] != r["supported"]
            weak = r["answerable"] and (rank is None or rank > 1)
            first_bad = (
                r["answerable"]
                and r["supported"]
                and not (r["citations"] and r["citations"][0]["relevant"])
            )
            if wrong_refusal or weak or first_bad:
                what = []
                if wrong_refusal:
                    what.append("refused" if r["answerable"] else "answered")
                if weak:
                    what.append(f"rank {rank or '>10'}")
                if first_bad:
                    what.append("first citation off")
                top = "; ".join(f"{h['locator']}" for h in r.get("top3", []))
                rows.append(
                    [f"{name}/{r['store']}", r["id"], ", ".join(what), r["question"][:90], top]
                )
    return table(["suite/store", "id", "problem", "question", "top 3"], rows[:limit]) + (
        f"\n\n({len(rows)} in all)" if len(rows) > limit else ""
    )


def markdown(results: dict[str, Any]) -> str:
    meta = results["meta"]
    parts = [
        f"# Vigilance evaluation ({meta['date']}, {meta['split']} half)",
        "",
        f"Embedder `{meta['embedder']}`; answers extractive (no LLM).",
    ]
    for name, suite in results["suites"].items():
        if suite.get("skipped"):
            parts.append(f"\nSuite {name} skipped: {suite['skipped']}.")
    if views(results):
        for subset, _ in SUBSETS:
            parts += ["", side_by_side(results, subset)]
        parts += ["", languages_table(results)]
        if len(meta["modes"]) > 1:
            for view_name in views(results):
                parts += ["", modes_table(results, view_name)]
        if meta["split"] != "test":
            parts += ["", "Questions to look at (dev half):", "", failures(results)]
    return "\n".join(parts) + "\n"
