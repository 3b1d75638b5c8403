"""The interface in English, French and Spanish: the table of UI strings is complete, the
language of a request is the switch's, else the browser's, and what the server draws (empty
states, passage notes, status lines, tables) speaks it, still escaped."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.web import i18n, render
from indexer.settings import REPO_ROOT

WEB = REPO_ROOT / "assistant" / "web"


def test_every_phrase_has_english_french_and_spanish_with_the_same_fields():
    table = i18n.table()
    assert len(table) > 100
    for key, entry in table.items():
        assert set(entry) == set(i18n.LANGS), key
        for lang in i18n.LANGS:
            assert isinstance(entry[lang], str) and entry[lang].strip(), (key, lang)
            assert i18n.fields_of(entry[lang]) == i18n.fields_of(entry["en"]), (key, lang)


def test_french_and_spanish_are_translations_not_copies():
    """Words that read the same in two languages exist ("Type", "Sources"), but few."""
    table = i18n.table()
    same = {lang: [k for k, v in table.items() if v[lang] == v["en"]] for lang in ("fr", "es")}
    assert len(same["fr"]) < 15, same["fr"]
    assert len(same["es"]) < 8, same["es"]


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


def test_frontend_labels_take_no_fields_and_cover_the_three_languages():
    front = i18n.frontend_table()
    assert set(front) == set(i18n.LANGS)
    assert front["fr"]["tab.library"] == "Bibliothèque"
    assert front["es"]["ask.clear"] == "Nueva conversación"
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
    assert "Q : Qui &lt;b&gt;doit&lt;/b&gt; publier ?" in fr
    assert "Question recherchée : Qui doit publier en &lt;France&gt; ?" in fr
    assert 'title="Afficher la source 1"' in fr and "contraignant" in fr
    assert "<b>" not in fr and "<i>" not in fr and "Searched as" not in fr
    es = render.transcript(turns, "es")
    assert "P: Qui" in es and "Pregunta buscada:" in es
    assert "Searched as: Qui doit publier" in render.transcript(turns)  # English by default


@pytest.mark.parametrize(
    ("lang", "empty", "sources"),
    [
        ("en", "Ask a question: every answer cites", "Sources of the answer appear here."),
        ("fr", "Posez une question : chaque réponse cite", "Les sources de la réponse"),
        ("es", "Haga una pregunta: cada respuesta cita", "Las fuentes de la respuesta"),
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
    report = gap_analysis([])
    gap = gap_html(report, "es")
    assert f"Faltan {len(report.missing_ids)} de {report.total} medidas" in gap
    assert "Recomendada por:" in gap and "Transparencia e informes" in gap
    assert "measures missing" not in gap
