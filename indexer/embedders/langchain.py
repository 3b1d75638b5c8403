"""LangChain ``Embeddings`` adapter, so LangChain components can use our embedders."""

from __future__ import annotations

from langchain_core.embeddings import Embeddings

from indexer.embedders import BatchedEmbedder


class LangChainEmbeddings(Embeddings):
    """Wraps a Vigilance embedder; documents get the passage prefix, queries the query one."""

    def __init__(self, embedder: BatchedEmbedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_passages(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_queries([text])[0].tolist()
