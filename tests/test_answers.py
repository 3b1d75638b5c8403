"""Extractive answers on a real store: every [n] has a citation, every citation is used,
every claim carries a marker, off-topic questions are refused, follow-ups resolve."""

from __future__ import annotations

import pytest

from assistant.answer import MARKER, check_citations
from assistant.conversation import Conversation
from assistant.core import Assistant, format_answer
from assistant.retrieval import Retriever
from indexer.pipeline import index_paths
from indexer.settings import BUNDLED_CORPUS, Settings
from tests.conftest import DATA

pytestmark = pytest.mark.slow

CARDS = [
    "uk-modern-slavery-act-2015",
    "fr-loi-vigilance-2017",
    "eu-directive-2014-24",
    "au-modern-slavery-act-2018",
    "de-lksg-2021",
    "us-far-52-222-50",
]


@pytest.fixture(scope="module")
def assistant(tmp_path_factory, embedder) -> Assistant:
    settings = Settings(home=tmp_path_factory.mktemp("answers"))
    paths = [BUNDLED_CORPUS / "instruments" / f"{c}.md" for c in CARDS] + [DATA / "mixed"]
    summary = index_paths(paths, settings, embedder=embedder)
    assert summary.ok, summary.problems
    return Assistant(settings, retriever=Retriever(settings, embedder=embedder), use_llm=False)


QUESTIONS = [
    "Which companies must publish a modern slavery statement in the UK, above what turnover?",
    "Must a contracting authority exclude a supplier convicted of forced labour?",
    "What does article 57 of Directive 2014/24/EU say about exclusion grounds?",
    "Quelles entreprises doivent établir un plan de vigilance ?",
    "¿Qué empresas deben informar sobre esclavitud moderna en Australia?",
    "What must contractors certify under FAR 52.222-50?",
    "Which German companies are covered by the LkSG?",
    "Qui doit exclure un soumissionnaire condamné pour travail forcé ?",
    "Who audits uniform suppliers twice a year?",
    "Can a supplier excluded for forced labour be admitted again?",
    "What sanctions apply under the French duty of vigilance law?",
    "¿Pueden las agencias de contratación cobrar comisiones a los trabajadores migrantes?",
]
OFF_TOPIC = [
    "How long should I bake a sourdough loaf?",
    "Who won the football world cup in 1998?",
    "What is the boiling point of water at the top of Mount Everest?",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_answers_cite_every_claim(assistant, question):
    answer = assistant.ask(question)
    assert answer.supported, answer.answer
    assert check_citations(answer) == []
    assert answer.citations and len(answer.used_passage_ids) == len(answer.citations)
    # Every quoted line (a claim) ends with at least one marker; other lines are headings.
    claims = [line for line in answer.answer.splitlines() if line.startswith("- ")]
    assert claims and all(MARKER.search(line) for line in claims)
    for c in answer.citations:
        assert c.title and c.locator and c.binding in ("yes", "no", "unknown")
        # The quoted sentences come from the cited passage, word for word.
    for line in claims:
        for n in MARKER.findall(line):
            quoted = MARKER.sub("", line[2:]).strip().rstrip("…").strip()
            source = " ".join(answer.citations[int(n) - 1].text.split())
            assert quoted[:60] in source
    assert format_answer(answer).count("[1]") >= 2  # marker in the text and in the sources


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_off_topic_questions_are_refused(assistant, question):
    answer = assistant.ask(question)
    assert not answer.supported
    assert "does not cover" in answer.answer
    assert answer.citations == [] and answer.used_passage_ids == []
    # Nothing in the knowledge base is near: listing the "closest" documents would be noise.
    assert answer.closest_documents == []
    assert "outside what the knowledge base is about" in answer.answer


def test_an_on_topic_question_outside_the_sources_lists_the_closest_documents(assistant):
    answer = assistant.ask("What penalties does Japan impose for forced labour in procurement?")
    assert not answer.supported
    assert "do not mention: Japan." in answer.answer  # the country by name, not its code
    assert answer.closest_documents and "outside what" not in answer.answer


def test_answer_names_instrument_year_jurisdiction_and_binding(assistant):
    answer = assistant.ask(
        "Which companies must publish a modern slavery statement in the UK, above what turnover?"
    )
    first = answer.citations[0]
    assert first.doc_id == "uk-modern-slavery-act-2015"
    assert first.year == 2015 and first.jurisdiction == "GB" and first.binding == "yes"
    assert "36 million" in " ".join(c.text for c in answer.citations)
    assert "UK Modern Slavery Act (GB, 2015, binding):" in answer.answer


def test_cross_language_answer_says_so_and_quotes_the_source_language(assistant):
    answer = assistant.ask(
        "Which ministries publish the list of subcontractors of their clothing suppliers?"
    )
    assert answer.supported
    fr = [c for c in answer.citations if c.language == "fr"]
    assert fr and "sous-traitants" in fr[0].text
    assert "French" in answer.answer and "quoted in their own language" in answer.answer


def test_filter_matching_nothing_is_said(assistant):
    answer = assistant.ask("forced labour", filters={"jurisdiction": ["ZZ"]})
    assert not answer.supported and "no passage matches the filters" in answer.answer


def test_follow_up_resolves_against_previous_turn(assistant):
    conv = Conversation()
    first = assistant.ask(
        "Which companies must report on modern slavery in the UK, above what turnover?",
        conversation=conv,
    )
    assert first.citations[0].jurisdiction == "GB"
    follow = assistant.ask("And in Australia?", conversation=conv)
    assert follow.supported and follow.resolved_question
    assert (
        "modern slavery" in follow.resolved_question
        and "australia" in follow.resolved_question.lower()
    )
    assert follow.citations[0].jurisdiction == "AU"
    off = assistant.ask("And what about pancakes?", conversation=conv)
    assert check_citations(off) == []
