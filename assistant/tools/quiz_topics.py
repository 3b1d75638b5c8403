"""Which points of a card are about a topic.

A card's ``topics`` say what the instrument touches, not what each of its points is about:
the AfDB procurement policy is tagged "due-diligence", but its point on cross-debarment is
not. So a point is on a topic when its own label or text uses the topic's words, or when
the instrument as a whole is about the topic (its title says so: every point of the German
Supply Chain *Due Diligence* Act is on due diligence).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.tools.records import Point, Record

TOPIC_TERMS: dict[str, str] = {
    "due-diligence": r"due diligence|\bvigilance\b|risk (analysis|assessments?|management|map|"
    r"screening)|assess(es|ing)? (the )?risks?|identify,? (and )?assess|human rights impact|"
    r"adverse (human rights )?impacts?",
    "transparency-reporting": r"\breport(s|ing)?\b|\bstatements?\b|disclos|\bpublish|\bregist(er|ry)\b"
    r"|transparen",
    "criminalisation": r"criminal|offen[cs]e|\bcrimes?\b|prosecut|imprisonment|convict|punish",
    "exclusion-debarment": r"exclu|debar|barred from|\bbars? \w+( \w+)? from\b|ineligib|"
    r"blacklist|suspen",
    "contract-clauses-certification": r"clause|contract|certif|performance condition|"
    r"award criteri|code of conduct|compliance plan|tender",
    "child-labour": r"child labou?r|children|minimum (employment )?age",
    "victim-protection": r"victim|survivor|non-punishment|residence permit|assistance",
    "demand-reduction": r"\bdemand\b|consumer|awareness|campaign",
    "remedies": r"remed|grievance|damages|civil (liability|claims?)|compensation|court|\bsue\b|"
    r"access to justice|complain|injunction",
    "corporate-liability": r"liab|legal persons|answerable|civil fine",
    "recruitment-fees": r"recruit|\bfees?\b|intermediar|labour brokers?",
    "un-procurement": r"\bUN\b|United Nations|Secretariat|UNDP|UNOPS|UNICEF|supplier code|vendor",
    "coordination": r"coordinat|cooperat|partnership|inter-?agency|task force|rapporteur|"
    r"action plan|multi-stakeholder",
    "data-research": r"\bdata\b|database|estimate|statistic|research|indicator|\blists?\b|"
    r"per cent",
    "training": r"\btrain|awareness|guidance|toolkit|module|course|capacity",
    "import-ban": r"import|customs|withhold release|\bmarket\b|seiz|export",
}


_LABELS = {
    "exclusion-debarment": "exclusion and debarment",
    "contract-clauses-certification": "contract clauses and certification",
    "transparency-reporting": "transparency and reporting",
    "data-research": "data and research",
    "un-procurement": "UN procurement",
}


def topic_label(topic: str) -> str:
    """A topic id as people write it: ``due-diligence`` -> ``due diligence``."""
    return _LABELS.get(topic, topic.replace("-", " "))


def _about(text: str, topic: str) -> bool:
    pattern = TOPIC_TERMS.get(topic) or re.escape(topic_label(topic))
    return bool(re.search(pattern, text, re.I))


def card_is_about(card: Record, topic: str) -> bool:
    """The instrument as a whole is about ``topic``: its titles use the topic's words."""
    return topic in card.topics and _about(f"{card.title} {card.short_title}", topic)


def point_is_about(card: Record, point: Point, topics: Iterable[str]) -> bool:
    """On one of ``topics``: a topic of the card, and the point (or the whole card) is about it."""
    for topic in topics:
        if topic not in card.topics:
            continue
        if card_is_about(card, topic) or _about(f"{point.label}: {point.text}", topic):
            return True
    return False
