"""LangChain retrievers over the knowledge base: ``VigilanceRetriever`` searches the local
store in this process, ``VigilanceAPIRetriever`` asks a running ``vigilance api`` over HTTP.

Both return one ``Document`` per passage: ``page_content`` is the passage text and
``metadata`` the fields a citation needs (locator, title, doc_id, passage_id, url, year,
jurisdiction, binding, language, score), so a chain can cite what it quotes.

    from assistant.lc_retriever import VigilanceRetriever
    docs = VigilanceRetriever(k=5, filters={"jurisdiction": ["GB"]}).invoke("Who must publish a statement?")
"""

from __future__ import annotations

import threading
from dataclasses import asdict
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import Field, PrivateAttr, SecretStr, field_validator

from indexer.settings import Settings

METADATA = (
    "locator", "title", "doc_id", "passage_id", "url", "year", "jurisdiction", "binding",
    "language", "score", "type", "rank",
)  # fmt: skip
FILTER_KEYS = ("type", "jurisdiction", "year_from", "year_to", "binding", "language", "doc_id")


def hit_document(record: dict[str, Any]) -> Document:
    """A search hit (a ``Hit`` as a dict, or a hit of ``vigilance search --json``) as a
    Document: the passage text with its citation fields as metadata."""
    return Document(
        page_content=record["text"],
        metadata={key: record.get(key) for key in METADATA},
        id=record.get("passage_id"),
    )


def check_filters(filters: dict[str, Any]) -> dict[str, Any]:
    """``filters`` with a known key each (those of ``vigilance search``); ValueError names
    an unknown one."""
    unknown = sorted(set(filters) - set(FILTER_KEYS))
    if unknown:
        raise ValueError(f"unknown filter {unknown[0]!r}: use {', '.join(FILTER_KEYS)}")
    return filters


def _words(value: Any) -> list[Any]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


class VigilanceRetriever(BaseRetriever):
    """The ``k`` passages of the local knowledge base that best answer a query.

    The store is that of ``settings`` (default: the ``VIGILANCE_*`` environment, as the
    command line reads it); give ``retriever`` (an ``assistant.retrieval.Retriever``) to
    share one already loaded. Filters are those of ``vigilance search``: ``type``,
    ``jurisdiction``, ``year_from``, ``year_to``, ``binding`` (true/false),
    ``language``, ``doc_id``; a filter that matches nothing raises ``FilterError``."""

    k: int = Field(default=10, ge=1)
    filters: dict[str, Any] = Field(default_factory=dict)
    settings: Settings | None = None
    retriever: Any = None
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @field_validator("filters")
    @classmethod
    def known_filters(cls, value: dict[str, Any]) -> dict[str, Any]:
        return check_filters(value)

    def _search(self) -> Any:
        """The retriever, loaded at the first query (the models take a few seconds)."""
        with self._lock:
            if self.retriever is None:
                from assistant.retrieval import Retriever

                self.retriever = Retriever(self.settings or Settings.from_env())
            return self.retriever

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        from assistant.table import make_filters

        f = self.filters
        filters = make_filters(
            _words(f.get("type")), _words(f.get("jurisdiction")), f.get("year_from"),
            f.get("year_to"), f.get("binding"), _words(f.get("language")), _words(f.get("doc_id")),
        )  # fmt: skip
        result = self._search().search(query, k=self.k, filters=filters)
        return [hit_document(asdict(hit)) for hit in result.hits]


class VigilanceAPIError(RuntimeError):
    """The API refused the search or could not be reached; the message is one line."""


class VigilanceAPIRetriever(BaseRetriever):
    """The ``k`` passages that best answer a query, from a ``vigilance api`` server:
    ``POST {base_url}/search`` with ``{"question", "k", "filters"}``, basic auth when
    ``username`` is set. Raises ``VigilanceAPIError`` with the server's message."""

    base_url: str = "http://127.0.0.1:8080"  # vigilance api; under vigilance serve: .../api
    k: int = Field(default=10, ge=1)
    filters: dict[str, Any] = Field(default_factory=dict)
    username: str | None = None
    password: SecretStr | None = None
    timeout: float = 120.0  # the first question loads the server's models

    @field_validator("filters")
    @classmethod
    def known_filters(cls, value: dict[str, Any]) -> dict[str, Any]:
        return check_filters(value)

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        import httpx

        url = self.base_url.rstrip("/") + "/search"
        auth = None
        if self.username is not None:
            secret = self.password.get_secret_value() if self.password else ""
            auth = httpx.BasicAuth(self.username, secret)
        body = {"question": query, "k": self.k, "filters": self.filters}
        try:
            response = httpx.post(url, json=body, auth=auth, timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise VigilanceAPIError(f"{url}: {exc}") from exc
        if response.status_code >= 400:
            raise VigilanceAPIError(f"{url}: HTTP {response.status_code}: {_reason(response)}")
        try:
            hits = response.json()["hits"]
        except (ValueError, KeyError, TypeError) as exc:
            raise VigilanceAPIError(f"{url}: not a search record (no 'hits')") from exc
        return [hit_document(hit) for hit in hits]


def _reason(response: Any) -> str:
    """The server's own message when it sent one (``error`` or ``detail``), else the body."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:200] or response.reason_phrase
    if isinstance(body, dict):
        reason = body.get("error") or body.get("detail") or body.get("notice")
        if reason:
            return str(reason)
    return str(body)[:200]
