"""A user's own document, asked in another language: the French background paper alone,
English questions. Written for this test (not from the evaluation suite); needs
``../shared`` and skips without it."""

from __future__ import annotations

import pytest

from evals import userdocs
from evals.metrics import normalise

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not userdocs.available(), reason="../shared documents not available"),
]

# (question, locator of the paragraph that answers, a phrase of that paragraph)
ANSWERABLE = [
    (
        "Which article of the Trafficking in Persons Protocol asks States to discourage the demand "
        "that fosters exploitation?",
        "para. 12",
        "paragraphe 5 de l'article 9",
    ),
    (
        "What are the three pillars of the UN Guiding Principles on Business and Human Rights?",
        "para. 14",
        "protéger les droits humains",
    ),
    (
        "Which US rule requires contractors to certify an anti-trafficking compliance plan, and above "
        "what contract value?",
        "para. 29",
        "500 000 dollars",
    ),
    (
        "Which Security Council resolution asked the Secretary-General for recommendations to reduce "
        "the risk that UN procurement contributes to trafficking?",
        "para. 22",
        "résolution 2331 (2016)",
    ),
    (
        "What did the Committee of Ministers of the Council of Europe recommend to member States in 2016?",
        "para. 21",
        "Comité des Ministres du Conseil de l'Europe",
    ),
    (
        "Which UN body reviewed the procurement practices of the UN system in 2011, and what did it find?",
        "para. 24",
        "Corps commun d'inspection",
    ),
    (
        "Which government department publishes the Sweat & Toil mobile app?",
        "para. 52",
        "Département du travail des États-Unis",
    ),
    (
        "What does the Australian modern slavery resource package help procurement officials do?",
        "para. 45",
        "évaluer et à gérer les risques",
    ),
    (
        "Under which General Assembly resolution was the Inter-Agency Coordination Group against "
        "Trafficking in Persons set up?",
        "para. 35",
        "résolution 61/180",
    ),
    (
        "In March 2021, what did the European Parliament ask the European Commission to propose?",
        "para. 26",
        "proposition de texte législatif contraignant",
    ),
]
# On the topic, but the paper does not say.
UNANSWERABLE = [
    "What is the maximum fine under Norway's Transparency Act for companies that do not report?",
    "How many companies had filed modern slavery statements on the UK government register by 2020?",
    "Which products from Peru are on the US Department of Labor's list of goods made with forced labour?",
]


@pytest.fixture(scope="module")
def paper_assistant(tmp_path_factory, embedder):
    from assistant.core import Assistant
    from indexer.pipeline import index_paths
    from indexer.settings import Settings

    home = tmp_path_factory.mktemp("paper-home")
    settings = Settings(home=home, embed_cache="off")
    summary = index_paths(userdocs.corpus_files("paper"), settings, embedder=embedder)
    assert summary.ok and summary.indexed == 1, summary.problems
    return Assistant(settings, use_llm=False)


def holds(citation, locator: str, phrase: str) -> bool:
    return userdocs.same_locator(citation.locator, locator) and normalise(phrase) in normalise(
        citation.text
    )


def test_english_questions_on_a_french_report_are_answered_from_the_right_paragraph(
    paper_assistant,
):
    answered = []
    for question, locator, phrase in ANSWERABLE:
        answer = paper_assistant.ask(question)
        if answer.supported and any(holds(c, locator, phrase) for c in answer.citations):
            answered.append(question)
        assert answer.language == "en"
    assert len(answered) >= 9, [q for q, _, _ in ANSWERABLE if q not in answered]


def test_on_topic_questions_the_report_does_not_answer_are_refused(paper_assistant):
    for question in UNANSWERABLE:
        answer = paper_assistant.ask(question)
        assert not answer.supported, (question, answer.answer[:300], answer.support)
        assert answer.closest_documents  # a refusal still points to the closest document
