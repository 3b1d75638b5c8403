"""Documents in Arabic and Chinese, and the language versions of one UN document.

A delegate reads the Arabic or Chinese version of a Working Group paper: its PDF must be
read in the right order, its paragraphs numbered as in the English one and cited the
way a reader of that language cites them; when the store holds several versions, an
answer quotes the one in the question's language and links the others.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.citeforms import locator_text
from assistant.messages import MESSAGES
from indexer.numbering import han_number, latin_numbering
from indexer.parsers.bidi import reading_order
from tests.documents_un import ENGLISH, FRENCH, SYMBOL, arabic_pdf, chinese_pdf

LOCATORS = ["para. 1", "para. 2", "para. 3", "para. 3 (a)", "para. 3 (b)"]


def _prepare(path: Path):
    from indexer.documents import prepare
    from indexer.settings import Settings

    return prepare(path, "test", Settings(home=path.parent / "home", embed_cache="off"))


@pytest.mark.parametrize(
    ("text", "read_as"),
    [
        ("١٢ - ينبغي للدول", "12. ينبغي للدول"),
        ("12 - ينبغي للدول", "12. ينبغي للدول"),
        ("(أ) اعتماد قوانين", "(a) اعتماد قوانين"),
        ("(هـ) مراجعة العقود", "(e) مراجعة العقود"),
        ("المادة ٥ - التجريم", "Article 5 - التجريم"),
        ("１２．各国应当", "12. 各国应当"),
        ("（一）采购", "(1) 采购"),
        ("(b)订约当局", "(b) 订约当局"),
        ("第二十三条 供应商", "Article 23  供应商"),
        ("Статья 5. Криминализация", "Article 5. Криминализация"),
        ("б) поставщики", "b) поставщики"),
        ("2021 - 2025 plan", "2021 - 2025 plan"),  # not a paragraph number
        ("3.1 节", "3.1 节"),  # a section number stays whole
    ],
)
def test_numbering_in_other_scripts_is_read_as_the_english_numbering(text, read_as):
    assert latin_numbering(text) == read_as


def test_chinese_numbers_are_read():
    assert [han_number(t) for t in ("五", "十", "十二", "二十三", "一百零五", "条")] == [
        5, 10, 12, 23, 105, 0,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "para", "article", "page"),
    [
        ("en", "para. 3 (a)", "art. 57(1)(f)", "p. 4"),
        ("fr", "par. 3 a)", "art. 57(1)(f)", "p. 4"),
        ("es", "párr. 3 a)", "art. 57(1)(f)", "p. 4"),
        ("ar", "الفقرة 3 (أ)", "المادة 57(1)(و)", "ص 4"),
        ("zh", "第3段(a)", "第57条(1)(f)", "第4页"),
        ("ru", "п. 3 a)", "ст. 57(1)(f)", "с. 4"),
    ],
)
def test_locators_are_written_as_a_reader_of_the_language_cites(lang, para, article, page):
    assert locator_text("para. 3 (a)", lang) == para
    assert locator_text("art. 57(1)(f)", lang) == article
    assert locator_text("p. 4", lang) == page


def test_runs_of_a_right_to_left_line_are_put_in_reading_order():
    # What pypdf hands over for "... في عام 2021." drawn right to left: the Arabic run
    # already reversed, the number and its full stop first, the Arabic-Indic number backwards.
    runs = [".2021 ", "٢١- ينبغي للدول أن تستبعد الموردين في عام"]
    assert "".join(t for _, t in reading_order(runs)) == (
        "١٢- ينبغي للدول أن تستبعد الموردين في عام 2021."
    )
    # A producer that wrote the Arabic in reading order: pypdf's reversal is undone.
    backwards = ["ةيلودلا تايقافتالا ةعجارمل ةيلاحلا ةلاحلا"]
    assert (
        "".join(t for _, t in reading_order(backwards))
        == "الحالة الحالية لمراجعة الاتفاقيات الدولية"
    )
    # Left-to-right lines are left alone.
    assert reading_order(["12. Suppliers ", "must"]) == [(0, "12. Suppliers "), (1, "must")]


def test_an_arabic_pdf_is_read_right_to_left_with_its_paragraph_numbers(tmp_path):
    prepared = _prepare(arabic_pdf(tmp_path / "paper-ar.pdf"))
    doc, passages = prepared.doc, prepared.passages
    assert (doc.language, doc.symbol) == ("ar", SYMBOL)
    assert doc.title.startswith("ورقة خيالية")
    numbered = {p.locator: p.text for p in passages if p.locator.startswith("para.")}
    assert list(numbered) == LOCATORS
    assert numbered["para. 2"].startswith("2 - يجب على الجهات المتعاقدة أن تستبعد")
    assert "رقم أعمالها السنوي ٤٠ مليون دولار" in numbered["para. 3 (a)"]
    assert numbered["para. 3 (b)"].endswith("(انظر الوثيقة FICT/WG.9/2025/7).")
    assert numbered["para. 1"].endswith("منذ عام 2024.")


def test_a_chinese_pdf_keeps_its_words_together_and_its_numbering(tmp_path):
    prepared = _prepare(chinese_pdf(tmp_path / "paper-zh.pdf"))
    doc, passages = prepared.doc, prepared.passages
    assert (doc.language, doc.symbol) == ("zh", SYMBOL)
    numbered = {p.locator: p.text for p in passages if p.locator.startswith("para.")}
    assert list(numbered) == LOCATORS
    assert (
        numbered["para. 2"]
        == "２．订约当局必须排除在过去五年内因强迫劳动罪被最终判决定罪的任何供应商。"
    )
    assert "年营业额超过4000万美元" in numbered["para. 3 (a)"]


def test_russian_articles_and_lettered_points_get_their_locators(tmp_path):
    path = tmp_path / "zakon.md"
    path.write_text(
        "---\ntype: legislation\nlanguage: ru\n---\n# Вымышленный закон о закупках\n\n"
        "Статья 5. Исключение поставщиков\n\n"
        "1. Заказчик отстраняет от участия в закупке поставщика:\n\n"
        "а) осуждённого за принудительный труд;\n\n"
        "б) включённого в реестр недобросовестных поставщиков.\n\n"
        "2. Решение об отстранении публикуется в течение трёх дней.\n",
        encoding="utf-8",
    )
    locators = [p.locator for p in _prepare(path).passages]
    assert locators == ["art. 5(1)", "art. 5(1)(a)", "art. 5(1)(b)", "art. 5(2)"], locators


# -- language versions in one store ------------------------------------------------------


@pytest.fixture(scope="module")
def versions(tmp_path_factory, embedder):
    from assistant.core import Assistant
    from assistant.retrieval import Retriever
    from indexer.pipeline import index_paths
    from indexer.settings import Settings

    folder = tmp_path_factory.mktemp("versions")
    arabic_pdf(folder / "paper-ar.pdf")
    chinese_pdf(folder / "paper-zh.pdf")
    (folder / "paper-en.md").write_text(ENGLISH, encoding="utf-8")
    (folder / "paper-fr.md").write_text(FRENCH, encoding="utf-8")
    settings = Settings(home=tmp_path_factory.mktemp("versions-home"), embed_cache="off")
    summary = index_paths([folder], settings, embedder=embedder)
    assert summary.ok and summary.indexed == 4, summary.problems
    return Assistant(settings, retriever=Retriever(settings, embedder=embedder), use_llm=False)


QUESTIONS = {
    "fr": "Les pouvoirs adjudicateurs doivent-ils exclure un fournisseur condamné pour travail forcé ?",
    "en": "Must contracting authorities exclude a supplier convicted of forced labour?",
    "ar": "هل يجب على الجهات المتعاقدة استبعاد مورد أدين بالعمل القسري؟",
    "zh": "订约当局是否必须排除被判定犯有强迫劳动罪的供应商？",
}
OPENINGS = {
    "fr": "2. Les pouvoirs adjudicateurs doivent exclure",
    "en": "2. Contracting authorities must exclude",
    "ar": "2 - يجب على الجهات المتعاقدة",
    "zh": "２．订约当局必须排除",
}

QUOTED = {
    "fr": "doivent exclure tout fournisseur",
    "en": "must exclude any supplier",
    "ar": "أن تستبعد أي مورد",
    "zh": "必须排除在过去五年内",
}


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["fr", "en", "ar", "zh"])
def test_the_answer_quotes_the_version_in_the_question_language_and_links_the_others(
    versions, lang
):
    from assistant.core import format_answer

    answer = versions.ask(QUESTIONS[lang])
    assert answer.supported, answer.answer
    first = answer.citations[0]
    assert (first.language, first.locator) == (lang, "para. 2"), (first.language, first.text)
    assert first.text.startswith(OPENINGS[lang])
    assert QUOTED[lang] in answer.answer  # quoted, not only listed
    others = {"fr", "en", "ar", "zh"} - {lang}
    assert set(first.versions) == others
    table = versions.retriever.table
    for other, pid in first.versions.items():
        rec = table.get(pid)
        assert rec.meta["language"] == other and rec.meta["locator"] == "para. 2"
        assert rec.text.startswith(OPENINGS[other])
    shown = format_answer(answer)
    langs = " · ".join(code.upper() for code in sorted(others))
    assert MESSAGES["also_in"][lang].format(langs=langs) in shown
    assert locator_text("para. 2", lang) + " — " in shown


def test_the_sources_panel_offers_each_language_version(versions):
    from dataclasses import asdict

    from assistant.web import render

    answer = versions.ask(QUESTIONS["fr"])
    html = render.sources([{"answer": asdict(answer)}], "fr")
    first = answer.citations[0]
    for code in first.versions:
        assert f'data-n="{first.n}" data-version="{code}"' in html
    assert "par. 2" in html and "aussi en :" in html


def test_every_passage_finds_its_version_in_each_language(versions):
    """``twins`` (one read for a search's candidates) agrees with ``versions`` passage by
    passage: the paragraph in the asked language, or the passage itself when it has none."""
    table = versions.retriever.table
    pids = table.ids(range(len(table)))
    for lang in ("fr", "en", "ar", "zh", "es"):
        twins = table.twins(pids, lang)
        for pid in pids:
            own = table.get(pid).meta["language"]
            expected = pid if own == lang else table.versions(pid).get(lang, pid)
            assert twins[pid] == expected, (pid, lang)
    paired = table.twins(pids, "fr")
    assert sum(paired[p] != p for p in pids) >= 3  # the other versions' paragraphs do pair
