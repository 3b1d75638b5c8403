"""The HTTP API for real: ``vigilance api`` in a subprocess on a free port of 127.0.0.1,
over a small store indexed by the test, called with httpx over the socket; and the same
API mounted at /api of ``vigilance serve``."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

from indexer.settings import REPO_ROOT, Settings
from tests.conftest import free_port, vigilance

pytestmark = pytest.mark.slow

ACT = """Fictional Harbour Republic Public Contracts (Forced Labour) Act 2024

PART 1
Exclusion of bidders

Section 3
(1) A contracting authority must exclude from a tender any bidder that has been convicted of forced labour by a final judgment within the previous five years.
(2) A contracting authority may admit the bidder again once it proves that it has compensated the workers concerned.

PART 2
Transparency

Section 7
(1) Every company with more than 500 employees that sells goods to public bodies must publish a modern slavery statement each year.
"""
NOTE = """---
title: Note fictive sur les contrôles des marchés de nettoyage
type: report
binding: no
language: fr
---
# Note fictive sur les contrôles des marchés de nettoyage

1. Les acheteurs publics de la République fictive du Port contrôlent chaque année les bulletins de paie d'un échantillon de salariés des titulaires.
"""
UPLOAD = """# Fictional Quillmoor cleaning contracts rules

1. Suppliers of cleaning services to the fictional city of Quillmoor must pay the recruitment fees of their migrant cleaners themselves and never charge them to the workers.
"""
QUESTION = "Must a contracting authority exclude a bidder convicted of forced labour?"
AUTH = ("delegate", "s3cret")
SCORES = ("score", "scores", "source_path")  # compared apart


@contextmanager
def running(home: Path, command: str = "api", **env: str):
    """``vigilance COMMAND`` over ``home`` on a free port, as a user starts it (no VIGILANCE_*
    of the test run but ``env``); yields its address once /health (or /) answers."""
    from evals.load import stop_server, wait_until_up

    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("VIGILANCE_")}
    clean.update(VIGILANCE_EMBED_CACHE="off", GRADIO_ANALYTICS_ENABLED="False", **env)
    args = [sys.executable, "-m", "assistant.cli", command, "--port", str(port)]
    log_path = home / f"{command}-{port}.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [*args, "--store", str(home)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=clean,
            cwd=REPO_ROOT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            try:
                wait_until_up(url + ("/health" if command == "api" else "/"), proc, 120, log_path)
            except RuntimeError as exc:
                pytest.fail(str(exc))
            yield SimpleNamespace(url=url, home=home, log=log_path)
        finally:
            stop_server(proc)


@pytest.fixture(scope="module")
def store(tmp_path_factory, embedder) -> Path:
    from indexer.pipeline import index_paths

    folder = tmp_path_factory.mktemp("api-docs")
    (folder / "harbour-act.txt").write_text(ACT, encoding="utf-8")
    (folder / "note-controles.md").write_text(NOTE, encoding="utf-8")
    home = tmp_path_factory.mktemp("api-home")
    summary = index_paths([folder], Settings(home=home, embed_cache="off"), embedder=embedder)
    assert summary.ok and summary.indexed == 2, summary.problems
    return home


@pytest.fixture(scope="module")
def api(store):
    with running(store, VIGILANCE_MAX_FILE_MB="1") as server:
        yield server


@pytest.fixture
def http(api):
    with httpx.Client(base_url=api.url, timeout=120) as client:
        yield client


def passages_in(home: Path) -> int:
    from assistant.records import document_records

    return sum(d["passages"] for d in document_records(Settings(home=home)))


def cli_json(home: Path, *args: str) -> list[dict]:
    """What ``vigilance ARGS --json`` prints over ``home``, one record a line."""
    done = vigilance(*args, "--json", home=home, VIGILANCE_EMBED_CACHE="off")
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def refused(response: httpx.Response, status: int, *said: str) -> str:
    """The error line of a refusal: its status, JSON ``{"error"}``, one line naming no
    folder of the server, saying each of ``said``."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["error"], body
    error = body["error"]
    assert "\n" not in error and "Traceback" not in error and "/tmp" not in error, error
    for part in said:
        assert part in error, error
    return error


def test_health_counts_the_passages(http, store):
    response = http.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "passages": passages_in(store)}


def test_search_returns_what_vigilance_search_json_prints(http, store):
    response = http.post("/search", json={"question": QUESTION, "k": 3})
    assert response.status_code == 200, response.text
    record = response.json()
    hits = record["hits"]
    assert hits[0]["locator"] == "s. 3(1)"
    assert "convicted of forced labour" in hits[0]["text"]
    assert hits[0]["source_path"] == "harbour-act.txt"  # the file's name, not the server's path
    (printed,) = cli_json(store, "search", QUESTION, "-k", "3")
    assert record["as_of"] == printed["as_of"]
    assert [h["passage_id"] for h in hits] == [h["passage_id"] for h in printed["hits"]]
    for served, cli in zip(hits, printed["hits"], strict=True):
        assert served.keys() == cli.keys()
        assert {k: v for k, v in served.items() if k not in SCORES} == {
            k: v for k, v in cli.items() if k not in SCORES
        }
        assert served["source_path"] == Path(cli["source_path"]).name


def test_search_filters_narrow_the_documents(http):
    french = {"question": QUESTION, "filters": {"language": "fr", "binding": False}}
    hits = http.post("/search", json=french).json()["hits"]
    assert hits and {(h["language"], h["binding"]) for h in hits} == {("fr", "no")}
    act = {"question": QUESTION, "k": 1, "filters": {"type": ["other"]}}
    assert http.post("/search", json=act).json()["hits"][0]["locator"] == "s. 3(1)"


def test_ask_returns_the_answer_record_with_its_citations(http):
    from assistant.answer import Answer

    response = http.post("/ask", json={"question": QUESTION, "as_of": "2025-06-01"})
    assert response.status_code == 200, response.text
    record = response.json()
    assert set(record) == {f.name for f in fields(Answer)}  # the record of vigilance ask --json
    assert record["supported"] and record["as_of"] == "2025-06-01"
    citations = record["citations"]
    assert {int(n) for n in re.findall(r"\[(\d+)\]", record["answer"])} == {
        c["n"] for c in citations
    }
    assert sorted(record["used_passage_ids"]) == sorted({c["passage_id"] for c in citations})
    first = next(c for c in citations if c["locator"] == "s. 3(1)")
    assert "convicted of forced labour" in first["text"]
    assert first["source_path"] == "harbour-act.txt"


@pytest.mark.parametrize(
    ("path", "body", "said"),
    [
        ("/search", {"question": ""}, "question is empty"),
        ("/ask", {"question": "   "}, "question is empty"),
        ("/ask", {"question": "why " * 501}, "over the 2,000 limit"),
        ("/search", {"question": QUESTION, "k": 0}, "k: "),
        ("/search", {"question": QUESTION, "filters": {"jurisdiction": "ZZ"}}, "no passage"),
        ("/ask", {"question": QUESTION, "filters": {"doc_id": "nothing"}}, "no passage"),
        ("/ask", {"question": QUESTION, "filters": {"colour": "red"}}, "filters.colour"),
        ("/search", {"question": QUESTION, "filters": {"year_from": 9, "year_to": 1}}, "after"),
        ("/ask", {"question": QUESTION, "as_of": "2024-13-45"}, "not a date"),
        ("/search", {"question": 42}, "question: "),
        ("/search", "{not json", "not valid JSON"),
    ],
)
def test_bad_requests_are_400_with_one_line(http, path, body, said):
    if isinstance(body, str):
        response = http.post(path, content=body, headers={"content-type": "application/json"})
    else:
        response = http.post(path, json=body)
    refused(response, 400, said)


def test_documents_are_what_vigilance_docs_json_prints(http, store):
    response = http.get("/documents")
    assert response.status_code == 200
    served = response.json()["documents"]
    printed = cli_json(store, "docs")
    assert [d["doc_id"] for d in served] == [d["doc_id"] for d in printed]
    for doc, cli in zip(served, printed, strict=True):
        assert doc == {**cli, "source_path": Path(cli["source_path"]).name}
    assert {d["title"] for d in served} >= {
        "Note fictive sur les contrôles des marchés de nettoyage"
    }


def test_an_upload_is_searchable_then_removed(http, api):
    form = {"title": "Quillmoor rules", "type": "guidance", "jurisdiction": "gb", "year": "2025"}
    files = {"file": ("Quillmoor rules.md", UPLOAD.encode(), "text/markdown")}
    response = http.post("/documents", data=form, files=files)
    assert response.status_code == 201, response.text
    added = response.json()
    doc = added["document"]
    assert (doc["title"], doc["type"], doc["jurisdiction"], doc["year"]) == (
        "Quillmoor rules",
        "guidance",
        "GB",
        2025,
    )
    assert added["file"] == "Quillmoor_rules.md" and doc["source_path"] == "Quillmoor_rules.md"
    assert added["indexed"] == 1 and added["passages"] >= 1
    assert (api.home / "uploads" / "Quillmoor_rules.md").read_text() == UPLOAD

    question = {"question": "Who pays the recruitment fees of migrant cleaners?", "k": 3}
    hits = http.post("/search", json=question).json()["hits"]
    assert hits[0]["doc_id"] == doc["doc_id"] and "recruitment fees" in hits[0]["text"]
    assert doc["doc_id"] in {d["doc_id"] for d in http.get("/documents").json()["documents"]}
    again = http.post("/documents", files=files)
    assert again.status_code == 200 and again.json()["unchanged"] == 1

    removed = http.delete(f"/documents/{doc['doc_id']}")
    assert removed.status_code == 200, removed.text
    assert removed.json() == {
        "removed": doc["doc_id"],
        "title": "Quillmoor rules",
        "file_deleted": True,
    }
    assert not (api.home / "uploads" / "Quillmoor_rules.md").exists()
    hits = http.post("/search", json=question).json()["hits"]
    assert doc["doc_id"] not in {h["doc_id"] for h in hits}
    refused(http.delete(f"/documents/{doc['doc_id']}"), 404, doc["doc_id"])


@pytest.mark.parametrize(
    ("name", "content", "form", "status", "said"),
    [
        ("tool.exe", b"MZ\x90\x00", {}, 415, "tool.exe: file type .exe not accepted"),
        ("broken.pdf", b"%PDF-1.4 not a PDF at all", {}, 422, "broken.pdf"),
        ("big.txt", b"forced labour " * 110_000, {}, 413, "big.txt: 1.5 MB is over the 1 MB"),
        ("edge.txt", b"forced labour " * 75_000, {}, 413, "edge.txt: 1.0 MB is over the 1 MB"),
        ("notes.txt", b"Some notes.", {"year": "next year"}, 400, "year: "),
    ],
)
def test_refused_uploads_name_the_file_and_are_not_kept(
    http, api, name, content, form, status, said
):
    response = http.post("/documents", data=form, files={"file": (name, content)})
    refused(response, status, said)
    uploads = api.home / "uploads"
    assert not uploads.exists() or name not in {p.name for p in uploads.iterdir()}


def test_the_reference_lists_every_route(http):
    spec = http.get("/openapi.json").json()
    assert set(spec["paths"]) == {"/health", "/search", "/ask", "/documents", "/documents/{doc_id}"}
    assert set(spec["paths"]["/documents"]) == {"get", "post"}
    schemas = spec["components"]["schemas"]
    assert schemas["SearchRequest"]["properties"]["k"]["maximum"] == 50
    assert {"type", "jurisdiction", "year_from", "binding", "doc_id"} <= set(
        schemas["SearchFilters"]["properties"]
    )
    assert {"locator", "text", "title", "state"} <= set(schemas["HitRecord"]["properties"])
    assert "swagger" in http.get("/docs").text.lower()


def test_with_vigilance_auth_every_route_but_health_needs_the_login(store):
    with (
        running(store, VIGILANCE_AUTH=":".join(AUTH)) as server,
        httpx.Client(base_url=server.url, timeout=60) as http,
    ):
        assert http.get("/health").status_code == 200
        for path in ("/documents", "/openapi.json", "/docs"):
            response = http.get(path)
            refused(response, 401, "HTTP Basic")
            assert response.headers["www-authenticate"].startswith("Basic")
        assert http.get("/documents", auth=AUTH).status_code == 200
        asked = http.post("/search", json={"question": QUESTION}, auth=AUTH)
        assert asked.status_code == 200 and asked.json()["hits"]
        wrong = ("delegate", "guess")
        refused(http.get("/documents", auth=wrong), 401, "wrong user name or password")
        for _ in range(4):  # five failures in all: the address is locked for 1 s
            http.get("/documents", auth=wrong)
        locked = http.get("/documents", auth=AUTH)
        refused(locked, 429, "Too many failed logins")
        assert int(locked.headers["retry-after"]) >= 1
    assert "127.0.0.1" in server.log.read_text()  # on the loopback only


def test_vigilance_serve_mounts_the_api_under_slash_api(store):
    with (
        running(store, "serve", VIGILANCE_AUTH=":".join(AUTH)) as server,
        httpx.Client(base_url=server.url, timeout=60) as http,
    ):
        assert http.get("/api/health").json()["passages"] == passages_in(store)
        refused(http.get("/api/documents"), 401, "HTTP Basic")
        hits = http.post("/api/search", json={"question": QUESTION, "k": 1}, auth=AUTH)
        assert hits.json()["hits"][0]["locator"] == "s. 3(1)"
        assert "/api/openapi.json" in http.get("/api/docs", auth=AUTH).text
        assert http.get("/config").status_code == 401  # the app keeps its own login


def test_the_api_loads_no_gradio():
    code = "import sys, assistant.api.app, assistant.cli.api; print('gradio' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT
    )
    assert done.stdout.strip() == "False", done.stderr
