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
from assistant.table import PassageTable, chroma_where
from indexer.catalog import catalog_root
from indexer.catalog.build import lexical_text
from indexer.language import terms
from indexer.pipeline import index_paths, remove_document
from indexer.store import Record, Store

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


def test_bm25_in_two_languages_reads_each_language_postings_with_the_store_idf(tmp_path):
    """A column per language and term: a query in one language scores that language's
    passages only, with the idf of the term over the whole store (rank-bm25 over one
    corpus), and leaves the other language's rows at zero."""
    records = random_records(200, seed=5)
    for i, rec in enumerate(records):
        rec.meta["language"] = "fr" if i % 3 == 0 else "en"
    table = PassageTable.from_records(records, tmp_path / "catalog")
    by_row = {pid: row for row, pid in enumerate(table.ids(range(len(table))))}
    corpus = [terms(lexical_text(r.text, r.meta), r.meta["language"]) for r in records]
    reference = BM25Okapi(corpus)
    for lang in ("en", "fr"):
        query = terms("supplier audit recruitment fee passport", lang)
        known = table.term_columns(query)
        code = table.codes["language"][lang]
        counts: dict[int, int] = {}
        for t in query:
            if code in known.get(t, ({}, 0))[0]:
                counts[known[t][0][code]] = counts.get(known[t][0][code], 0) + 1
        got = table.bm25(counts)
        want = reference.get_scores(query)
        for i, rec in enumerate(records):
            expected = want[i] if rec.meta["language"] == lang else 0.0
            assert got[by_row[rec.id]] == pytest.approx(expected, rel=1e-4, abs=1e-5)


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
    # The question is offered the few names sharing the first eight letters of one it
    # holds, not the three thousand sharing three ("sct", "sup").
    offered = names.table.names("what does scta-2716 say of supply and the supplier?")
    assert "scta-2716" in offered and len(offered) <= 20
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
    root = catalog_root(settings, Store(settings, embedder.id))
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


def test_a_catalog_an_older_version_built_is_built_again(tmp_path, settings, embedder):
    import json

    from indexer.catalog.schema import FORMAT

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.md").write_text("# Westmark Code\n\n1. Bidders pay no fees.\n", "utf-8")
    index_paths([folder], settings, embedder=embedder)
    root = catalog_root(settings, Store(settings, embedder.id))
    (built,) = [p for p in root.iterdir() if not p.name.startswith(".")]
    info = json.loads((built / "info.json").read_text(encoding="utf-8"))
    (built / "info.json").write_text(json.dumps({**info, "format": FORMAT - 1}), "utf-8")
    (built / "col_doc_id.npy").unlink()  # an old layout: opening it as it is would fail
    assert Retriever(settings, embedder).search("Do bidders pay fees in Westmark?").hits
    assert json.loads((built / "info.json").read_text(encoding="utf-8"))["format"] == FORMAT
    assert (built / "col_doc_id.npy").exists()


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
    root = catalog_root(settings, Store(settings, embedder.id))
    newest = max(
        (p for p in root.iterdir() if not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime_ns,
    )
    info = json.loads((newest / "info.json").read_text(encoding="utf-8"))
    assert info["reused"] == 3 and info["copied_from"]  # Northia's three paragraphs
    store = Store(settings, embedder.id, create=False)
    facts, sigs, _ = manifest_docs(settings, store)
    records = (r for r, _ in store.records(with_vectors=True))
    full = build(tmp_path / "full", records, facts, info["stamp"], sigs)
    assert _content(newest) == _content(full)
    assert "vectors.npy" in _content(full)[1]  # copied vectors equal the ones read back
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
    root = catalog_root(settings, Store(settings, embedder.id))
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
        (p for p in catalog_root(settings, retriever.store).iterdir() if p.name[0] != "."),
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


def test_the_catalog_holds_each_passage_vector_and_filtered_search_is_exact(
    tmp_path, settings, embedder
):
    """The catalog keeps every passage's vector (float16), row by row. A filtered search
    scores every passage the filter keeps against them: the same passages, in the same
    order, as Chroma's own filtered query on a small store; and the candidates only BM25
    found get the cosine the store's vectors give."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for i, (law, duty) in enumerate(
        [
            ("Westmark Code", "Bidders disclose subcontractors and pay no recruitment fees."),
            ("Eastland Law", "Importers trace cotton to the farm and publish audits."),
            ("Northia Act", "Buyers exclude suppliers convicted of forced labour."),
            ("Southport Rules", "Ships carrying seafood are inspected for debt bondage."),
        ]
    ):
        text = f"---\ntitle: {law}\njurisdiction: {'GB' if i % 2 else 'FR'}\n---\n# {law}\n\n"
        text += "".join(f"{n}. {duty} Clause {n} of {law}.\n\n" for n in range(1, 6))
        (folder / f"{i}.md").write_text(text, encoding="utf-8")
    index_paths([folder], settings, embedder=embedder)
    retriever = Retriever(settings, embedder)
    table, store = retriever.table, retriever.store
    assert table.vectors is not None and table.vectors.dtype == np.float16
    got = table.vector_rows(range(len(table)))
    stored = dict((rec.id, vec) for rec, vec in store.records(with_vectors=True))
    rows = range(len(table))
    for pid, row in zip(table.ids(rows), rows, strict=True):
        assert np.abs(got[row] - stored[pid]).max() < 2e-3

    qvec = embedder.embed_queries(["Who must exclude suppliers convicted of forced labour?"])[0]
    filters = {"jurisdiction": ["GB"]}
    mask = retriever.filter_mask(filters)
    exact = retriever.nearest(table, qvec, 6, mask, chroma_where(filters))
    chroma = store.query(qvec, 6, chroma_where(filters))
    assert [pid for pid, _ in exact] == [pid for pid, _ in chroma]
    assert all(abs(a[1] - b[1]) < 2e-3 for a, b in zip(exact, chroma, strict=True))
    assert all(table.get(pid).meta["jurisdiction"] == "GB" for pid, _ in exact)
    # A wide filter on a large store asks the whole store for more and filters here: on a
    # store this small it sees every passage, so it finds the exact answer.
    wide = retriever.widened(table, qvec, 6, mask)
    assert [pid for pid, _ in wide] == [pid for pid, _ in exact]
    sentences = retriever.widened(table, qvec, 12, mask, sentences=True)
    assert sentences and all(table.get(p).meta["jurisdiction"] == "GB" for p, _ in sentences)

    scores = {pid: {"bm25": 1.0} for pid in table.ids(rows)}
    retriever._fill_dense(table, scores, qvec)
    for pid, s in scores.items():
        assert abs(s["dense"] - float(np.dot(stored[pid], qvec))) < 2e-3


def test_catalog_arrays_are_read_by_ranges_as_numpy_wrote_them(tmp_path):
    """Vectors and postings are read with pread, not mapped: any rows, in runs or
    scattered, come back as numpy saved them."""
    from indexer.catalog.read import NpyFile

    rng = np.random.default_rng(1)
    matrix = rng.normal(size=(1000, 12)).astype(np.float16)
    flat = rng.integers(0, 10**6, size=5000).astype(np.int32)
    np.save(tmp_path / "m.npy", matrix)
    np.save(tmp_path / "f.npy", flat)
    m, f = NpyFile(tmp_path / "m.npy"), NpyFile(tmp_path / "f.npy")
    assert (len(m), m.dtype) == (1000, np.float16)
    rows = np.unique(np.concatenate([np.arange(10, 40), rng.integers(0, 1000, size=200)]))
    assert np.array_equal(m.take(rows), matrix[rows])
    assert np.array_equal(f.read(123, 4567), flat[123:4567])
    assert f.read(7, 7).shape == (0,) and m.take(np.array([], dtype=np.int64)).shape == (0, 12)
