"""Training Q&A as a trainer checks it: questions that read as written by a person, in the
language chosen, on the topic chosen, each answered by a card point with its source; short
cases whose answers follow from the point; sets that a seed reproduces; exports that keep the
answer key apart from the questions. No model: the bundled cards only."""

from __future__ import annotations

import csv
import json
import re

import pytest
from click.testing import CliRunner

from assistant.cli import main
from assistant.tools import quiz as quiz_mod
from assistant.tools.records import load_corpus
from indexer.language import detect

UK = "uk-modern-slavery-act-2015"
LANGS = ("en", "fr", "es")
# What a trainer strikes out: machine phrasing, unfilled slots, a question without its subject.
AWKWARD = [
    r"\bon (nature|purpose|status|origin|background|structure|form|use|author)\s?\?",
    r"what does it say",
    r"what does point \d+ say",
    r"^[^?¿]{3,80}: (who|what|which|how)\b",  # "UK Modern Slavery Act: who must comply?"
    r"[{}]|\bNone\b|\s{2}",
    r"\b(the the|de de|la la|le le)\b",
    r"\b(du|de la) (le|la|les)\b",
]


def every_pair(lang: str, level: str = "mixed"):
    corpus = load_corpus()
    for card in sorted(corpus.instruments, key=lambda c: c.id):
        for pair in quiz_mod.card_pairs(card, lang, level):
            yield card, pair


def point_of(card, pair, lang: str = "en"):
    n = int(re.match(r"point (\d+)", pair.source.locator).group(1))
    return card.point(n, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_questions_read_as_a_trainer_would_write_them(lang):
    questions = [(card, pair) for card, pair in every_pair(lang)]
    assert len(questions) > 150, "the cards should give a good stock of questions"
    for card, pair in questions:
        q = pair.question
        assert q.endswith("?") and q[0].isupper() or q.startswith("¿"), q
        if lang == "es":
            assert "¿" in q, q
        if lang == "fr":
            assert q.endswith(" ?"), q  # French spacing
        for pattern in AWKWARD:
            assert not re.search(pattern, q, re.I), (pattern, q)
        # the question never gives away its answer
        assert point_of(card, pair, lang).text[:60] not in q, q


def test_english_questions_name_what_they_ask_about():
    quiz = quiz_mod.make_quiz(instruments=[UK], n=50)
    by_point = {p.source.locator: p for p in quiz.pairs}
    threshold = by_point["point 2 (s. 54(2); SI 2015/1833)"]
    assert threshold.question == (
        "Above what annual turnover must a company report under the UK Modern Slavery Act?"
    )
    assert "GBP 36 million" in threshold.answer
    exclusion = quiz_mod.make_quiz(instruments=["eu-directive-2014-24"], n=50).pairs
    assert (
        "Under the EU Public Procurement Directive 2014/24/EU, when must a contracting "
        "authority exclude a bidder?"
    ) in [p.question for p in exclusion]
    # no two questions of a set are the same
    assert len({p.question for p in quiz.pairs}) == len(quiz.pairs)


def test_due_diligence_questions_stay_on_due_diligence():
    corpus = load_corpus()
    quiz = quiz_mod.make_quiz(topics=["due-diligence"], n=500)
    assert len(quiz.pairs) >= 20
    ids = {p.source.doc_id for p in quiz.pairs}
    assert {"de-lksg-2021", "fr-loi-vigilance-2017", "eu-csddd-2024-1760"} <= ids
    for pair in quiz.pairs:
        card = corpus.get(pair.source.doc_id)
        point = point_of(card, pair)
        about = f"{card.title} {card.short_title} {point.label} {point.text}"
        assert re.search(r"due diligence|vigilance|risk|adverse impacts", about, re.I), (
            pair.question,
            point,
        )
    # tagged due-diligence, but not about it: the AfDB policy's debarment rules, the AU plan's
    # adoption and purpose give no question, and neither does any of their other points
    for off_topic in ("afdb-procurement-policy", "au-ten-year-action-plan-2020-2030"):
        assert "due-diligence" in corpus.get(off_topic).topics
        assert off_topic not in ids


def test_exclusion_topic_asks_about_exclusion():
    corpus = load_corpus()
    quiz = quiz_mod.make_quiz(topics=["exclusion-debarment"], n=500, level="mixed")
    assert len(quiz.pairs) >= 10
    for pair in quiz.pairs:
        card = corpus.get(pair.source.doc_id)
        point = point_of(card, pair)
        assert re.search(
            r"exclu|debar|barred|\bbars?\b|suspen|ineligib|list",
            f"{card.title} {point.label} {point.text}",
            re.I,
        ), (pair.question, point)


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_french_and_spanish_sets_are_in_that_language(lang):
    corpus = load_corpus()
    for level in ("recall", "application"):
        quiz = quiz_mod.make_quiz(topics=["due-diligence"], n=25, lang=lang, level=level)
        assert quiz.pairs and quiz.lang == lang
        for pair in quiz.pairs:
            assert detect(pair.question) == lang, pair.question
            assert detect(pair.answer) == lang, pair.answer
            point = point_of(corpus.get(pair.source.doc_id), pair, lang)
            # the answer is the card's own text in that language, not the English point
            assert point.text[1:80] in pair.answer
            assert pair.source.text == point.text[:1].upper() + point.text[1:]
    uk = quiz_mod.make_quiz(instruments=[UK], n=50, lang=lang).pairs
    threshold = next(p for p in uk if p.source.locator.startswith("point 2 "))
    assert {"fr": "chiffre d'affaires", "es": "volumen de negocios"}[lang] in threshold.question
    assert "36" in threshold.answer and "GBP 36 million" not in threshold.answer


@pytest.mark.parametrize("lang", LANGS)
def test_answer_key_cites_the_card_point_that_answers(lang):
    corpus = load_corpus()
    for card, pair in every_pair(lang):
        src = pair.source
        assert src.doc_id == card.id and src.title == card.label and src.url == card.url
        assert any(p.locator == src.locator for p in card.points), src.locator
        text = point_of(card, pair, lang).text
        if pair.level == "recall":
            assert pair.answer == text[:1].upper() + text[1:]
        else:  # a case: the verdict, then the point quoted whole
            assert text[1:].rstrip(". ") in pair.answer
    assert corpus.get(UK).label in quiz_mod.make_quiz(instruments=[UK], n=1).pairs[0].citation()


def test_a_seed_gives_the_same_set_again():
    def questions(**kw):
        return [p.question for p in quiz_mod.make_quiz(topics=["due-diligence"], **kw).pairs]

    fixed = questions(n=40)
    assert questions(n=40) == fixed  # no seed: always the same order
    seven = questions(n=40, seed=7)
    assert questions(n=40, seed=7) == seven  # same seed, same set, same order
    assert seven != fixed and questions(n=40, seed=8) != seven
    everything = set(questions(n=500))
    assert set(questions(n=500, seed=7)) == everything  # shuffled, nothing lost or added
    quiz = quiz_mod.make_quiz(topics=["due-diligence"], n=5, seed=7)
    assert quiz.seed == 7 and "seed 7" in quiz_mod.to_markdown(quiz)


def test_application_questions_are_cases_the_point_settles():
    quiz = quiz_mod.make_quiz(topics=["due-diligence"], n=50, level="application")
    assert len(quiz.pairs) >= 5
    assert all(p.level == "application" for p in quiz.pairs)
    for pair in quiz.pairs:
        case, ask = pair.question.rsplit(". ", 1)
        assert case and ask.endswith("?"), pair.question  # a situation, then the question
        assert "The point reads: “" in pair.answer
    # the verdicts on thresholds follow from the figures the cards set
    cases = quiz_mod.make_quiz(n=500, level="application").pairs
    limits = {
        UK: 36e6,
        "au-modern-slavery-act-2018": 100e6,
        "us-california-tisca-2010": 100e6,
        "de-lksg-2021": 1000,
        "fr-loi-vigilance-2017": 5000,
    }
    checked = 0
    for pair in cases:
        if pair.source.doc_id not in limits or pair.kind != "threshold_case":
            continue
        figure = re.search(r"(\d[\d,.]*\d)( million| billion)?", pair.question.split(". ")[0])
        value = float(figure.group(1).replace(",", "")) * {" million": 1e6, " billion": 1e9}.get(
            figure.group(2) or "", 1
        )
        above = value >= limits[pair.source.doc_id]
        assert pair.answer.startswith("Yes" if above else "No"), pair.question
        checked += 1
    assert checked == len(limits)
    eu = quiz_mod.make_quiz(instruments=["eu-directive-2014-24"], n=50, level="application")
    lapsed = next(p for p in eu.pairs if "years ago" in p.question)
    assert "6 years ago" in lapsed.question and lapsed.answer.startswith("No: ")
    assert "five years" in lapsed.answer  # the point itself, quoted
    convicted = next(p for p in eu.pairs if "last year" in p.question)
    assert convicted.answer.startswith("Exclude the bidder")


def test_recall_and_application_levels_are_kept_apart():
    recall = quiz_mod.make_quiz(topics=["due-diligence"], n=500, level="recall").pairs
    cases = quiz_mod.make_quiz(topics=["due-diligence"], n=500, level="application").pairs
    mixed = quiz_mod.make_quiz(topics=["due-diligence"], n=500, level="mixed").pairs
    assert {p.level for p in recall} == {"recall"} and {p.level for p in cases} == {"application"}
    assert len(mixed) == len(recall) + len(cases)
    with pytest.raises(ValueError, match="level"):
        quiz_mod.make_quiz(level="hard")
    with pytest.raises(ValueError, match="language"):
        quiz_mod.make_quiz(lang="de")
    with pytest.raises(ValueError, match="no-such-topic"):
        quiz_mod.make_quiz(topics=["no-such-topic"])
    with pytest.raises(ValueError, match="no-such-card"):
        quiz_mod.make_quiz(instruments=["no-such-card"])


# -- exports: questions to hand out, the answer key apart ---------------------------------------


def test_csv_and_anki_keep_the_answer_off_the_question(tmp_path):
    quiz = quiz_mod.make_quiz(topics=["due-diligence"], n=3, seed=3)
    quiz.pairs += quiz_mod.make_quiz(topics=["due-diligence"], n=3, level="application").pairs
    quiz.pairs.append(
        quiz_mod.QAPair("A & B <x>?", 'Say "yes"; stop.', quiz.pairs[0].source, "generic")
    )
    plain = quiz_mod.export_quiz(quiz, tmp_path / "quiz.csv")
    with plain.open(encoding="utf-8-sig", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert len(table) == 7
    for row, pair in zip(table, quiz.pairs, strict=True):
        assert row["Question"] == pair.question and row["Answer"] == pair.answer
        assert row["Source"] and row["Locator"].startswith("point ") and row["URL"]
        assert pair.answer not in row["Question"]
    assert {row["Level"] for row in table} >= {"recall", "application"}
    path = quiz_mod.export_quiz(quiz, tmp_path / "deck.csv", anki=True)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["#separator:semicolon", "#html:true"]
    cards = list(csv.reader(lines[2:], delimiter=";"))
    assert len(cards) == 7 and all(len(c) == 2 for c in cards)
    for (front, back), pair in zip(cards[:6], quiz.pairs[:6], strict=True):
        assert front.endswith("?") and "<br>" not in front  # the front is the question alone
        assert pair.source.locator in back and "<small>" in back
    assert cards[6] == [
        "A &amp; B &lt;x&gt;?",
        cards[6][1],
    ] and cards[6][1].startswith("Say &quot;yes&quot;; stop.")


def test_markdown_puts_the_answer_key_after_all_questions(tmp_path):
    quiz = quiz_mod.make_quiz(instruments=[UK], n=4)
    md = quiz_mod.export_quiz(quiz, tmp_path / "q.md").read_text(encoding="utf-8")
    questions, key = md.split("## Answer key", 1)
    assert "## Questions" in questions
    assert all(p.question in questions and p.answer not in questions for p in quiz.pairs)
    assert all(p.answer in key for p in quiz.pairs)
    assert key.count("*Source: UK Modern Slavery Act (2015 c. 30), point ") == 4


def test_french_docx_hands_out_questions_then_a_corrige(tmp_path):
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE

    quiz = quiz_mod.make_quiz(topics=["due-diligence"], n=5, lang="fr", level="mixed")
    doc = docx.Document(quiz_mod.export_quiz(quiz, tmp_path / "quiz.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    head, key = text.split("\nCorrigé\n", 1)
    assert head.startswith("Quiz de formation")
    assert all(p.question in head and p.answer not in head for p in quiz.pairs)
    assert all(p.answer in key for p in quiz.pairs) and key.count("Source : ") == len(quiz.pairs)
    assert doc.core_properties.language == "fr" and doc.core_properties.author == "Vigilance"
    links = {
        r.target_ref for r in doc.part.rels.values() if r.reltype == RELATIONSHIP_TYPE.HYPERLINK
    }
    assert {p.source.url for p in quiz.pairs} <= links


# -- the command line and the web tab ------------------------------------------------------


def test_cli_quiz_in_french_with_a_seed(tmp_path):
    runner = CliRunner()

    def run(*args):
        return runner.invoke(main, ["quiz", *args], catch_exceptions=False)

    first = run("--topic", "due-diligence", "--lang", "fr", "--level", "application", "--seed",
                "4", "-n", "3", "--json")  # fmt: skip
    assert first.exit_code == 0, first.output
    data = json.loads(first.output)
    assert data["lang"] == "fr" and data["level"] == "application" and data["seed"] == 4
    assert len(data["pairs"]) == 3 and all(detect(p["question"]) == "fr" for p in data["pairs"])
    again = run("--topic", "due-diligence", "--lang", "fr", "--level", "application", "--seed",
                "4", "-n", "3", "--json")  # fmt: skip
    assert json.loads(again.output)["pairs"] == data["pairs"]
    shuffled = run("--topic", "due-diligence", "--shuffle", "-n", "2")
    assert re.search(r"seed \d+", shuffled.stderr) and shuffled.stdout.count("*Source: ") == 2
    assert run("--level", "hard").exit_code == 2


def test_web_table_is_escaped_and_can_hide_the_answers():
    from assistant.web.quiz import note_text, seed_of, table_html

    quiz = quiz_mod.make_quiz(topics=["due-diligence"], n=4, seed=11)
    quiz.pairs[0].question = "<script>alert(1)</script>?"
    shown = table_html(quiz)
    assert shown.count("<tr data-card=") == 4 and "<script>" not in shown
    assert 'class="vg-quiz"' in shown and "<colgroup>" in shown
    assert "Answer</th>" in shown and quiz.pairs[1].answer[:40] in shown
    hidden = table_html(quiz, show_answers=False)
    assert "Answer</th>" not in hidden and quiz.pairs[1].answer[:40] not in hidden
    assert quiz.pairs[1].question in hidden
    assert "seed 11" in note_text(quiz, 4) and "Only 4 of the 9" in note_text(quiz, 9)
    assert seed_of(False, 5) is None and seed_of(True, 5) == 5 and seed_of(True, None) > 0
