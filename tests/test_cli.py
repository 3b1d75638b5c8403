"""The `vigilance` command as a user runs it: real files, real store, JSON formats."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def run(*args, env_home, check=True):
    env = {**os.environ, "VIGILANCE_HOME": str(env_home)}
    proc = subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args], capture_output=True, text=True, env=env
    )
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture
def indexed(mixed_folder, tmp_path):
    home = tmp_path / "home"
    proc = run("index", str(mixed_folder), env_home=home)
    assert "5 indexed" in proc.stderr
    return home


def test_index_search_and_docs(indexed, mixed_folder):
    proc = run(
        "search", "publier la liste des sous-traitants", "--json", "-k", "3", env_home=indexed
    )
    hits = json.loads(proc.stdout)["hits"]
    assert hits
    required = {
        "rank",
        "score",
        "passage_id",
        "doc_id",
        "title",
        "locator",
        "text",
        "language",
        "url",
        "type",
        "jurisdiction",
        "year",
        "binding",
    }
    assert required <= set(hits[0])
    assert hits[0]["locator"] == "para. 3" and hits[0]["language"] == "fr"
    docs = [
        json.loads(line) for line in run("docs", "--json", env_home=indexed).stdout.splitlines()
    ]
    assert len(docs) == 5 and all(d["passages"] > 0 for d in docs)
    again = run("index", str(mixed_folder), env_home=indexed)
    assert "0 indexed, 5 unchanged" in again.stderr


def test_batch_search_loads_once_and_keeps_ids(indexed, tmp_path):
    batch = tmp_path / "q.jsonl"
    batch.write_text(
        json.dumps(
            {"id": "a", "question": "Who audits uniform suppliers twice a year?", "extra": 1}
        )
        + "\n"
        + json.dumps({"id": 7, "question": "Quand faut-il exclure un fournisseur ?"})
        + "\n"
    )
    proc = run("search", "--batch", str(batch), "--json", "-k", "2", env_home=indexed)
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", 7]
    assert all(len(line["hits"]) == 2 for line in lines)
    assert "Eastport" in lines[0]["hits"][0]["text"]


def test_filters_are_never_silently_ignored(indexed):
    proc = run("search", "forced labour", "--jurisdiction", "ZZ", env_home=indexed, check=False)
    assert proc.returncode != 0
    assert "no passage matches the filters" in proc.stderr and "Traceback" not in proc.stderr
    assert "jurisdiction ZZ" in proc.stderr and "['" not in proc.stderr  # as the user wrote it
    proc = run("search", "forced labour", "--language", "fr", "--json", env_home=indexed)
    assert {h["language"] for h in json.loads(proc.stdout)["hits"]} == {"fr"}
    proc = run(
        "search", "forced labour", "--type", "report", "--non-binding", "--json", env_home=indexed
    )
    assert {(h["type"], h["binding"]) for h in json.loads(proc.stdout)["hits"]} == {
        ("report", "no")
    }


def test_errors_are_one_line(tmp_path):
    home = tmp_path / "empty-home"
    proc = run("docs", env_home=home, check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().count("\n") == 0 and "vigilance index" in proc.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n")
    proc = run("search", "--batch", str(bad), env_home=home, check=False)
    assert proc.returncode != 0 and "bad.jsonl:1" in proc.stderr and "Traceback" not in proc.stderr


def test_index_exit_code_when_a_file_fails(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text("Section 1\n(1) Buyers must check payslips of cleaning staff.\n")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    proc = run("index", str(folder), env_home=tmp_path / "h", check=False)
    assert proc.returncode == 1
    assert "broken.pdf" in proc.stderr and "1 indexed" in proc.stderr and "1 failed" in proc.stderr


def test_help_has_examples():
    for cmd in ("index", "search", "docs", "ask"):
        out = subprocess.run(
            [sys.executable, "-m", "assistant.cli", cmd, "--help"], capture_output=True, text=True
        ).stdout
        assert "Examples" in out, cmd
