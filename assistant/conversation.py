"""Follow-up questions ("And in France?", "¿Y en Alemania?") resolved against the previous turn."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.glossary import find_concepts
from assistant.refs import jurisdictions, strip_jurisdictions
from indexer.language import detect, terms

FOLLOW_UP = re.compile(
    r"""^\s*[¿]?\s*(and|what\s+about|how\s+about|same\s+for|et|et\s+pour|qu'en\s+est-il|
    y|y\s+para|¿y|what\s+of|also|aussi|tambi[ée]n)\b""",
    re.IGNORECASE | re.VERBOSE,
)
CONNECTORS = re.compile(
    r"^\s*[¿]?\s*(and|what about|how about|same for|et pour|et|qu'en est-il|y para|y|what of)\s+",
    re.IGNORECASE,
)


def is_follow_up(question: str) -> bool:
    """Short questions that lean on the previous one: a connector, or no topic of their own."""
    if FOLLOW_UP.match(question):
        return True
    content = terms(question, detect(question))
    return len(content) <= 2 and not find_concepts(question) and bool(jurisdictions(question))


def resolve(question: str, previous: str | None) -> str:
    """The question to search for: a follow-up is merged into the previous question.

    The previous question's jurisdictions are dropped when the follow-up names new ones,
    so "And in France?" after a UK question asks the UK question about France.
    """
    if not previous or not is_follow_up(question):
        return question
    rest = CONNECTORS.sub("", question).strip(" ?¿!.")
    base = strip_jurisdictions(previous) if jurisdictions(question) else previous.rstrip(" ?")
    return f"{base} — {rest}" if rest else base


@dataclass
class Conversation:
    """The turns so far; ``resolve`` uses the last resolved question."""

    turns: list[tuple[str, str]] = field(default_factory=list)  # (asked, resolved)

    def resolve(self, question: str) -> str:
        previous = self.turns[-1][1] if self.turns else None
        resolved = resolve(question, previous)
        self.turns.append((question, resolved))
        return resolved
