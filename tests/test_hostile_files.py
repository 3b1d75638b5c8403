"""Hostile and careless input to the indexer: bombs, odd names, links, bad sidecars, kills.

Every fixture is generated here. Each case checks what a user sees: one line naming the
file and the reason, the good files indexed anyway, and memory that stays bounded.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from indexer.discovery import Walk, discover
from indexer.errors import DocumentError
from indexer.manifest import Manifest
from indexer.parsers import Limits, parse_file
from indexer.pipeline import index_paths
from indexer.settings import Settings
from indexer.store import Store

from .conftest import make_docx, vigilance

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
GOOD = (
    "Article {n}. Contracting authorities shall exclude from procurement any supplier "
    "convicted of forced labour offence number {n}.\n\n"
    "Article {m}. Suppliers shall publish a statement on the risks of trafficking in "
    "persons in their supply chains, reviewed every {n} years.\n"
)


def good_files(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"good-{i:02d}.txt"
        path.write_text(GOOD.format(n=i + 1, m=i + 2), encoding="utf-8")
        paths.append(path)
    return paths


def docx_bomb(path: Path, megabytes: int, one_node: bool = False) -> Path:
    """A real DOCX whose document.xml inflates to ``megabytes`` MB (deflate: ~1000:1)."""
    make_docx(path)
    with zipfile.ZipFile(path) as src:
        parts = {name: src.read(name) for name in src.namelist() if name != "word/document.xml"}
    chunk = (
        ("a" * 1024 * 1024)
        if one_node
        else (f"<w:p><w:r><w:t>{'forced labour ' * 4}</w:t></w:r></w:p>" * 16384)
    )
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for name, data in parts.items():
            out.writestr(name, data)
        with out.open("word/document.xml", "w", force_zip64=True) as member:
            member.write((head + ("<w:p><w:r><w:t>" if one_node else "")).encode())
            block = chunk.encode()
            for _ in range(megabytes * 1024 * 1024 // len(block)):
                member.write(block)
            member.write(
                (("</w:t></w:r></w:p>" if one_node else "") + "</w:body></w:document>").encode()
            )
    return path


def big_html(path: Path, megabytes: int) -> Path:
    sentence = (
        "<p>Public buyers check {i} suppliers for signs of forced labour and debt bondage.</p>\n"
    )
    with path.open("w", encoding="utf-8") as fh:
        i = 0
        while fh.tell() < megabytes * 1024 * 1024:
            fh.write("".join(sentence.format(i=i + k) for k in range(1000)))
            i += 1000
    return path


# -- bounded parsing and work ---------------------------------------------------------------


def test_docx_parts_that_inflate_past_the_limit_are_refused_before_parsing(tmp_path):
    bomb = docx_bomb(tmp_path / "bomb.docx", 120)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(DocumentError) as err:
        parse_file(bomb, limits=Limits(max_expanded=100 * 1024 * 1024))
    assert "word/document.xml expands to" in str(err.value)
    assert "VIGILANCE_MAX_EXPANDED_MB" in str(err.value) and str(bomb) in str(err.value)


def test_text_is_counted_while_a_docx_streams(tmp_path):
    bomb = docx_bomb(tmp_path / "wordy.docx", 30)
    with pytest.raises(DocumentError, match=r"more than 5 MB of text .*VIGILANCE_MAX_TEXT_MB"):
        parse_file(bomb, limits=Limits(max_text=5 * 1024 * 1024))
    node = docx_bomb(tmp_path / "node.docx", 30, one_node=True)
    with pytest.raises(DocumentError, match=str(node)):
        parse_file(node, limits=Limits(max_text=5 * 1024 * 1024))


def test_an_html_file_under_the_size_cap_but_over_the_text_limit_is_refused(tmp_path):
    page = big_html(tmp_path / "huge.html", 3)
    with pytest.raises(DocumentError, match="VIGILANCE_MAX_TEXT_MB"):
        parse_file(page, limits=Limits(max_text=1024 * 1024))
    assert parse_file(page, limits=Limits(max_text=10 * 1024 * 1024)).blocks


def test_a_document_making_too_many_passages_is_refused_and_the_run_goes_on(tmp_path, embedder):
    folder = tmp_path / "docs"
    good_files(folder, 2)
    long = folder / "long.txt"
    long.write_text(
        "\n\n".join(f"{n}. Paragraph {n} on forced labour audits." for n in range(1, 41))
    )
    settings = Settings(home=tmp_path / "home", max_passages=30, embed_cache="off")
    summary = index_paths([folder], settings, embedder=embedder)
    assert summary.indexed == 2 and summary.failed == 1
    (problem,) = summary.problems
    assert problem.path.endswith("long.txt")
    assert "40 passages, over the 30 limit (VIGILANCE_MAX_PASSAGES" in problem.reason


@pytest.mark.slow
def test_bombs_beside_good_files_index_the_good_ones_within_memory(tmp_path):
    """The issue's case: a 1 GB-expanding DOCX, a 49 MB HTML file and ten good files."""
    folder = tmp_path / "mixed"
    good_files(folder, 10)
    docx_bomb(folder / "expands-to-1gb.docx", 1024)
    big_html(folder / "page-49mb.html", 49)
    probe = (
        "import resource, subprocess, sys\n"
        "proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "print(proc.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.stderr.write(proc.stderr)\n"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("VIGILANCE_")}
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            probe,
            sys.executable,
            "-m",
            "assistant.cli",
            "index",
            str(folder),
            "-q",
        ],
        capture_output=True,
        text=True,
        env={**clean, "VIGILANCE_HOME": str(tmp_path / "home")},
    )
    code, peak_kib = map(int, proc.stdout.split())
    problems = [line for line in proc.stderr.splitlines() if line.startswith("problem:")]
    assert code == 1
    assert "10 indexed" in proc.stderr and "2 failed" in proc.stderr, proc.stderr
    assert len(problems) == 2
    assert any("expands-to-1gb.docx" in p and "VIGILANCE_MAX_EXPANDED_MB" in p for p in problems)
    assert any("page-49mb.html" in p and "VIGILANCE_MAX_TEXT_MB" in p for p in problems)
    assert peak_kib / 1024 < 1536, f"peak RSS {peak_kib / 1024:.0f} MB"


# -- names, links and folders ---------------------------------------------------------------


def test_a_file_name_that_is_not_utf8_is_indexed_and_shown_escaped(tmp_path, embedder):
    folder = tmp_path / "docs"
    good_files(folder, 1)
    odd = os.path.join(os.fsencode(folder), b"r\xe9sum\xe9.txt")
    with open(odd, "wb") as fh:
        fh.write(GOOD.format(n=7, m=8).encode())
    settings = Settings(home=tmp_path / "home", embed_cache="off")
    summary = index_paths([folder], settings, embedder=embedder)
    assert summary.indexed == 2 and summary.ok, summary.problems
    manifest = json.loads(settings.manifest_path.read_text(encoding="utf-8"))
    shown = [e["doc"]["source_path"] for e in manifest["documents"].values()]
    assert any(s.endswith("r\\xe9sum\\xe9.txt") for s in shown)
    again = index_paths([folder], settings, embedder=embedder)
    assert again.unchanged == 2 and again.removed == 0


def test_a_failing_file_whose_name_holds_a_newline_is_reported_on_one_line(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "bad\nname.txt").write_bytes(b"")
    proc = vigilance("index", str(folder), "-q", home=tmp_path / "home")
    problems = [line for line in proc.stderr.splitlines() if "name.txt" in line]
    assert problems == [f"problem: {folder}/bad\\nname.txt: empty file"], proc.stderr


def test_links_loops_and_dangling_links_are_reported_not_skipped_silently(tmp_path):
    outside = tmp_path / "outside"
    good_files(outside, 1)
    folder = tmp_path / "docs"
    good_files(folder, 1)
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (folder / "self.txt").symlink_to(folder / "self.txt")
    (folder / "elsewhere.txt").symlink_to(outside / "good-00.txt")
    files, problems = discover([folder])
    assert files == [(folder / "good-00.txt").resolve()]
    reasons = {Path(p.path).name: p.reason for p in problems}
    assert "loop" in reasons["loop"]
    assert reasons["gone.txt"].startswith("broken link")
    assert reasons["self.txt"] == "symbolic link loop"
    assert (
        "outside the folder" in reasons["elsewhere.txt"]
        and "--follow-links" in reasons["elsewhere.txt"]
    )
    followed, _ = discover([folder], follow_links=True)
    assert folder.absolute() / "elsewhere.txt" in followed  # under the link's own name


def test_an_unreadable_subfolder_is_reported(tmp_path, monkeypatch):
    folder = tmp_path / "docs"
    good_files(folder, 1)
    (folder / "locked").mkdir()
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    walk = Walk(follow_links=False)
    walk.root(folder)
    assert [p.name for p in walk.found] == ["good-00.txt"]
    assert [(Path(p.path).name, p.reason) for p in walk.problems] == [
        ("locked", "cannot read folder: Permission denied")
    ]


def test_utf16_without_a_bom_is_read_as_text(tmp_path):
    path = tmp_path / "note.txt"
    path.write_bytes(GOOD.format(n=3, m=4).encode("utf-16-le"))
    parsed = parse_file(path)
    assert "forced labour" in " ".join(b.text for b in parsed.blocks)


def test_a_truncated_pdf_is_named_in_every_line_it_causes(tmp_path):
    from .conftest import make_pdf

    folder = tmp_path / "docs"
    good_files(folder, 1)
    pdf = make_pdf(tmp_path / "whole.pdf").read_bytes()
    (folder / "cut.pdf").write_bytes(pdf[: len(pdf) // 2])
    proc = vigilance("index", str(folder), "-q", home=tmp_path / "home")
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert any(line.startswith("problem:") and "cut.pdf" in line for line in lines), proc.stderr
    assert all("cut.pdf" in line for line in lines if "EOF" in line or "PDF" in line), proc.stderr


# -- metadata -----------------------------------------------------------------------------


def test_mistyped_sidecar_values_are_warned_about_and_ignored(tmp_path, embedder):
    folder = tmp_path / "docs"
    (doc,) = good_files(folder, 1)
    Path(f"{doc}.yaml").write_text(
        "title: Supplier code\nbinding: maybe\ndate: tomorrow\njurisdiction: 12\nurl: 'javascript:alert(1)'\n",
        encoding="utf-8",
    )
    summary = index_paths(
        [folder], Settings(home=tmp_path / "home", embed_cache="off"), embedder=embedder
    )
    assert summary.indexed == 1
    warned = "\n".join(str(w) for w in summary.warnings)
    for field, value in (
        ("binding", "maybe"),
        ("date", "tomorrow"),
        ("jurisdiction", "12"),
        ("url", "javascript"),
    ):
        assert f"good-00.txt.yaml: {field} '{value}" in warned, warned
    proc = vigilance("docs", "--json", home=tmp_path / "home")
    (row,) = [json.loads(line) for line in proc.stdout.splitlines()]
    assert (
        row["title"] == "Supplier code"
        and row["binding"] == "unknown"
        and row["jurisdiction"] == ""
    )


@pytest.mark.parametrize(
    ("field", "value", "kind"), [("id", "[x]", "list"), ("jurisdiction", "{x: y}", "mapping")]
)
def test_a_list_or_mapping_for_a_single_value_refuses_the_file(
    tmp_path, embedder, field, value, kind
):
    folder = tmp_path / "docs"
    doc, other = good_files(folder, 2)
    Path(f"{doc}.yaml").write_text(f"{field}: {value}\n", encoding="utf-8")
    summary = index_paths(
        [folder], Settings(home=tmp_path / "home", embed_cache="off"), embedder=embedder
    )
    assert summary.indexed == 1 and summary.failed == 1
    (problem,) = summary.problems
    assert problem.path.endswith("good-00.txt.yaml")
    field_name = "doc_id" if field == "id" else field
    assert problem.reason == f"field '{field_name}' must be a single value, not a {kind}"


# -- concurrency and interruption -----------------------------------------------------------


def test_a_waiting_indexer_says_it_waits_for_the_lock(tmp_path):
    folder = tmp_path / "docs"
    good_files(folder, 1)
    home = tmp_path / "home"
    home.mkdir()
    with (home / ".index.lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        clean = {k: v for k, v in os.environ.items() if not k.startswith("VIGILANCE_")}
        proc = subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", "index", str(folder), "-q"],
            stderr=subprocess.PIPE,
            text=True,
            env={**clean, "VIGILANCE_HOME": str(home)},
        )
        first = proc.stderr.readline()
        time.sleep(0.5)
        assert proc.poll() is None  # still waiting while the lock is held
        fcntl.flock(held, fcntl.LOCK_UN)
    rest = proc.stderr.read()
    assert proc.wait(timeout=300) == 0
    assert first.startswith("waiting: another indexer is writing to") and str(home) in first
    assert "1 indexed" in rest


def test_a_kill_between_writing_passages_and_the_manifest_leaves_one_version(
    tmp_path, embedder, monkeypatch
):
    folder = tmp_path / "docs"
    (doc,) = good_files(folder, 1)
    settings = Settings(home=tmp_path / "home", embed_cache="off")
    index_paths([folder], settings, embedder=embedder)
    first = Store(settings, embedder.id, create=False).count()
    original = doc.read_text(encoding="utf-8")
    doc.write_text(
        original + "\n\nArticle 99. A new duty to trace cotton to the farm.\n", encoding="utf-8"
    )

    real = Store.upsert_document

    def killed(self, *args, **kwargs):
        real(self, *args, **kwargs)
        raise KeyboardInterrupt  # the process dies before the manifest records the new version

    monkeypatch.setattr(Store, "upsert_document", killed)
    with pytest.raises(KeyboardInterrupt):
        index_paths([folder], settings, embedder=embedder)
    monkeypatch.setattr(Store, "upsert_document", real)
    assert Manifest.load(settings.manifest_path).writing  # the interrupted document is known

    doc.write_text(original, encoding="utf-8")  # the user goes back to the first version
    summary = index_paths([folder], settings, embedder=embedder)
    store = Store(settings, embedder.id, create=False)
    texts = store.passages.get(include=["documents"])["documents"]
    assert store.count() == first and not any("cotton" in t for t in texts)
    assert any("interrupted" in w.reason for w in summary.warnings)
    assert Manifest.load(settings.manifest_path).writing == []
