"""The user-group tools: comparison table, gap analysis, briefing pack, training Q&A, and
their CLI commands. Pure tools run on the bundled corpus (no model); the briefing pack,
quiz verification and the CLI use a real Assistant over a small store of five cards."""

from __future__ import annotations

import csv
import json
import shutil
from dataclasses import asdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.answer import MARKER
from assistant.cli import main
from assistant.sources import Source, cite
from assistant.tools import brief as brief_mod
from assistant.tools import compare as compare_mod
from assistant.tools import gap as gap_mod
from assistant.tools import quiz as quiz_mod
from assistant.tools.records import load_corpus, parse_point, shorten
from indexer.settings import BUNDLED_CORPUS, Settings

UK = "uk-modern-slavery-act-2015"
STORE_CARDS = [
    UK,
    "de-lksg-2021",
    "fr-loi-vigilance-2017",
    "eu-directive-2014-24",
    "us-far-52-222-50",
]


# -- records --------------------------------------------------------------------------------


def test_point_reads_label_reference_and_locator():
    p = parse_point("3. Exclusion ground (art. 57(1)(f)): a buyer must exclude a convicted bidder.")
    assert (p.n, p.label, p.ref) == (3, "Exclusion ground", "art. 57(1)(f)")
    assert p.text == "a buyer must exclude a convicted bidder."
    assert p.locator == "point 3 (art. 57(1)(f))"
    bare = parse_point("7. Public procurement: section 54 does not bind public bodies.")
    assert (bare.label, bare.ref, bare.locator) == ("Public procurement", "", "point 7")
    assert parse_point("Not a numbered point.") is None


def test_every_point_locator_is_one_the_indexer_gives():
    """A cell or example cites a point by a locator the index knows, for every bundled record."""
    from indexer.chunking import chunk_blocks
    from indexer.models import Document
    from indexer.parsers.markdown import MarkdownParser

    corpus = load_corpus()
    assert corpus.get(UK) is not None
    for record in corpus.records.values():
        parsed = MarkdownParser().parse(Path(record.path))
        doc = Document(doc_id=record.id, title=record.title, source_path=record.path)
        locators = {p.locator for p in chunk_blocks(parsed.blocks, doc)}
        missing = [p.locator for p in record.points if p.locator not in locators]
        assert not missing, f"{record.id}: {missing}"


def test_shorten_cuts_at_a_sentence_end_and_never_inside_an_abbreviation():
    text = "The duty under s. 54(4) applies to large firms. " + "More words follow here. " * 20
    out = shorten(text, 60)
    assert out == "The duty under s. 54(4) applies to large firms."
    assert shorten("short", 250) == "short"
    long_clause = "a, " * 200
    assert len(shorten(long_clause, 100)) <= 102 and shorten(long_clause, 100).endswith("…")


# -- compare --------------------------------------------------------------------------------


def _row(table, card_id):
    return next(r for r in table.rows if r.card_id == card_id)


def test_compare_uk_row_cites_the_threshold_point():
    table = compare_mod.compare_table({"id": UK})
    assert [r.card_id for r in table.rows] == [UK]
    row = table.rows[0]
    covered = row.cells["covered"]
    assert "36 million" in covered.value
    assert covered.source.locator.startswith("point 2 (s. 54(2)")
    assert covered.source.url.startswith("https://www.legislation.gov.uk/")
    assert row.value("jurisdiction") == "GB" and row.value("binding") == "yes"
    assert row.value("status").startswith("in force (on ")  # from its dated events, today
    assert row.cells["sanctions"].source.locator.startswith("point 6")
    assert asdict(row)["cells"]["covered"]["source"]["locator"] == covered.source.locator


def test_compare_filters_and_unknown_filter():
    gb = compare_mod.compare_table({"jurisdiction": "gb"})
    assert gb.rows and all(r.value("jurisdiction") == "GB" for r in gb.rows)
    assert UK in {r.card_id for r in gb.rows}
    corpus = load_corpus()
    dd = compare_mod.compare_table({"topic": ["due-diligence"]})
    assert dd.rows and all("due-diligence" in corpus.get(r.card_id).topics for r in dd.rows)
    soft = compare_mod.compare_table({"binding": "no", "type": ["guidance", "toolkit"]})
    assert soft.rows and all(r.value("binding") == "no" for r in soft.rows)
    assert all(r.value("type") in ("guidance", "toolkit") for r in soft.rows)
    in_force = compare_mod.compare_table({"status": "in force"})
    assert in_force.rows and all(corpus.get(r.card_id).status == "in force" for r in in_force.rows)
    assert len(compare_mod.compare_table().rows) == len(corpus.instruments)
    with pytest.raises(ValueError, match="jurisdictions"):
        compare_mod.compare_table({"jurisdictions": "GB"})


def test_compare_leaves_a_cell_empty_when_no_point_fits(tmp_path):
    cards = tmp_path / "instruments"
    cards.mkdir()
    (cards / "x-act.md").write_text(
        "---\nid: x-act\ntitle: X Act\ntype: legislation\njurisdiction: NO\nbinding: yes\n"
        "status: {value: in force, as_of: 2026-01-01}\nurl: https://example.org/x\n---\n# X Act\n\n"
        "1. Origin: drafted in 2020.\n2. Fines (s. 9): up to EUR 10,000.\n",
        encoding="utf-8",
    )
    table = compare_mod.compare_table(corpus=load_corpus(tmp_path))
    row = table.rows[0]
    assert row.value("jurisdiction") == "NO"  # not YAML's false
    assert (
        row.value("sanctions") == "up to EUR 10,000."
        and row.cells["sanctions"].source.locator == "point 2 (s. 9)"
    )
    assert row.value("covered") == row.value("obligation") == row.value("procurement") == ""


def test_compare_csv_and_xlsx_open_with_every_row(tmp_path):
    from openpyxl import load_workbook

    table = compare_mod.compare_table({"jurisdiction": ["GB", "DE", "FR"]})
    csv_path = compare_mod.export_table(table, tmp_path / "t.csv")
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][0] == "Instrument" and len(rows) == len(table.rows) + 1
    uk = next(r for r in rows if r[-2] == UK)
    assert any("36 million" in cell for cell in uk)
    assert any(cell.startswith("point 2 (s. 54(2)") for cell in uk)

    xlsx_path = compare_mod.export_table(table, tmp_path / "t.xlsx")
    wb = load_workbook(xlsx_path)
    sheet = wb["Comparison"]
    assert sheet.max_row == len(table.rows) + 1
    names = [sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)]
    assert "UK Modern Slavery Act" in names
    covered_col = list(compare_mod.COLUMNS).index("covered") + 1
    uk_cell = sheet.cell(names.index("UK Modern Slavery Act") + 2, covered_col)
    assert "36 million" in uk_cell.value and "point 2" in uk_cell.comment.text
    sources = list(wb["Sources"].iter_rows(values_only=True))
    assert any(r[2] == UK and str(r[3]).startswith("point 2") for r in sources)
    with pytest.raises(ValueError, match=r"\.csv or \.xlsx"):
        compare_mod.export_table(table, tmp_path / "t.pdf")


# -- gap ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def measures():
    found = gap_mod.measure_records()
    assert found, "the bundled corpus must hold measure records (corpus/recommendations)"
    return found


def test_ticking_a_measure_removes_it(measures):
    first = measures[0].id
    everything = gap_mod.gap_analysis([])
    assert first in everything.missing_ids and len(everything.missing_ids) == everything.total
    report = gap_mod.gap_analysis([first])
    assert first not in report.missing_ids
    assert [m.id for m in report.in_place] == [first]
    assert len(report.missing_ids) == report.total - 1


def test_every_missing_measure_is_recommended_and_its_examples_cited(measures):
    corpus = load_corpus()
    report = gap_mod.gap_analysis([])
    assert report.problems == []
    assert [g.theme for g in report.missing] == [
        t for t in gap_mod.THEMES if t in {g.theme for g in report.missing}
    ]
    for group in report.missing:
        for m in group.measures:
            assert m.recommended_by, m.id
            assert all(r.title and r.doc_id in corpus.records for r in m.recommended_by)
            assert m.what.text and m.what.source.locator.startswith("point ")
            for ex in m.examples:
                card = corpus.get(ex.source.doc_id)
                assert ex.source.locator in {p.locator for p in card.points}, (
                    m.id,
                    ex.source.doc_id,
                )
                assert ex.source.url == card.url and ex.source.name and ex.source.text


def test_example_is_the_point_the_measure_names(tmp_path):
    """A measure citing "§ 22" of a card is illustrated by that card's § 22 point."""
    (tmp_path / "instruments").mkdir()
    (tmp_path / "recommendations").mkdir()
    (tmp_path / "instruments" / "r-act.md").write_text(
        "---\nid: r-act\ntitle: Ruritania Supply Act\nshort_title: RSA\ntype: legislation\n"
        "jurisdiction: RU\nurl: https://example.org/rsa\n---\n# RSA\n\n"
        "1. Status: in force since 2022.\n2. Companies covered (§ 1): firms with 1,000 staff.\n"
        "3. Public procurement (§ 22): a fined company is excluded from public contracts.\n",
        encoding="utf-8",
    )
    (tmp_path / "recommendations" / "wg-x.md").write_text(
        "---\nid: wg-x\nrecord: wg-recommendation\ntitle: Exclude offenders\nsymbol: WG/1\nurl: ''\n---\n"
        "# WG\n\n1. Recommendation (para. 4): exclude offenders.\n",
        encoding="utf-8",
    )
    (tmp_path / "recommendations" / "measure-x.md").write_text(
        "---\nid: measure-x\nrecord: measure\ntitle: Exclude fined companies\ntheme: exclusion-debarment\n"
        "recommended_by: [wg-x]\nexamples: [r-act]\nurl: ''\n---\n# Measure: Exclude fined companies\n\n"
        "1. What it is: buyers exclude companies fined for supply-chain failures.\n"
        "2. Ruritania (RSA, § 22): exclusion after a fine.\n",
        encoding="utf-8",
    )
    corpus = load_corpus(tmp_path)
    report = gap_mod.gap_analysis([], corpus=corpus)
    (measure,) = report.missing[0].measures
    assert [e.source.locator for e in measure.examples] == ["point 3 (§ 22)"]
    assert (
        cite(measure.recommended_by[0], style="short")
        == "Exclude offenders (WG/1), point 1 (para. 4)"
    )
    with pytest.raises(gap_mod.UnknownMeasures) as err:
        gap_mod.gap_analysis(["measure-x", "measure-y"], corpus=corpus)
    assert err.value.ids == ["measure-y"] and "measure-y" in str(err.value)


def test_gap_exports_markdown_and_docx(measures, tmp_path):
    import docx

    report = gap_mod.gap_analysis([measures[0].id])
    md = gap_mod.export_report(report, tmp_path / "r.md").read_text(encoding="utf-8")
    for group in report.missing:
        assert f"### {group.label}" in md
    assert all(mid in md for mid in report.missing_ids)
    path = gap_mod.export_report(report, tmp_path / "r.docx")
    headings = [
        p.text for p in docx.Document(path).paragraphs if p.style.name.startswith("Heading")
    ]
    assert report.missing[0].label in headings
    body = "\n".join(p.text for p in docx.Document(path).paragraphs)
    first = report.missing[0].measures[0]
    assert first.what.source.locator in body
    if first.examples:
        assert first.examples[0].source.locator in body


def test_checklist_and_reading_measure_ids(measures, tmp_path):
    checklist = gap_mod.measures_by_theme()
    assert list(checklist) == [t for t in gap_mod.THEMES if t in checklist]
    assert sum(len(v) for v in checklist.values()) == len(measures)
    (tmp_path / "a.txt").write_text("measure-a  # ours\n\nmeasure-b\n", encoding="utf-8")
    (tmp_path / "b.json").write_text('["measure-a", "measure-b"]', encoding="utf-8")
    assert gap_mod.read_measure_ids(tmp_path / "a.txt") == ["measure-a", "measure-b"]
    assert gap_mod.read_measure_ids(tmp_path / "b.json") == ["measure-a", "measure-b"]


# -- quiz -----------------------------------------------------------------------------------


def test_quiz_pairs_are_points_with_citations():
    corpus = load_corpus()
    quiz = quiz_mod.make_quiz(instruments=[UK], n=5)
    assert len(quiz.pairs) == 5
    card = corpus.get(UK)
    texts = {p.locator: p.text for p in card.points}
    for pair in quiz.pairs:
        assert pair.source.doc_id == UK and pair.source.url == card.url
        assert pair.source.locator in texts
        assert (
            texts[pair.source.locator].lower() in pair.answer.lower()
        )  # the answer is the point itself
        assert pair.question.startswith("UK Modern Slavery Act:") and pair.verified is None
    assert quiz.pairs[0].question == "UK Modern Slavery Act: who must comply?"
    assert "36 million" in quiz.pairs[0].answer
    again = quiz_mod.make_quiz(instruments=[UK], n=5)
    assert [p.question for p in again.pairs] == [p.question for p in quiz.pairs]
    assert len(quiz_mod.make_quiz(instruments=[UK], n=500).pairs) == len(card.points)


def test_quiz_topic_selection_and_errors():
    corpus = load_corpus()
    quiz = quiz_mod.make_quiz(topics=["recruitment-fees"], instruments=["de-lksg-2021"], n=12)
    assert quiz.pairs[0].source.doc_id == "de-lksg-2021"
    for pair in quiz.pairs[1:]:
        card = corpus.get(pair.source.doc_id)
        assert pair.source.doc_id == "de-lksg-2021" or "recruitment-fees" in card.topics
    assert len({p.source.doc_id for p in quiz.pairs}) > 1
    with pytest.raises(ValueError, match="no-such-card"):
        quiz_mod.make_quiz(instruments=["no-such-card"])
    with pytest.raises(ValueError, match="no-such-topic"):
        quiz_mod.make_quiz(topics=["no-such-topic"])


def test_anki_file_is_two_escaped_semicolon_fields(tmp_path):
    quiz = quiz_mod.make_quiz(instruments=[UK], n=3)
    quiz.pairs.append(
        quiz_mod.QAPair(
            "A & B <x>?", 'Say "yes"; then stop.', Source(UK, "UK MSA", "point 1"), "generic"
        )
    )
    path = quiz_mod.export_quiz(quiz, tmp_path / "deck.csv", anki=True)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["#separator:semicolon", "#html:true"]
    rows = list(csv.reader(lines[2:], delimiter=";"))
    assert len(rows) == 4 and all(len(r) == 2 for r in rows)
    assert rows[0][0] == quiz.pairs[0].question
    assert "point 2 (s. 54(2); SI 2015/1833)" in rows[0][1] and "<br><small>" in rows[0][1]
    assert rows[3][0] == "A &amp; B &lt;x&gt;?"
    assert rows[3][1].startswith("Say &quot;yes&quot;; then stop.")
    plain = quiz_mod.export_quiz(quiz, tmp_path / "quiz.csv")
    with plain.open(encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh))
    assert table[0][:4] == ["Question", "Answer", "Source", "Locator"] and len(table) == 5


def test_quiz_markdown_and_docx(tmp_path):
    import docx

    quiz = quiz_mod.make_quiz(instruments=[UK], n=3)
    md = quiz_mod.export_quiz(quiz, tmp_path / "q.md").read_text(encoding="utf-8")
    assert md.count("*Source: UK Modern Slavery Act (2015 c. 30), point ") == 3
    path = quiz_mod.export_quiz(quiz, tmp_path / "q.docx")
    doc = docx.Document(path)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert quiz.pairs[0].question in text and quiz.pairs[0].source.locator in text
    # Questions to hand out first, then a separate answer key: no answer before the key.
    head, key = text.split("Answer key", 1)
    assert all(p.question in head and p.answer not in head for p in quiz.pairs)
    assert all(p.answer in key for p in quiz.pairs)
    assert_docx_is_handed_on(doc, "en", [p.source.url for p in quiz.pairs])


def assert_docx_is_handed_on(doc, lang: str, urls: list[str]) -> None:
    """Author, language and real hyperlinks: what a delegation needs to send a file on."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    assert doc.core_properties.author == "Vigilance" and doc.core_properties.language == lang
    links = {
        r.target_ref for r in doc.part.rels.values() if r.reltype == RELATIONSHIP_TYPE.HYPERLINK
    }
    assert {u for u in urls if u.startswith("http")} <= links and links


# -- with a real Assistant ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def store(embedder, tmp_path_factory):
    """Five bundled cards indexed into a private store (no sentence vectors: faster)."""
    from indexer.pipeline import index_paths

    root = tmp_path_factory.mktemp("tools")
    folder = root / "corpus" / "instruments"
    folder.mkdir(parents=True)
    for card in STORE_CARDS:
        shutil.copy(BUNDLED_CORPUS / "instruments" / f"{card}.md", folder)
    settings = Settings(home=root / "home")
    summary = index_paths([root / "corpus"], settings, embedder=embedder, sentence_vectors=False)
    assert summary.ok
    return settings


@pytest.fixture(scope="module")
def assistant(store, embedder):
    from assistant.core import Assistant
    from assistant.retrieval import Retriever

    return Assistant(store, retriever=Retriever(store, embedder=embedder), use_llm=False)


def test_a_question_over_the_length_limit_is_refused_in_the_pack_not_fatal(assistant):
    long = "Which companies must publish a modern slavery statement? " * 100
    questions = [
        brief_mod.BriefQuestion("1", long),
        brief_mod.BriefQuestion("2", "Which companies are covered by the German LkSG?"),
    ]
    pack = brief_mod.build_brief(assistant, questions)
    refused, answered = pack.items
    assert not refused.supported and "over the 2,000 limit" in refused.answer
    assert len(refused.question) <= 301
    assert answered.supported and answered.citations


def test_brief_numbers_citations_across_the_pack(assistant, tmp_path):
    import docx

    questions = [
        brief_mod.BriefQuestion(
            "1", "Which companies must publish a modern slavery statement in the UK?"
        ),
        brief_mod.BriefQuestion("2", "Which companies are covered by the German LkSG?"),
        brief_mod.BriefQuestion("3", "What is the boiling point of mercury?"),
        brief_mod.BriefQuestion("4", "Who must publish a slavery and human trafficking statement?"),
    ]
    pack = brief_mod.build_brief(assistant, questions)
    assert [i.supported for i in pack.items][:3] == [True, True, False]
    assert pack.items[2].answer == "Not covered by the sources." and pack.items[2].citations == []
    numbers = [s.n for s in pack.sources]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len({s.passage_id for s in pack.sources}) == len(pack.sources)  # one number per passage
    for item in pack.items:
        used = {int(n) for n in MARKER.findall(item.answer)}
        assert used == set(item.citations)
    assert set(pack.items[1].citations) - set(pack.items[0].citations)  # numbering continues
    assert max(pack.items[1].citations) > max(pack.items[0].citations)
    uk_cited = [pack.sources[n - 1] for n in pack.items[0].citations]
    assert any(s.doc_id == UK and s.locator.startswith("point ") for s in uk_cited)
    assert all(s.title and s.url and s.binding in ("yes", "no", "unknown") for s in pack.sources)

    md = brief_mod.export_brief(pack, tmp_path / "pack.md").read_text(encoding="utf-8")
    assert "## Sources" in md and f"- [{len(pack.sources)}] " in md
    path = brief_mod.export_brief(pack, tmp_path / "pack.docx")
    doc = docx.Document(path)
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Sources" in headings and any(q.question in h for q in questions for h in headings)
    assert_docx_is_handed_on(doc, "en", [s.url for s in pack.sources])


def test_guiding_questions_in_three_languages():
    en = brief_mod.guiding_questions("en")
    assert len(en) == 13, "guiding questions (a)-(m) must be bundled"
    fr, es = brief_mod.guiding_questions("fr"), brief_mod.guiding_questions("es")
    assert [q.label for q in en] == [q.label for q in fr] == [q.label for q in es]
    assert en[0].label == "(a)" and en[0].question != fr[0].question != es[0].question
    with pytest.raises(ValueError):
        brief_mod.guiding_questions("de")


def test_quiz_verification_keeps_pairs_the_assistant_answers_from_the_card(assistant):
    quiz = quiz_mod.make_quiz(instruments=[UK], n=3, assistant=assistant)
    assert quiz.pairs and all(p.verified is True for p in quiz.pairs)
    # a card that is not in the store can never be cited, so nothing survives verification
    assert quiz_mod.make_quiz(instruments=["us-uflpa-2021"], n=3, assistant=assistant).pairs == []


# -- CLI ------------------------------------------------------------------------------------


@pytest.fixture
def cli(store, embedder, monkeypatch):
    """A CliRunner whose commands reuse the session's embedder instead of loading another."""
    import assistant.retrieval as retrieval

    monkeypatch.setattr(retrieval, "make_embedder", lambda *a, **k: embedder)
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, list(args), catch_exceptions=False)

    run.store = str(store.home)
    return run


def test_cli_compare(cli, tmp_path):
    result = cli("compare", "--instrument", UK)
    assert (
        result.exit_code == 0
        and "36 million" in result.output
        and "point 2 (s. 54(2)" in result.output
    )
    out = tmp_path / "t.xlsx"
    assert cli("compare", "--jurisdiction", "GB", "--out", str(out)).exit_code == 0 and out.exists()
    data = json.loads(cli("compare", "--topic", "due-diligence", "--json").output)
    assert data["rows"] and all("cells" in r for r in data["rows"])
    bad = cli("compare", "--jurisdiction", "ZZ")
    assert bad.exit_code == 1 and bad.output.strip() == "Error: no instrument matches these filters"


def test_cli_gap(cli, measures, tmp_path):
    have = tmp_path / "have.txt"
    have.write_text(f"{measures[0].id}\nmeasure-made-up\n", encoding="utf-8")
    bad = cli("gap", "--have", str(have))
    assert (
        bad.exit_code == 1
        and "measure-made-up" in bad.output
        and len(bad.output.strip().splitlines()) == 1
    )
    have.write_text(json.dumps([measures[0].id]), encoding="utf-8")
    out = tmp_path / "report.docx"
    result = cli("gap", "--have", str(have), "--out", str(out))
    assert result.exit_code == 0 and out.stat().st_size > 0
    listing = cli("gap", "--list")
    assert measures[0].id in listing.output


def test_cli_quiz(cli, tmp_path):
    out = tmp_path / "deck.csv"
    result = cli("quiz", "--instrument", "de-lksg-2021", "-n", "4", "--anki", "--out", str(out))
    assert result.exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "#separator:semicolon" and len(lines) == 2 + 4
    shown = cli("quiz", "--topic", "due-diligence", "-n", "2")
    assert shown.output.count("*Source: ") == 2
    verified = cli(
        "quiz", "--instrument", UK, "-n", "2", "--verify", "--store", cli.store, "--json"
    )
    assert all(p["verified"] for p in json.loads(verified.output)["pairs"])
    assert cli("quiz", "--instrument", "nope").exit_code == 1


def test_cli_brief(cli, tmp_path):
    questions = tmp_path / "q.txt"
    questions.write_text(
        "Who must publish a modern slavery statement?\n\nWhat does the LkSG require?\n",
        encoding="utf-8",
    )
    out = tmp_path / "pack.md"
    result = cli(
        "brief", "--questions", str(questions), "--store", cli.store, "--out", str(out), "--no-llm"
    )
    assert result.exit_code == 0
    md = out.read_text(encoding="utf-8")
    assert (
        "## 1 Who must publish" in md and "## 2 What does the LkSG require?" in md and "[1]" in md
    )
    guiding = cli("brief", "--lang", "fr", "--store", cli.store, "--no-llm")
    expected = brief_mod.guiding_questions("fr")
    assert guiding.exit_code == 0 and guiding.output.count("\n## (") == len(expected)
    assert "Dossier d'information" in guiding.output
