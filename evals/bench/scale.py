"""The benchmark at scale: stores of 10k, 100k and 1M passages, embedded and behind a
``chroma run`` server; and the throughput of one indexer against two sharing a server.

Stores after the base are perturbed copies of the bundled corpus (``corpus.enlarge_store``),
built once into a cache folder and reused. For each store and mode a fresh process opens
the assistant, asks every question once cold and then warm; it reports start-up, warm
search and ask p50/p95, and its resident memory. ``vigilance ask`` is also timed from
process start to exit. The catalog each mode needs is built first and timed on its own.

    python -m evals.bench.scale                          # 10k, 100k, 1M (make bench)
    python -m evals.bench.scale --sizes 10000 --questions 10   # make bench-quick
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from evals.bench.common import K, clean_env, load_questions, log, millis, summary_ms, timed
from evals.bench.corpus import enlarge_store, variant_card
from evals.load import free_port
from indexer.settings import BUNDLED_CORPUS, REPO_ROOT, Settings

DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "vigilance-bench"


@contextmanager
def chroma_server(path: Path) -> Iterator[str]:
    """``chroma run`` on ``path`` at 127.0.0.1 and a free port, stopped on exit."""
    port = free_port()
    binary = Path(sys.executable).parent / "chroma"
    cmd = [str(binary), "run", "--path", str(path), "--port", str(port), "--host", "127.0.0.1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 600  # a large store takes a while to open
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"chroma run on {path} did not start") from None
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def embedder_id() -> str:
    from indexer.embedders import make_embedder

    return make_embedder("e5").id  # the model itself loads on first use only


def embed_ms(repeats: int = 20) -> float:
    """The bare embedder's time for one question (median of ``repeats``): how fast the
    machine was when a row was measured (shared machines vary by several times within an
    hour), so rows measured at different times can be compared."""
    from indexer.embedders import make_embedder

    model = make_embedder("e5")
    model.embed_queries(["warm up"])
    times = [
        millis(lambda i=i: model.embed_queries([f"question {i} about supply chains"]))
        for i in range(repeats)
    ]
    return sorted(times)[len(times) // 2]


def base_store(cache: Path) -> Settings:
    """The bundled corpus indexed once (its shipped vectors: nothing is embedded)."""
    from indexer.embedders import make_embedder
    from indexer.pipeline import index_paths

    base = Settings(home=cache / "base", embed_cache="off")
    if not base.manifest_path.exists():
        log("building the base store from the bundled corpus")
        index_paths([BUNDLED_CORPUS], base, embedder=make_embedder("e5", 32))
    return base


def sized_store(cache: Path, n: int) -> tuple[Settings, float]:
    """A store of about ``n`` passages (copies of the base), built once; build seconds
    (0 when reused)."""
    from indexer.store import Store

    base = base_store(cache)
    dst = Settings(home=cache / f"store-{n}", embed_cache="off")
    done = dst.home / "complete.json"
    if done.exists():
        return dst, 0.0
    shutil.rmtree(dst.home, ignore_errors=True)
    base_n = Store(base, embedder_id(), create=False).count()
    copies = max(1, round(n / base_n))
    log(f"building a {n:,}-passage store: {copies} copies of {base_n}")
    with timed() as t:
        got = enlarge_store(base, dst, copies, embedder_id(), seed=n)
    done.write_text(json.dumps({**got, "seconds": t["seconds"]}), encoding="utf-8")
    return dst, t["seconds"]


def child(home: Path, url: str, n_questions: int) -> int:
    """Inside the measured process: open, ask cold, then warm; print one JSON line."""
    import psutil

    from assistant.core import Assistant
    from assistant.retrieval import Retriever

    started = psutil.Process().create_time()
    settings = Settings(home=home, embed_cache="off", chroma_url=url)
    retriever = Retriever(settings)
    assistant = Assistant(settings, retriever=retriever, use_llm=False)
    ready = time.time() - started
    questions, _ = load_questions(n_questions)
    first = millis(lambda: assistant.ask(questions[0]))
    search = [millis(lambda q=q: retriever.search(q, k=K)) for q in questions]
    ask = [millis(lambda q=q: assistant.ask(q)) for q in questions]
    rss = psutil.Process().memory_info().rss / 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = {
        "passages": len(retriever.table),
        "ready_s": ready,
        "first_ask_ms": first,
        "search_ms": summary_ms(search),
        "ask_ms": summary_ms(ask),
        "rss_mb": rss,
        "peak_rss_mb": peak,
    }
    print(json.dumps(out))
    return 0


def measure(home: Path, url: str, questions: list[str], cold_runs: int, n: int) -> dict[str, Any]:
    """The catalog built (timed), a measured child process, and cold ``vigilance ask``."""
    from indexer.catalog import ensure_catalog, stamp_of
    from indexer.servermanifest import ServerManifest, manifest_version
    from indexer.store import Store

    settings = Settings(home=home, embed_cache="off", chroma_url=url)
    store = Store(settings, embedder_id(), create=False)
    server = ServerManifest(store.client, settings.collection) if url else None
    version = manifest_version(settings, server) or (0, store.count())
    with timed() as t:
        ensure_catalog(settings, store, stamp_of(version))
    env = clean_env(VIGILANCE_HOME=str(home), VIGILANCE_EMBED_CACHE="off")
    if url:
        env["VIGILANCE_CHROMA_URL"] = url
    cmd = [sys.executable, "-m", "evals.bench.scale", "--child", str(home), "--url", url]
    proc = subprocess.run(
        [*cmd, "--questions", str(n)], env=env, capture_output=True, text=True, cwd=REPO_ROOT
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    got: dict[str, Any] = json.loads(lines[-1]) if lines else {"error": proc.stderr[-800:]}
    got["catalog_build_s"] = t["seconds"]
    cold = []
    for i in range(cold_runs):
        t0 = time.perf_counter()
        run = subprocess.run(
            [sys.executable, "-m", "assistant.cli", "ask", questions[i % len(questions)]],
            env=env,
            capture_output=True,
            text=True,
            cwd=REPO_ROOT,
        )
        cold.append(time.perf_counter() - t0)
        got.setdefault("cold_ok", True)
        got["cold_ok"] = got["cold_ok"] and run.returncode == 0 and bool(run.stdout.strip())
    got["cold_ask_s"] = sorted(cold)[len(cold) // 2] if cold else None
    return got


def server_manifest(settings: Settings, url: str) -> None:
    """Serve an embedded store: its manifest file pushed once into the server's
    manifest collection (``indexer.servermanifest``)."""
    from indexer.servermanifest import legacy_path, open_manifest

    served = Settings(home=settings.home, embed_cache="off", chroma_url=url)
    legacy = legacy_path(served)
    legacy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(settings.manifest_path, legacy)
    open_manifest(served)


def variant_folder(dest: Path, round_: int, target: int) -> int:
    """Cards rewritten as variant ``round_`` until about ``target`` passages (rough count:
    numbered points), so each indexer has documents of its own."""
    dest.mkdir(parents=True, exist_ok=True)
    total = 0
    for card in sorted(BUNDLED_CORPUS.glob("instruments/*.md")):
        if total >= target:
            break
        text = card.read_text(encoding="utf-8")
        (dest / card.name).write_text(variant_card(text, round_), encoding="utf-8")
        total += sum(1 for line in text.splitlines() if line[:1].isdigit())
    return total


def indexer_run(folder: Path, home: Path, url: str, core: int) -> subprocess.Popen:
    """``vigilance index`` on one core of its own (pinned, and one thread per encoder), so
    the figure shows the server and the pipeline, not two indexers sharing a core."""
    env = clean_env(
        VIGILANCE_HOME=str(home),
        VIGILANCE_CHROMA_URL=url,
        VIGILANCE_EMBED_CACHE="off",
        OMP_NUM_THREADS="1",
    )
    cores = sorted(os.sched_getaffinity(0))
    pin = {cores[core % len(cores)]}
    cmd = [sys.executable, "-m", "assistant.cli", "index", str(folder), "--quiet"]
    return subprocess.Popen(
        cmd,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO_ROOT,
        preexec_fn=lambda: os.sched_setaffinity(0, pin),
    )


def rate(proc: subprocess.Popen) -> float:
    """Passages per second from the indexer's summary line (its own clock, model load in)."""
    _, err = proc.communicate(timeout=3600)
    found = re.findall(r"(\d+) passages written.* in (\d+(?:\.\d+)?) s", err)
    if proc.returncode or not found:
        raise RuntimeError(f"indexer failed: {err[-500:]}")
    return int(found[-1][0]) / float(found[-1][1])


def indexers(work: Path, target: int) -> dict[str, Any]:
    """Passages per second of each indexer alone (its folder, its core, a server of its
    own), then of both at once on one server: each keeps together / alone of its rate."""
    shutil.rmtree(work, ignore_errors=True)
    folders = [work / "a", work / "b"]
    for round_, folder in enumerate(folders, 101):
        variant_folder(folder, round_, target)
    alone = []
    for i, folder in enumerate(folders):
        with chroma_server(work / f"solo-{folder.name}") as url:
            alone.append(rate(indexer_run(folder, work / f"home-solo-{folder.name}", url, i)))
    with chroma_server(work / "shared") as url:
        procs = [indexer_run(f, work / f"home-{f.name}", url, i) for i, f in enumerate(folders)]
        both = [rate(p) for p in procs]
    kept = [t / a for t, a in zip(both, alone, strict=True)]
    log(
        f"indexers: alone {alone[0]:.2f} and {alone[1]:.2f} p/s; together "
        f"{both[0]:.2f} + {both[1]:.2f} p/s; kept {kept[0]:.0%} and {kept[1]:.0%}"
    )
    return {"alone": alone, "together": both, "kept": min(kept)}


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.bench.scale", description=__doc__)
    p.add_argument("--sizes", default="10000,100000,1000000")
    p.add_argument("--modes", default="embedded,server")
    p.add_argument("--questions", type=int, default=30)
    p.add_argument("--cold-runs", type=int, default=3)
    p.add_argument("--cache", default=str(DEFAULT_CACHE), help="stores kept here between runs")
    p.add_argument("--indexers", type=int, default=150, help="passages per indexer; 0: skip")
    p.add_argument("--out", default=str(REPO_ROOT / "evals" / "results" / "scale.json"))
    p.add_argument("--child", default=None, help=argparse.SUPPRESS)
    p.add_argument("--url", default="", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        return child(Path(args.child), args.url, args.questions)
    cache, out = Path(args.cache), Path(args.out)
    questions, _ = load_questions(args.questions)
    res: dict[str, Any] = {"rows": [], "cpus": os.cpu_count()}
    for n in [int(s) for s in args.sizes.split(",")]:
        settings, built = sized_store(cache, n)
        for mode in args.modes.split(","):
            log(f"{n:,} passages, {mode} mode")
            if mode == "server":
                with chroma_server(settings.store_dir / "chroma") as url:
                    server_manifest(settings, url)
                    row = measure(settings.home, url, questions, args.cold_runs, args.questions)
            else:
                row = measure(settings.home, "", questions, args.cold_runs, args.questions)
            row.update(size=n, mode=mode, store_build_s=built, embed_query_ms=embed_ms())
            log("  " + json.dumps({k: row.get(k) for k in ("ready_s", "cold_ask_s", "rss_mb")}))
            res["rows"].append(row)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    if args.indexers:
        res["indexers"] = indexers(cache / "indexers", args.indexers)
    out.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    print(table(res))
    return 0


def table(res: dict[str, Any]) -> str:
    lines = [
        "| passages | mode | catalog build | start-up | cold `vigilance ask` | warm search p50 / p95 | warm ask p50 / p95 | RSS | bare question embedding |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in res["rows"]:
        if "search_ms" not in r:
            lines.append(f"| {r['size']:,} | {r['mode']} | error: {r.get('error', '')[:80]} |")
            continue
        lines.append(
            f"| {r['passages']:,} | {r['mode']} | {r['catalog_build_s']:.1f} s | {r['ready_s']:.1f} s "
            f"| {r['cold_ask_s']:.1f} s | {r['search_ms']['p50']:.0f} / {r['search_ms']['p95']:.0f} ms "
            f"| {r['ask_ms']['p50']:.0f} / {r['ask_ms']['p95']:.0f} ms | {r['rss_mb']:.0f} MB "
            f"| {r.get('embed_query_ms', 0):.0f} ms |"
        )
    if "indexers" in res:
        ix = res["indexers"]
        lines.append(
            f"\nEach indexer alone {ix['alone'][0]:.2f} and {ix['alone'][1]:.2f} passages/s; "
            f"both at once {ix['together'][0]:.2f} and {ix['together'][1]:.2f} passages/s "
            f"(the one that kept least kept {100 * ix['kept']:.0f} %; one core each)."
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
