"""Two indexers, two machines' worth of data directories, one real `chroma run`: both
folders end up in the store exactly once, the manifest on the server lists every document,
and re-indexing one folder leaves the other's documents alone."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.retrieval import Retriever
from indexer.documents import prepare, sha256_file
from indexer.servermanifest import open_manifest
from indexer.settings import Settings
from indexer.store import Store
from tests.test_server_mode import chroma_server  # noqa: F401  (the fixture)

pytestmark = pytest.mark.slow

TOPICS = {
    "a": [
        ("river fisheries", "Ostrava trawler crews", "net inspections"),
        ("cocoa farms", "Kumasi cooperatives", "harvest ledgers"),
        ("garment workshops", "Dhaka subcontractors", "overtime registers"),
        ("fishing ports", "Songkhla brokers", "crew manifests"),
        ("brick kilns", "Punjab kiln owners", "advance payments"),
        ("tea estates", "Assam plantation managers", "wage slips"),
    ],
    "b": [
        ("mountain railways", "Andermatt operators", "track audits"),
        ("solar panel plants", "Xinjiang suppliers", "polysilicon traceability"),
        ("seafood processing", "Mahachai factories", "identity documents"),
        ("cobalt mines", "Kolwezi traders", "smelter certificates"),
        ("hospital cleaning", "Leeds contractors", "agency fees"),
        ("palm oil mills", "Sabah estates", "passport retention"),
    ],
}


FINDINGS = [
    "recruitment fees of {n} months' wages were deducted from pay",
    "{n} workers said their passports were kept by the employer",
    "overtime of {n} hours a week was recorded but not paid",
    "{n} subcontractors were missing from the supplier list",
    "dormitories held {n} workers per room without locks",
    "{n} complaints to the grievance line received no reply",
    "wage slips were withheld from {n} workers for a season",
    "{n} children under fifteen were seen carrying loads",
]


def write_folder(root: Path, name: str, paragraphs: int = 12) -> Path:
    """Six reports, each about its own sector, long enough to make several passages."""
    folder = root / f"folder-{name}"
    folder.mkdir()
    for i, (sector, actor, record) in enumerate(TOPICS[name], 1):
        body = [f"Report {name.upper()}{i} on forced labour risks in {sector}."]
        for k in range(paragraphs):
            finding = FINDINGS[(i + k) % len(FINDINGS)].format(n=3 + 7 * k + i)
            body.append(
                f"Visit {k + 1} to the {sector} supplied by {actor}: {finding}. "
                f"The inspectors asked {actor} to correct the {record} within {30 + k} days "
                f"and to report back to the contracting authority."
            )
        (folder / f"report-{name}{i}.txt").write_text("\n\n".join(body), encoding="utf-8")
    return folder


def start_indexer(folder: Path, home: Path, url: str, collection: str) -> subprocess.Popen:
    """`vigilance index FOLDER` as its own process, with its own data directory."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("VIGILANCE_")}
    env = {
        **clean,
        "VIGILANCE_HOME": str(home),
        "VIGILANCE_CHROMA_URL": url,
        "VIGILANCE_COLLECTION": collection,
        "VIGILANCE_EMBED_CACHE": "off",  # every passage is embedded: a fair throughput
    }
    return subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "index", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        env=env,
    )


def finish(proc: subprocess.Popen) -> str:
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, out[-2000:]
    return out


def seconds_of(out: str) -> float:
    """The run's own time from its summary line (``... in 12.3 s``)."""
    found = re.findall(r"in (\d+(?:\.\d+)?) s", out)
    assert found, out[-2000:]
    return float(found[-1])


def expected(folder: Path, settings: Settings) -> dict[str, set[str]]:
    """doc id → the passage ids chunking gives, the same function the indexer calls."""
    out = {}
    for path in sorted(folder.glob("*.txt")):
        prep = prepare(path, sha256_file(path), settings)
        out[prep.doc.doc_id] = {p.passage_id for p in prep.passages}
    return out


def stored_ids(store: Store) -> list[str]:
    return [rec.id for rec, _ in store.records()]


def test_two_indexers_share_one_chroma_server(chroma_server, tmp_path, embedder):  # noqa: F811
    url = chroma_server
    folder_a, folder_b = write_folder(tmp_path, "a"), write_folder(tmp_path, "b")
    settings = Settings(home=tmp_path / "reader", chroma_url=url)
    want_a, want_b = expected(folder_a, settings), expected(folder_b, settings)
    passages_a = set().union(*want_a.values())
    passages_b = set().union(*want_b.values())
    assert len(want_a) == len(want_b) == 6 and not passages_a & passages_b

    # One indexer alone (its own collection), then both at once into the shared one.
    started = time.perf_counter()
    solo = finish(start_indexer(folder_a, tmp_path / "solo-home", url, "solo"))
    solo_wall = time.perf_counter() - started
    started = time.perf_counter()
    procs = [
        start_indexer(folder, tmp_path / f"home-{name}", url, "vigilance")
        for name, folder in (("a", folder_a), ("b", folder_b))
    ]
    outs = [finish(p) for p in procs]
    both_wall = time.perf_counter() - started
    n_a, n_b = len(passages_a), len(passages_b)
    print(
        f"\nthroughput on {os.cpu_count()} cores (model loading included): "
        f"one indexer alone {n_a / seconds_of(solo):.1f} passages/s "
        f"({n_a} in {seconds_of(solo):.1f} s, wall {solo_wall:.1f} s); "
        f"two at once {n_a / seconds_of(outs[0]):.1f} + {n_b / seconds_of(outs[1]):.1f} "
        f"passages/s, together {(n_a + n_b) / both_wall:.1f} passages/s "
        f"({n_a + n_b} in wall {both_wall:.1f} s)"
    )

    # Every passage of both folders is in the server exactly once, and nothing else.
    store = Store(settings, embedder.id, create=False)
    ids = stored_ids(store)
    assert len(ids) == len(set(ids)) == n_a + n_b
    assert set(ids) == passages_a | passages_b
    sentence_docs = {m["doc_id"] for m in store.sentences.get(include=["metadatas"])["metadatas"]}
    assert sentence_docs == set(want_a) | set(want_b)

    # A third data directory, as on a third machine, sees the whole manifest on the server.
    manifest = open_manifest(settings)
    assert set(manifest.entries) == set(want_a) | set(want_b)
    assert manifest.writing == []
    assert {manifest.entries[d].passages for d in want_a} == {len(v) for v in want_a.values()}
    assert not (tmp_path / "reader").exists()  # nothing of it came from a local disk
    retriever = Retriever(settings, embedder=embedder)
    assert len(retriever.documents()) == 12
    hit_a = retriever.search("Kumasi cooperatives harvest ledgers cocoa", k=3).hits[0]
    hit_b = retriever.search("Kolwezi traders smelter certificates cobalt", k=3).hits[0]
    assert hit_a.doc_id in want_a and "Kumasi" in hit_a.text
    assert hit_b.doc_id in want_b and "Kolwezi" in hit_b.text

    # Indexing folder A again, one report fewer: A loses that report, B loses nothing.
    gone = folder_a / "report-a6.txt"
    gone_id = next(d for d in want_a if d.startswith("report-a6"))
    gone.unlink()
    again = finish(start_indexer(folder_a, tmp_path / "home-a", url, "vigilance"))
    assert "0 indexed, 5 unchanged" in again and "1 removed" in again, again
    ids = stored_ids(store)
    assert set(ids) == (passages_a - want_a[gone_id]) | passages_b
    assert len(ids) == len(set(ids))
    assert set(open_manifest(settings).entries) == (set(want_a) - {gone_id}) | set(want_b)
    # The answering process notices the change through the server manifest's version.
    assert len(retriever.documents()) == 11
    retriever.refresh()
    assert not retriever.table.has_doc(gone_id) and len(retriever.table) == len(ids)


def test_a_manifest_kept_on_disk_by_an_older_version_is_pushed_to_the_server(
    chroma_server,  # noqa: F811
    tmp_path,
):
    from indexer.manifest import Entry, Manifest
    from indexer.servermanifest import legacy_path

    old_home = Settings(home=tmp_path / "old", chroma_url=chroma_server)
    entry = Entry({"doc_id": "act-1", "source_path": "/x/act.txt"}, "ab", "txt/1", "c", 3, "t")
    old = Manifest(legacy_path(old_home), "e5-test", {"act-1": entry})
    old.save()
    assert set(open_manifest(old_home).entries) == {"act-1"}
    assert not legacy_path(old_home).exists()  # pushed once, then set aside
    other = open_manifest(Settings(home=tmp_path / "other", chroma_url=chroma_server))
    assert other.entries == {"act-1": entry} and other.embedder == "e5-test"
