"""Fusion of the retrieval signals into one score per candidate passage: a pure function
of the candidates' scores and metadata, so the ranking maths can be tested on made-up
numbers (``tests/test_fusion.py``) and tuned offline.

Signals: the passage cosine and its best sentence's (dense), BM25 (max-normalised over
the candidates), the question naming the passage's instrument, provision or jurisdiction;
penalties for the project's own syntheses and for summaries in another language than
their document.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from assistant.glossary import LANGS
from assistant.refs import Provision, locator_matches


@dataclass(frozen=True)
class RetrievalConfig:
    """Fusion weights, tuned on the dev half of both evaluation suites (``evals/``)."""

    mode: str = "hybrid"  # hybrid | dense | bm25
    candidates: int = 60  # per source, before fusion
    sentence_weight: float = 0.7  # share of the best-sentence cosine in the dense score
    lexical_weight: float = 0.05  # BM25 (max-normalised) added to the cosine scale
    name_weight: float = 0.03  # question names the passage's instrument
    provision_weight: float = 0.04  # question names the passage's article / section
    jurisdiction_weight: float = 0.03  # question names the passage's jurisdiction
    footnote_penalty: float = 0.0  # footnotes hold answers too (sources, symbols, dates)
    # Same-language pairs score higher with the embedder; the lexicon now carries
    # cross-lingual matches, and a flat bonus no longer helps on dev (0.0).
    cross_language_bonus: float = 0.0
    synthesis_penalty: float = 0.1  # the project's own measure / question records
    summary_penalty: float = 0.04  # a passage in another language than its document (a summary)


@dataclass
class Signals:
    """What fusion reads from the question: its language and the references it makes."""

    qlang: str
    named: Mapping[str, float] = field(default_factory=dict)  # doc_id -> strength of the name
    provisions: list[Provision] = field(default_factory=list)
    jurisdictions: set[str] = field(default_factory=set)


def fuse(
    candidates: Mapping[str, dict[str, float]],
    meta_of: Callable[[str], Mapping[str, Any]],
    signals: Signals,
    cfg: RetrievalConfig,
) -> list[tuple[float, str]]:
    """(score, passage id) best first; ties broken by id. ``candidates`` maps a passage id
    to its raw scores ("dense", "sentence", "bm25"), and gains the parts it was scored on."""
    lex_max = max((s.get("bm25", 0.0) for s in candidates.values()), default=0.0)
    fused = []
    for pid, s in candidates.items():
        meta = meta_of(pid)
        if cfg.mode == "bm25":
            fused.append((s.get("bm25", 0.0), pid))
            continue
        dense = s.get("dense", 0.0)
        total = (1 - cfg.sentence_weight) * dense + cfg.sentence_weight * max(
            dense, s.get("sentence", dense)
        )
        if cfg.mode == "hybrid":
            total += _references(s, meta, signals, cfg, lex_max)
        if meta.get("collection") == "synthesis":
            total -= cfg.synthesis_penalty
        plang = meta.get("language", "")
        if plang and plang != signals.qlang and signals.qlang in LANGS:
            total += cfg.cross_language_bonus
        if plang and plang != meta.get("doc_language", plang):
            total -= cfg.summary_penalty
        fused.append((total, pid))
    fused.sort(key=lambda t: (-t[0], t[1]))
    return fused


def _references(
    s: dict[str, float],
    meta: Mapping[str, Any],
    signals: Signals,
    cfg: RetrievalConfig,
    lex_max: float,
) -> float:
    """The hybrid mode's additions: BM25, names, provisions, jurisdictions, footnotes."""
    total = 0.0
    if lex_max > 0:
        s["lexical"] = s.get("bm25", 0.0) / lex_max
        total += cfg.lexical_weight * s["lexical"]
    if meta.get("doc_id") in signals.named:
        s["name"] = signals.named[meta["doc_id"]]
        total += cfg.name_weight * s["name"]
    if any(locator_matches(meta.get("locator", ""), p) for p in signals.provisions):
        s["provision"] = 1.0
        total += cfg.provision_weight
    if str(meta.get("jurisdiction", "")).upper() in signals.jurisdictions:
        s["jurisdiction"] = 1.0
        total += cfg.jurisdiction_weight
    if meta.get("kind") == "footnote":
        total -= cfg.footnote_penalty
    return total


def dedupe(
    fused: list[tuple[float, str]], key_of: Callable[[str], str], keep: int
) -> list[tuple[float, str]]:
    """The first ``keep`` of ``fused`` whose texts differ (the same words in another copy
    of a document are shown once)."""
    out, seen = [], set()
    for total, pid in fused:
        key = key_of(pid)
        if key in seen:
            continue
        seen.add(key)
        out.append((total, pid))
        if len(out) >= keep:
            break
    return out
