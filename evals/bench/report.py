"""The benchmark's Markdown table: values next to the targets they apply to."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from evals.bench.common import NOISE_SIGMA, TARGETS


def app_rows(app: dict[str, Any]) -> list[Row]:
    """Rows for the web-app load test: latency, errors and server memory, where reported."""
    got = app.get("result")
    if not isinstance(got, dict):
        return [
            Row("Web app under load (evals/load.py)", "-", app.get("skipped", "no JSON result"))
        ]
    corpus = f"{got.get('users', '?')} users"
    rows = []
    for key, label in (
        ("latency_ms_indexer_idle", "Web app /ask p50 / p95, indexer idle"),
        ("latency_ms_during_indexing", "Web app /ask p50 / p95, during an upload's indexing"),
    ):
        lat = got.get(key) or {}
        if lat.get("p50") is not None:
            rows.append(Row(label, corpus, f"{lat['p50']:.0f} / {lat.get('p95') or 0:.0f} ms"))
    rss = (got.get("server_rss_mb") or {}).get("peak")
    rows.append(
        Row(
            "Web app: errors; server peak RSS",
            corpus,
            f"{got.get('errors', '?')} errors; " + (f"{rss:.0f} MB" if rss else "RSS not reported"),
            "0 errors; ≤ 1.5 GB",
            "✓" if got.get("errors") == 0 and (rss or 0) <= TARGETS["peak_rss_mb"] else "✗",
        )
    )
    return rows


# -- the report ----------------------------------------------------------------------------


@dataclass
class Row:
    measure: str
    corpus: str
    value: str
    target: str = ""
    ok: str = ""


def check(value: float, limit: float, strict: bool = False) -> str:
    if value is None or math.isnan(value):
        return "?"
    return "✓" if (value < limit if strict else value <= limit) else "✗"


def indexing_rows(ix: dict[str, Any]) -> list[Row]:
    """Rows for steps 1 and 2: indexing against the bare embedder, re-indexing."""
    base = f"{ix['passages']:,} passages"
    return [
        Row(
            "Indexing: total (parse, chunk, embed, store)",
            base,
            f"{ix['index_seconds']:.1f} s, {ix['index_passages_per_s']:.1f} passages/s",
        ),
        Row("Indexing: sentence vectors also embedded", base, f"{ix['sentence_vectors']:,}"),
        Row(
            "Bare embedder, same texts (passages + sentences, batch 32)",
            base,
            f"{ix['bare_seconds']:.1f} s, {ix['bare_texts_per_s']:.1f} texts/s",
        ),
        Row(
            "Bare embedder, passage texts only",
            base,
            f"{ix['bare_passage_seconds']:.1f} s, {ix['bare_passages_per_s']:.1f} passages/s",
        ),
        Row(
            "Ratio indexing / bare embedder on the same texts",
            base,
            f"{ix['ratio_same_texts']:.2f}× (CPU time: {ix['ratio_same_texts_cpu']:.2f}×)",
            f"≤ {TARGETS['index_vs_bare']}×",
            check(ix["ratio_same_texts"], TARGETS["index_vs_bare"]),
        ),
        Row(
            "Ratio indexing / bare embedder on passage texts only (passage-only index)",
            base,
            f"{ix['ratio_passages_only']:.2f}×",
            f"≤ {TARGETS['index_vs_bare']}×",
            check(ix["ratio_passages_only"], TARGETS["index_vs_bare"]),
        ),
        Row(
            "Re-index unchanged folder, in process",
            base,
            f"{ix['reindex_seconds']:.2f} s = {ix['reindex_pct']:.1f} % of first",
            f"< {TARGETS['reindex_pct']:.0f} %",
            check(ix["reindex_pct"], TARGETS["reindex_pct"], True),
        ),
        Row(
            "Re-index unchanged folder, new process (`vigilance index`)",
            base,
            f"{ix['reindex_cli_seconds']:.2f} s = {ix['reindex_cli_pct']:.1f} % of first",
            f"< {TARGETS['reindex_pct']:.0f} %",
            check(ix["reindex_cli_pct"], TARGETS["reindex_pct"], True),
        ),
    ]


def size_rows(size: dict[str, Any], is_big: bool) -> list[Row]:
    """Rows for one store size: warm and cold latency, peak memory (targets on the largest)."""
    label = f"{size['passages']:,} passages" + (" (perturbed copies)" if size["synthetic"] else "")
    w = size["warm"]
    rows = [
        Row(
            "Warm search p50 / p95 (k=10)",
            label,
            f"{w['search_ms']['p50']:.0f} / {w['search_ms']['p95']:.0f} ms",
            f"p50 ≤ {TARGETS['warm_search_p50_ms']:.0f} ms" if is_big else "",
            check(w["search_ms"]["p50"], TARGETS["warm_search_p50_ms"]) if is_big else "",
        ),
        Row(
            "  of which query embedding p50 / BM25 p50",
            label,
            f"{w['query_embed_ms']['p50']:.0f} / {w['bm25_ms']['p50']:.0f} ms",
        ),
        Row(
            "Warm ask p50 / p95 (extractive)",
            label,
            f"{w['ask_ms']['p50']:.0f} / {w['ask_ms']['p95']:.0f} ms",
            f"p50 ≤ {TARGETS['warm_ask_p50_ms']:.0f} ms" if is_big else "",
            check(w["ask_ms"]["p50"], TARGETS["warm_ask_p50_ms"]) if is_big else "",
        ),
        Row(
            "Cold `vigilance ask` (median of runs)",
            label,
            f"{size['cold']['median_s']:.2f} s" + ("" if size["cold"]["ok"] else " (a run failed)"),
            f"≤ {TARGETS['cold_ask_s']:.0f} s",
            check(size["cold"]["median_s"], TARGETS["cold_ask_s"]),
        ),
    ]
    rss = size.get("rss", {})
    if "peak_rss_mb" in rss:
        rows.append(
            Row(
                "Peak RSS of a searching process",
                label,
                f"{rss['peak_rss_mb']:.0f} MB",
                "≤ 1.5 GB" if is_big else "",
                check(rss["peak_rss_mb"], TARGETS["peak_rss_mb"]) if is_big else "",
            )
        )
    return rows


def rows_of(res: dict[str, Any]) -> list[Row]:
    """The Markdown table's rows, targets next to the values they apply to."""
    largest = max(res["sizes"], key=lambda s: s["passages"])
    rows = indexing_rows(res["indexing"])
    for size in res["sizes"]:
        rows += size_rows(size, size is largest)
    if res.get("app"):
        rows += app_rows(res["app"])
    probe = res.get("omp_probe") or {}
    if probe:
        value = " / ".join(f"{v.get('p50', math.nan):.0f}" for v in probe.values())
        rows.append(
            Row(
                "Diagnostic: query embedding p50, fresh process: " + " / ".join(probe),
                "-",
                value + " ms",
            )
        )
    return rows


def markdown(res: dict[str, Any]) -> str:
    env = res["environment"]
    lines = [
        f"# Vigilance benchmark ({env['date']}, {env['cpus']} CPUs, embedder {env['embedder']})",
        "",
        "| Measure | Corpus | Value | Target | |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {r.measure} | {r.corpus} | {r.value} | {r.target} | {r.ok} |" for r in rows_of(res)
    ]
    synthetic = [s for s in res["sizes"] if s["synthetic"]]
    lines += [
        "",
        f"- The indexed corpus is {res['indexing']['files']} cards built from `corpus/` "
        f"({res['folder']['variant_rounds']} round(s); rounds after the first are rewritten variants).",
        "- The model is loaded before timing; the bare embedder sees exactly the strings the pipeline embedded.",
    ]
    if synthetic:
        lines.append(
            "- Larger stores are perturbed copies of the indexed one (text prefixed `Variant k:`, vector + "
            f"N(0, {NOISE_SIGMA}) noise, re-normalised): search cost depends on the number of vectors, "
            "not their values, but answers on them are not meaningful."
        )
    lines.append(
        f"- Questions: {res['questions']['n']} from {res['questions']['source']}, en/fr/es in turn. "
        f"Load average during the run: {env['loadavg_min']:.1f}–{env['loadavg_max']:.1f} "
        "(other processes share the CPUs; CPU seconds are in the JSON)."
    )
    if res.get("app"):
        lines.append(
            f"- Web-app load test: `{res['app'].get('command', '-')}` (full output in the JSON)."
        )
    return "\n".join(lines) + "\n"


# -- main ----------------------------------------------------------------------------------
