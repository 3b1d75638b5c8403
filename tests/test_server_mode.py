"""Server mode for real: a `chroma run` server on a free port, indexed and searched."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.retrieval import Retriever
from indexer.catalog import catalog_root
from indexer.pipeline import index_paths
from indexer.settings import Settings
from indexer.store import Store
from tests.conftest import free_port

pytestmark = pytest.mark.slow


def chroma_binary() -> str:
    local = Path(sys.executable).with_name("chroma")
    found = str(local) if local.exists() else shutil.which("chroma")
    assert found, "the chroma command (from the chromadb package) is not installed"
    return found


@pytest.fixture
def chroma_server(tmp_path):
    port = free_port()
    proc = subprocess.Popen(
        [
            chroma_binary(),
            "run",
            "--path",
            str(tmp_path / "chroma"),
            "--port",
            str(port),
            "--host",
            "127.0.0.1",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1):
                break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"chroma run exited with code {proc.returncode}")
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("chroma server did not start within 60 s")
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_index_and_search_through_a_chroma_server(chroma_server, mixed_folder, tmp_path, embedder):
    settings = Settings(home=tmp_path / "home", chroma_url=chroma_server)
    summary = index_paths([mixed_folder], settings, embedder=embedder)
    assert summary.ok and summary.indexed == 5
    # Nothing was written to a local Chroma directory: the data is on the server.
    assert not (settings.store_dir / "chroma").exists()
    retriever = Retriever(settings, embedder=embedder)
    hits = retriever.search(
        "Who must a contracting authority exclude for forced labour convictions?", k=3
    ).hits
    assert hits and hits[0].locator.startswith("s. 1(1)")
    again = index_paths([mixed_folder], settings, embedder=embedder)
    assert (again.indexed, again.unchanged) == (0, 5)
    # The same server under another name (as after a move to another port or host name)
    # keeps its catalog: the collection names it, not the address.
    built = catalog_root(settings, retriever.store)
    alias = Settings(home=settings.home, chroma_url=chroma_server.replace("127.0.0.1", "localhost"))
    assert catalog_root(alias, Store(alias, embedder.id)) == built
    assert len([p for p in built.iterdir() if not p.name.startswith(".")]) == 1


def test_unreachable_server_is_one_clear_error(tmp_path):
    from indexer.store import StoreError

    settings = Settings(home=tmp_path, chroma_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(StoreError, match="cannot reach the Chroma server"):
        Store(settings, "x")
