"""Dated events of an instrument, and its state on any date.

A card lists what happened to its instrument (signed, adopted, in force, amended, applies
to a group from a date, postponed, repealed, superseded), each with its date, what it
changed and its source. ``state_on`` reads the list as of a date: whether the instrument
existed, was in force, or had been repealed then, and what was still to come.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from typing import Any

EVENT_KINDS = (
    "signed", "adopted", "published", "in force", "amended", "applies", "postponed",
    "repealed", "superseded",
)  # fmt: skip
_IN_FORCE = {"in force", "applies"}  # amended or postponed do not change whether it is
_ENDS = {"repealed", "superseded"}


@dataclass(frozen=True)
class Event:
    date: str  # ISO: YYYY-MM-DD (or YYYY-MM, YYYY)
    event: str  # one of EVENT_KINDS
    what: str = ""
    source: str = ""

    @property
    def day(self) -> dt.date:
        """The first day the event can be said to have happened (YYYY-MM → the 1st)."""
        parts = [int(p) for p in self.date.split("-")] + [1, 1]
        return dt.date(parts[0], parts[1], parts[2])


@dataclass
class State:
    """An instrument on one date: ``label`` is one of "not yet adopted", "adopted" (a
    non-binding text, which has no entry into force), "adopted not yet in force", "in
    force", "repealed", "superseded" ("" when it has no events)."""

    on: dt.date
    label: str = ""
    past: list[Event] = field(default_factory=list)
    upcoming: list[Event] = field(default_factory=list)

    @property
    def in_force(self) -> bool:
        """In effect that day: in force, or adopted when it is not binding."""
        return self.label in ("in force", "adopted")


def parse_events(raw: Any) -> tuple[list[Event], list[str]]:
    """Events from a card's ``events:`` list, in date order, and why any entry was left out."""
    if raw in (None, "", []):
        return [], []
    if not isinstance(raw, list):
        return [], ["events must be a list of {date, event, what, source}"]
    events, problems = [], []
    for n, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            problems.append(f"event {n} is not a mapping")
            continue
        date = item.get("date")
        date = date.isoformat() if isinstance(date, dt.date) else str(date or "").strip()
        kind = str(item.get("event") or "").strip().casefold()
        event = Event(
            date, kind, str(item.get("what") or "").strip(), str(item.get("source") or "").strip()
        )
        try:
            event.day  # noqa: B018 - validates the date
        except (ValueError, IndexError):
            problems.append(f"event {n} has no valid date ({date!r})")
            continue
        if kind not in EVENT_KINDS:
            problems.append(f"event {n}: {kind!r} is not one of {', '.join(EVENT_KINDS)}")
            continue
        events.append(event)
    return sorted(events, key=lambda e: e.day), problems


def encode(events: list[Event]) -> list[dict[str, str]]:
    return [asdict(e) for e in events]


def decode(raw: Any) -> list[Event]:
    """Events as stored in the manifest (a list of dicts, or its JSON text)."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw) if raw else []
        except json.JSONDecodeError:
            return []
    return parse_events(raw)[0]


def state_on(events: list[Event], on: dt.date, binding: bool = True) -> State:
    """What the events say of the instrument on ``on`` (a non-binding instrument is
    "adopted" once adopted or published: it never enters into force)."""
    state = State(on)
    if not events:
        return state
    state.past = [e for e in events if e.day <= on]
    state.upcoming = [e for e in events if e.day > on]
    kinds = [e.event for e in state.past]
    if not kinds:
        state.label = "not yet adopted"
    elif any(k in _ENDS for k in kinds):
        state.label = next(k for k in reversed(kinds) if k in _ENDS)
    elif any(k in _IN_FORCE for k in kinds):
        state.label = "in force"
    else:
        state.label = "adopted not yet in force" if binding else "adopted"
    return state
