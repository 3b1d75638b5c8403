"""Questions are refused before any work when they cannot be answered: too long (over
VIGILANCE_MAX_QUESTION_CHARS), empty, or not text; a bad batch line is one error line and
an error record, never a traceback, and the other lines are still answered; the embedder
never reads more than about its window, whatever it is given."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import warnings

import numpy as np
import pytest

from assistant.conversation import Conversation
from assistant.core import Assistant
from assistant.retrieval import QuestionError, Retriever
from indexer.embedders import BatchedEmbedder
from indexer.pipeline import index_paths
from indexer.settings import Settings
from tests.conftest import DATA

pytestmark = pytest.mark.slow

LONG = "x" * 100_000
TOO_LONG = "question is 100,000 characters, over the 2,000 limit (VIGILANCE_MAX_QUESTION_CHARS)"
GOOD = "Who must publish a yearly statement on forced labour risks?"


def run(*args, home, timeout=180, **env):
    """The ``vigilance`` command; a hang (the old behaviour on huge input) fails the test."""
    proc = subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "VIGILANCE_HOME": str(home), **env},
        timeout=timeout,
    )
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    return proc


@pytest.fixture(scope="module")
def home(tmp_path_factory, embedder):
    """A store over the small mixed folder, indexed once for the module."""
    root = tmp_path_factory.mktemp("limits")
    shutil.copytree(DATA / "mixed", root / "docs")
    summary = index_paths([root / "docs"], Settings(home=root / "home"), embedder=embedder)
    assert summary.ok, summary.problems
    return root / "home"


@pytest.fixture(scope="module")
def assistant(home, embedder) -> Assistant:
    settings = Settings(home=home)
    return Assistant(settings, retriever=Retriever(settings, embedder=embedder), use_llm=False)


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("Error: ")]


# -- the command line, one question ------------------------------------------------------


@pytest.mark.parametrize("command", ["ask", "search"])
def test_an_over_long_question_is_refused_in_one_line(home, command):
    started = time.perf_counter()
    proc = run(command, LONG, home=home)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.strip() == f"Error: {TOO_LONG}"
    assert time.perf_counter() - started < 30  # it took 55 s when the embedder read it all


def test_the_limit_comes_from_the_environment(home):
    proc = run("search", "y" * 60, "--json", home=home, VIGILANCE_MAX_QUESTION_CHARS="50")
    assert proc.returncode == 1
    assert "question is 60 characters, over the 50 limit" in proc.stderr
    assert run("search", GOOD, "--json", home=home).returncode == 0


@pytest.mark.parametrize("command", ["ask", "search"])
def test_a_blank_question_is_refused(home, command):
    proc = run(command, "   \n\t ", "--json", home=home)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.strip() == "Error: question is empty"


# -- the command line, batches -------------------------------------------------------------

BAD_LINES = [
    ({"id": 2, "question": 12345}, "question must be text, not a number"),
    ({"id": 3, "question": ["a", "list"]}, "question must be text, not a list"),
    ({"id": 4, "question": {"text": "an object"}}, "question must be text, not an object"),
    ({"id": 5, "question": True}, "question must be text, not true/false"),
    ({"id": 6, "question": None}, "question must be text, not null"),
    ({"id": 7}, "no 'question'"),
    ({"question": GOOD}, "no 'id'"),
    ({"id": 9, "question": "  "}, "question is empty"),
    ({"id": 10, "question": "z" * 10_000_000}, "question is 10,000,000 characters, over the"),
    ("[" * 100_000, "JSON nested too deeply"),
    ([1, 2], "not a JSON object with 'id' and 'question'"),
    ("{not json", "not valid JSON"),
    ('"just a string"', "not a JSON object"),
]


def write_batch(path, first, last):
    """A good line, every bad line, a good line: lines 1 .. len(BAD_LINES) + 2."""
    lines = [first] + [bad for bad, _ in BAD_LINES] + [last]
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def check_bad_lines(proc, batch, records=None):
    """Every bad line: one stderr line naming file and line; with --json, a record too."""
    assert proc.returncode == 1
    errors = error_lines(proc.stderr)
    assert len(errors) == len(BAD_LINES), proc.stderr[-3000:]
    for n, ((line, reason), error) in enumerate(zip(BAD_LINES, errors, strict=True), 2):
        assert error.startswith(f"Error: {batch}:{n}: ") and reason in error, error
        assert len(error) < 300  # the question is never echoed back
        if records is not None:
            record = records[n - 1]
            qid = line.get("id") if isinstance(line, dict) else None
            assert record == {"id": qid, "error": error.removeprefix("Error: ")}


def test_batch_search_answers_good_lines_and_reports_each_bad_one(home, tmp_path):
    batch = write_batch(
        tmp_path / "q.jsonl",
        {"id": "first", "question": GOOD},
        {"id": "last", "question": "Quand faut-il exclure un fournisseur ?"},
    )
    proc = run("search", "--batch", str(batch), "--json", "-k", "2", home=home)
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(records) == len(BAD_LINES) + 2
    assert records[0]["id"] == "first" and len(records[0]["hits"]) == 2
    assert records[-1]["id"] == "last" and len(records[-1]["hits"]) == 2
    check_bad_lines(proc, batch, records)


def test_batch_ask_answers_good_lines_and_reports_each_bad_one(home, tmp_path):
    batch = write_batch(
        tmp_path / "q.jsonl", {"id": "first", "question": GOOD}, {"id": 11, "question": GOOD}
    )
    proc = run("ask", "--batch", str(batch), "--json", home=home)
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["id"] for r in (records[0], records[-1])] == ["first", 11]
    assert all(r["answer"] and "error" not in r for r in (records[0], records[-1]))
    check_bad_lines(proc, batch, records)
    # Without --json: the answers on stdout, the same one line per bad line on stderr.
    proc = run("ask", "--batch", str(batch), home=home)
    assert proc.stdout.count("## ") == 2 and "## first:" in proc.stdout
    check_bad_lines(proc, batch)


def test_a_batch_of_only_bad_lines_fails_without_loading_a_model(tmp_path):
    batch = tmp_path / "bad.jsonl"
    batch.write_text('{"id": 1, "question": 12345}\n\n{"id": 2}\n')
    # An empty home: were the model or the store opened, their error would show.
    proc = run("ask", "--batch", str(batch), "--json", home=tmp_path / "empty")
    assert proc.returncode == 1
    assert [json.loads(line)["id"] for line in proc.stdout.splitlines()] == [1, 2]
    assert [e.split(": ")[1] for e in error_lines(proc.stderr)] == [f"{batch}:1", f"{batch}:3"]
    assert "vigilance index" not in proc.stderr


def test_a_batch_file_that_is_not_utf8_is_refused_in_one_line(home, tmp_path):
    latin1 = tmp_path / "latin1.jsonl"
    latin1.write_bytes(
        json.dumps({"id": 1, "question": "Qui doit être exclu ?"}, ensure_ascii=False).encode(
            "latin-1"
        )
        + b"\n"
    )
    no_bom = tmp_path / "utf16.jsonl"
    no_bom.write_bytes(json.dumps({"id": 1, "question": GOOD}).encode("utf-16-le") + b"\n\x00")
    for path in (latin1, no_bom):
        for command in ("ask", "search"):
            proc = run(command, "--batch", str(path), "--json", home=home)
            assert proc.returncode == 1 and proc.stdout == ""
            assert proc.stderr.count("\n") == 1 and f"Error: {path}: not UTF-8 text" in proc.stderr


def test_a_utf16_batch_file_with_its_byte_order_mark_is_read(home, tmp_path):
    batch = tmp_path / "utf16.jsonl"
    lines = [{"id": "a", "question": GOOD}, {"id": "b", "question": "Qui doit être exclu ?"}]
    batch.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-16")
    proc = run("search", "--batch", str(batch), "--json", "-k", "1", home=home)
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(line)["id"] for line in proc.stdout.splitlines()] == ["a", "b"]


# -- the API and the app ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("w" * 5_000, "question is 5,000 characters, over the 2,000 limit"),
        ("", "question is empty"),
        (" \n ", "question is empty"),
        (12345, "question must be text, not a number"),
        (None, "question must be text, not null"),
    ],
)
def test_the_api_raises_question_error(assistant, question, reason):
    for call in (assistant.ask, assistant.retriever.search):
        with pytest.raises(QuestionError, match=reason) as caught:
            call(question)
        assert isinstance(caught.value, ValueError)


def test_a_question_at_the_limit_is_answered(assistant):
    question = (GOOD + " ") * (2000 // (len(GOOD) + 1))
    assert len(question.strip()) <= 2000
    assert assistant.ask(question + " " * 500).answer  # blanks around it do not count


def test_a_follow_up_to_a_long_question_is_answered(assistant):
    conversation = Conversation()
    first = ((GOOD + " ") * 40)[:1995]
    assert assistant.ask(first, conversation=conversation).answer
    # Merged with the first question it would pass the limit: it is searched alone.
    assert assistant.ask("And in France?", conversation=conversation).answer


def test_the_ask_tab_and_the_api_endpoint_refuse(assistant):
    import gradio as gr

    from assistant.web.ask import AskHandlers

    handlers = AskHandlers(assistant)
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        out = handlers.submit("w" * 5_000, [], [], "any", None, None, [], "", None)
    assert [str(w.message) for w in said] == [TOO_LONG.replace("100,000", "5,000")]
    assert out[3]["turns"] == [] and out[3]["conversation"].turns == []
    with pytest.raises(gr.Error, match="over the 2,000 limit"):
        handlers.api("w" * 5_000)
    with pytest.raises(gr.Error, match="question is empty"):
        handlers.api("   ")


# -- the embedder's window -----------------------------------------------------------------


def test_e5_reads_about_one_window_of_a_long_text(embedder):
    assert embedder.max_input_chars == 2048
    words = " ".join(f"supplier{i} forced labour audit" for i in range(1500))  # ~45,000 chars
    started = time.perf_counter()
    long_vec = embedder.embed_queries([words])[0]
    assert time.perf_counter() - started < 20
    assert np.allclose(long_vec, embedder.embed_queries([words[:2048]])[0], atol=1e-5)


def test_every_backend_cuts_its_input_to_its_window():
    class Probe(BatchedEmbedder):
        dim = 2
        window = 10

        def __init__(self):
            self.seen = []

        def _embed(self, texts, is_query):
            self.seen += texts
            return np.ones((len(texts), 2))

    probe = Probe()
    probe.embed_passages(["a" * 100, "short"])
    probe.embed_queries(["b" * 41])
    assert probe.seen == ["a" * 40, "short", "b" * 40]


def test_sentence_transformers_cut_generously():
    from indexer.embedders import make_embedder

    minilm = make_embedder("minilm")
    assert minilm.window == 256 and minilm.max_input_chars == 256 * 8
