"""Ranking maths on made-up candidates: no model, no store."""

from __future__ import annotations

import pytest

from assistant.fusion import RetrievalConfig, Signals, dedupe, fuse
from assistant.refs import provisions

META = {
    "a": {
        "doc_id": "uk",
        "language": "en",
        "doc_language": "en",
        "locator": "s. 54(2)",
        "jurisdiction": "GB",
    },
    "b": {
        "doc_id": "fr",
        "language": "fr",
        "doc_language": "fr",
        "locator": "art. 1",
        "jurisdiction": "FR",
    },
    "c": {
        "doc_id": "uk",
        "language": "es",
        "doc_language": "en",
        "locator": "resumen",
        "jurisdiction": "GB",
    },
    "d": {
        "doc_id": "m",
        "language": "en",
        "doc_language": "en",
        "locator": "point 1",
        "collection": "synthesis",
    },
}


def ranked(candidates, signals=None, **cfg):
    return [
        pid
        for _, pid in fuse(candidates, META.get, signals or Signals("en"), RetrievalConfig(**cfg))
    ]


def test_dense_mixes_the_passage_and_its_best_sentence():
    cands = {"a": {"dense": 0.80, "sentence": 0.90}, "b": {"dense": 0.84}}
    # 0.3 * 0.80 + 0.7 * 0.90 = 0.87 beats 0.84: the passage with the sentence that answers wins.
    assert ranked(cands, sentence_weight=0.7, lexical_weight=0) == ["a", "b"]
    assert ranked(cands, sentence_weight=0.0, lexical_weight=0) == ["b", "a"]


def test_bm25_is_normalised_over_the_candidates_and_recorded():
    cands = {"a": {"dense": 0.80, "bm25": 4.0}, "b": {"dense": 0.81, "bm25": 1.0}}
    assert ranked(cands, lexical_weight=0.05) == ["a", "b"]
    assert cands["a"]["lexical"] == pytest.approx(1.0) and cands["b"]["lexical"] == pytest.approx(
        0.25
    )


def test_named_provision_and_jurisdiction_each_add_their_weight():
    cands = {"a": {"dense": 0.80}, "b": {"dense": 0.83}}
    signals = Signals(
        "en", named={"uk": 1.0}, provisions=provisions("section 54(2)"), jurisdictions={"GB"}
    )
    cfg = {
        "name_weight": 0.01,
        "provision_weight": 0.01,
        "jurisdiction_weight": 0.01,
        "lexical_weight": 0,
    }
    assert ranked(cands, signals, **cfg) == ["a", "b"]  # 0.80 + 3 x 0.01 > 0.83
    assert (
        cands["a"]["name"] == 1.0
        and cands["a"]["provision"] == 1.0
        and cands["a"]["jurisdiction"] == 1.0
    )


def test_summaries_and_syntheses_rank_below_equal_sources():
    cands = {"a": {"dense": 0.8}, "c": {"dense": 0.8}, "d": {"dense": 0.8}}
    assert ranked(cands, lexical_weight=0) == ["a", "c", "d"]


def test_baselines_use_one_signal_each():
    cands = {"a": {"dense": 0.9, "bm25": 1.0}, "b": {"dense": 0.8, "bm25": 3.0}}
    assert ranked(cands, mode="bm25") == ["b", "a"]
    assert ranked(dict(cands), mode="dense") == ["a", "b"]


def test_dedupe_keeps_the_first_of_identical_texts():
    fused = [(0.9, "a"), (0.8, "b"), (0.7, "c"), (0.6, "d")]
    texts = {"a": "same words", "b": "same words", "c": "other", "d": "third"}
    assert dedupe(fused, texts.get, keep=2) == [(0.9, "a"), (0.7, "c")]
