"""The evaluation's scoring functions on hand-made inputs, and the gold question set itself."""

from __future__ import annotations

import json
import math
from collections import Counter

import pytest

from evals.evaluate import summarise
from evals.metrics import (
    Gold,
    choose_threshold,
    first_relevant_rank,
    hit_at_k,
    is_relevant,
    ndcg_at_k,
    normalise,
    reciprocal_rank,
    relevance,
    retrieval_summary,
)
from evals.questions import EVAL_DOCS, document_passages, load_questions, problems
from evals.report import languages_table, markdown
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


def _record(qid, store, answerable, supported, rels=(), first_ok=False, cross=False, lang="en"):
    cites = [{"doc_id": "d", "locator": "p", "relevant": first_ok}] if supported else []
    rec = {
        "id": qid,
        "store": store,
        "language": lang,
        "answerable": answerable,
        "cross_lingual": cross,
        "question": qid,
        "supported": supported,
        "citations": cites,
        "quotes": [1, 1] if supported else [0, 0],
    }
    if answerable:
        rec.update(
            rels_hybrid=list(rels),
            rank_hybrid=first_relevant_rank(list(rels)),
            n_relevant=1,
            top3=[],
        )
    return rec


def test_summary_counts_first_citations_and_refusals_per_subset():
    records = [
        _record("a", "paper", True, True, [True], first_ok=True),
        _record("b", "paper", True, True, [False, True], first_ok=False, cross=True, lang="fr"),
        _record("c", "paper", True, False, [False, False], cross=True, lang="fr"),
        _record("u", "paper", False, False),
        _record("v", "paper", False, True),
    ]
    s = summarise(records)
    overall = s["answers"]["overall"]
    assert overall["first_citation_gold"] == pytest.approx(1 / 3)
    assert overall["answerable_refused_rate"] == pytest.approx(1 / 3)
    assert overall["unanswerable_refused_rate"] == pytest.approx(0.5)
    assert s["retrieval"]["hybrid"]["overall"]["hit@1"] == pytest.approx(1 / 3)
    assert s["retrieval"]["hybrid"]["cross_lingual"]["hit@5"] == pytest.approx(0.5)
    assert s["answers"]["cross_lingual"]["n_answerable"] == 2


def test_markdown_report_puts_the_suites_side_by_side_and_hides_test_failures():
    records = [_record("a", "paper", True, True, [False, True]), _record("u", "legal", False, True)]
    view = summarise(records)
    results = {
        "meta": {"date": "2026-12-02", "split": "test", "embedder": "e", "modes": ["hybrid"]},
        "suites": {
            "bundled": {"views": {"bundled": view}, "records": records},
            "userdocs": {"views": {"own_store": view, "combined_store": view}, "records": records},
        },
    }
    text = markdown(results)
    assert (
        "| all questions | bundled cards | user docs, own store | user docs, combined store |"
        in text
    )
    assert "| hit@5 | 1.000 | 1.000 | 1.000 |" in text
    assert "| unanswerable refused | 0.000 | 0.000 | 0.000 |" in text
    assert "Questions to look at" not in text  # reading test failures would be tuning on them
    results["meta"]["split"] = "dev"
    assert "Questions to look at" in markdown(results)


def test_language_table_has_a_row_per_question_language_in_suite_order():
    # Arabic, Chinese and Russian questions (user documents only) get rows after en, fr, es;
    # a view without the language shows a dash, every cell its counts.
    records = [
        _record("e", "paper", True, True, [True], first_ok=True, lang="en"),
        _record("r", "paper", True, True, [False, True], cross=True, lang="ru"),
        _record("z", "legal", True, False, [False], cross=True, lang="zh"),
        _record("a", "paper", False, False, lang="ar"),
    ]
    cards = summarise([_record("f", "cards", True, True, [True], lang="fr")])
    results = {
        "meta": {"date": "2026-12-02", "split": "test", "embedder": "e", "modes": ["hybrid"]},
        "suites": {
            "bundled": {"views": {"bundled": cards}, "records": []},
            "userdocs": {"views": {"own_store": summarise(records)}, "records": records},
        },
    }
    text = languages_table(results)
    assert [line.split(" | ")[0].lstrip("| ") for line in text.splitlines()[2:]] == [
        "en",
        "fr",
        "ar",
        "zh",
        "ru",
    ]
    assert "| ru | – | 0.000 / 1.000 / 0.000 / – (1 + 0) |" in text
    assert "| ar | – | – / – / – / 1.000 (0 + 1) |" in text
    assert "| fr | 1.000 / 1.000 / 0.000 / – (1 + 0) | – |" in text
    assert text in markdown(results)


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
    # Cards carry French and Spanish bodies: a question across languages is one whose
    # sources are in one language only (the French and Spanish evaluation notes).
    assert sum(q.cross_lingual for q in questions) >= 14
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
    row = {
        "id": "q001",
        "question": "?",
        "language": "en",
        "answerable": False,
        "cross_lingual": False,
        "gold": [],
        "expect": "refuse",
        "category": "off-topic",
    }
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps(row) + "\n" + json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="duplicate id q001"):
        load_questions(path)


def test_loading_rejects_answerable_question_without_gold(tmp_path):
    row = {
        "id": "q001",
        "question": "?",
        "language": "en",
        "answerable": True,
        "cross_lingual": False,
        "gold": [],
        "expect": "x",
        "category": "c",
    }
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="need gold"):
        load_questions(path)


def test_quote_verification():
    from evals.metrics import quotes_verified

    text = "What the sources say:\nUK:\n- turnover of GBP 36 million. [1]\n- Invented claim. [2]"
    assert quotes_verified(text, {1: "a turnover of GBP 36 million.", 2: "something else"}) == (
        1,
        2,
    )
