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
