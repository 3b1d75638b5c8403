"""The answer record and the checks every answer must pass.

``Answer`` is what ``vigilance ask --json`` prints and what the app renders:
every ``[n]`` in ``answer`` has a citation ``n``, and every citation is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.sources import Citation

__all__ = ["MARKER", "Answer", "Citation", "check_citations"]

MARKER = re.compile(r"\[(\d+)\]")


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
    as_of: str = ""  # the date the answer speaks for (ISO), today unless asked otherwise


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
