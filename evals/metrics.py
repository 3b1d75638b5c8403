"""Pure scoring functions for the evaluation: relevance, ranking metrics, answer metrics.

Nothing here touches the store, the model or the file system, so every number the
harness reports can be checked by hand on a few lines of input (see
``tests/test_eval_metrics.py``).

Relevance rule: a passage is relevant to a question when its document is one of the
question's gold documents and the gold ``phrase`` occurs in the passage text (compared
case- and accent-insensitively, whitespace collapsed); a gold phrase of ``None`` makes
every passage of that document relevant.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Passage = tuple[str, str]  # (doc_id, text): all a relevance judgement needs


@dataclass(frozen=True)
class Gold:
    doc_id: str
    phrase: str | None = None


def normalise(text: str) -> str:
    """Text as phrases are matched: accents dropped, case folded, quotes and spaces unified."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("‘", "'").replace("«", '"').replace("»", '"')
    return re.sub(r"\s+", " ", text.casefold()).strip()


def is_relevant(doc_id: str, text: str, gold: Iterable[Gold]) -> bool:
    """Whether a passage (its document id and text) answers a question with this gold set."""
    folded: str | None = None
    for g in gold:
        if g.doc_id != doc_id:
            continue
        if g.phrase is None:
            return True
        if folded is None:
            folded = normalise(text)
        if normalise(g.phrase) in folded:
            return True
    return False


def relevance(passages: Sequence[Passage], gold: Sequence[Gold]) -> list[bool]:
    """One relevance flag per ranked passage."""
    return [is_relevant(doc_id, text, gold) for doc_id, text in passages]


def hit_at_k(rels: Sequence[bool], k: int) -> float:
    """1.0 if a relevant passage is among the first ``k``, else 0.0."""
    return 1.0 if any(rels[:k]) else 0.0


def reciprocal_rank(rels: Sequence[bool]) -> float:
    """1 / rank of the first relevant passage (0.0 when none was retrieved)."""
    for i, rel in enumerate(rels):
        if rel:
            return 1.0 / (i + 1)
    return 0.0


def first_relevant_rank(rels: Sequence[bool]) -> int | None:
    """1-based rank of the first relevant passage, or None."""
    for i, rel in enumerate(rels):
        if rel:
            return i + 1
    return None


def ndcg_at_k(rels: Sequence[bool], k: int = 10, n_relevant: int | None = None) -> float:
    """nDCG@k with binary gains.

    ``n_relevant`` is how many relevant passages exist in the whole collection; the
    ideal ranking puts ``min(n_relevant, k)`` of them first. When unknown, the relevant
    passages found in ``rels`` stand in for it (which can only flatter the score).
    """
    dcg = sum(1.0 / math.log2(i + 2) for i, rel in enumerate(rels[:k]) if rel)
    total = sum(bool(r) for r in rels) if n_relevant is None else n_relevant
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(total, k)))
    return dcg / ideal if ideal else 0.0


def mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None


def retrieval_summary(
    runs: Sequence[Sequence[bool]], n_relevant: Sequence[int | None] | None = None
) -> dict[str, float | int | None]:
    """hit@1/3/5/10, MRR and nDCG@10 averaged over questions (one relevance list each)."""
    counts = list(n_relevant) if n_relevant is not None else [None] * len(runs)
    out: dict[str, float | int | None] = {"n": len(runs)}
    for k in (1, 3, 5, 10):
        out[f"hit@{k}"] = mean(hit_at_k(r, k) for r in runs)
    out["mrr"] = mean(reciprocal_rank(r) for r in runs)
    out["ndcg@10"] = mean(ndcg_at_k(r, 10, n) for r, n in zip(runs, counts, strict=True))
    return out


def quotes_verified(answer_text: str, cited_texts: dict[int, str]) -> tuple[int, int]:
    """(verified, total) quoted lines of an extractive answer: a line ``- sentence [n]``
    is verified when the sentence occurs word for word in passage ``n``."""
    verified = total = 0
    for line in answer_text.splitlines():
        if not line.startswith("- "):
            continue
        numbers = [int(n) for n in re.findall(r"\[(\d+)\]", line)]
        if not numbers:
            total += 1
            continue
        quote = re.sub(r"\s*\[\d+\]", "", line[2:]).strip().rstrip("…").strip()
        total += 1
        verified += all(
            " ".join(quote.split()) in " ".join(cited_texts.get(n, "").split()) for n in numbers
        )
    return verified, total


@dataclass(frozen=True)
class Calibration:
    threshold: float
    answerable_refused_rate: float
    unanswerable_accepted_rate: float


def choose_threshold(scores: Sequence[float], answerable: Sequence[bool]) -> Calibration:
    """The refusal threshold minimising (answerable refused rate + unanswerable accepted rate).

    An answer is given when its support score is >= the threshold (as in
    ``assistant.support``). Candidates sit at the lowest score (refuse nothing),
    midway between consecutive distinct scores, and just above the highest (refuse all),
    so a threshold never coincides with a question's own score. Ties go to the candidate
    with fewer wrong refusals, then to the lower threshold.
    """
    if len(scores) != len(answerable):
        raise ValueError("one answerable flag per score")
    if not scores:
        raise ValueError("no scores to calibrate on")
    n_ans = sum(answerable)
    n_unans = len(answerable) - n_ans
    distinct = sorted(set(scores))
    candidates = [distinct[0]]
    candidates += [(a + b) / 2 for a, b in zip(distinct, distinct[1:], strict=False)]
    candidates.append(distinct[-1] + 0.01)
    best: tuple[float, float, float, float] | None = None
    for t in candidates:
        arr = sum(1 for s, a in zip(scores, answerable, strict=True) if a and s < t)
        uar = sum(1 for s, a in zip(scores, answerable, strict=True) if not a and s >= t)
        arr_rate = arr / n_ans if n_ans else 0.0
        uar_rate = uar / n_unans if n_unans else 0.0
        key = (arr_rate + uar_rate, arr_rate, t, uar_rate)
        if best is None or key < best:
            best = key
    assert best is not None
    return Calibration(
        threshold=best[2], answerable_refused_rate=best[1], unanswerable_accepted_rate=best[3]
    )
