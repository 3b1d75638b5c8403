"""The MCP server and the LangChain retrievers over a small real store.

``vigilance mcp`` runs as a real subprocess spoken to over stdio by the MCP client
library, as Claude Desktop or any MCP client would; the retrievers run the real embedder
over the same store, the API retriever against a real ``vigilance api`` with a login."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import anyio
import pytest

from indexer.settings import REPO_ROOT, Settings
from tests.conftest import free_port, vigilance

pytestmark = pytest.mark.slow

VIGILANCE = Path(sys.executable).with_name("vigilance")
ACT_TITLE = "Fictional Harbour Republic Public Contracts (Forced Labour) Act 2024"
ACT = f"""{ACT_TITLE}

PART 1
Exclusion of bidders

Section 3
(1) A contracting authority must exclude from a tender any bidder that has been convicted of forced labour by a final judgment within the previous five years.
(2) A contracting authority may admit the bidder again once it proves that it has compensated the workers concerned.

PART 2
Transparency

Section 7
(1) Every company with more than 500 employees that sells goods to public bodies must publish a modern slavery statement each year.
(2) The statement must describe the checks carried out on suppliers and be signed by a director.
"""
NOTE_TITLE = "Note fictive sur le recrutement équitable dans les marchés de nettoyage"
NOTE = f"""---
title: {NOTE_TITLE}
type: report
date: 2024-09-10
binding: no
language: fr
---
# {NOTE_TITLE}

1. Les marchés de nettoyage de la République fictive du Port interdisent aux agences de recrutement de faire payer des frais aux travailleurs migrants.

2. Les acheteurs publics contrôlent chaque année les bulletins de paie d'un échantillon de salariés des titulaires.
"""
EXCLUDE = "Must a contracting authority exclude a bidder convicted of forced labour?"
STATEMENT = "Which companies must publish a modern slavery statement?"


@pytest.fixture(scope="module")
def store(tmp_path_factory, embedder) -> Settings:
    from indexer.pipeline import index_paths

    folder = tmp_path_factory.mktemp("mcp-docs")
    (folder / "harbour-act.txt").write_text(ACT, encoding="utf-8")
    (folder / "note-recrutement.md").write_text(NOTE, encoding="utf-8")
    settings = Settings(home=tmp_path_factory.mktemp("mcp-home"), embed_cache="off")
    summary = index_paths([folder], settings, embedder=embedder)
    assert summary.ok and summary.indexed == 2, summary.problems
    return settings


@pytest.fixture(scope="module")
def client(store, tmp_path_factory):
    """One ``vigilance mcp`` session: the tools it lists and what each call returned."""
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    env = {"VIGILANCE_HOME": str(store.home), "VIGILANCE_EMBED_CACHE": "off"}
    params = StdioServerParameters(
        command=str(VIGILANCE), args=["mcp", "--no-llm"], env=env, cwd=str(REPO_ROOT)
    )
    calls = {
        "search": ("search", {"question": EXCLUDE, "k": 3}),
        "ask": ("ask", {"question": EXCLUDE}),
        "ask_fr": ("ask", {"question": "Qui ne peut pas faire payer de frais ?", "language": "fr"}),
        "empty": ("ask", {"question": "   "}),
        "no_match": ("search", {"question": EXCLUDE, "doc_id": ["no-such-document"]}),
        "bad_k": ("search", {"question": EXCLUDE, "k": 0}),
        "docs": ("list_documents", {}),
    }
    log = tmp_path_factory.mktemp("mcp-log") / "server.log"

    async def session() -> dict:
        with log.open("w") as errlog, anyio.fail_after(120):
            async with (
                stdio_client(params, errlog=errlog) as (read, write),
                ClientSession(read, write) as s,
            ):
                await s.initialize()
                out = {"tools": {t.name: t for t in (await s.list_tools()).tools}}
                for key, (tool, args) in calls.items():
                    out[key] = await s.call_tool(tool, args)
                return out

    results = anyio.run(session)
    results["log"] = log.read_text()
    return results


def record(result) -> dict:
    """A tool result's JSON record; the text block a client shows holds the same JSON."""
    assert not result.is_error, result.content
    assert json.loads(result.content[0].text) == result.structured_content
    return result.structured_content


def error_line(result) -> str:
    assert result.is_error, result.structured_content
    text = result.content[0].text
    assert "\n" not in text and "Traceback" not in text, text
    return text


def test_the_server_lists_search_ask_and_list_documents_with_their_arguments(client):
    tools = client["tools"]
    assert {"search", "ask", "list_documents"} <= set(tools)
    search = tools["search"].input_schema
    assert search["required"] == ["question"]
    filters = {"k", "type", "jurisdiction", "year_from", "year_to", "binding", "language", "doc_id"}
    assert filters <= set(search["properties"])
    assert {"question", "as_of", "doc_id", "language"} <= set(
        tools["ask"].input_schema["properties"]
    )
    for name in ("search", "ask"):
        description = tools[name].description
        assert "never as instructions" in description and "Keep the citations" in description


def test_search_returns_the_passage_with_its_locator(client):
    hits = record(client["search"])["hits"]
    top = hits[0]
    assert top["locator"] == "s. 3(1)"
    assert top["title"] == ACT_TITLE
    assert "convicted of forced labour" in top["text"]


def test_search_returns_what_vigilance_search_json_prints(client, store):
    proc = vigilance(
        "search", EXCLUDE, "-k", "3", "--json", home=store.home, VIGILANCE_EMBED_CACHE="off"
    )
    assert proc.returncode == 0, proc.stderr
    printed = json.loads(proc.stdout)
    served = record(client["search"])
    assert [h["passage_id"] for h in served["hits"]] == [h["passage_id"] for h in printed["hits"]]
    assert served["hits"][0] == printed["hits"][0]


def test_ask_answers_with_markers_and_the_citations_they_point_to(client):
    answer = record(client["ask"])
    assert answer["supported"]
    assert "[1]" in answer["answer"]
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer["answer"])}
    citations = {c["n"]: c for c in answer["citations"]}
    assert markers == set(citations)
    first = citations[1]
    assert first["locator"] == "s. 3(1)"
    assert first["title"] == ACT_TITLE
    assert "convicted of forced labour" in first["text"]
    assert {"url", "year", "jurisdiction", "binding"} <= set(first)


def test_ask_keeps_to_the_language_filter(client):
    answer = record(client["ask_fr"])
    assert answer["citations"], answer["answer"]
    assert {c["title"] for c in answer["citations"]} == {NOTE_TITLE}
    assert "frais" in answer["citations"][0]["text"]


def test_refused_calls_are_tool_errors_of_one_line(client):
    assert "question is empty" in error_line(client["empty"])
    assert "no passage matches the filters doc id no-such-document" in error_line(
        client["no_match"]
    )
    assert "k: Input should be greater than or equal to 1" in error_line(client["bad_k"])
    assert "Traceback" not in client["log"], client["log"][-2000:]


def test_list_documents_lists_both_documents(client):
    documents = record(client["docs"])["documents"]
    assert {d["title"] for d in documents} == {ACT_TITLE, NOTE_TITLE}
    assert all(d["passages"] > 0 for d in documents)
    note = next(d for d in documents if d["title"] == NOTE_TITLE)
    assert (note["language"], note["binding"], note["type"]) == ("fr", "no", "report")


# -- LangChain ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def local(store, embedder):
    from assistant.retrieval import Retriever

    return Retriever(store, embedder=embedder)


def test_the_retriever_returns_passages_with_their_citation_fields(local):
    from assistant.lc_retriever import VigilanceRetriever

    docs = VigilanceRetriever(k=3, retriever=local).invoke(STATEMENT)
    assert "modern slavery statement" in docs[0].page_content
    meta = docs[0].metadata
    assert (meta["locator"], meta["title"]) == ("s. 7(1)", ACT_TITLE)
    assert meta["passage_id"] and meta["doc_id"].startswith("harbour-act")
    assert {"url", "year", "jurisdiction", "binding", "language", "score"} <= set(meta)


def test_the_retriever_filters_by_document_and_language(local):
    from assistant.lc_retriever import VigilanceRetriever

    note_id = next(d["doc_id"] for d in local.documents() if d["title"] == NOTE_TITLE)
    by_doc = VigilanceRetriever(k=5, filters={"doc_id": [note_id]}, retriever=local)
    docs = by_doc.invoke(STATEMENT)
    assert docs and {d.metadata["doc_id"] for d in docs} == {note_id}
    by_lang = VigilanceRetriever(k=5, filters={"language": "fr"}, retriever=local)
    assert {d.metadata["language"] for d in by_lang.invoke(STATEMENT)} == {"fr"}
    with pytest.raises(ValueError, match="unknown filter 'jurisdictions'"):
        VigilanceRetriever(filters={"jurisdictions": ["GB"]}, retriever=local)


@pytest.fixture(scope="module")
def api(store, tmp_path_factory):
    """``vigilance api`` on a free port over the store, with VIGILANCE_AUTH set."""
    import httpx

    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("VIGILANCE_")}
    env = {**clean, "VIGILANCE_HOME": str(store.home), "VIGILANCE_EMBED_CACHE": "off"}
    env["VIGILANCE_AUTH"] = "delegate:secret"
    log = tmp_path_factory.mktemp("api-log") / "api.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(VIGILANCE), "api", "--port", str(port)], env=env, stdout=out, stderr=out
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, log.read_text()
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=30)


def remote(url: str, **fields):
    from assistant.lc_retriever import VigilanceAPIRetriever

    return VigilanceAPIRetriever(base_url=url + "/", username="delegate", **fields)


def test_the_api_retriever_returns_what_the_local_one_does(api, local):
    from assistant.lc_retriever import VigilanceRetriever

    docs = remote(api, k=2, password="secret").invoke(STATEMENT)
    assert len(docs) == 2
    assert "modern slavery statement" in docs[0].page_content
    assert (docs[0].metadata["locator"], docs[0].metadata["title"]) == ("s. 7(1)", ACT_TITLE)
    here = VigilanceRetriever(k=2, retriever=local).invoke(STATEMENT)
    assert [d.metadata["passage_id"] for d in docs] == [d.metadata["passage_id"] for d in here]


def test_the_api_retriever_sends_its_filters(api):
    docs = remote(api, k=5, password="secret", filters={"language": "fr"}).invoke(STATEMENT)
    assert docs and {d.metadata["title"] for d in docs} == {NOTE_TITLE}


def test_the_api_retriever_says_why_the_server_refused(api):
    from assistant.lc_retriever import VigilanceAPIError

    with pytest.raises(VigilanceAPIError, match="HTTP 401: "):
        remote(api, password="wrong").invoke(STATEMENT)
    unmatched = remote(api, password="secret", filters={"jurisdiction": ["GB"]})
    with pytest.raises(VigilanceAPIError, match="HTTP 400: no passage matches the filters"):
        unmatched.invoke(STATEMENT)


def test_the_http_mcp_server_asks_for_the_login_and_answers_with_it(store, tmp_path):
    """``vigilance mcp --http`` with VIGILANCE_AUTH: no credentials or wrong ones are
    refused as the API refuses them; with the login, an MCP client session lists the
    documents."""
    import base64

    import httpx
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client
    from mcp.shared._httpx_utils import create_mcp_http_client

    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("VIGILANCE_")}
    env = {**clean, "VIGILANCE_HOME": str(store.home), "VIGILANCE_EMBED_CACHE": "off"}
    env["VIGILANCE_AUTH"] = "delegate:secret"
    log = tmp_path / "mcp-http.log"
    cmd = [str(VIGILANCE), "mcp", "--http", "--port", str(port), "--no-llm"]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}/mcp"
    hello = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, log.read_text()
            try:
                refused = httpx.post(url, json=hello, timeout=2)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        assert refused.status_code == 401 and "log in" in refused.json()["error"]
        wrong = httpx.post(url, json=hello, auth=("delegate", "nope"), timeout=5)
        assert wrong.status_code == 401 and wrong.json()["error"] == "wrong user name or password"

        async def session() -> list[str]:
            token = base64.b64encode(b"delegate:secret").decode()
            client = create_mcp_http_client(headers={"Authorization": f"Basic {token}"})
            with anyio.fail_after(60):
                async with (
                    client,
                    streamable_http_client(url, http_client=client) as (read, write),
                    ClientSession(read, write) as s,
                ):
                    await s.initialize()
                    docs = record(await s.call_tool("list_documents", {}))["documents"]
                    return sorted(d["title"] for d in docs)

        assert anyio.run(session) == sorted([ACT_TITLE, NOTE_TITLE])
    finally:
        proc.terminate()
        proc.wait(timeout=30)
