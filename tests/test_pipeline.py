"""Indexing end to end on real files, the real Chroma and the real embedder."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer.embedders.e5 import E5Embedder
from indexer.manifest import Manifest
from indexer.pipeline import index_paths, remove_document
from indexer.settings import Settings
from indexer.store import Store, StoreError

pytestmark = pytest.mark.slow


class CountingEmbedder(E5Embedder):
    """The real embedder, counting the passages it is asked to embed."""

    def __init__(self, inner: E5Embedder) -> None:
        self._model = inner.model
        self.id = inner.id
        self.calls = 0
        self.texts = 0

    def embed_passages(self, texts):
        self.calls += 1
        self.texts += len(texts)
        return super().embed_passages(texts)


@pytest.fixture
def counting(embedder) -> CountingEmbedder:
    return CountingEmbedder(embedder)


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_mixed_folder_is_indexed_with_locators(mixed_folder, settings, counting):
    before = digest(mixed_folder)
    summary = index_paths([mixed_folder], settings, embedder=counting)
    assert summary.ok, summary.problems
    assert (summary.indexed, summary.failed, summary.skipped) == (5, 0, 0)
    store = Store(settings, counting.id)
    records = {rec.id: rec for rec, _ in store.records()}
    locators = {(r.meta["doc_id"].split("-")[0], r.meta["locator"]) for r in records.values()}
    # UN-style numbered paragraph, statute subsection, DOCX article paragraph, PDF paragraph.
    assert ("un", "para. 2") in locators
    assert any(doc == "act" and loc.startswith("s. 1(1)") for doc, loc in locators)
    assert any(doc == "working" and loc == "para. 2" for doc, loc in locators)
    # The PDF paragraph that runs across the page break is one passage, pages 1-2.
    para2 = [
        r
        for r in records.values()
        if r.meta["doc_id"].startswith("working") and r.meta["locator"] == "para. 2"
    ]
    assert len(para2) == 1
    assert "corrective action plan" in para2[0].text and "Westmark procurement" in para2[0].text
    assert (para2[0].meta["page_start"], para2[0].meta["page_end"]) == (1, 2)
    # Running header and page numbers are gone; the footnote is its own passage.
    assert not any("FICTIONAL/WG/2025/1" in r.text for r in records.values())
    assert any(r.meta["kind"] == "footnote" and "treasury" in r.text for r in records.values())
    # The HTML script and navigation never reach the store.
    assert not any(
        "do not index me" in r.text or "Menu navigation" in r.text for r in records.values()
    )
    assert digest(mixed_folder) == before  # sources untouched


def test_reindex_unchanged_embeds_nothing(mixed_folder, settings, counting):
    index_paths([mixed_folder], settings, embedder=counting)
    first = counting.texts
    summary = index_paths([mixed_folder], settings, embedder=counting)
    assert counting.texts == first
    assert (summary.indexed, summary.unchanged) == (0, 5)


def test_changed_and_deleted_files(mixed_folder, settings, counting):
    index_paths([mixed_folder], settings, embedder=counting)
    store = Store(settings, counting.id)
    total = store.count()
    act = mixed_folder / "act-en.txt"
    act.write_text(
        act.read_text() + "\nSection 3\n(1) Suppliers must train their buyers every year.\n"
    )
    (mixed_folder / "guidance.html").unlink()
    counting.texts = 0
    summary = index_paths([mixed_folder], settings, embedder=counting)
    assert (summary.indexed, summary.unchanged, summary.removed) == (1, 3, 1)
    texts = [rec.text for rec, _ in store.records()]
    assert any("train their buyers" in t for t in texts)
    assert not any("Eastport" in t for t in texts)
    assert store.count() < total + 2
    manifest = Manifest.load(settings.manifest_path)
    assert not any("guidance" in d for d in manifest.entries)


def test_metadata_sidecar_edit_reindexes(mixed_folder, settings, counting):
    index_paths([mixed_folder], settings, embedder=counting)
    embedded = counting.texts
    (mixed_folder / "act-en.txt.yaml").write_text(
        "type: legislation\njurisdiction: XK\nbinding: yes\ndate: 2022-03-01\n"
    )
    summary = index_paths([mixed_folder], settings, embedder=counting)
    assert summary.indexed == 1
    assert counting.texts == embedded  # the embedded texts are the same: all from the cache
    assert summary.reused > 0
    metas = [rec.meta for rec, _ in Store(settings, counting.id).records()]
    act = [m for m in metas if m["jurisdiction"] == "XK"]
    assert act and all(
        m["type"] == "legislation" and m["binding"] == "yes" and m["year"] == 2022 for m in act
    )
    # A new title is part of what the embedder reads: that document's vectors are new.
    (mixed_folder / "act-en.txt.yaml").write_text("title: Fictional Procurement Integrity Act\n")
    index_paths([mixed_folder], settings, embedder=counting)
    assert counting.texts > embedded
    metas = [rec.meta for rec, _ in Store(settings, counting.id).records()]
    assert any(m["title"] == "Fictional Procurement Integrity Act" for m in metas)


def test_changing_the_passage_size_reindexes_unchanged_files(mixed_folder, settings, counting):
    index_paths([mixed_folder], settings, embedder=counting)
    smaller = settings.replace(max_chars=300)
    summary = index_paths([mixed_folder], smaller, embedder=counting)
    assert summary.indexed == 5 and summary.unchanged == 0
    longest = max(len(rec.text) for rec, _ in Store(smaller, counting.id).records())
    assert longest <= 600  # split again at the new size (a long sentence may reach twice it)


def test_refuses_to_mix_embedders(mixed_folder, settings, counting):
    index_paths([mixed_folder / "act-en.txt"], settings, embedder=counting)
    other = CountingEmbedder(counting)
    other.id = "some-other-model"
    with pytest.raises(StoreError, match="--rebuild"):
        index_paths([mixed_folder / "act-en.txt"], settings, embedder=other)
    summary = index_paths([mixed_folder / "act-en.txt"], settings, embedder=other, rebuild=True)
    assert summary.indexed == 1


def test_remove_document_keeps_the_file(mixed_folder, settings, counting):
    index_paths([mixed_folder / "act-en.txt"], settings, embedder=counting)
    doc_id = next(iter(Manifest.load(settings.manifest_path).entries))
    assert remove_document(doc_id, settings, counting.id)
    assert Store(settings, counting.id).count() == 0
    assert (mixed_folder / "act-en.txt").exists()


def test_bad_files_are_reported_and_the_rest_indexed(mixed_folder, settings, counting):
    (mixed_folder / "corrupt.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(300))
    (mixed_folder / "empty.txt").write_bytes(b"")
    (mixed_folder / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (mixed_folder / "latin1.txt").write_bytes(
        "March\xe9s publics et travail forc\xe9 en Norlande.\n".encode("cp1252")
    )
    (mixed_folder / "bad-encoding.txt").write_bytes(b"Proc\x81\x8d\x90 ment " * 50)
    (mixed_folder / "slides.pptx").write_bytes(b"PK\x03\x04 not really")
    big = mixed_folder / "big.txt"
    big.write_text("forced labour " * 200_000)
    before = digest(mixed_folder)
    small = Settings(home=settings.home, max_file_mb=1.0)
    summary = index_paths([mixed_folder], small, embedder=counting)
    reasons = {Path(p.path).name: p.reason for p in summary.problems}
    assert summary.indexed == 6  # the five good files and the cp1252 text
    assert summary.failed == 5 and summary.skipped == 1 and not summary.ok
    assert "decode" in reasons["bad-encoding.txt"]
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "limit" in reasons["big.txt"]
    assert "pdf" in reasons["corrupt.pdf"].lower()
    assert "unsupported" in reasons["slides.pptx"]
    assert all("\n" not in str(p) for p in summary.problems)
    assert digest(mixed_folder) == before


def test_killed_run_leaves_a_usable_store(mixed_folder, settings, tmp_path):
    """kill -9 in the middle of embedding; the next run completes the work."""
    many = mixed_folder / "many"
    many.mkdir()
    for i in range(40):
        (many / f"note-{i:02d}.md").write_text(
            f"# Note {i}\n\n1. Fictional buyers in district {i} check the payslips of cleaning staff.\n\n"
            f"2. District {i} publishes its supplier list every quarter.\n"
        )
    env = {**os.environ, "VIGILANCE_HOME": str(settings.home)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "index", str(mixed_folder), "--quiet"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    manifest_file = settings.manifest_path
    deadline = time.time() + 120
    while time.time() < deadline:
        if manifest_file.exists() and len(Manifest.load(manifest_file).entries) >= 3:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = len(Manifest.load(manifest_file).entries)
    assert 3 <= partial < 45
    summary = index_paths([mixed_folder], settings)
    assert summary.ok
    assert summary.unchanged >= partial - 1
    assert summary.indexed + summary.unchanged == 45
    store = Store(settings, summary_embedder_id())
    ids = {rec.meta["doc_id"] for rec, _ in store.records()}
    assert len(ids) == 45


def summary_embedder_id() -> str:
    return E5Embedder().id


def test_a_failed_write_stops_the_run_and_keeps_what_was_written(
    tmp_path, settings, counting, monkeypatch
):
    """Documents are embedded while the one before is written; a write that fails (a
    server gone away) still stops the run at that document, and the ones before it stay
    recorded, in order."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("alpha", "bravo", "charlie", "delta"):
        (folder / f"{name}.md").write_text(f"# {name.title()} Code\n\n1. Buyers audit.\n")
    written: list[str] = []
    real = Store.upsert_document

    def upsert(self, doc, *args):
        if doc.title.startswith("Charlie"):
            raise StoreError("cannot reach the Chroma server (test)")
        written.append(doc.title)
        return real(self, doc, *args)

    monkeypatch.setattr(Store, "upsert_document", upsert)
    with pytest.raises(StoreError, match="cannot reach"):
        index_paths([folder], settings, embedder=counting)
    assert written == ["Alpha Code", "Bravo Code"]
    entries = Manifest.load(settings.manifest_path).entries.values()
    assert sorted(e.doc["title"] for e in entries) == ["Alpha Code", "Bravo Code"]
    monkeypatch.setattr(Store, "upsert_document", real)
    again = index_paths([folder], settings, embedder=counting)
    assert (again.indexed, again.unchanged) == (2, 2)
