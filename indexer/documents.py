"""Files to documents and passages, without any model or store: what the indexer does to
one file before it embeds anything.

``discover`` lists the indexable files under some paths; ``prepare`` parses a file, reads
its metadata and cuts it into passages; ``sentence_units`` lists the sentences that get a
vector of their own. Bad input raises ``DocumentError`` naming the file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexer.chunking import chunk_blocks, split_sentences
from indexer.discovery import Problem
from indexer.errors import DocumentError, path_text
from indexer.metadata import load_metadata
from indexer.models import DOC_TYPES, Document, Passage, binding_value
from indexer.parsers import Limits, parse_file, parser_for
from indexer.settings import BUNDLED_CORPUS, Settings

MIN_SENTENCE_CHARS = 25
# Bumped when metadata handling or passage storage changes, so old entries re-index.
PIPELINE_VERSION = "4"
SYNTHESES = {"measure", "guiding-question"}


@dataclass
class Prepared:
    """A changed file, parsed and chunked, waiting to be embedded."""

    doc: Document
    passages: list[Passage]
    parser: str
    meta_sha: str = ""
    warnings: list[Problem] = field(default_factory=list)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def metadata_sha(path: Path) -> str:
    """Hash of the metadata files that apply to ``path`` (sidecar, folder catalogue)."""
    h = hashlib.sha256(PIPELINE_VERSION.encode())
    for extra in (
        path.with_name(path.name + ".yaml"),
        path.with_name(path.name + ".yml"),
        path.parent / "catalogue.yaml",
        path.parent / "catalogue.yml",
    ):
        if extra.is_file():
            h.update(extra.name.encode() + b"\0" + extra.read_bytes())
    return h.hexdigest()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:60] or "doc"


def _year(meta: dict[str, Any]) -> int | None:
    for key in ("year", "date", "adopted"):
        m = re.match(r"\s*(\d{4})", str(meta.get(key) or ""))
        if m:
            return int(m.group(1))
    return None


def make_document(path: Path, meta: dict[str, Any], sha: str) -> Document:
    """A ``Document`` from merged metadata; the id is given, or derived from name and path."""
    doc_id = str(meta.get("doc_id") or meta.get("id") or "")
    if not doc_id:
        doc_id = f"{slug(path.stem)}-{hashlib.sha1(path_text(path).encode()).hexdigest()[:6]}"
    doc_type = str(meta.get("type") or "other").strip().casefold()
    status = meta.get("status") or ""
    if isinstance(status, dict):
        status = status.get("value", "")
    bundled = BUNDLED_CORPUS.resolve() in path.parents
    # The project's own syntheses (gap-analysis measures, guiding questions) are tools,
    # not sources: retrieval ranks them below the instruments themselves.
    collection = "user"
    if bundled:
        collection = "synthesis" if meta.get("record") in SYNTHESES else "bundled"
    jurisdiction = meta.get("jurisdiction")
    if jurisdiction is False:  # YAML 1.1 reads an unquoted NO (Norway) as false
        jurisdiction = "NO"
    return Document(
        doc_id=doc_id,
        title=str(meta.get("title") or path.stem),
        short_title=str(meta.get("short_title") or ""),
        symbol=str(meta.get("symbol") or ""),
        type=doc_type if doc_type in DOC_TYPES else "other",
        jurisdiction=str(jurisdiction or "").strip().upper(),
        date=str(meta.get("date") or meta.get("adopted") or ""),
        year=_year(meta),
        binding=binding_value(meta.get("binding")),
        status=str(status),
        language=str(meta.get("language") or ""),
        source_path=path_text(path),
        url=str(meta.get("url") or ""),
        sha256=sha,
        aliases=[str(a) for a in meta.get("aliases") or []],
        topics=[str(t) for t in meta.get("topics") or []],
        collection=collection,
        events=list(meta.get("events") or []),
        related=[str(r) for r in meta.get("related") or []],
        unverified=[str(n) for n in meta.get("unverified") or []],
        checked=str(meta.get("checked") or ""),
    )


def prepare(path: Path, sha: str, settings: Settings) -> Prepared:
    """Parse, read metadata and chunk one file. Raises DocumentError on bad input or when
    the file is over a limit (size, text, unzipped parts, passages)."""
    parsed = parse_file(path, limits=Limits.from_settings(settings))
    notes: list[str] = []
    meta = load_metadata(path, parsed, warnings=notes)
    doc = make_document(path, meta, sha)
    passages = chunk_blocks(
        parsed.blocks,
        doc,
        max_chars=settings.max_chars,
        overlap_sentences=settings.overlap_sentences,
    )
    if not passages:
        raise DocumentError(path, "no text found to index")
    if len(passages) > settings.max_passages:
        raise DocumentError(
            path,
            f"makes {len(passages):,} passages, over the {settings.max_passages:,} limit "
            "(VIGILANCE_MAX_PASSAGES; split the file or raise the limit)",
        )
    p = parser_for(path)
    warnings = [Problem(str(path), note) for note in notes]
    return Prepared(doc, passages, f"{p.name}/{p.version}", warnings=warnings)


def sentence_units(passages: Sequence[Passage], doc: Document) -> list[tuple[str, int, str]]:
    """(passage_id, n, text) for each sentence of passages that have two or more."""
    out: list[tuple[str, int, str]] = []
    for p in passages:
        sents = [s for s in split_sentences(p.text) if len(s) >= MIN_SENTENCE_CHARS]
        if len(sents) >= 2:
            out.extend((p.passage_id, n, s) for n, s in enumerate(sents))
    return out
