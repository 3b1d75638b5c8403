"""Parsers on small real files generated here: what a user would check in the blocks."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from indexer.errors import DocumentError
from indexer.models import Block
from indexer.parsers import MB, ParsedFile, Parser, parse_file, parser_for

SHARED = Path(__file__).resolve().parents[2] / "shared"
HEADER = "CTOC/COP/WG.4/2021/2"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def kinds(parsed: ParsedFile, kind: str) -> list[Block]:
    return [b for b in parsed.blocks if b.kind == kind]


def find(parsed: ParsedFile, start: str) -> Block:
    matches = [b for b in parsed.blocks if b.text.startswith(start)]
    assert matches, f"no block starts with {start!r}: {[b.text[:40] for b in parsed.blocks]}"
    return matches[0]


# --- generated files --------------------------------------------------------------------


def make_pdf(path: Path) -> Path:
    """Two A4 pages as a UN document: running header, page numbers, a hyphenated line,
    paragraph 7 with footnote 1 at the foot of page 1 and its end on page 2."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title("Public procurement and trafficking in persons")
    pdf.set_auto_page_break(False)

    def furniture(page: int) -> None:
        pdf.set_font("Helvetica", size=8)
        pdf.set_xy(20, 10)
        pdf.cell(0, 5, HEADER)
        pdf.set_xy(20, 285)
        pdf.cell(170, 5, str(page), align="C")

    pdf.add_page()
    furniture(1)
    pdf.set_xy(20, 25)
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, "II. Questions to consider")
    pdf.set_xy(20, 40)
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(
        170,
        6,
        "6. Public buyers can require suppliers to map their supply chains and to report on the risk of traf-\n"
        "ficking in persons in the sourcing of goods and services.",
    )
    pdf.set_xy(20, pdf.get_y() + 5)
    pdf.write(
        6, "7. The anti-trafficking clauses of the contracts were reviewed by the Working Group"
    )
    x, y = pdf.get_x(), pdf.get_y()
    pdf.set_font("Helvetica", size=7)
    pdf.set_xy(x, y - 1)
    pdf.write(5, "1")  # superscript call of footnote 1
    pdf.set_xy(pdf.get_x(), y)
    pdf.set_font("Helvetica", size=11)
    pdf.write(6, " and the suppliers were asked to")
    pdf.line(20, 262, 80, 262)  # footnote separator
    pdf.set_font("Helvetica", size=8)
    pdf.set_xy(20, 265)
    pdf.multi_cell(
        170,
        4,
        "1 See the report of the Working Group on its eleventh meeting (CTOC/COP/WG.4/2021/3).",
    )
    pdf.add_page()
    furniture(2)
    pdf.set_xy(20, 25)
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(170, 6, "certify that no forced labour was used by any subcontractor.")
    pdf.output(str(path))
    return path


def make_three_page_pdf(path: Path) -> Path:
    """Three pages whose first lines look alike, a heading set on two bold lines, list
    lines, a bullet, and a footnote that runs over to the next page."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    notes = {
        1: ["11 A note that runs over"],
        2: ["onto the next page.", "12 A second note."],
        3: [],
    }
    for n in (1, 2, 3):
        pdf.add_page()
        pdf.set_font("Helvetica", size=8)
        pdf.set_xy(20, 10)
        pdf.cell(0, 5, "V.21-04567")
        pdf.set_xy(20, 285)
        pdf.cell(170, 5, f"{n}/3", align="C")
        pdf.set_xy(20, 25)
        if n == 1:
            pdf.set_font("Helvetica", "B", 11)
            pdf.multi_cell(
                170,
                6,
                "Measures to strengthen procurement policies at the\nnational and regional levels",
            )
            pdf.set_xy(20, pdf.get_y() + 4)
        pdf.set_font("Helvetica", size=11)
        pdf.write(6, f"{10 + n}. States may adopt the following measures")
        if n < 3:
            x, y = pdf.get_x(), pdf.get_y()
            pdf.set_font("Helvetica", size=7)
            pdf.set_xy(x, y - 1)
            pdf.write(5, str(10 + n))
            pdf.set_xy(pdf.get_x(), y)
            pdf.set_font("Helvetica", size=11)
        pdf.write(6, ":")
        pdf.set_xy(25, pdf.get_y() + 8)
        pdf.multi_cell(
            165, 6, "(a) Require suppliers to publish statements;\n(b) Exclude convicted suppliers."
        )
        pdf.set_xy(20, pdf.get_y() + 3)
        pdf.multi_cell(170, 6, "\x95 Audit the riskiest tiers first")
        pdf.set_font("Helvetica", size=8)
        pdf.set_xy(20, 265)
        for note in notes[n]:
            pdf.set_x(20)
            pdf.multi_cell(170, 4, note)
    pdf.output(str(path))
    return path


def make_encrypted_pdf(path: Path, user_password: str) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.set_encryption(owner_password="owner-secret", user_password=user_password)
    pdf.cell(0, 10, "Suppliers must certify that no forced labour is used.")
    pdf.output(str(path))
    return path


def make_docx(path: Path) -> Path:
    """Title, headings, bullets, a numbered list, a table and one real footnote."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.core_properties.title = "Responsible procurement guide"
    document.core_properties.language = "en-GB"
    document.add_heading("Responsible procurement guide", level=0)
    document.add_heading("I. Scope", level=1)
    para = document.add_paragraph("Public buyers should screen suppliers for forced labour risks.")
    run = OxmlElement("w:r")
    ref = OxmlElement("w:footnoteReference")
    ref.set(qn("w:id"), "1")
    run.append(ref)
    para._p.append(run)
    document.add_paragraph("Map the supply chain", style="List Bullet")
    document.add_paragraph("Audit high-risk tiers", style="List Bullet")
    document.add_paragraph("Exclude convicted suppliers.", style="List Number")
    document.add_paragraph("Require remediation plans.", style="List Number")
    document.add_heading("Laws", level=2)
    table = document.add_table(rows=2, cols=3)
    for i, row in enumerate(
        [["Country", "Law", "Year"], ["France", "Devoir de vigilance", "2017"]]
    ):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    notes = (
        f'<w:footnotes xmlns:w="{w}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:t>ILO, Ending Forced Labour by 2030 (2018).</w:t></w:r></w:p>'
        "</w:footnote></w:footnotes>"
    ).encode()
    part = Part(
        PackURI("/word/footnotes.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        notes,
        document.part.package,
    )
    document.part.relate_to(part, RT.FOOTNOTES)
    document.save(str(path))
    return path


HTML = """<!DOCTYPE html>
<html lang="fr-FR"><head><meta charset="windows-1252"><title>Marchés publics et traite</title>
<style>p { color: red }</style><script>var secret = "tracking-pixel";</script></head>
<body><header><nav><a href="/">Accueil</a> <a href="/menu">Menu du site</a></nav></header>
<main><h1>Marchés publics</h1>
<p>Les acheteurs publics peuvent exiger<sup>1</sup> une cartographie<br>des fournisseurs.</p>
<ul><li>Première mesure</li><li>Deuxième mesure</li></ul>
<table><tr><th>Pays</th><th>Loi</th></tr><tr><td>France</td><td>Loi de 2017</td></tr></table>
<blockquote>Une citation.</blockquote></main>
<aside>Publicité</aside><footer>Mentions légales</footer><noscript>Activez JavaScript</noscript>
<form>Rechercher</form></body></html>
"""

MARKDOWN = """---
id: wg-background-2021
title: Background paper on public procurement
type: report
---

# Public procurement

## II. Questions to consider

6. Public buyers have **leverage** over *suppliers*<sup>1</sup> and can require audits.

- a) What links procurement and trafficking?
- b) Which principles apply?

**Related measures**

| Country | Law |
|---|---|
| France | Duty of vigilance (2017) |

<sup>1</sup> ILO, *Ending Forced Labour by 2030* (Geneva, 2018).

raisonnable<sup>2</sup>. The paragraph goes on after the page break.
"""


# --- PDF --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_parsed(tmp_path_factory: pytest.TempPathFactory) -> ParsedFile:
    return parse_file(make_pdf(tmp_path_factory.mktemp("pdf") / "paper.pdf"))


def test_pdf_drops_running_header_and_page_numbers(pdf_parsed: ParsedFile) -> None:
    texts = [b.text for b in pdf_parsed.blocks]
    assert not any(HEADER in t for t in texts)
    assert not any(t in {"1", "2"} for t in texts)


def test_pdf_repairs_hyphenation_but_keeps_real_hyphens(pdf_parsed: ParsedFile) -> None:
    six = find(pdf_parsed, "6. Public buyers")
    assert "risk of trafficking in persons" in six.text
    assert "traf-" not in six.text
    seven = find(pdf_parsed, "7. The anti-trafficking clauses")
    assert seven.page == 1


def test_pdf_footnote_and_reference(pdf_parsed: ParsedFile) -> None:
    seven = find(pdf_parsed, "7. ")
    assert seven.refs == ("1",)
    assert "Working Group and the suppliers" in seven.text  # the call "1" is out of the text
    notes = kinds(pdf_parsed, "footnote")
    assert [(n.marker, n.page) for n in notes] == [("1", 1)]
    assert notes[0].text.startswith("See the report of the Working Group")


def test_pdf_paragraph_interrupted_by_page_break(pdf_parsed: ParsedFile) -> None:
    order = [(b.kind, b.page, b.text[:12]) for b in pdf_parsed.blocks]
    seven = order.index(("para", 1, "7. The anti-"))
    assert order[seven + 1][0] == "footnote"
    assert order[seven + 2] == ("para", 2, "certify that")


def test_pdf_heading_and_metadata(pdf_parsed: ParsedFile) -> None:
    heading = pdf_parsed.blocks[0]
    assert (heading.kind, heading.text, heading.page) == ("heading", "II. Questions to consider", 1)
    assert pdf_parsed.meta["title"] == "Public procurement and trafficking in persons"
    assert pdf_parsed.meta["pages"] == 2
    assert pdf_parsed.meta["parser"] == "pdf/1"


def test_pdf_repeated_first_lines_headings_items_and_running_notes(tmp_path: Path) -> None:
    parsed = parse_file(make_three_page_pdf(tmp_path / "three.pdf"))
    texts = [b.text for b in parsed.blocks]
    assert not any("V.21-04567" in t or "/3" in t for t in texts)
    heading = parsed.blocks[0]
    assert (heading.kind, heading.text) == (
        "heading",
        "Measures to strengthen procurement policies at the national and regional levels",
    )
    for n in (11, 12, 13):  # alike at the top of each page, but body text, not a running header
        assert find(parsed, f"{n}. States may adopt").text.endswith("measures:")
    assert find(parsed, "11. ").refs == ("11",)
    assert find(parsed, "(b) Exclude").kind == "para"
    assert [b.text for b in kinds(parsed, "item")] == ["Audit the riskiest tiers first"] * 3
    notes = [(b.marker, b.page, b.text) for b in kinds(parsed, "footnote")]
    assert notes == [
        ("11", 1, "A note that runs over onto the next page."),
        ("12", 2, "A second note."),
    ]


def test_pdf_with_empty_user_password_opens(tmp_path: Path) -> None:
    parsed = parse_file(make_encrypted_pdf(tmp_path / "open.pdf", user_password=""))
    assert [b.text for b in parsed.blocks] == [
        "Suppliers must certify that no forced labour is used."
    ]


# --- DOCX -------------------------------------------------------------------------------


def test_docx_structure(tmp_path: Path) -> None:
    parsed = parse_file(make_docx(tmp_path / "guide.docx"))
    headings = [(b.text, b.level) for b in kinds(parsed, "heading")]
    assert headings == [("Responsible procurement guide", 1), ("I. Scope", 1), ("Laws", 2)]
    assert [b.text for b in kinds(parsed, "item")] == [
        "Map the supply chain",
        "Audit high-risk tiers",
    ]
    assert find(parsed, "1. Exclude").kind == "para"  # Word's automatic number is restored
    assert find(parsed, "2. Require").kind == "para"
    assert [b.text for b in kinds(parsed, "table")] == [
        "Country | Law | Year",
        "France | Devoir de vigilance | 2017",
    ]
    assert parsed.meta["title"] == "Responsible procurement guide"
    assert parsed.meta["language"] == "en"


def test_docx_footnote_follows_its_paragraph(tmp_path: Path) -> None:
    parsed = parse_file(make_docx(tmp_path / "guide.docx"))
    para = find(parsed, "Public buyers should screen")
    assert para.refs == ("1",)
    note = parsed.blocks[parsed.blocks.index(para) + 1]
    assert (note.kind, note.marker, note.text) == (
        "footnote",
        "1",
        "ILO, Ending Forced Labour by 2030 (2018).",
    )


# --- HTML -------------------------------------------------------------------------------


def test_html_keeps_content_drops_chrome(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(HTML.encode("cp1252"))
    parsed = parse_file(path)
    texts = " ".join(b.text for b in parsed.blocks)
    for chrome in (
        "secret",
        "color",
        "Accueil",
        "Menu du site",
        "Publicité",
        "Mentions",
        "JavaScript",
        "Rechercher",
    ):
        assert chrome not in texts
    assert parsed.blocks[0] == Block("Marchés publics", kind="heading", level=1)
    para = find(parsed, "Les acheteurs")
    assert para.text == "Les acheteurs publics peuvent exiger une cartographie des fournisseurs."
    assert para.refs == ("1",)
    assert [b.text for b in kinds(parsed, "item")] == ["Première mesure", "Deuxième mesure"]
    assert [b.text for b in kinds(parsed, "table")] == ["Pays | Loi", "France | Loi de 2017"]
    assert parsed.meta["title"] == "Marchés publics et traite"
    assert parsed.meta["language"] == "fr"


# --- Markdown ---------------------------------------------------------------------------


@pytest.fixture()
def md_parsed(tmp_path: Path) -> ParsedFile:
    path = tmp_path / "paper.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    return parse_file(path)


def test_markdown_front_matter_and_headings(md_parsed: ParsedFile) -> None:
    assert md_parsed.meta["front_matter"]["id"] == "wg-background-2021"
    assert md_parsed.meta["title"] == "Background paper on public procurement"
    headings = [(b.text, b.level) for b in kinds(md_parsed, "heading")]
    assert headings == [
        ("Public procurement", 1),
        ("II. Questions to consider", 2),
        ("Related measures", 3),
    ]


def test_markdown_footnotes_refs_and_markup(md_parsed: ParsedFile) -> None:
    six = find(md_parsed, "6. ")
    assert six.kind == "para"
    assert six.text == "6. Public buyers have leverage over suppliers and can require audits."
    assert six.refs == ("1",)
    notes = kinds(md_parsed, "footnote")
    assert [(n.marker, n.text) for n in notes] == [
        ("1", "ILO, Ending Forced Labour by 2030 (Geneva, 2018).")
    ]
    tail = md_parsed.blocks[-1]
    assert (tail.kind, tail.refs) == ("para", ("2",))
    assert tail.text.startswith("raisonnable. The paragraph")


def test_markdown_items_and_table_rows(md_parsed: ParsedFile) -> None:
    assert [b.text for b in kinds(md_parsed, "item")] == [
        "a) What links procurement and trafficking?",
        "b) Which principles apply?",
    ]
    assert [b.text for b in kinds(md_parsed, "table")] == [
        "Country | Law",
        "France | Duty of vigilance (2017)",
    ]


def test_markdown_bad_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "bad.md"
    path.write_text("---\ntitle: [unclosed\n---\n\nText.\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="invalid YAML front matter"):
        parse_file(path)


# --- plain text -------------------------------------------------------------------------


def test_text_cp1252_headings_and_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "act.txt"
    text = (
        "PART 1 - Reporting Obligation\r\n\r\nSection 54\r\n\r\n"
        "An organisation shall publish a statement on the steps taken\r\n"
        "to ensure that slavery is not taking place in its supply chains.\r\n"
        "(a) its structure;\r\n(b) its policies.\r\n\r\nLe rapport annuel doit être publié – en français.\r\n"
    )
    path.write_bytes(text.encode("cp1252"))
    parsed = parse_file(path)
    assert [(b.kind, b.level, b.text) for b in parsed.blocks] == [
        ("heading", 1, "PART 1 - Reporting Obligation"),
        ("heading", 3, "Section 54"),
        (
            "para",
            0,
            "An organisation shall publish a statement on the steps taken to ensure that slavery "
            "is not taking place in its supply chains.",
        ),  # fmt: skip
        ("para", 0, "(a) its structure;"),
        ("para", 0, "(b) its policies."),
        ("para", 0, "Le rapport annuel doit être publié – en français."),
    ]


def test_text_part_heading_with_subtitle(tmp_path: Path) -> None:
    path = tmp_path / "act.txt"
    path.write_text(
        "PART 2\nReporting by entities\n\nSection 11\n(1) Every entity must report by May 31.\n",
        encoding="utf-8",
    )
    assert [(b.kind, b.level, b.text) for b in parse_file(path).blocks] == [
        ("heading", 1, "PART 2 Reporting by entities"),
        ("heading", 3, "Section 11"),
        ("para", 0, "(1) Every entity must report by May 31."),
    ]


def test_text_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes("Travail forcé et marchés publics.\n".encode("utf-16"))
    assert [b.text for b in parse_file(path).blocks] == ["Travail forcé et marchés publics."]


# --- bad inputs -------------------------------------------------------------------------


def _corrupt_pdf(p: Path) -> None:
    p.write_bytes(os.urandom(4000))


def _docx_not_zip(p: Path) -> None:
    p.write_bytes(b"This is not a zip archive at all." * 20)


BAD_INPUTS = [
    ("corrupt.pdf", _corrupt_pdf, "corrupt PDF"),
    ("empty.txt", lambda p: p.write_bytes(b""), "empty file"),
    (
        "locked.pdf",
        lambda p: make_encrypted_pdf(p, "user-secret"),
        "encrypted PDF (password required)",
    ),
    ("scan.pdf", None, "no extractable text (scanned PDF? OCR it first)"),
    (
        "program.txt",
        lambda p: p.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" * 50),
        "binary content in a text file",
    ),
    (
        "controls.md",
        lambda p: p.write_bytes(bytes(range(1, 9)) * 40 + b"text"),
        "binary content in a text file",
    ),
    ("latin.txt", lambda p: p.write_bytes(bytes(range(0x80, 0x100)) * 20), "cannot decode text"),
    ("noise.html", lambda p: p.write_bytes(bytes(range(0xC0, 0x100)) * 20), "cannot decode text"),
    (
        "sheet.xlsx",
        lambda p: p.write_bytes(b"PK\x03\x04 not really"),
        "unsupported file type .xlsx",
    ),
    ("renamed.docx", _docx_not_zip, "not a valid DOCX (zip) file"),
]


def _scanned_pdf(p: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 100, style="F")  # an image-only page: nothing to extract
    pdf.output(str(p))


@pytest.mark.parametrize(("name", "write", "reason"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_gives_clear_error_and_leaves_file_untouched(
    tmp_path: Path, name, write, reason
) -> None:
    path = tmp_path / name
    (write or _scanned_pdf)(path)
    before, mtime = sha256(path), path.stat().st_mtime_ns
    with pytest.raises(DocumentError) as caught:
        parse_file(path)
    err = caught.value
    assert err.path == str(path)
    assert reason in err.reason
    assert str(err) == f"{path}: {err.reason}"
    assert "\n" not in str(err)
    assert sha256(path) == before and path.stat().st_mtime_ns == mtime


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    small = tmp_path / "small.txt"
    small.write_text("Forced labour. " * 200, encoding="utf-8")
    with pytest.raises(DocumentError, match="over the 1 KB limit"):
        parse_file(small, max_bytes=1024)
    big = tmp_path / "big.pdf"
    with big.open("wb") as handle:  # sparse: no 73 MB written to disk
        handle.truncate(int(73.2 * MB))
    with pytest.raises(DocumentError) as caught:
        parse_file(big, max_bytes=50 * MB)
    assert str(caught.value) == f"{big}: file is 73.2 MB, over the 50 MB limit"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="file not found"):
        parse_file(tmp_path / "nowhere.pdf")


def test_registry_covers_the_formats() -> None:
    for name in ("a.pdf", "a.PDF", "a.docx", "a.html", "a.htm", "a.md", "a.markdown", "a.txt"):
        parser = parser_for(name)
        assert isinstance(parser, Parser)
        assert parser.name and parser.version
    with pytest.raises(DocumentError, match=r"unsupported file type \.doc "):
        parser_for("old.doc")


# --- the project's reference material, when present --------------------------------------

PAPER = SHARED / "reference" / "background-paper-2021-procurement-fr.md"


@pytest.mark.skipif(not PAPER.exists(), reason="shared reference material not available")
def test_background_paper_footnotes_and_split_paragraphs() -> None:
    parsed = parse_file(PAPER)
    markers = [b.marker for b in kinds(parsed, "footnote")]
    assert [m for m in markers if m.isdigit()] == [str(n) for n in range(1, 14)]
    # Paragraph 7 is interrupted by footnote 1 and goes on lowercase after it.
    seven = find(parsed, "7. ")
    after = parsed.blocks[parsed.blocks.index(seven) + 1 :]
    assert after[0].kind == "footnote" and after[1].text[0].islower()
    assert all("<sup>" not in b.text and "**" not in b.text for b in parsed.blocks)


@pytest.mark.skipif(not (SHARED / "real-texts").exists(), reason="shared real texts not available")
def test_real_legal_texts_parse() -> None:
    for path in sorted((SHARED / "real-texts").glob("*.*")):
        if path.suffix in {".txt", ".md"} and path.name != "README.md":
            parsed = parse_file(path)
            assert len(parsed.blocks) > 20, path.name
