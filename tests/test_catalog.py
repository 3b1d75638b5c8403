"""The catalog (``indexer.catalog``): what a question process maps instead of loading.

BM25 from the memory-mapped matrix gives rank-bm25's own scores; document names are
found among thousands of documents through their keys; a catalog is rebuilt when the
store changes, published whole, and built once when several processes ask at once.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import time

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from assistant.lexical import LexicalIndex
from assistant.refs import NameMatcher
from assistant.retrieval import Retriever, top_rows
from assistant.table import PassageTable
from indexer.catalog import catalog_root
from indexer.catalog.build import lexical_text
from indexer.language import terms
from indexer.pipeline import index_paths, remove_document
from indexer.store import Record

WORDS = (
    "supplier contractor forced labour recruitment fee exclusion tender audit wage passport "
    "debt bondage statement turnover remedy grievance subcontractor risk due diligence"
).split()


def random_records(n: int, seed: int = 3) -> list[Record]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 30)))
        meta = {"doc_id": f"d{i // 7}", "seq": i % 7, "language": "en", "locator": f"s. {i}"}
        out.append(Record(f"p{i}", text, meta))
    return out


def test_bm25_from_the_catalog_equals_rank_bm25(tmp_path):
    records = random_records(300)
    table = PassageTable.from_records(records, tmp_path / "catalog")
    index = LexicalIndex(table)
    order = {
        r.id: i
        for i, r in enumerate(sorted(records, key=lambda r: (r.meta["doc_id"], r.meta["seq"])))
    }
    corpus = [terms(lexical_text(r.text, r.meta), "en") for r in records]
    reference = BM25Okapi(corpus)
    for question in ("debt bondage and passport", "recruitment fee fee", "turnover statement"):
        got = index.scores(question, "en")
        want = reference.get_scores(terms(question, "en"))
        for i, rec in enumerate(records):
            assert got[order[rec.id]] == pytest.approx(want[i], rel=1e-4, abs=1e-5), question


def test_the_best_rows_come_first_and_ties_keep_row_order():
    scores = np.array([0.0, 2.0, 5.0, 2.0, 0.5, 5.0, 0.0], dtype=np.float32)
    assert top_rows(scores, 3) == [2, 5, 1]
    assert top_rows(scores, 10) == [2, 5, 1, 3, 4]  # zeros never come in


def test_a_document_is_named_among_three_thousand(tmp_path):
    records = [
        Record(
            f"p{i}",
            "Text of the act.",
            {
                "doc_id": f"act-{i}",
                "seq": 0,
                "language": "en",
                "title": f"Supply Chain Transparency Act No. {i}",
                "short_title": f"SCTA-{i}",
            },
        )
        for i in range(3000)
    ]
    records.append(
        Record(
            "pal",
            "Texte.",
            {
                "doc_id": "palermo",
                "seq": 0,
                "language": "fr",
                "title": "Protocole de Palerme",
                "aliases": "Protocole additionnel",
            },
        )
    )
    names = NameMatcher(PassageTable.from_records(records, tmp_path / "catalog"))
    assert set(names.match("What does SCTA-2716 require of buyers?")) == {"act-2716"}
    found = names.match("Que prévoit le protocole de Palerme ?")
    assert set(found) == {"palermo"}
    assert names.match("What is the weather today?") == {}


def test_the_catalog_follows_the_store_and_old_ones_go(tmp_path, settings, embedder):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.md").write_text(
        "# Westmark Procurement Code\n\n1. A bidder convicted of forced labour is excluded.\n",
        encoding="utf-8",
    )
    index_paths([folder], settings, embedder=embedder)
    root = catalog_root(settings)
    first = [p.name for p in root.iterdir() if not p.name.startswith(".")]
    assert len(first) == 1  # the indexer built it: the first question opens it
    retriever = Retriever(settings, embedder)
    assert retriever.search("Who is excluded from tenders in Westmark?").hits
    (folder / "b.md").write_text(
        "# Eastland Due Diligence Law\n\n1. Companies audit their suppliers every year.\n",
        encoding="utf-8",
    )
    index_paths([folder], settings, embedder=embedder)
    hits = retriever.search("How often must Eastland companies audit suppliers?").hits
    assert hits and hits[0].title.startswith("Eastland")
    now = [p.name for p in root.iterdir() if not p.name.startswith(".")]
    assert len(now) == 2 and set(first) < set(now)  # the new one, and the one before it
    doc_id = hits[0].doc_id
    assert remove_document(doc_id, settings, embedder.id)
    assert all(h.doc_id != doc_id for h in retriever.search("Eastland suppliers audit").hits)


def _content(folder):
    """Everything a reader sees in a catalog, for comparing two builds."""
    import json
    import sqlite3

    db = sqlite3.connect(folder / "catalog.sqlite")
    tables = {
        t: db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
        for t in ("passages", "docs", "terms", "names", "codes")
    }
    arrays = {p.name: np.load(p).tolist() for p in sorted(folder.glob("*.npy"))}
    info = json.loads((folder / "info.json").read_text(encoding="utf-8"))
    return tables, arrays, info["passages"], info["idf_max"]


def test_a_new_catalog_copies_unchanged_documents_and_equals_a_full_build(
    tmp_path, settings, embedder
):
    """After one document changes, one goes and one comes, the next catalog copies the
    untouched document's passages from the one before, reads the others from the store,
    and holds exactly what a build from the whole store holds."""
    import json

    from indexer.catalog import manifest_docs
    from indexer.catalog.build import build
    from indexer.store import Store

    folder = tmp_path / "docs"
    folder.mkdir()
    texts = {
        "a": "# Westmark Code\n\n1. Bidders disclose subcontractors.\n\n2. Fees are banned.\n",
        "b": "# Eastland Law\n\n1. Importers trace cotton to the farm.\n",
        "d": "# Northia Act\n\n1. Buyers audit suppliers.\n\n2. Reports are public.\n\n3. Fines apply.\n",
    }
    for name, text in texts.items():
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    index_paths([folder], settings, embedder=embedder)
    (folder / "a.md").write_text(texts["a"] + "\n3. Audits are yearly.\n", encoding="utf-8")
    (folder / "b.md").unlink()
    (folder / "c.md").write_text("# Southport Rules\n\n1. Ships are inspected.\n", "utf-8")
    summary = index_paths([folder], settings, embedder=embedder)
    assert (summary.indexed, summary.removed) == (2, 1)
    root = catalog_root(settings)
    newest = max(
        (p for p in root.iterdir() if not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime_ns,
    )
    info = json.loads((newest / "info.json").read_text(encoding="utf-8"))
    assert info["reused"] == 3 and info["copied_from"]  # Northia's three paragraphs
    store = Store(settings, embedder.id, create=False)
    facts, sigs, _ = manifest_docs(settings, store)
    full = build(tmp_path / "full", (r for r, _ in store.records()), facts, info["stamp"], sigs)
    assert _content(newest) == _content(full)
    table = PassageTable(newest)
    titles = {table.get(pid).meta["title"] for pid in table.ids(range(len(table)))}
    assert titles == {"Westmark Code", "Northia Act", "Southport Rules"}


def test_a_catalog_is_built_in_full_when_the_manifest_misses_stored_passages(
    tmp_path, settings, embedder
):
    """A copy that would hold fewer passages than the store (here a manifest that lost an
    entry) is not kept: the catalog is built from every stored passage."""
    import json

    from indexer.catalog import ensure_catalog
    from indexer.manifest import Manifest
    from indexer.store import Store

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.md").write_text("# Westmark Code\n\n1. Bidders disclose owners.\n", "utf-8")
    (folder / "b.md").write_text("# Eastland Law\n\n1. Importers trace cotton.\n", "utf-8")
    index_paths([folder], settings, embedder=embedder)
    manifest = Manifest.load(settings.manifest_path)
    manifest.drop(next(d for d, e in manifest.entries.items() if e.doc["title"] == "Eastland Law"))
    manifest.save()
    store = Store(settings, embedder.id, create=False)
    built = ensure_catalog(settings, store, "after-the-loss")
    info = json.loads((built / "info.json").read_text(encoding="utf-8"))
    assert info["reused"] == 0 and info["passages"] == store.count() == 2


BUILD = """
import sys
import time
from indexer.catalog import ensure_catalog
from indexer.settings import Settings
from indexer.store import Store
settings = Settings.from_env()
print(ensure_catalog(settings, Store(settings, sys.argv[1], create=False), "same-stamp"))
"""


def test_processes_asking_at_once_build_one_catalog(tmp_path, settings, embedder):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.md").write_text("# Code\n\n1. Suppliers pay no recruitment fees.\n", "utf-8")
    index_paths([folder], settings, embedder=embedder)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", BUILD, embedder.id], stdout=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    paths = {proc.communicate(timeout=300)[0].strip() for proc in procs}
    assert all(proc.returncode == 0 for proc in procs)
    assert len(paths) == 1
    root = catalog_root(settings)
    assert "same-stamp" in [p.name for p in root.iterdir()]
    assert not [p for p in root.iterdir() if p.name.startswith(".build-")]


def test_a_large_store_keeps_answering_while_its_new_catalog_is_built(
    tmp_path, settings, embedder, monkeypatch
):
    import assistant.retrieval

    monkeypatch.setattr(assistant.retrieval, "BACKGROUND_FROM", 0)  # every store is "large"
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.md").write_text(
        "# Westmark Code\n\n1. Bidders disclose subcontractors.\n", "utf-8"
    )
    index_paths([folder], settings, embedder=embedder)
    retriever = Retriever(settings, embedder)
    (folder / "b.md").write_text(
        "# Eastland Law\n\n1. Importers trace cotton to the farm.\n", "utf-8"
    )
    index_paths([folder], settings, embedder=embedder)
    newest = max(
        (p for p in catalog_root(settings).iterdir() if not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime_ns,
    )
    shutil.rmtree(newest)  # the indexer built it: gone, the retriever must build it itself
    assert retriever.search("Who discloses subcontractors?").hits  # answered at once
    deadline = time.time() + 120
    while time.time() < deadline:
        hits = retriever.search("Which importers trace cotton to the farm?").hits
        if hits and hits[0].title.startswith("Eastland"):
            break
        time.sleep(0.5)
    else:
        pytest.fail("the new catalog was never swapped in")


def test_a_script_without_a_main_guard_tokenises_in_its_own_process(tmp_path):
    """Worker processes would run such a script again and never start: a large catalog
    built from it is tokenised in the script's process instead; the command line and
    ``python -m`` keep the workers."""
    script = tmp_path / "notebook_export.py"
    script.write_text(
        "from indexer.catalog.build import spawn_safe\nprint(spawn_safe())\n", encoding="utf-8"
    )
    plain = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    assert plain.stdout.strip() == "False", plain.stderr
    code = "from indexer.catalog.build import spawn_safe; print(spawn_safe())"
    inline = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert inline.stdout.strip() == "True", inline.stderr
