"""The briefing pack's executive summary and print view, on answers written out here so the
awkward cases are certain to occur: UN resolution references ("ECOSOC res. 76/7") inside a
cited statement, a written (model) answer as well as a quoted one, markup in a question or
a source title, an address that is not a web address. The same answers through a real
Assistant are tested in test_tools.py."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import docx
import pytest

from assistant.answer import Answer, Citation
from assistant.tools import brief as brief_mod

ECOSOC = Citation(
    doc_id="ecosoc-res-2021-global-plan",
    title="ECOSOC resolution 2021/25",
    locator="para. 3",
    url="https://undocs.org/E/RES/2021/25",
    passage_id="ecosoc#3",
    n=1,
)
GPA = Citation(
    doc_id="un-global-plan-of-action-2010",
    title="UN Global Plan of Action to Combat Trafficking in Persons",
    locator="para. 12",
    url="https://undocs.org/A/RES/64/293",
    passage_id="gpa#12",
    n=2,
)
QUOTED = (
    "What the sources say:\n\n"
    "ECOSOC resolution 2021/25 (UN, 2021, non-binding):\n"
    "- Is public procurement covered? [1]\n"
    "- Member States are encouraged (ECOSOC res. 76/7) to prevent trafficking in the "
    "supply chains of public procurement. [1]\n"
    "- The Secretary-General reports on progress every two years. [1]\n\n"
    "Dated events (as of 2026-12-01):\n"
    "[1] ECOSOC resolution 2021/25 had been adopted by 2026-12-01."
)
WRITTEN = (
    "The Global Plan of Action was adopted by the General Assembly (GA res. 64/293) [2]. "
    "It was reviewed in 2021 (ECOSOC res. 76/7). [1] Under art. 5 [1], states act [2]."
)


class Scripted:
    """An Asker whose answers are set in advance, by question."""

    def __init__(self, answers: dict[str, Answer]) -> None:
        self.answers = answers

    def ask(self, question, filters=None, conversation=None, across=False) -> Answer:
        return self.answers[question]


def answer(text: str, citations: list[Citation]) -> Answer:
    return Answer("q", text, True, 0.9, "en", citations=citations)


def test_summary_cuts_only_where_a_cited_statement_ends():
    assert brief_mod.cited_statements(WRITTEN) == [
        "The Global Plan of Action was adopted by the General Assembly (GA res. 64/293) [2].",
        "It was reviewed in 2021 (ECOSOC res. 76/7). [1]",
        "Under art. 5 [1], states act [2].",
    ]
    assert brief_mod.summarize(WRITTEN) == (
        "The Global Plan of Action was adopted by the General Assembly (GA res. 64/293) [2]. "
        "It was reviewed in 2021 (ECOSOC res. 76/7). [1]"
    )
    # A quoted answer: its bullets, whole; an echoed question and a dated-event note are skipped.
    assert brief_mod.summarize(QUOTED) == (
        "Member States are encouraged (ECOSOC res. 76/7) to prevent trafficking in the supply "
        "chains of public procurement. [1] The Secretary-General reports on progress every two "
        "years. [1]"
    )
    long = "- " + "A long statement of the source, " * 12 + "ending here. [1]\n- Another. [2]"
    assert brief_mod.summarize(long).endswith("ending here. [1]")  # one statement is enough


def test_pack_summary_uses_the_pack_numbers_and_prints_whole(tmp_path):
    first = answer(QUOTED, [ECOSOC])
    second = answer(WRITTEN, [ECOSOC, GPA])
    pack = brief_mod.build_brief(
        Scripted({"Q1?": first, "Q2?": second}),
        [brief_mod.BriefQuestion("1", "Q1?"), brief_mod.BriefQuestion("2", "Q2?")],
    )
    # ECOSOC keeps [1] across the pack; the Global Plan, first cited in the second answer, is [2].
    assert [s.passage_id for s in pack.sources] == ["ecosoc#3", "gpa#12"]
    assert pack.items[1].summary.startswith("The Global Plan of Action was adopted")
    assert "(GA res. 64/293) [2]." in pack.items[1].summary
    doc = docx.Document(brief_mod.export_brief(pack, tmp_path / "pack.docx"))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "(ECOSOC res. 76/7) to prevent trafficking in the supply chains" in body
    for summary in (i.summary for i in pack.items):
        # no marker right after an abbreviation: a statement never ends inside "res. 76/7"
        assert summary in body and not re.search(r"\bres\.\s*\[\d+\]", summary)


class Page(HTMLParser):
    """What a browser would make of the print view: elements, links, ids and visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(k, v or "") for k, v in attrs]
        self.in_style = tag == "style"

    def handle_endtag(self, tag):
        self.in_style = False

    def handle_data(self, data):
        if not self.in_style:
            self.text.append(data)


def test_print_view_escapes_every_text_and_links_the_sources(tmp_path):
    hostile = Citation(
        doc_id="x",
        title='<img src=x onerror="alert(1)"> Act',
        locator="s. 1",
        url="javascript:alert(1)",
        passage_id="x#1",
        n=3,
    )
    pack = brief_mod.build_brief(
        Scripted(
            {
                "Is <b>this</b> & that covered?": answer(WRITTEN, [ECOSOC, GPA]),
                "Q2?": answer("- A <script>alert(2)</script> line & more. [1]", [hostile]),
            }
        ),
        [
            brief_mod.BriefQuestion("1", "Is <b>this</b> & that covered?"),
            brief_mod.BriefQuestion("2", "Q2?"),
        ],
        title="Pack <i>for</i> the delegation",
    )
    path = brief_mod.export_brief(pack, tmp_path / "pack.html")
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    text = "".join(page.text)
    assert set(page.tags) <= {
        "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "p", "nav",
        "ol", "ul", "li", "a", "span", "br", "section", "main",
    }  # fmt: skip
    for shown in (
        "Pack <i>for</i> the delegation",
        "1 Is <b>this</b> & that covered?",
        "A <script>alert(2)</script> line & more.",
        '<img src=x onerror="alert(1)"> Act, s. 1',
    ):
        assert shown in text
    hrefs = [v for k, v in page.attrs if k == "href"]
    assert (
        "https://undocs.org/E/RES/2021/25" in hrefs and "https://undocs.org/A/RES/64/293" in hrefs
    )
    assert not [h for h in hrefs if not h.startswith(("#", "https://"))]  # no javascript: link
    assert not [k for k, _ in page.attrs if k in {"src", "onerror"}]
    ids = {v for k, v in page.attrs if k == "id"}
    assert {"src-1", "src-2", "src-3", "summary", "sources", "q-1", "q-2"} <= ids
    # The summary and the answers link each marker to its source, footnote style.
    assert hrefs.count("#src-2") >= 2 and all(h[1:] in ids for h in hrefs if h.startswith("#"))
    # Executive summary before the answers, sources last; every listed source shows its address.
    summary_at, sources_at = text.rindex("Executive summary"), text.rindex("Sources")
    assert summary_at < text.index("The Global Plan") < sources_at
    sources = text[sources_at:]
    assert (
        "ECOSOC resolution 2021/25, para. 3" in sources
        and "https://undocs.org/E/RES/2021/25" in sources
    )
    assert "javascript:" not in sources


# -- packs in the six UN languages ----------------------------------------------------------


def guiding_wording(lang: str) -> list[str]:
    """The guiding questions (a)-(m) as their records word them in ``lang``."""
    from assistant.tools.records import load_corpus

    records = load_corpus().of_kind("guiding-question")
    return [
        str(r.get(f"question_{lang}") or "").strip()
        for r in sorted(records, key=lambda r: str(r.get("letter")))
    ]


@pytest.mark.parametrize("lang", ["ar", "zh"])
def test_an_arabic_or_chinese_pack_asks_and_heads_everything_in_its_language(lang, tmp_path):
    from docx.oxml.ns import qn

    wording = guiding_wording(lang)
    assert len(wording) == 13 and all(wording)
    answers = {q: answer(WRITTEN, [ECOSOC, GPA]) for q in wording}
    answers[wording[-1]] = Answer(wording[-1], "", False, 0.1, lang)  # (m): not covered
    pack = brief_mod.build_brief(Scripted(answers), lang=lang)  # the default guiding questions
    labels = {key: table[lang] for key, table in brief_mod.LABELS.items()}
    assert [i.question for i in pack.items] == wording and pack.title == labels["title"]
    assert pack.items[-1].answer == labels["not_covered"]
    md = brief_mod.to_markdown(pack)
    for key in ("title", "date", "intro", "contents", "summary", "summary_intro", "sources"):
        assert labels[key] in md, key
    assert md.count("\n## (") == 13 and "## (m) " + wording[-1] in md
    doc = docx.Document(brief_mod.export_brief(pack, tmp_path / "pack.docx"))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    questions = [f"({letter}) {q}" for letter, q in zip("abcdefghijklm", wording, strict=True)]
    assert headings == [labels["summary"], *questions, labels["sources"]]
    assert doc.core_properties.language == lang
    normal = doc.styles["Normal"].element
    assert normal.rPr.find(qn("w:lang")).get(qn("w:val")) == lang
    rtl = normal.pPr is not None and normal.pPr.find(qn("w:bidi")) is not None
    assert rtl == (lang == "ar")  # Arabic paragraphs (every style builds on Normal) run RTL
    assert (doc.sections[0]._sectPr.find(qn("w:bidi")) is not None) == (lang == "ar")
    page = brief_mod.export_brief(pack, tmp_path / "pack.html").read_text(encoding="utf-8")
    direction = "rtl" if lang == "ar" else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in page and labels["summary"] in page


def test_cli_writes_a_russian_pack(monkeypatch):
    from click.testing import CliRunner

    from assistant.cli import tools as cli_tools

    # No store: every guiding question gets a scripted, unsupported answer.
    wording = guiding_wording("ru")
    stub = Scripted({q: Answer(q, "", False, 0.1, "ru") for q in wording})
    monkeypatch.setattr(cli_tools, "open_assistant", lambda store, no_llm: stub)
    result = CliRunner().invoke(cli_tools.brief, ["--lang", "ru", "--no-llm"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# " + brief_mod.LABELS["title"]["ru"])
    assert result.output.count("\n## (") == 13 and f"## (a) {wording[0]}" in result.output
    assert brief_mod.LABELS["not_covered"]["ru"] in result.output
