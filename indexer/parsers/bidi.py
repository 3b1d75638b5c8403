"""Arabic lines of PDF text put back in reading order.

A PDF draws a right-to-left line as it looks, left to right on the page. pypdf reverses
each run of Arabic letters back to reading order but hands over the runs themselves in
page order, and it reverses Arabic-Indic numbers with the letters around them. So a line
whose text is mostly Arabic arrives as ``.2021 ٢١- ينبغي ... في عام`` where a reader wrote
``١٢- ينبغي ... في عام 2021.``: the runs must be taken right to left, the punctuation at
the edge of a left-to-right run (a number, a symbol) moved to the side it belongs to, and
each Arabic-Indic number turned back.

A producer that writes Arabic in reading order (rare) leaves pypdf's reversal wrong: its
words then end with the article ("لا" at a word's end instead of "ال" at its start), and
such runs are turned back first.
"""

from __future__ import annotations

import re
import unicodedata

_INDIC_NUMBER = re.compile(r"[\u0660-\u0669\u06f0-\u06f9][\u0660-\u066c\u06f0-\u06f9]*")


def _strong(ch: str) -> str:
    """ "R" for a right-to-left letter, "L" for a left-to-right letter or digit, "" otherwise."""
    kind = unicodedata.bidirectional(ch)
    if kind in ("R", "AL"):
        return "R"
    if kind in ("L", "EN"):
        return "L"
    return ""


def direction(text: str) -> str:
    """ "R" when ``text`` has right-to-left letters and more of them than left-to-right
    ones, "L" when it has only left-to-right ones, "" when it has neither."""
    rtl = sum(1 for ch in text if _strong(ch) == "R")
    ltr = sum(1 for ch in text if _strong(ch) == "L")
    if rtl and rtl >= ltr:
        return "R"
    return "L" if ltr or rtl else ""


def _reversed_words(text: str) -> bool:
    """True when Arabic words read backwards: more long words end in "لا" than start with "ال"."""
    words = [w for w in re.findall(r"[\u0621-\u064a]{4,}", text)]
    forward = sum(1 for w in words if w.startswith("ال"))
    backward = sum(1 for w in words if w.endswith("لا"))
    return backward > forward and backward >= 2


def _turn_numbers(text: str) -> str:
    """Arabic-Indic numbers that pypdf reversed with the letters around them, turned back."""
    return _INDIC_NUMBER.sub(lambda m: m.group(0)[::-1], text)


def _flip_edges(run: str) -> str:
    """A left-to-right run inside a right-to-left line: the spaces and punctuation before its
    first letter belong after it in reading order, and those after its last letter before it."""
    strong = [i for i, ch in enumerate(run) if _strong(ch)]
    if not strong:
        return run[::-1]
    first, last = strong[0], strong[-1]
    lead, core, trail = run[:first], run[first : last + 1], run[last + 1 :]
    return trail[::-1] + core + lead[::-1]


def reading_order(runs: list[str]) -> list[tuple[int, str]]:
    """The text runs of one PDF line, as pypdf gives them, in reading order: (index of the
    first source run, text) each; neighbouring left-to-right runs come back as one.

    Lines that are not mostly right-to-left keep their order; only their Arabic-Indic
    numbers are turned back."""
    joined = "".join(runs)
    if not any(_strong(ch) == "R" for ch in joined):
        return list(enumerate(runs))
    backwards = _reversed_words(joined)
    fixed = []
    for run in runs:
        if direction(run) == "R":
            run = run[::-1] if backwards else run
            run = _turn_numbers(run)
        fixed.append(run)
    if direction(joined) != "R":
        return list(enumerate(fixed))
    kinds = _run_directions(fixed)
    groups: list[tuple[int, str, str]] = []  # (first run, text, direction)
    for i, (run, kind) in enumerate(zip(fixed, kinds, strict=True)):
        if groups and kind == "L" and groups[-1][2] == "L":
            groups[-1] = (groups[-1][0], groups[-1][1] + run, "L")
        else:
            groups.append((i, run, kind))
    return [(i, text if kind == "R" else _flip_edges(text)) for i, text, kind in reversed(groups)]


def _run_directions(runs: list[str]) -> list[str]:
    """Each run's direction. pypdf ends a run where the direction changes and keeps spaces
    and punctuation in the run before: a run of those alone was written in the direction
    opposite to the next run's (right to left at the end of a line)."""
    kinds = [direction(run) for run in runs]
    following = "L"  # a line's last neutral run was read right to left
    for i in range(len(runs) - 1, -1, -1):
        if not kinds[i]:
            kinds[i] = "R" if following == "L" else "L"
        following = kinds[i]
    return kinds


__all__ = ["direction", "reading_order"]
