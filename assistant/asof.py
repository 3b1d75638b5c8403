"""Answers as of a date: the state of each cited instrument on that day, from its events.

``date_answer`` adds to a cited answer one line per instrument that has dated events
(was it adopted, in force, repealed on that date; what happened until then; what is still
to come), citing the instrument's passage, and marks citations of instruments not in force
that day. Every answer records the date it speaks for (today by default).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from assistant.answer import Answer, Citation
from assistant.messages import DATED, answer_language
from indexer.events import Event, state_on

MAX_EVENTS = 4  # past events shown per instrument (the latest ones)


def parse_date(text: str | dt.date | None) -> dt.date:
    """``YYYY-MM-DD`` (or a date) as a date; today when empty. ValueError in one line."""
    if isinstance(text, dt.date):
        return text
    if not text or not str(text).strip():
        return dt.date.today()
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise ValueError(f"not a date: {text!r} (use YYYY-MM-DD)") from None


def _say(key: str, lang: str, **kwargs: str) -> str:
    table = DATED[key]
    return (table.get(lang) or table["en"]).format(**kwargs)


def _event(e: Event, lang: str) -> str:
    word = DATED["events"][e.event]
    label = word.get(lang) or word["en"]
    return f"{e.date} {label}" + (f" ({e.what.rstrip('.')})" if e.what else "")


def state_line(citation: Citation, events: list[Event], on: dt.date, lang: str) -> str:
    """One instrument on ``on``: its state, the latest events until then, what is to come."""
    state = state_on(events, on, citation.binding == "yes")
    name = citation.short_title or citation.title
    line = _say(state.label, lang, n=str(citation.n), name=name, on=on.isoformat())
    if state.past:
        shown = "; ".join(_event(e, lang) for e in state.past[-MAX_EVENTS:])
        line += f" — {_say('past', lang)}: {shown}"
    if state.upcoming:
        line += f" — {_say('next', lang)}: " + "; ".join(
            _event(e, lang) for e in state.upcoming[:3]
        )
    return line + "."


def state_note(events: list[Event], on: dt.date, binding: str, lang: str = "en") -> str:
    """Next to a citation: "not yet in force on DATE" (or not yet adopted, repealed...) when
    the instrument was not in effect on ``on``; "" when it was or has no events."""
    state = state_on(events, on, binding == "yes") if events else None
    if state is None or state.in_force:
        return ""
    note = DATED["state_note"][state.label]
    return (note.get(lang) or note["en"]).format(on=on.isoformat())


def date_answer(
    answer: Answer, events_of: Callable[[str], list[Event]], on: dt.date | None = None
) -> Answer:
    """The answer as of ``on`` (today by default): dated lines for instruments with events,
    and each citation of an instrument not in force that day marked as such."""
    on = on or dt.date.today()
    lang = answer_language(answer.language)
    if not answer.supported or not answer.citations:
        return replace(answer, as_of=on.isoformat())
    lines, citations, seen = [], [], set()
    for c in answer.citations:
        events = events_of(c.doc_id)
        if note := state_note(events, on, c.binding, lang):
            c = replace(c, state=note)
        if events and c.doc_id not in seen:
            seen.add(c.doc_id)
            lines.append(state_line(c, events, on, lang))
        citations.append(c)
    text = answer.answer
    if lines:
        # Not "- " bullets: those quote passages; these lines are read from the cards'
        # dated events and each cites the card it comes from.
        heading = _say("heading", lang, on=on.isoformat())
        text += "\n\n" + heading + "\n" + "\n".join(lines)
    return replace(answer, answer=text, citations=citations, as_of=on.isoformat())
