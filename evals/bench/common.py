"""Shared pieces of the benchmark: targets, timing helpers, questions, environment."""

from __future__ import annotations

import json
import math
import os
import resource
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

EVALS_DIR = Path(__file__).resolve().parent.parent
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


def vigilance_command() -> list[str]:
    """The venv's ``vigilance`` script next to this interpreter, else ``python -m assistant.cli``."""
    script = Path(sys.executable).with_name("vigilance")
    return [str(script)] if script.exists() else [sys.executable, "-m", "assistant.cli"]
