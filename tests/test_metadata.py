"""Metadata layers and language detection, on files written to a temp folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.errors import DocumentError
from indexer.metadata import detect_language, load_metadata, prettify_stem
from indexer.models import Document
from indexer.parsers import parse_file

EN = "Public buyers can require suppliers to map their supply chains and report on forced labour risks."
FR = "Les acheteurs publics peuvent exiger des fournisseurs qu'ils cartographient leurs chaînes d'approvisionnement."
ES = "Los compradores públicos pueden exigir a los proveedores que analicen sus cadenas de suministro."


@pytest.mark.parametrize(("text", "expected"), [(EN, "en"), (FR, "fr"), (ES, "es")])
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["", "Guide", "12.3 / 45"])
def test_detect_language_unknown(text: str) -> None:
    assert detect_language(text) == "und"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Открытые закупки и торговля людьми в цепочках поставок товаров", "ru"),
        ("المشتريات العامة والاتجار بالأشخاص في سلاسل الإمداد", "ar"),
        ("公共采购和供应链中的人口贩运与强迫劳动问题", "zh"),
    ],
)
def test_the_other_un_languages_are_told_by_their_script(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_inferred_only(tmp_path: Path) -> None:
    path = tmp_path / "palermo-protocol_2000.txt"
    path.write_text(f"{FR}\n", encoding="utf-8")
    meta = load_metadata(path, parse_file(path))
    assert meta["title"] == "Palermo protocol 2000"
    assert meta["language"] == "fr"
    assert (meta["type"], meta["binding"], meta["year"], meta["aliases"]) == (
        "other",
        "unknown",
        None,
        [],
    )
    assert "doc_id" not in meta


def test_layers_in_priority_order(tmp_path: Path) -> None:
    """inferred < catalogue.yaml < front matter < sidecar, field by field."""
    path = tmp_path / "msa.md"
    path.write_text(
        "---\nid: uk-msa-2015\ntitle: Front matter title\nsymbol: 2015 c. 30\nadopted: 2015-03-26\n---\n\n"
        f"# Heading title\n\n{EN}\n",
        encoding="utf-8",
    )
    (tmp_path / "catalogue.yaml").write_text(
        "msa.md:\n  title: Catalogue title\n  jurisdiction: GB\n  type: law\n  symbol: catalogue symbol\n"
        "  year: 1999\nother.pdf:\n  title: Not this one\n",
        encoding="utf-8",
    )
    (tmp_path / "msa.md.yaml").write_text(
        "short_title: UK Modern Slavery Act\nbinding: yes\n"
        "status: {value: in force, as_of: 2026-11-29}\n"
        "aliases: {en: [MSA 2015, section 54], fr: [loi britannique sur l'esclavage moderne]}\n"
        "topics: [transparency-reporting, due-diligence]\nurl: https://www.legislation.gov.uk/ukpga/2015/30\n",
        encoding="utf-8",
    )
    meta = load_metadata(path, parse_file(path))
    assert meta["doc_id"] == "uk-msa-2015"
    assert meta["title"] == "Front matter title"  # front matter beats catalogue beats heading
    assert meta["jurisdiction"] == "GB"  # only the catalogue says it
    assert meta["type"] == "legislation"  # "law" mapped onto the Document types
    assert meta["symbol"] == "2015 c. 30"
    assert (meta["date"], meta["year"]) == ("2015-03-26", 2015)  # year follows the winning date
    assert (meta["short_title"], meta["binding"], meta["status"]) == (
        "UK Modern Slavery Act",
        "yes",
        "in force",
    )
    assert meta["aliases"] == ["MSA 2015", "section 54", "loi britannique sur l'esclavage moderne"]
    assert meta["topics"] == ["transparency-reporting", "due-diligence"]
    assert meta["language"] == "en"
    doc = Document(**meta)
    assert doc.label == "UK Modern Slavery Act"


def test_sidecar_beats_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "card.md"
    path.write_text(f"---\ntitle: From front matter\nbinding: no\n---\n\n{EN}\n", encoding="utf-8")
    (tmp_path / "card.md.yml").write_text("title: From sidecar\n", encoding="utf-8")
    meta = load_metadata(path, parse_file(path))
    assert (meta["title"], meta["binding"]) == ("From sidecar", "no")


def test_catalogue_as_list(tmp_path: Path) -> None:
    path = tmp_path / "far.txt"
    path.write_text(f"{EN}\n", encoding="utf-8")
    (tmp_path / "catalogue.yaml").write_text(
        "- file: far.txt\n  title: FAR 52.222-50\n  language: en\n  binding: true\n- file: x.pdf\n  title: X\n",
        encoding="utf-8",
    )
    meta = load_metadata(path, parse_file(path).meta, text=EN)
    assert (meta["title"], meta["binding"]) == ("FAR 52.222-50", "yes")


def test_invalid_sidecar_names_the_sidecar(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(f"{EN}\n", encoding="utf-8")
    side = tmp_path / "report.txt.yaml"
    side.write_text("title: [unclosed\n", encoding="utf-8")
    with pytest.raises(DocumentError) as caught:
        load_metadata(path, parse_file(path))
    assert caught.value.path == str(side)
    assert "invalid YAML" in caught.value.reason


def test_invalid_catalogue_names_the_catalogue(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(f"{EN}\n", encoding="utf-8")
    (tmp_path / "catalogue.yaml").write_text("report.txt: {title: [oops\n", encoding="utf-8")
    with pytest.raises(DocumentError) as caught:
        load_metadata(path, parse_file(path))
    assert caught.value.path == str(tmp_path / "catalogue.yaml")


def test_declared_language_used_when_detection_cannot_tell(tmp_path: Path) -> None:
    meta = load_metadata(tmp_path / "x.html", {"title": "Guide", "language": "de"}, text="OK")
    assert meta["language"] == "de"
    assert load_metadata(tmp_path / "y.html", {}, text="")["language"] == "und"


def test_norway_is_not_false(tmp_path: Path) -> None:
    path = tmp_path / "act.txt"
    path.write_text(f"{EN}\n", encoding="utf-8")
    (tmp_path / "act.txt.yaml").write_text("jurisdiction: NO\nbinding: yes\n", encoding="utf-8")
    meta = load_metadata(path, parse_file(path))
    assert (meta["jurisdiction"], meta["binding"]) == ("NO", "yes")


def test_prettify_stem() -> None:
    assert prettify_stem(Path("us-far-52.222-50.txt")) == "Us far 52.222-50"


def test_multimarkdown_header_gives_title_and_is_not_indexed(tmp_path: Path) -> None:
    path = tmp_path / "act.txt"
    path.write_text(
        "Title: Fictional Supply Chains Act (2031)\nLanguage: en\nSource: a test\n\n"
        "Short Title\n\n1 This Act may be cited as the Fictional Supply Chains Act.\n\n"
        "2 Every entity must report by May 31.\n",
        encoding="utf-8",
    )
    parsed = parse_file(path, 10**6)
    meta = load_metadata(path, parsed)
    assert meta["title"] == "Fictional Supply Chains Act (2031)"
    assert meta["short_title"] == "Fictional Supply Chains Act"
    assert not any("Source:" in b.text for b in parsed.blocks)


def test_a_body_opening_with_a_colon_line_is_not_a_header(tmp_path: Path) -> None:
    path = tmp_path / "memo.md"
    path.write_text(
        "Note: suppliers must report.\n\n# Procurement memo\n\nText.\n", encoding="utf-8"
    )
    parsed = parse_file(path, 10**6)
    assert parsed.blocks[0].text.startswith("Note: suppliers")
    assert load_metadata(path, parsed)["title"] == "Procurement memo"


def test_generic_first_heading_does_not_name_the_document(tmp_path: Path) -> None:
    path = tmp_path / "statute.txt"
    path.write_text(
        "Short Title\n\nModern Slavery Reporting Act\n\n1 Every entity must report.\n",
        encoding="utf-8",
    )
    assert load_metadata(path, parse_file(path, 10**6))["title"] == "Modern Slavery Reporting Act"
