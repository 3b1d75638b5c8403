"""The JSON records every shell prints or serves: ``vigilance search --json``,
``vigilance ask --json`` and ``vigilance docs --json`` build theirs here, and the MCP
server (and any other front end) returns the same ones, so a citation carries the same
locator, title, year, jurisdiction, binding, url and passage text wherever it is read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from indexer.settings import Settings

EMPTY_STORE = "the knowledge base is empty: run 'vigilance index' first"


def hit_state(retriever: Any, hit: Any, on: dt.date) -> str:
    """Next to a hit: "not yet in force on DATE" when its instrument was not, else ""."""
    from assistant.asof import state_note

    return state_note(retriever.events(hit.doc_id), on, hit.binding)


def search_record(retriever: Any, result: Any, on: dt.date) -> dict[str, Any]:
    """A search result as ``{"as_of", "hits": [hit fields + "state"], "notice"?}``."""
    record: dict[str, Any] = {
        "as_of": on.isoformat(),
        "hits": [{**asdict(hit), "state": hit_state(retriever, hit, on)} for hit in result.hits],
    }
    if result.notice:
        record["notice"] = result.notice
    return record


def answer_record(answer: Any) -> dict[str, Any]:
    """An answer as ``{"question", "answer", "supported", "citations": [...], ...}``: every
    ``[n]`` in the answer has its citation, with locator, title, url and passage text."""
    return asdict(answer)


def document_records(settings: Settings) -> list[dict[str, Any]]:
    """The indexed documents, by id: their metadata with ``passages`` and ``indexed_at``
    (from the manifest; no model loads). ``ManifestError`` when the manifest is damaged."""
    from indexer.servermanifest import open_manifest

    manifest = open_manifest(settings)
    return [
        {**entry.doc, "passages": entry.passages, "indexed_at": entry.indexed_at}
        for _, entry in sorted(manifest.entries.items())
    ]
