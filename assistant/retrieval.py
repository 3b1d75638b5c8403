"""Hybrid retrieval: dense (passage and best sentence) + language-aware BM25 + references.

``Retriever.search`` is what the CLI, the answer composer, the app and the evaluation
call. ``RetrievalConfig.mode`` selects the shipped fusion or a baseline (``dense``,
``bm25``) so the evaluation can compare them in one run.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from assistant.countries import countries
from assistant.fusion import RetrievalConfig, Signals, dedupe, fuse
from assistant.lexical import LexicalIndex
from assistant.lexicon import Lexicon
from assistant.refs import NameMatcher, jurisdictions, provisions
from assistant.rerank import Reranker, make_reranker
from assistant.table import Filters, PassageTable, chroma_where
from indexer.catalog import catalog_ready, ensure_catalog, stamp_of
from indexer.embedders import BatchedEmbedder, make_embedder
from indexer.events import Event, decode
from indexer.language import detect, fold
from indexer.models import Hit
from indexer.servermanifest import ServerManifest, manifest_version, open_manifest
from indexer.settings import Settings
from indexer.store import Store

BACKGROUND_FROM = 50_000  # passages from which a changed store's catalog is built aside
EXACT_MAX = 100_000  # passages a filter may keep for the exact search over their vectors
MAX_ASK = 2_000  # nearest passages asked of the whole store under a wider filter


class FilterError(ValueError):
    """No passage in the store satisfies the filters: said, never silently ignored."""


class QuestionError(ValueError):
    """A question refused before any work: not text, empty, or over the length limit."""


JSON_TYPES = {bool: "true/false", int: "a number", float: "a number", list: "a list"}


def check_question(question: Any, limit: int) -> str:
    """``question`` without surrounding blanks; ``QuestionError`` when it is not text, is
    empty, or is longer than ``limit`` characters (``VIGILANCE_MAX_QUESTION_CHARS``)."""
    if not isinstance(question, str):
        kind = "null" if question is None else JSON_TYPES.get(type(question), "an object")
        raise QuestionError(f"question must be text, not {kind}")
    text = question.strip()
    if not text:
        raise QuestionError("question is empty")
    if len(text) > limit:
        raise QuestionError(
            f"question is {len(text):,} characters, over the {limit:,} limit "
            "(VIGILANCE_MAX_QUESTION_CHARS)"
        )
    return text


@dataclass(frozen=True)
class DocFacts:
    """What a card says about its instrument beyond the passages."""

    events: list[Event] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    unverified: list[str] = field(default_factory=list)
    checked: str = ""


NO_FACTS = DocFacts()


@dataclass
class SearchResult:
    hits: list[Hit]
    language: str
    notice: str = ""
    named_docs: dict[str, float] = field(default_factory=dict)
    query_vector: np.ndarray | None = None
    question: str = ""
    across: bool = False  # answer across instruments, whatever the question's wording


class Retriever:
    """Loads the embedder and the passage table once; thread-safe for searching."""

    def __init__(
        self,
        settings: Settings,
        embedder: BatchedEmbedder | None = None,
        config: RetrievalConfig | None = None,
        reranker: Reranker | None = None,
    ) -> None:
        self.settings = settings
        self.reranker = reranker if reranker is not None else make_reranker(settings.reranker)
        self.config = config or RetrievalConfig()
        self.embedder = embedder or make_embedder(settings.embedder, settings.batch_size)
        self.store = Store(settings, self.embedder.id, create=True)
        self.lexicon = Lexicon(self.store)
        self.lexicon.warm()
        self._lock = threading.Lock()
        self._side = ThreadPoolExecutor(max_workers=4, thread_name_prefix="vigilance-bm25")
        self._doc_countries: dict[tuple[int, str], set[str]] = {}
        self._version: tuple[Any, ...] | None = None
        self._building: tuple[Any, ...] | None = None  # a catalog being built in the background
        # In server mode the manifest is a collection of the server (``indexer.servermanifest``).
        self._server = (
            ServerManifest(self.store.client, settings.collection) if settings.chroma_url else None
        )
        self._refresh()

    # -- state -------------------------------------------------------------------------
    def _manifest_version(self) -> tuple[Any, ...]:
        """Every change to the store changes the manifest: its version (the file's stat, or
        the server manifest's change token) says when to reload."""
        return manifest_version(self.settings, self._server) or (0, self.store.count())

    def _refresh(self) -> None:
        version = self._manifest_version()
        if version == self._version or version == self._building:
            return
        stamp = stamp_of(version)
        if (
            self._version is not None
            and len(self.table) >= BACKGROUND_FROM
            and not catalog_ready(self.settings, self.store, stamp)
        ):
            # A large store's new catalog takes minutes: questions keep the current one
            # meanwhile, and the new one is swapped in once built.
            self._building = version
            threading.Thread(target=self._build, args=(version,), daemon=True).start()
            return
        self._open(version)

    def _build(self, version: tuple[Any, ...]) -> None:
        try:
            self._open(version)
        finally:
            self._building = None

    def _open(self, version: tuple[Any, ...]) -> None:
        table = PassageTable(ensure_catalog(self.settings, self.store, stamp_of(version)))
        # One tuple, swapped at once: a search running in another thread keeps a consistent set.
        self._state = (
            table,
            LexicalIndex(table, self.lexicon),
            NameMatcher(table),
            self.store.probes(),
        )
        self._version = version

    def facts(self, doc_id: str) -> DocFacts:
        """A document's dated events, related instruments, unverified notes and the day its
        status was checked (empty for documents without a card)."""
        doc = self.table.facts(doc_id)
        if not doc:
            return NO_FACTS
        return DocFacts(
            decode(doc.get("events")),
            [str(r) for r in doc.get("related") or []],
            [str(n) for n in doc.get("unverified") or []],
            str(doc.get("checked") or ""),
        )

    def events(self, doc_id: str) -> list[Event]:
        """The dated events of a document, oldest first (``indexer.events``); [] if none."""
        return self.facts(doc_id).events

    @property
    def table(self) -> PassageTable:
        return self._state[0]

    def probes(self) -> dict[str, Any]:
        """The store's off-topic probe floor, per question language (``indexer.probes``)."""
        return self._state[3]

    def idf(self, term: str) -> float:
        """Rarity of a stemmed term in the store (unknown terms count as the rarest)."""
        return self._state[1].idf(term)

    def doc_countries(self, doc_id: str) -> set[str]:
        """The countries a document mentions anywhere (for documents without a
        jurisdiction: a question about one of them is within the document's reach)."""
        table = self.table
        cached = self._doc_countries.get((id(table), doc_id))
        if cached is None:
            text = " ".join(rec.text for rec in table.doc_records(doc_id))
            cached = countries(text)
            self._doc_countries[(id(table), doc_id)] = cached
        return cached

    def named_documents(self, question: str) -> dict[str, float]:
        return self._state[2].match(question)

    def refresh(self) -> None:
        """Reload the passage table if the store changed (after indexing)."""
        with self._lock:
            self._refresh()

    def documents(self) -> list[dict[str, Any]]:
        """Documents in the store with metadata and passage counts (from the manifest)."""
        manifest = open_manifest(self.settings, self.store.client)
        out = []
        for _, entry in sorted(manifest.entries.items()):
            out.append({**entry.doc, "passages": entry.passages, "indexed_at": entry.indexed_at})
        return out

    # -- search ------------------------------------------------------------------------
    def search(
        self, question: str, k: int = 10, filters: Filters | None = None, **overrides: Any
    ) -> SearchResult:
        """The ``k`` passages that best answer ``question``, fused from every signal.

        Raises ``QuestionError`` for a question that is not text, empty or too long."""
        check_question(question, self.settings.max_question_chars)
        cfg = replace(self.config, **overrides) if overrides else self.config
        filters = {key: v for key, v in (filters or {}).items() if v not in (None, "", [])}
        self.refresh()
        table, _, names, _ = self._state
        qlang = detect(question)
        if not len(table):
            return SearchResult([], qlang, "the knowledge base is empty: run 'vigilance index'")
        mask = self.filter_mask(filters, table)
        hybrid = cfg.mode == "hybrid"
        signals = Signals(
            qlang,
            names.match(question) if hybrid else {},
            provisions(question) if hybrid else [],
            jurisdictions(question) if hybrid else set(),
        )
        scores, qvec = self.candidates(question, signals, cfg, mask, chroma_where(filters))
        fused = fuse(scores, lambda pid: table.get(pid).meta, signals, cfg)
        if not filters.get("language"):  # quote a card in the question's language when it can
            twins = table.twins([pid for _, pid in fused], qlang)
            fused = [(total, twins[pid]) for total, pid in fused]
            if mask is not None:
                fused = [(t, pid) for t, pid in fused if mask[table.row_of(pid)]]
        rerank = self.reranker if hybrid else None
        keep = k * rerank.factor if rerank is not None and hasattr(rerank, "factor") else k
        kept = dedupe(fused, lambda pid: fold(table.get(pid).text)[:300], keep)
        hits = [
            table.hit(pid, rank, total, scores.get(pid, {}))
            for rank, (total, pid) in enumerate(kept, 1)
        ]
        if rerank is not None:
            hits = rerank(question, hits, k)
        return SearchResult(hits, qlang, "", dict(signals.named), qvec, question)

    def filter_mask(self, filters: Filters, table: PassageTable | None = None) -> Any:
        """Which passages ``filters`` let through (None without filters); FilterError when
        none does: a filter that matches nothing is refused, never silently ignored."""
        table = table if table is not None else self.table
        if not filters:
            return None
        mask = table.filter_mask(filters)
        if not mask.any():
            raise FilterError("no passage matches the filters " + describe(filters))
        return mask

    def candidates(
        self, question: str, signals: Signals, cfg: RetrievalConfig, mask: Any, where: Any
    ) -> tuple[dict[str, dict[str, float]], np.ndarray | None]:
        """The passages worth scoring, with their raw scores: the nearest passages and
        sentences, the BM25 best, and every passage of an instrument the question names."""
        table, lexical, _, _ = self._state
        scores: dict[str, dict[str, float]] = {}
        qvec = None
        # BM25 (the question's words translated through the lexicon, then their postings)
        # runs while the question is embedded and the vector store answers: the two sides
        # share nothing until their candidates meet.
        lexical_side = (
            self._side.submit(lexical.scores, question, signals.qlang)
            if cfg.mode in ("hybrid", "bm25")
            else None
        )
        if cfg.mode in ("hybrid", "dense"):
            qvec = self.embedder.embed_queries([question])[0]
            for pid, cos in self.nearest(table, qvec, cfg.candidates, mask, where):
                scores.setdefault(pid, {})["dense"] = cos
            if cfg.sentence_weight > 0:
                near = (
                    self.widened(table, qvec, cfg.candidates * 2, mask, sentences=True)
                    if mask is not None and len(table) > EXACT_MAX
                    else self.store.query(qvec, cfg.candidates * 2, where, sentences=True)
                )
                for pid, cos in near:
                    s = scores.setdefault(pid, {})
                    s["sentence"] = max(s.get("sentence", -1.0), cos)
        if lexical_side is not None:
            lex = lexical_side.result()
            if mask is not None:
                lex = np.where(mask, lex, 0.0)
            rows = top_rows(lex, cfg.candidates)
            for row, pid in zip(rows, table.ids(rows), strict=True):
                scores.setdefault(pid, {})["bm25"] = float(lex[row])
        if signals.named or signals.provisions:
            # Passages of a named instrument join even if both searches missed them.
            for doc_id in signals.named:
                for row, pid in table.doc_ids(doc_id):
                    if mask is None or mask[row]:
                        scores.setdefault(pid, {})
        known = table.fetch(scores)  # one read for every candidate's text and metadata
        scores = {pid: s for pid, s in scores.items() if pid in known}
        if qvec is not None:
            self._fill_dense(table, scores, qvec)
        return scores, qvec

    def nearest(
        self, table: PassageTable, qvec: np.ndarray, n: int, mask: Any, where: Any
    ) -> list[tuple[str, float]]:
        """The ``n`` passages nearest the question, as (passage id, cosine). Under a filter
        that keeps at most ``EXACT_MAX`` passages, every one of them is scored against the
        catalog's vectors: exact, cheaper than the round trip, and it does not depend on
        Chroma's filtered search, which came back empty at a million passages for filters
        it should have matched (chroma-core/chroma#5367). A wider filter on a large store
        is ``widened``."""
        if mask is None or table.vectors is None:
            return self.store.query(qvec, n, where)
        rows = np.flatnonzero(mask)
        if len(rows) > EXACT_MAX:
            return self.widened(table, qvec, n, mask)
        sims = table.similarity(rows, qvec)
        best = np.argsort(-sims, kind="stable")[:n]
        return list(zip(table.ids(rows[best]), (float(c) for c in sims[best]), strict=True))

    def widened(
        self, table: PassageTable, qvec: np.ndarray, n: int, mask: Any, sentences: bool = False
    ) -> list[tuple[str, float]]:
        """Under a filter on a large store: the nearest passages (or sentences) of the whole
        store, enough of them that about ``n`` pass the filter, kept here if they pass
        (Chroma's own filtered query is not relied on, see ``nearest``)."""
        share = max(float(np.count_nonzero(mask)) / max(len(mask), 1), 1e-6)
        got = self.store.query(qvec, min(MAX_ASK, int(n / share) + n), None, sentences)
        table.fetch(pid for pid, _ in got)  # one read; the rows below come from the cache
        rows = {pid: table.row_of(pid) for pid in dict.fromkeys(pid for pid, _ in got)}
        kept = [(pid, cos) for pid, cos in got if rows[pid] is not None and mask[rows[pid]]]
        return kept if sentences else kept[:n]

    def _fill_dense(
        self, table: PassageTable, scores: dict[str, dict[str, float]], qvec: np.ndarray
    ) -> None:
        """Cosine for candidates only the lexical side or a name match brought in: from the
        catalog's vectors, or where it has none, from the store."""
        missing = [pid for pid, s in scores.items() if "dense" not in s]
        if table.vectors is not None:
            rows = [table.row_of(pid) for pid in missing]  # cached: just fetched
            for pid, cos in zip(missing, table.similarity(rows, qvec), strict=True):
                scores[pid]["dense"] = float(cos)
            return
        for i in range(0, len(missing), 500):
            for pid, vec in self.store.passage_vectors(missing[i : i + 500]).items():
                scores[pid]["dense"] = float(np.dot(vec, qvec))

    def neighbours(self, passage_id: str, before: int = 1, after: int = 1) -> list[Hit]:
        """A hit's neighbouring passages in its document, as context."""
        table = self.table
        recs = table.neighbours(passage_id, before, after)
        return [table.hit(r.id, i + 1, 0.0, {}) for i, r in enumerate(recs)]


def top_rows(scores: np.ndarray, n: int) -> list[int]:
    """The rows of the ``n`` best positive scores, best first (ties in row order)."""
    positive = np.flatnonzero(scores > 0)
    if len(positive) > n:
        values = scores[positive]
        kth = np.partition(values, len(values) - n)[len(values) - n]  # the n-th best
        above = positive[values > kth]
        positive = np.concatenate([above, positive[values == kth][: n - len(above)]])
    order = np.lexsort((positive, -scores[positive]))
    return [int(r) for r in positive[order]]


def describe(filters: Filters) -> str:
    """``jurisdiction XX or YY, year from 2020``: filters as a user would say them."""

    def value(v: Any) -> str:
        return " or ".join(str(x) for x in v) if isinstance(v, (list, tuple, set)) else str(v)

    return ", ".join(f"{k.replace('_', ' ')} {value(v)}" for k, v in filters.items())
