"""The answer record and the checks every answer must pass.

``Answer`` is what ``vigilance ask --json`` prints and what the app renders:
every ``[n]`` in ``answer`` has a citation ``n``, and every citation is used.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from indexer.models import Hit

MARKER = re.compile(r"\[(\d+)\]")


@dataclass
class Citation:
    n: int
    passage_id: str
    doc_id: str
    title: str
    short_title: str
    locator: str
    year: int | None
    jurisdiction: str
    binding: str
    type: str
    url: str
    language: str
    text: str
    symbol: str = ""
    status: str = ""
    pages: str = ""
    source_path: str = ""

    @classmethod
    def from_hit(cls, n: int, hit: Hit) -> Citation:
        return cls(
            n=n,
            passage_id=hit.passage_id,
            doc_id=hit.doc_id,
            title=hit.title,
            short_title=hit.short_title,
            locator=hit.locator,
            year=hit.year,
            jurisdiction=hit.jurisdiction,
            binding=hit.binding,
            type=hit.type,
            url=hit.url,
            language=hit.language,
            text=hit.text,
            symbol=hit.symbol,
            status=hit.status,
            pages=hit.pages,
            source_path=hit.source_path,
        )

    def label(self, lang: str = "en") -> str:
        from assistant.messages import message

        year = self.year or "n.d."
        binding = message(f"binding_{self.binding}", lang)
        parts = [self.locator or "-", self.title, f"{year}", self.jurisdiction or "-", binding]
        return " — ".join(parts[:2]) + f" ({', '.join(parts[2:])})"


@dataclass
class Answer:
    question: str
    answer: str
    supported: bool
    confidence: float
    language: str
    citations: list[Citation] = field(default_factory=list)
    used_passage_ids: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    closest_documents: list[dict[str, str]] = field(default_factory=list)
    resolved_question: str = ""
    composer: str = "extractive"
    support: dict[str, float] = field(default_factory=dict)  # the refusal decision's parts

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_citations(answer: Answer) -> list[str]:
    """Problems with an answer's citations (empty when every marker and citation line up)."""
    problems = []
    numbers = {c.n for c in answer.citations}
    used = {int(n) for n in MARKER.findall(answer.answer)}
    for n in sorted(used - numbers):
        problems.append(f"marker [{n}] has no citation")
    for n in sorted(numbers - used):
        problems.append(f"citation {n} is never cited")
    ids = [c.passage_id for c in answer.citations]
    if sorted(set(ids)) != sorted(set(answer.used_passage_ids)):
        problems.append("used_passage_ids differ from the cited passages")
    return problems
