"""Which point of an instrument card shows it applying a recommended measure.

A measure record names its example instruments by card id, not by point; the gap report
must still cite one point of each card. The point is chosen by evidence, strongest first:
the measure naming the point's own subdivision (``§ 22``, ``art. 57(1)(f)``), words of the
measure's theme in the point's label and text, words shared with what the measure says
about that card. Background points (status, origin, adoption) lose.
"""

from __future__ import annotations

import re

from assistant.tools.records import Point, Record

# Words that show a card point deals with a theme; used to pick the point that shows
# an example instrument applying a measure (the record names the card, not the point).
_THEME_WORDS: dict[str, tuple[str, ...]] = {
    "transparency-reporting": (
        "report",
        "statement",
        "disclos",
        "transparen",
        "register",
        "publish",
        "subcontractor",
    ),
    "exclusion-debarment": ("exclu", "debar", "ban", "import", "list", "convict", "ground"),
    "due-diligence": ("due diligence", "diligence", "vigilance", "risk", "duty of care"),
    "contract-clauses-certification": (
        "contract",
        "clause",
        "certif",
        "compliance plan",
        "code of conduct",
        "condition",
    ),
    "recruitment-fees": ("recruit", "fee"),
    "remedies": ("remed", "grievance", "complain", "civil", "compensat", "redress", "referral"),
    "coordination": (
        "coordinat",
        "cooperat",
        "partnership",
        "task force",
        "action plan",
        "plan of action",
        "network",
        "information",
    ),
    "training": ("training", "train", "guidance", "capacity", "toolkit", "awareness"),
}
_BACKGROUND_LABELS = re.compile(
    r"^(status|origin|adoption|publisher|author|edition|enactment|launch|history)", re.I
)
_YEAR = re.compile(r"^(19|20)\d\d$")
_STOP = frozenset(
    {
        "which",
        "where",
        "their",
        "there",
        "these",
        "those",
        "other",
        "about",
        "under",
        "within",
        "public",
        "shall",
        "should",
        "would",
        "could",
    }
)  # common, say nothing


def ref_pieces(ref: str) -> list[tuple[str, str]]:
    """(full, base) keys of a point reference: ``art. 57(1)(f)`` -> (``art.57(1)(f)``, ``art.57``)."""
    pieces = []
    for piece in re.split(r"[;,]", ref):
        full = re.sub(r"\s+", "", piece.casefold())
        base = re.sub(r"\(.*$", "", full)
        if re.search(r"\d", base) and not _YEAR.match(base) and len(base) >= 2:
            pieces.append((full, base))
    return pieces


def _mentions(haystack: str, key: str) -> bool:
    return re.search(r"(?<![\w.])" + re.escape(key) + r"(?![\d])", haystack) is not None


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{5,}", text.casefold()) if w not in _STOP}


def point_score(point: Point, measure_text: str, theme: str) -> float:
    """How well a card point shows a measure described by ``measure_text``: its reference named
    there, theme words in its label and text, shared words; background points (status, origin,
    adoption) lose, because they rarely show the measure itself."""
    squeezed = re.sub(r"\s+", "", measure_text.casefold())
    score = 0.0
    for full, base in ref_pieces(point.ref):
        if full != base and _mentions(squeezed, full):
            score += 6  # the same subdivision: "art. 57(1)(f)" named as such
        elif _mentions(squeezed, base):
            score += 3
    label, text = point.label.casefold(), point.text.casefold()
    words = _THEME_WORDS.get(theme, ())
    score += 3 * sum(w in label for w in words)
    score += min(3, sum(w in text for w in words))
    score += min(6.0, 0.75 * len(_words(point.full_text) & _words(measure_text)))
    if _BACKGROUND_LABELS.match(point.label):
        score -= 5
    return score


def _names(card: Record) -> list[str]:
    """How a measure record may name a card: symbol, short title, aliases (at least 4 characters)."""
    aliases = card.front.get("aliases") or []
    if isinstance(aliases, dict):
        aliases = [a for values in aliases.values() for a in (values or [])]
    names = [card.symbol, card.short_title, *map(str, aliases)]
    return [n.casefold() for n in names if n and len(n) >= 4]


def focus_text(card: Record, measure: Record) -> str:
    """The measure's points that name ``card`` (e.g. "Germany (LkSG, § 22): ..."), else all of it."""
    names = _names(card)
    naming = [
        p.full_text for p in measure.points if any(n in p.full_text.casefold() for n in names)
    ]
    return (
        " ".join(naming)
        if naming
        else " ".join([measure.title] + [p.full_text for p in measure.points])
    )


def example_point(card: Record, measure: Record) -> Point | None:
    """The point of ``card`` that best shows it applying ``measure`` (first one on ties)."""
    if not card.points:
        return None
    text = focus_text(card, measure)
    theme = str(measure.get("theme", ""))
    return max(card.points, key=lambda p: (point_score(p, text, theme), -p.n))
