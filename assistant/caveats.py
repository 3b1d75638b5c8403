"""What the knowledge base itself is unsure of, next to what it cites.

Cards keep the points their editors could not check against an official text
(``unverified:``) and the day they last checked the instrument's status
(``status.as_of``). ``annotate`` gives each citation of a card that day and the notes
about the cited point, and lists those notes under the answer, each citing its card,
so nobody relies on a point without knowing what was left unchecked.

A note is about a point when it names one of the provisions the point cites
(``s. 13``, ``art. 57``, ``§ 123``) or one of its figures (``GBP 36 million``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from assistant.answer import Answer
from assistant.messages import answer_language, message
from assistant.retrieval import DocFacts

_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
# A provision number as cited: "s. 54(2)", "ss. 13-14", "art. 57(1)(f)", "§ 123", "para. 9".
_REFERENCE = re.compile(
    r"(?:\b(?:s|ss|sec|secs|sections?|art|arts|articles?|para|paras|paragraphs?|reg|regs|"
    r"sch|schedule|rule|principles?)\.?|§§?)\s*(\d+[A-Z]?)(?:\s*(?:-|to|and|,)\s*(\d+[A-Z]?))*",
    re.IGNORECASE,
)
_PROVISION_WORD = re.compile(
    r"\b(?:ss?\.|sections?|arts?\.|articles?|paras?\.|paragraphs?|regs?\.|regulations?|"
    r"sch\.|schedules?|rules?|principles?)|§",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"(?<![\w./-])(\d+[A-Z]?)(?![\w/])")
_DATE_OR_YEAR = re.compile(
    rf"\b\d{{1,2}} (?:{_MONTHS})\b|\b(?:{_MONTHS}) \d{{1,2}}\b|\b(?:1[89]|20)\d\d\b",
    re.IGNORECASE,
)
_FIGURE = re.compile(
    r"\b(?:[A-Z]{3} )?\d[\d,.]*\s*(?:million|billion|per cent|%|employees|months?|days?|years?)",
    re.IGNORECASE,
)


def provisions(text: str) -> set[str]:
    """The provision numbers a locator or point cites ("s. 54(2); ss. 13-14" → 54, 13, 14)."""
    out: set[str] = set()
    for m in _REFERENCE.finditer(text):
        first, last = m.group(1), m.group(2)
        out.add(first.upper())
        if last and first.isdigit() and last.isdigit() and 0 < int(last) - int(first) < 20:
            out.update(str(n) for n in range(int(first), int(last) + 1))  # "ss. 13-16"
        elif last:
            out.add(last.upper())
    return out


def note_numbers(note: str) -> set[str]:
    """The numbers of a note that may name a provision: not days, months or years."""
    bare = _DATE_OR_YEAR.sub(" ", note)
    return {n.upper() for n in _NUMBER.findall(bare)}


def figures(text: str) -> set[str]:
    return {re.sub(r"\s+", " ", f).casefold() for f in _FIGURE.findall(text)}


def point_notes(notes: list[str], locator: str, text: str) -> list[str]:
    """The notes about the point at ``locator`` whose text is ``text``."""
    if not notes:
        return []
    head = text.split(":", 1)[0] if ":" in text[:200] else ""  # "2. Statements (ss. 13-14):"
    cited = provisions(f"{locator} {head}")
    amounts = figures(text)
    out = []
    for note in notes:
        names_provision = bool(cited & note_numbers(note)) and bool(_PROVISION_WORD.search(note))
        if names_provision or amounts & figures(note):
            out.append(note)
    return out


def annotate(answer: Answer, facts_of: Callable[[str], DocFacts]) -> Answer:
    """Each citation with its card's check date and the notes about the cited point; the
    notes listed under the answer, each with the citation it concerns."""
    if not answer.supported or not answer.citations:
        return answer
    lang = answer_language(answer.language)
    citations, lines, shown = [], [], set()
    for c in answer.citations:
        facts = facts_of(c.doc_id)
        notes = point_notes(facts.unverified, c.locator, c.text)
        c = replace(c, checked=facts.checked, caveats=notes)
        for note in notes:
            if (c.doc_id, note) not in shown:
                shown.add((c.doc_id, note))
                lines.append(f"[{c.n}] {note}")  # not "- ": those lines quote sources
        citations.append(c)
    text = answer.answer
    if lines:
        text += "\n\n" + message("caveats", lang) + "\n" + "\n".join(lines)
    return replace(answer, answer=text, citations=citations)
