"""Facts told by more than one card, kept in one place so they cannot drift apart.

``corpus/facts.yaml`` lists each such fact (a threshold, a date of application) with its
values over time, each from a date and with its source, and the cards that state it.
``check_facts`` is the corpus check: every listed card states the value in force today,
and any point of any card that gives an older value (with its unit, e.g. "USD 550,000")
also gives the current one (a history, "raised from ... to ..."), so a card cannot keep
an outdated threshold while another has the new one. ``value_on`` answers "which
threshold applied on that date" for the comparison table.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.tools.records import Corpus, Record, load_corpus
from indexer.metadata import load_yaml

FACTS_FILE = "facts.yaml"


@dataclass(frozen=True)
class FactValue:
    value: str
    since: dt.date
    source: str = ""


@dataclass
class Fact:
    id: str
    what: str
    unit: str
    values: list[FactValue]  # oldest first
    cards: list[str] = field(default_factory=list)

    def value_on(self, day: dt.date) -> FactValue | None:
        """The value that held on ``day`` (None before the first one)."""
        held = [v for v in self.values if v.since <= day]
        return held[-1] if held else None


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def load_facts(root: str | Path | None = None) -> list[Fact]:
    """The facts of ``corpus/facts.yaml`` (an empty list when the file is absent);
    ValueError naming the entry when one is malformed."""
    path = Path(root or load_corpus().root) / FACTS_FILE
    if not path.exists():
        return []
    raw = load_yaml(path.read_text(encoding="utf-8")) or []
    facts = []
    for n, item in enumerate(raw, 1):
        try:
            values = [
                FactValue(str(v["value"]), _day(v["from"]), str(v.get("source") or ""))
                for v in item["values"]
            ]
            facts.append(
                Fact(
                    id=str(item["id"]),
                    what=str(item.get("what") or ""),
                    unit=str(item.get("unit") or ""),
                    values=sorted(values, key=lambda v: v.since),
                    cards=[str(c) for c in item.get("cards") or []],
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path.name}: fact {n} is malformed ({exc})") from exc
    return facts


def number_pattern(value: str) -> re.Pattern[str]:
    """``700,000`` also as ``700 000``, ``700.000``, ``700 000`` (narrow space), ``700000``."""
    groups = re.split(r"[,.\s\u00a0\u202f]", value.strip())
    if all(g.isdigit() for g in groups) and len(groups) > 1:
        body = r"[,.\s\u00a0\u202f]?".join(groups)
    else:
        body = re.escape(value.strip())
    return re.compile(rf"(?<![\d.,]){body}(?![\d]|[.,]\d)")


def _units(record: Record) -> list[str]:
    """Every point and summary of a card, in each language, as separate texts."""
    texts = [p.full_text for p in record.points]
    for points in record.translations.values():
        texts += [p.full_text for p in points]
    return texts + [t for t in (record.summary_fr, record.summary_es) if t]


def check_facts(corpus: Corpus | None = None, today: dt.date | None = None) -> list[str]:
    """Problems found, one line each (empty when the corpus agrees with itself)."""
    corpus = corpus or load_corpus()
    today = today or dt.date.today()
    problems: list[str] = []
    for fact in load_facts(corpus.root):
        current = fact.value_on(today)
        if current is None:
            continue
        now = number_pattern(current.value)
        for card_id in fact.cards:
            record = corpus.get(card_id)
            if record is None:
                problems.append(f"{fact.id}: card {card_id} does not exist")
            elif not any(now.search(t) for t in _units(record)):
                problems.append(
                    f"{fact.id}: {card_id} does not state {fact.unit} {current.value}".strip()
                )
        for old in (v for v in fact.values if v.since < current.since):
            stale = re.compile(rf"{re.escape(fact.unit)}\s?" + number_pattern(old.value).pattern)
            for record in corpus.records.values():
                for text in _units(record):
                    if stale.search(text) and not now.search(text):
                        problems.append(
                            f"{fact.id}: {record.id} gives {fact.unit} {old.value} (replaced on "
                            f"{current.since}) without the current {current.value}: "
                            f"{text[:80]}…"
                        )
    return problems
