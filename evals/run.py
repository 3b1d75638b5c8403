"""``python -m evals``: both evaluation suites, side by side.

- **bundled**: 137 questions over the bundled cards and two evaluation notes
  (``evals/questions.jsonl``), in one store.
- **user documents**: questions over the French background paper and five English legal
  texts from ``../shared`` (``evals/userdocs.jsonl``), each corpus in a store of its own and
  both together; skipped, with a message, when ``../shared`` is absent.

Questions are split once by a hash of their id into dev and test halves; tuning looks at
dev only and the report shows test (``--split``). The embedder loads once; stores are
indexed incrementally, so a second run costs only the questions.
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

from evals import userdocs
from evals.evaluate import run_store, summarise
from evals.questions import EVAL_DOCS, EVALS_DIR, QUESTIONS, load_questions
from evals.report import markdown

MODES = ("bm25", "dense", "hybrid")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m evals", description=__doc__.splitlines()[0])
    p.add_argument("--suite", choices=("both", "bundled", "userdocs"), default="both")
    p.add_argument(
        "--split",
        choices=("test", "dev", "all"),
        default="test",
        help="which half of each suite to score (default: test, the half nobody tuned on)",
    )
    p.add_argument(
        "--modes", default="hybrid", help="retrieval modes to rank with: hybrid,dense,bm25"
    )
    p.add_argument(
        "--store", help="data directory for the evaluation stores (default: $VIGILANCE_HOME)"
    )
    p.add_argument(
        "--out", default=str(EVALS_DIR / "results"), help="folder for results.json and results.md"
    )
    p.add_argument("--questions", default=str(QUESTIONS), help=argparse.SUPPRESS)
    p.add_argument("--userdoc-questions", default=str(userdocs.QUESTIONS), help=argparse.SUPPRESS)
    return p.parse_args(argv)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def in_split(qid: str, split: str) -> bool:
    return split == "all" or userdocs.split_of(qid) == split


def run_bundled(
    args: argparse.Namespace, settings: Any, embedder: Any, modes: Sequence[str]
) -> dict[str, Any]:
    from indexer.pipeline import index_paths
    from indexer.settings import BUNDLED_CORPUS

    store = settings.with_store(settings.home / "eval-store")
    summary = index_paths([BUNDLED_CORPUS, EVAL_DOCS], store, embedder=embedder)
    log(f"bundled store: {summary.line()}")
    if summary.failed:
        raise SystemExit(
            "some bundled documents could not be indexed: " + "; ".join(map(str, summary.problems))
        )
    questions = [q for q in load_questions(Path(args.questions)) if in_split(q.id, args.split)]
    retriever, assistant = _engines(store, embedder)
    records = run_store(retriever, assistant, questions, modes, store="bundled")
    return {
        "records": records,
        "views": {"bundled": summarise(records, modes)},
        "passages": len(retriever.table),
    }


def run_userdocs(
    args: argparse.Namespace, settings: Any, embedder: Any, modes: Sequence[str]
) -> dict[str, Any]:
    if not userdocs.available():
        log(f"user-document suite skipped: its documents are not under {userdocs.shared_dir()}")
        return {"skipped": f"documents not found under {userdocs.shared_dir().name}/"}
    questions = [
        q for q in userdocs.load(Path(args.userdoc_questions)) if in_split(q.id, args.split)
    ]
    records: list[dict[str, Any]] = []
    passages = {}
    for corpus in userdocs.STORES:
        file_to_doc = userdocs.build_store(settings, corpus, embedder, log)
        store = userdocs.store_settings(settings, corpus)
        asked = [
            userdocs.as_question(q, file_to_doc)
            for q in userdocs.store_questions(questions, corpus)
        ]
        retriever, assistant = _engines(store, embedder)
        passages[corpus] = len(retriever.table)
        records += run_store(retriever, assistant, asked, modes, store=corpus)
        log(f"  {corpus}: {len(asked)} questions scored")
    own = [r for r in records if r["store"] != "all"]
    together = [r for r in records if r["store"] == "all"]
    return {
        "records": records,
        "views": {"own_store": summarise(own, modes), "combined_store": summarise(together, modes)},
        "passages": passages,
    }


def _engines(settings: Any, embedder: Any) -> tuple[Any, Any]:
    from assistant.core import Assistant
    from assistant.retrieval import Retriever

    retriever = Retriever(settings, embedder=embedder)
    return retriever, Assistant(settings, retriever=retriever, use_llm=False)


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation; 0 on success."""
    from indexer.embedcache import CachedEmbedder
    from indexer.embedders import make_embedder
    from indexer.settings import Settings

    args = parse_args(argv)
    settings = Settings.from_env()
    settings = settings.with_store(Path(args.store)) if args.store else settings
    modes = tuple(m for m in args.modes.split(",") if m in MODES) or ("hybrid",)
    t0 = time.perf_counter()
    log(f"loading embedder {settings.embedder!r}")
    embedder = make_embedder(settings.embedder, settings.batch_size)
    if settings.embed_cache_path is not None:
        # One vector cache for every evaluation store: the same texts are embedded once.
        embedder = CachedEmbedder(embedder, settings.embed_cache_path)
    results: dict[str, Any] = {
        "meta": {
            "date": date.today().isoformat(),
            "embedder": embedder.id,
            "split": args.split,
            "modes": list(modes),
        },
        "suites": {},
    }
    if args.suite in ("both", "bundled"):
        results["suites"]["bundled"] = run_bundled(args, settings, embedder, modes)
    if args.suite in ("both", "userdocs"):
        results["suites"]["userdocs"] = run_userdocs(args, settings, embedder, modes)
    results["meta"]["seconds"] = round(time.perf_counter() - t0, 1)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    report = markdown(results)
    (out / "results.json").write_text(
        json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (out / "results.md").write_text(report, encoding="utf-8")
    print(report)
    log(f"wrote {out / 'results.json'} and {out / 'results.md'}")
    return 0
