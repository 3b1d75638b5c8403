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
from assistant.sources import cite
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
    missing = [m for g in report.missing for m in g.measures]
    assert all(f"#### {m.title}" in md for m in missing)
    path = gap_mod.export_report(report, tmp_path / "r.docx")
    doc = docx.Document(path)
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert report.missing[0].label in headings
    assert [h for h in headings if h in {m.title for m in missing}] == [m.title for m in missing]
    body = "\n".join(p.text for p in doc.paragraphs)
    first = report.missing[0].measures[0]
    assert first.what.source.locator in body
    if first.examples:
        assert first.examples[0].source.locator in body
    # Cited sources are links a reader can follow from the Word file.
    urls = [r.url for m in missing for r in m.recommended_by] + [
        ex.source.url for m in missing for ex in m.examples
    ]
    assert_docx_is_handed_on(doc, "en", urls)


def test_gap_reports_name_measures_by_title_never_by_id(measures, tmp_path):
    """A delegation reads titles and locators; the ids are for programs (the JSON)."""
    import docx

    ids = [m.id for m in measures]
    report = gap_mod.gap_analysis(ids[:2])
    assert [m.title for m in report.in_place] == [gap_mod._heading_title(m) for m in measures[:2]]
    md = gap_mod.export_report(report, tmp_path / "r.md").read_text(encoding="utf-8")
    doc = docx.Document(gap_mod.export_report(report, tmp_path / "r.docx"))
    visible = "\n".join(p.text for p in doc.paragraphs)
    for text in (md, visible):
        assert not [i for i in ids if i in text]
        assert "Measures in place" in text
        assert all(m.title in text for m in report.in_place)
    assert "measure-" not in visible  # not even an id of a record that is not a measure
    data = json.dumps(asdict(report))
    assert all(mid in data for mid in ids)  # the JSON keeps them


def test_checklist_and_reading_measure_ids(measures, tmp_path):
    checklist = gap_mod.measures_by_theme()
    assert list(checklist) == [t for t in gap_mod.THEMES if t in checklist]
    assert sum(len(v) for v in checklist.values()) == len(measures)
    (tmp_path / "a.txt").write_text("measure-a  # ours\n\nmeasure-b\n", encoding="utf-8")
    (tmp_path / "b.json").write_text('["measure-a", "measure-b"]', encoding="utf-8")
    assert gap_mod.read_measure_ids(tmp_path / "a.txt") == ["measure-a", "measure-b"]
    assert gap_mod.read_measure_ids(tmp_path / "b.json") == ["measure-a", "measure-b"]


# -- quiz: the pure tool is tested in tests/test_quiz.py; verification and the CLI below ---------


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


@pytest.fixture(scope="module")
def pack(assistant):
    """Two answered questions and one the sources do not cover."""
    questions = [
        brief_mod.BriefQuestion("1", "Which companies must publish a modern slavery statement?"),
        brief_mod.BriefQuestion("2", "Which companies are covered by the German LkSG?"),
        brief_mod.BriefQuestion("3", "What is the boiling point of mercury?"),
    ]
    built = brief_mod.build_brief(assistant, questions)
    assert [i.supported for i in built.items] == [True, True, False]
    return built


def test_brief_docx_opens_with_contents_and_an_executive_summary(pack, tmp_path):
    import re

    import docx
    from docx.oxml.ns import qn

    doc = docx.Document(brief_mod.export_brief(pack, tmp_path / "pack.docx"))
    paras = doc.paragraphs
    texts = [p.text for p in paras]
    # A Word contents field over the headings, under a "Contents" title...
    field_at = next(i for i, p in enumerate(paras) if p._p.findall(".//" + qn("w:instrText")))
    instr = "".join(t.text for t in paras[field_at]._p.iter(qn("w:instrText")))
    assert instr.startswith("TOC ") and texts[field_at - 1] == "Contents"
    # ...then the same contents as text, for a reader whose Word never updates the field.
    sections = ["Executive summary", *(f"{i.label} {i.question}" for i in pack.items), "Sources"]
    assert texts[field_at + 1 : field_at + 1 + len(sections)] == sections
    assert [p.text for p in paras if p.style.name.startswith("Heading")] == sections
    # The executive summary: each question, then its answer's first cited statement(s).
    start = texts.index("Executive summary", field_at + len(sections)) + 2
    shown = {}
    for para in paras[start : start + len(pack.items)]:
        question, summary = para.text.split("\n", 1)
        assert para.runs[0].bold and para.runs[0].text == question
        shown[question] = summary
    end = texts.index("Sources", start)
    listed = {int(m.group(1)) for t in texts[end:] if (m := re.match(r"\[(\d+)\] ", t))}
    assert listed == {s.n for s in pack.sources}
    for item in pack.items:
        summary = shown[f"{item.label} {item.question}"]
        if not item.supported:
            assert summary == "Not covered by the sources." and not MARKER.search(summary)
            continue
        numbers = {int(n) for n in MARKER.findall(summary)}
        assert numbers and numbers <= set(item.citations) <= listed  # resolve to the list
        statements = re.findall(r".+?\[\d+\](?=\s|$)", summary)
        assert "".join(statements).replace(" ", "") == summary.replace(" ", "")
        assert all(s.strip() in item.answer for s in statements)  # quoted, not written anew
    assert_docx_is_handed_on(doc, "en", [s.url for s in pack.sources])

    md = brief_mod.to_markdown(pack)
    assert md.index("## Contents") < md.index("## Executive summary") < md.index("## 1 ")
    contents = md.split("## Contents", 1)[1].split("## Executive summary", 1)[0]
    assert [line[2:] for line in contents.splitlines() if line.startswith("- ")] == sections
    for item in pack.items:
        assert f"- **{item.label} {item.question}** {item.summary}\n" in md
        assert item.summary == shown[f"{item.label} {item.question}"]


def test_print_view_html_links_every_source(pack, tmp_path):
    from html.parser import HTMLParser

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.hrefs, self.ids, self.tags = [], set(), set()

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            self.tags.add(tag)
            self.hrefs += [attrs["href"]] if "href" in attrs else []
            self.ids |= {attrs["id"]} if "id" in attrs else set()

    page = brief_mod.export_brief(pack, tmp_path / "pack.html").read_text(encoding="utf-8")
    found = Links()
    found.feed(page)
    assert {s.url for s in pack.sources} <= set(found.hrefs)
    refs = [h for h in found.hrefs if h.startswith("#")]
    assert {f"#src-{n}" for i in pack.items for n in i.citations} <= set(refs)
    assert all(h[1:] in found.ids for h in refs)  # every internal link lands somewhere
    assert "@page" in page and "A4" in page
    assert not found.tags & {"script", "link", "img", "iframe"}  # nothing from elsewhere


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


def test_cli_gap_help_says_how_to_write_a_have_file(cli, measures, tmp_path):
    """The help names the format and where the ids come from; its example ids are real, and
    a file written that way, with ids copied from --list, is read as the help says."""
    import re

    shown = cli("gap", "--help").output
    assert "vigilance gap --list" in shown and "one id per line" in shown
    assert "'#'" in shown and "JSON list" in shown
    example_ids = set(re.findall(r"measure-[a-z0-9-]+", shown))
    assert example_ids and example_ids <= {m.id for m in measures}
    listed = re.findall(r"^\s+(measure-[a-z0-9-]+)\s", cli("gap", "--list").output, re.M)
    assert listed == [m.id for m in measures]
    have = tmp_path / "our-measures.txt"
    have.write_text(
        f"# Measures in place\n{listed[0]}   # since 2019\n\n{listed[-1]}\n", encoding="utf-8"
    )
    data = json.loads(cli("gap", "--have", str(have), "--json").output)
    assert [m["id"] for m in data["in_place"]] == [listed[0], listed[-1]]
    missing = [m["id"] for g in data["missing"] for m in g["measures"]]
    assert len(missing) == len(measures) - 2 and listed[0] not in missing


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
    printable = tmp_path / "pack.html"
    args = ("brief", "--questions", str(questions), "--store", cli.store, "--no-llm")
    assert cli(*args, "--out", str(printable)).exit_code == 0
    page = printable.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<h2>2 What does the LkSG require?</h2>" in page
    assert 'href="https://www.legislation.gov.uk/' in page
    guiding = cli("brief", "--lang", "fr", "--store", cli.store, "--no-llm")
    expected = brief_mod.guiding_questions("fr")
    assert guiding.exit_code == 0 and guiding.output.count("\n## (") == len(expected)
    assert "Dossier d'information" in guiding.output
