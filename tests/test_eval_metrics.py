"""The evaluation's scoring functions on hand-made inputs, and the gold question set itself."""

from __future__ import annotations

import json
import math
from collections import Counter

import pytest

from evals.metrics import (
    AnswerOutcome,
    Gold,
    choose_threshold,
    citation_precision,
    first_relevant_rank,
    hit_at_k,
    is_relevant,
    ndcg_at_k,
    normalise,
    reciprocal_rank,
    refusal_metrics,
    relevance,
    retrieval_summary,
)
from evals.questions import EVAL_DOCS, document_passages, load_questions, problems
from evals.report import markdown
from indexer.settings import BUNDLED_CORPUS

UK = "uk-modern-slavery-act-2015"


# -- relevance ---------------------------------------------------------------------------
def test_phrase_match_ignores_case_accents_and_line_breaks():
    assert normalise("Réduction  en\nSERVITUDE") == "reduction en servitude"
    gold = [Gold("fr-note", "réduction en servitude")]
    assert is_relevant("fr-note", "…la REDUCTION en\nservitude est punie…", gold)


def test_passage_of_another_document_is_not_relevant_even_with_the_phrase():
    gold = [Gold(UK, "36 million")]
    assert not is_relevant("au-modern-slavery-act-2018", "turnover of GBP 36 million", gold)
    assert is_relevant(UK, "turnover of at least GBP 36 million", gold)
    assert not is_relevant(UK, "the only sanction is an injunction", gold)


def test_null_phrase_makes_every_passage_of_the_document_relevant():
    gold = [Gold(UK, None)]
    assert is_relevant(UK, "anything at all", gold)
    assert not is_relevant("other-doc", "anything at all", gold)


def test_any_of_several_gold_entries_is_enough():
    gold = [Gold("a", "alpha"), Gold("b", "beta")]
    assert relevance([("a", "no"), ("b", "Beta here"), ("a", "ALPHA")], gold) == [False, True, True]


# -- ranking metrics ---------------------------------------------------------------------
def test_hit_at_k_and_reciprocal_rank():
    rels = [False, False, True, False]
    assert [hit_at_k(rels, k) for k in (1, 2, 3, 10)] == [0.0, 0.0, 1.0, 1.0]
    assert reciprocal_rank(rels) == pytest.approx(1 / 3)
    assert first_relevant_rank(rels) == 3
    assert reciprocal_rank([False, False]) == 0.0
    assert first_relevant_rank([]) is None


def test_ndcg_with_binary_gains():
    assert ndcg_at_k([True, False, False], 10, n_relevant=1) == pytest.approx(1.0)
    assert ndcg_at_k([False, True], 10, n_relevant=1) == pytest.approx(1 / math.log2(3))
    # two relevant passages exist; only the first was found, at rank 1
    assert ndcg_at_k([True, False], 10, n_relevant=2) == pytest.approx(1 / (1 + 1 / math.log2(3)))
    # a relevant passage below the cut-off earns nothing
    assert ndcg_at_k([False] * 10 + [True], 10, n_relevant=1) == 0.0
    assert ndcg_at_k([False, False], 10, n_relevant=0) == 0.0


def test_retrieval_summary_averages_over_questions():
    runs = [[True, False], [False, False, True], [False] * 10]
    s = retrieval_summary(runs, [1, 1, 1])
    assert s["n"] == 3
    assert s["hit@1"] == pytest.approx(1 / 3)
    assert s["hit@3"] == pytest.approx(2 / 3)
    assert s["mrr"] == pytest.approx((1 + 1 / 3 + 0) / 3)
    assert s["ndcg@10"] == pytest.approx((1 + 1 / math.log2(4) + 0) / 3)


# -- answer metrics ----------------------------------------------------------------------
def test_citation_precision_counts_only_supported_answers_to_answerable_questions():
    gold = (Gold(UK, "36 million"),)
    outcomes = [
        AnswerOutcome(True, True, ((UK, "GBP 36 million turnover"), (UK, "injunction only")), gold),
        AnswerOutcome(True, True, (("au-modern-slavery-act-2018", "AUD 100 million"),), gold),
        AnswerOutcome(True, False, ((UK, "GBP 36 million"),), gold),  # refused: not counted
        AnswerOutcome(False, True, (("x", "y"),), ()),  # unanswerable: not counted
    ]
    assert citation_precision(outcomes) == pytest.approx(1 / 3)
    assert citation_precision([AnswerOutcome(True, False)]) is None


def test_refusal_metrics_treat_refusal_as_the_positive_class():
    outcomes = [
        AnswerOutcome(answerable=True, supported=True),
        AnswerOutcome(answerable=True, supported=False),  # wrong refusal
        AnswerOutcome(answerable=True, supported=True),
        AnswerOutcome(answerable=True, supported=True),
        AnswerOutcome(answerable=False, supported=False),  # right refusal
        AnswerOutcome(answerable=False, supported=True),  # should have refused
    ]
    m = refusal_metrics(outcomes)
    assert m["refusal_precision"] == pytest.approx(1 / 2)
    assert m["refusal_recall"] == pytest.approx(1 / 2)
    assert m["answerable_refused_rate"] == pytest.approx(1 / 4)
    assert m["unanswerable_refused_rate"] == pytest.approx(1 / 2)
    assert m["supported_share_answerable"] == pytest.approx(3 / 4)


def test_threshold_separates_cleanly_separable_scores():
    cal = choose_threshold([0.9, 0.85, 0.7, 0.6], [True, True, False, False])
    assert 0.7 < cal.threshold < 0.85
    assert cal.answerable_refused_rate == 0.0
    assert cal.unanswerable_accepted_rate == 0.0


def test_threshold_ties_are_broken_toward_fewer_wrong_refusals():
    # Answerable 0.80 and unanswerable 0.82 overlap: any cut costs 1/2 (one wrong
    # refusal) or 1/2 (one accepted unanswerable); the harness keeps the answer.
    scores = [0.90, 0.80, 0.82, 0.50]
    answerable = [True, True, False, False]
    cal = choose_threshold(scores, answerable)
    assert cal.answerable_refused_rate == 0.0
    assert cal.unanswerable_accepted_rate == pytest.approx(0.5)
    assert 0.50 < cal.threshold <= 0.80


def test_threshold_needs_matching_inputs():
    with pytest.raises(ValueError):
        choose_threshold([0.5], [True, False])
    with pytest.raises(ValueError):
        choose_threshold([], [])


def test_markdown_report_has_one_row_per_retrieval_mode():
    summary = {"n": 2, "hit@1": 0.5, "hit@3": 1.0, "hit@5": 1.0, "hit@10": 1.0, "mrr": 0.75, "ndcg@10": 0.8}
    results = {
        "meta": {"date": "2026-11-29", "questions": 3, "answerable": 2, "cross_lingual": 1,
                 "store": "/tmp/s", "embedder": "e", "passages": 10},
        "retrieval": {m: {"overall": summary} for m in ("bm25", "dense", "hybrid")},
        "answers": {"citation_precision": 0.9, "threshold": 0.8, "n_answerable": 2, "n_unanswerable": 1},
        "failures": {"retrieval": []},
    }
    text = markdown(results)
    for label in ("BM25 only", "dense only", "shipped hybrid"):
        assert f"| {label} | 0.500 | 1.000 | 1.000 | 1.000 | 0.750 | 0.800 |" in text
    assert "| citation precision (cited passage is a gold passage) | 0.900 |" in text


# -- the question set --------------------------------------------------------------------
@pytest.fixture(scope="module")
def questions():
    return load_questions()


@pytest.fixture(scope="module")
def passages():
    return document_passages([BUNDLED_CORPUS, EVAL_DOCS])


def test_question_set_size_and_mix(questions):
    assert len(questions) >= 110
    langs = Counter(q.language for q in questions)
    assert langs["en"] >= 45 and langs["fr"] >= 30 and langs["es"] >= 25
    assert sum(not q.answerable for q in questions) >= 15
    assert sum(q.cross_lingual for q in questions) >= 20
    assert len({q.id for q in questions}) == len(questions)
    for q in questions:
        assert q.question.strip() and q.expect.strip() and q.category.strip()
        assert q.answerable == bool(q.gold)
        assert not (q.cross_lingual and not q.answerable)


def test_every_gold_phrase_is_in_a_passage_and_cross_lingual_flags_are_right(questions, passages):
    assert problems(questions, passages) == []


def test_gold_phrases_are_in_passage_text_not_front_matter(questions, passages):
    """A phrase found only in metadata (title, aliases) would never match a retrieved passage."""
    for q in questions:
        for g in q.gold:
            if g.phrase is not None:
                texts = [p.text for p in passages[g.doc_id]]
                assert any(normalise(g.phrase) in normalise(t) for t in texts), (q.id, g)


def test_loading_rejects_duplicate_ids(tmp_path):
    row = {"id": "q001", "question": "?", "language": "en", "answerable": False, "cross_lingual": False,
           "gold": [], "expect": "refuse", "category": "off-topic"}
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps(row) + "\n" + json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="duplicate id q001"):
        load_questions(path)


def test_loading_rejects_answerable_question_without_gold(tmp_path):
    row = {"id": "q001", "question": "?", "language": "en", "answerable": True, "cross_lingual": False,
           "gold": [], "expect": "x", "category": "c"}
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="need gold"):
        load_questions(path)


def test_document_level_precision_and_quote_verification():
    from evals.metrics import citation_precision_documents, quotes_verified

    gold = (Gold("uk-msa", "36 million"),)
    outcomes = [AnswerOutcome(True, True, (("uk-msa", "other point"), ("au-msa", "x")), gold)]
    assert citation_precision_documents(outcomes) == pytest.approx(0.5)
    text = "What the sources say:\nUK:\n- turnover of GBP 36 million. [1]\n- Invented claim. [2]"
    assert quotes_verified(text, {1: "a turnover of GBP 36 million.", 2: "something else"}) == (1, 2)
