"""The packaged embedders: offline, normalised, and the default path free of torch."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from indexer.embedders import make_embedder
from indexer.embedders.langchain import LangChainEmbeddings


def test_e5_vectors_are_normalised_384d_and_multilingual(embedder):
    passages = embedder.embed_passages(
        [
            "Les acheteurs publics doivent exclure les fournisseurs condamnés pour travail forcé.",
            "The recipe needs two cups of flour and an hour in a hot oven.",
        ]
    )
    assert passages.shape == (2, 384) and passages.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    q = embedder.embed_queries(["must buyers exclude suppliers convicted of forced labour?"])[0]
    # An English question is closer to the French procurement sentence than to the recipe.
    assert passages[0] @ q > passages[1] @ q + 0.05
    # query: and passage: prefixes give different vectors for the same text.
    same = "forced labour in supply chains"
    assert not np.allclose(embedder.embed_queries([same])[0], embedder.embed_passages([same])[0])


def test_langchain_adapter(embedder):
    lc = LangChainEmbeddings(embedder)
    docs = lc.embed_documents(["travail forcé", "trabajo forzoso"])
    query = lc.embed_query("forced labour")
    assert len(docs) == 2 and len(docs[0]) == 384 and len(query) == 384
    assert isinstance(query[0], float)


def test_default_embedder_does_not_import_torch():
    code = (
        "import sys; from indexer.embedders import make_embedder; import assistant.cli, assistant.retrieval; "
        "e = make_embedder('e5'); e.embed_queries(['x']); print('torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.slow
def test_packaged_minilm_loads_offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    emb = make_embedder("minilm")
    vecs = emb.embed_passages(["supplier code of conduct", "forced labour"])
    assert vecs.shape == (2, 384)
    assert emb.id == "st/all-MiniLM-L6-v2"


def test_unknown_embedder_and_missing_model_dir(tmp_path):
    with pytest.raises(ValueError, match="unknown embedder"):
        make_embedder("gpt-17")
    with pytest.raises(FileNotFoundError, match="not a local model directory"):
        make_embedder(f"st:{tmp_path / 'nope'}")


def test_the_lexicon_reads_the_words_it_holds_and_encodes_only_new_ones(tmp_path, embedder):
    """A question word the store's lexicon already holds is read from the store, not
    encoded again; the stored vector is the word encoder's, so translations do not change."""
    from assistant.lexicon import Lexicon
    from indexer.embedders.use import UseEmbedder
    from indexer.settings import Settings
    from indexer.store import Store

    use = UseEmbedder()
    store = Store(Settings(home=tmp_path, embed_cache="off"), embedder.id)
    held = ["soumissionnaire", "exclusion", "travail"]
    store.add_terms("fr", held, use.embed_passages(held))
    store.add_terms("en", ["bidder"], use.embed_passages(["bidder"]))

    class Counting(UseEmbedder):
        encoded: list[str] = []

        def embed_queries(self, texts):
            self.encoded += texts
            return super().embed_queries(texts)

    counting = Counting()
    lexicon = Lexicon(store, counting)
    got = lexicon.vectors(["exclusion", "fournisseur", "soumissionnaire"], "fr")
    assert counting.encoded == ["fournisseur"]
    fresh = use.embed_queries(["exclusion", "fournisseur", "soumissionnaire"])
    assert np.allclose(got, fresh, atol=1e-5)
    near = lexicon.translate(["bidder"], "fr", "en")["bidder"]
    assert near and near[0][0] == "soumissionnaire"
    assert counting.encoded == ["fournisseur"]  # "bidder" came from the English lexicon


def test_the_word_encoder_keeps_to_the_cores_it_is_given(monkeypatch):
    """An indexer limited to one core (OMP_NUM_THREADS=1, as the passage encoder obeys)
    runs the word encoder on one thread too; unlimited, on every core it may use."""
    import os

    from indexer.embedders.use import UseEmbedder

    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert UseEmbedder().threads == 1
    monkeypatch.delenv("OMP_NUM_THREADS")
    assert UseEmbedder().threads == len(os.sched_getaffinity(0))
