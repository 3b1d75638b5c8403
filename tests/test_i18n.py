"""The interface in the six UN languages: the table of UI strings is complete and written in
each language's own script, the language of a request is the switch's, else the browser's,
Arabic turns the page right to left, and what the server draws (empty states, passage notes,
status lines, tables) speaks it, still escaped, document text keeping its own direction."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.web import i18n, render
from indexer.settings import REPO_ROOT

WEB = REPO_ROOT / "assistant" / "web"


def test_every_phrase_is_in_the_six_languages_with_the_same_fields():
    table = i18n.table()
    assert len(table) > 100
    assert set(i18n.LANGS) == {"en", "fr", "es", "ar", "zh", "ru"}
    for key, entry in table.items():
        assert set(entry) == set(i18n.LANGS), key
        for lang in i18n.LANGS:
            assert isinstance(entry[lang], str) and entry[lang].strip(), (key, lang)
            assert i18n.fields_of(entry[lang]) == i18n.fields_of(entry["en"]), (key, lang)


def test_translations_are_not_copies_of_the_english():
    """Words that read the same in two languages exist ("Type", "Sources"), but few; in
    Arabic, Chinese and Russian only a phrase made of its fields alone reads the same."""
    table = i18n.table()
    same = {lang: [k for k, v in table.items() if v[lang] == v["en"]] for lang in i18n.LANGS}
    assert len(same["fr"]) < 15, same["fr"]
    assert len(same["es"]) < 8, same["es"]
    for lang in ("ar", "zh", "ru"):
        assert same[lang] in ([], ["compare.thresholds"]), (lang, same[lang])


SCRIPTS = {"ar": "[\u0600-\u06ff]", "zh": "[\u4e00-\u9fff]", "ru": "[\u0400-\u04ff]"}
# What stays in Latin letters in any language: file formats, names, codes, examples the
# search matches in the (English) catalogue, the command, the date pattern.
LATIN_KEPT = re.compile(
    r"\{\w+\}|Vigilance|vigilance index|DOCX|PDF|HTML|Markdown|CSV|XLSX|ISO|MB|A4|"
    r"France|EU|toolkit|YYYY-MM-DD|\([a-m]\)"
)


@pytest.mark.parametrize("lang", ["ar", "zh", "ru"])
def test_arabic_chinese_and_russian_are_written_in_their_own_script(lang):
    for key, entry in i18n.table().items():
        phrase = LATIN_KEPT.sub("", entry[lang])
        assert not re.search("[A-Za-z]", phrase), (key, entry[lang])
        if key != "compare.thresholds":  # "{name} ({on}):": fields and punctuation only
            assert re.search(SCRIPTS[lang], phrase), (key, entry[lang])
    # the forms each language writes
    table = i18n.table()
    assert table["ask.placeholder"]["ar"].endswith("؟")  # the Arabic question mark
    assert "،" in table["lib.bad_year"]["ar"]  # the Arabic comma
    assert table["ask.placeholder"]["zh"].endswith("？") and "：" in table["render.question"]["zh"]
    assert "«Удалить»" in table["lib.tick"]["ru"]


def keys_in_code() -> set[str]:
    """The keys the web modules name literally: text("..."), ui("...")."""
    found: set[str] = set()
    for path in WEB.glob("*.py"):
        found |= set(re.findall(r"""\b(?:text|ui)\(\s*["']([\w.-]+)["']""", path.read_text()))
    return found


def test_every_key_the_code_names_is_in_the_table():
    named = keys_in_code()
    assert {"tab.ask", "render.empty_transcript", "lib.tick"} <= named  # the scan works
    assert named - set(i18n.table()) == set()


def test_frontend_labels_take_no_fields_and_cover_the_six_languages():
    front = i18n.frontend_table()
    # Chinese under gradio's own name for it, so its built-in phrases are Chinese too
    assert set(front) == {"en", "fr", "es", "ar", "zh-CN", "ru"}
    assert front["fr"]["tab.library"] == "Bibliothèque"
    assert front["es"]["ask.clear"] == "Nueva conversación"
    assert front["ar"]["tab.library"] == "المكتبة"
    assert front["zh-CN"]["tab.compare"] == "比较"
    assert front["ru"]["ask.clear"] == "Новый разговор"
    assert "render.question" not in front["en"]  # it takes {question}: the server fills it
    with pytest.raises(ValueError, match="cannot take fields"):
        i18n.ui("render.question")
    assert i18n.ui("tab.ask").key == "tab.ask"


def request(accept: str | None = None, cookie: str | None = None) -> SimpleNamespace:
    headers = {"accept-language": accept} if accept is not None else {}
    cookies = {i18n.COOKIE: cookie} if cookie is not None else {}
    return SimpleNamespace(headers=headers, cookies=cookies)


@pytest.mark.parametrize(
    ("accept", "cookie", "lang"),
    [
        ("fr-FR,fr;q=0.9,en;q=0.8", None, "fr"),
        ("es-419", None, "es"),
        ("en;q=0.4, es;q=0.9", None, "es"),  # by weight, not by order
        ("de-DE,de;q=0.9,fr;q=0.8", None, "en"),  # German first: the page is not French
        ("fr-FR", "es", "es"),  # the switch wins over the browser
        ("ar-EG,ar;q=0.9,en;q=0.8", None, "ar"),
        ("zh-CN,zh;q=0.9", None, "zh"),
        ("zh-Hant-TW", None, "zh"),  # any Chinese: the interface is in simplified Chinese
        ("ru-RU,ru;q=0.9,en-US;q=0.8", None, "ru"),
        ("en-GB", "ar", "ar"),
        ("fr-FR", "xx", "fr"),  # a cookie that is no language of ours is ignored
        (None, None, "en"),
        ("*", None, "en"),
    ],
)
def test_the_interface_language_is_the_switch_s_else_the_browser_s(accept, cookie, lang):
    assert i18n.lang_of(request(accept, cookie)) == lang


def test_no_request_is_english():
    assert i18n.lang_of(None) == "en"
    assert i18n.text("lib.tick", "pt") == i18n.text("lib.tick", "en")


def test_arabic_is_right_to_left_and_the_switch_sets_the_page_s_direction():
    assert i18n.direction("ar") == "rtl" and i18n.direction("ar-SA") == "rtl"
    assert {i18n.direction(lang) for lang in ("en", "fr", "es", "zh", "ru", None)} == {"ltr"}
    assert list(i18n.LANG_NAMES.values()) == [
        "English", "Français", "Español", "العربية", "中文", "Русский"
    ]  # fmt: skip
    for js in (i18n.LOAD_JS, i18n.SWITCH_JS):
        assert "root.dir = [\"ar\"].includes(lang) ? 'rtl' : 'ltr'" in js
        assert '{"zh": "zh-CN"}[lang] || lang' in js and "%" not in js
    assert 'html[dir="rtl"] .prose[dir="ltr"]' in i18n.RTL_CSS


def test_a_briefing_pack_follows_the_interface_only_in_the_pack_s_languages():
    from assistant.web.brief import pack_language

    offered = ("en", "fr", "es")
    assert pack_language("fr", offered) == "fr"
    assert pack_language("ar", offered) == "en"
    assert pack_language("ru", offered + ("ru",)) == "ru"
    assert pack_language("es-MX") == "es"  # by default, the languages packs are written in


def answer(question: str = "Qui <b>doit</b> publier ?") -> dict:
    cite = {"n": 1, "passage_id": "p1", "title": "Loi <i>1</i>", "locator": "art. 1"}
    cite |= {"year": 2017, "jurisdiction": "FR", "binding": "yes", "type": "legislation"}
    return {
        "question": question,
        "resolved_question": "Qui doit publier en <France> ?",
        "answer": "Ce que disent les sources :\n- Les sociétés publient un plan [1]",
        "supported": True,
        "citations": [cite],
    }


def test_answer_page_speaks_the_interface_language_and_stays_escaped():
    turns = [{"answer": answer()}]
    fr = render.transcript(turns, "fr") + render.sources(turns, "fr")
    assert "Q : <bdi>Qui &lt;b&gt;doit&lt;/b&gt; publier ?</bdi>" in fr
    assert "Question recherchée : <bdi>Qui doit publier en &lt;France&gt; ?</bdi>" in fr
    assert 'title="Afficher la source 1"' in fr and "contraignant" in fr
    assert "<b>" not in fr and "<i>" not in fr and "Searched as" not in fr
    es = render.transcript(turns, "es")
    assert "P: <bdi>Qui" in es and "Pregunta buscada:" in es
    assert "Searched as: <bdi>Qui doit publier" in render.transcript(turns)  # English by default


def test_in_arabic_document_text_keeps_its_own_direction():
    """The page is right to left; the question, the answer, the cited title and the quoted
    passage (French here) are each left to find their own direction."""
    turns = [{"answer": answer()}]
    ar = render.transcript(turns, "ar") + render.sources(turns, "ar")
    assert '<div class="vg-q">س: <bdi>Qui &lt;b&gt;doit&lt;/b&gt; publier ?</bdi></div>' in ar
    assert "صيغة البحث: <bdi>" in ar
    assert '<div class="vg-a" data-turn="0" dir="auto">' in ar
    assert "<bdi>المادة 1 — Loi &lt;i&gt;1&lt;/i&gt;</bdi>" in ar  # cited as an Arabic reader does
    assert 'title="عرض المصدر 1"' in ar and "<i>" not in ar
    meta = {"title": "Loi <1>", "locator": "art. 5", "heading": "Titre II", "year": 2017}
    rec = {"id": "b", "text": "Les sociétés <b>publient</b>", "meta": meta}
    before = {"id": "a", "text": "avant", "meta": {"locator": "art. 4"}}
    page = render.passage(rec, [before, rec], render.CardNotes("", ["note"], ["note"]), "ar")
    assert '<blockquote class="vg-text" dir="auto">Les sociétés &lt;b&gt;publient' in page
    assert '<div class="vg-context" dir="auto">' in page
    assert '<span dir="auto"><strong>Loi &lt;1&gt;</strong></span>' in page
    assert '<h4 class="vg-loc" dir="auto">المادة 5</h4>' in page
    assert '<div class="vg-heading" dir="auto">Titre II</div>' in page
    assert '<li dir="auto">note</li>' in page and "لم يُتحقَّق منه" in page


def test_dates_read_left_to_right_in_arabic_only():
    said = render.status_label("in force (on 2026-12-02)", "ar")
    assert "2026-12-02" in said and said != "in force (on 2026-12-02)"
    assert i18n.dates_ltr(render.esc(said), "ar").count('<span dir="ltr">2026-12-02</span>') == 1
    assert i18n.dates_ltr("checked 2026-11-29", "fr") == "checked 2026-11-29"
    cite = answer()["citations"][0] | {"checked": "2026-11-29"}
    assert '<span dir="ltr">2026-11-29</span>' in render.citation_line(cite, "ar")
    assert "<span" not in render.citation_line(cite, "en")


@pytest.mark.parametrize(
    ("lang", "empty", "sources"),
    [
        ("en", "Ask a question: every answer cites", "Sources of the answer appear here."),
        ("fr", "Posez une question : chaque réponse cite", "Les sources de la réponse"),
        ("es", "Haga una pregunta: cada respuesta cita", "Las fuentes de la respuesta"),
        ("ar", "اطرح سؤالًا: كل إجابة تستشهد", "تظهر هنا مصادر الإجابة."),
        ("zh", "请提出问题：每个回答都会引用", "回答的来源将显示在此处。"),
        ("ru", "Задайте вопрос: каждый ответ ссылается", "Здесь появятся источники ответа."),
    ],
)
def test_empty_states_in_each_language(lang, empty, sources):
    assert empty in render.transcript([], lang)
    assert sources in render.sources([], lang)


def test_passage_notes_in_spanish_escaped():
    meta = {"title": "T", "locator": "art. 5", "year": -1, "binding": "no", "status": "in force"}
    rec = {"id": "b", "text": "texto", "meta": meta}
    notes = render.CardNotes("2026-11-29", ["<nota> uno"], ["<nota> uno", "otra"])
    page = render.passage(rec, [rec], notes, "es")
    assert "s.f." in page and "no vinculante" in page and "en vigor" in page
    assert "estado verificado el 2026-11-29" in page
    assert "No verificado para este punto" in page and "&lt;nota&gt; uno" in page
    assert "Otros puntos no verificados de esta ficha (1)" in page
    assert "Not verified" not in page and "<nota>" not in page


def test_dated_statuses_in_french_and_unchanged_in_english():
    assert render.status_label("in force (on 2026-12-02)", "fr") == "en vigueur (au 2026-12-02)"
    assert render.status_label("superseded (as of 2026-11-29)", "es") == "sustituido (a 2026-11-29)"
    assert render.status_label("in force (on 2026-12-02)") == "in force (on 2026-12-02)"
    assert render.status_label("draft of our own", "fr") == "draft of our own"


def test_library_columns_and_indexing_line_in_each_language():
    from assistant.web.library import HEADERS, headers, summary_line
    from indexer.pipeline import IndexSummary

    assert headers("en") == HEADERS
    assert headers("fr")[0] == "Titre" and headers("es")[-1] == "Identificador"
    summary = IndexSummary(indexed=1, unchanged=2, passages=7, reused=3, seconds=1.25)
    assert summary_line(summary) == summary.line()
    assert summary_line(summary, "fr").startswith("1 indexé(s), 2 inchangé(s)")
    assert "7 pasajes escritos" in summary_line(summary, "es")


def test_refused_upload_is_said_in_the_interface_language(tmp_path: Path):
    from assistant.web.uploads import UploadError, place_upload

    exe = tmp_path / "outil.exe"
    exe.write_bytes(b"MZ")
    with pytest.raises(UploadError, match=r"outil\.exe : type de fichier \.exe refusé"):
        place_upload(exe, exe.name, tmp_path / "uploads", 1024, "fr")
    big = tmp_path / "grande.txt"
    big.write_bytes(b"x" * 3000)
    with pytest.raises(UploadError, match="supera el límite de 0 MB"):
        place_upload(big, big.name, tmp_path / "uploads", 1024, "es")


def test_compare_and_gap_in_spanish():
    from assistant.tools.compare import compare_table
    from assistant.tools.gap import gap_analysis
    from assistant.web.compare import entry_html, note_text, table_html
    from assistant.web.gap import gap_html

    table = compare_table({"id": "uk-modern-slavery-act-2015"})
    page = table_html(table, "es")
    assert '<th scope="col">Instrumento</th>' in page and "Obligación principal" in page
    assert 'title="Mostrar este instrumento completo"' in page
    entry = entry_html(table.rows[0], table.as_of, "es")
    assert "<h4>Quién está cubierto / umbral</h4>" in entry and "Fuente: " in entry
    assert "Source:" not in entry
    assert note_text(table, "fr").startswith("1 instrument(s), statut et seuils au ")
    assert f"\u2066{table.as_of}\u2069" in note_text(table, "ar")  # the date left to right
    report = gap_analysis([])
    gap = gap_html(report, "es")
    assert f"Faltan {len(report.missing_ids)} de {report.total} medidas" in gap
    assert "Recomendada por:" in gap and "Transparencia e informes" in gap
    assert "measures missing" not in gap
