"""Sentence boundaries for legal and policy text, and sentence-aligned splitting of long units.

Citations are full of periods that do not end a sentence (``art. 5``, ``para. 12``,
``No. 38``, ``U.S.``, ``s. 54(4)``, ``e.g.``, ``ECOSOC res. 76/7``), so a boundary is a ``.``, ``?``, ``!`` or
``…`` followed by whitespace and the start of a new sentence (capital letter, digit,
opening quote), unless the word before the period is a known abbreviation or an
initial. A line break is always a boundary: merged blocks and list rows are joined
with ``\\n`` by the chunker. Arabic and Chinese have no capitals: any of their letters
opens a sentence, after "؟" too, and after Chinese "。！？" no space is needed.
"""

from __future__ import annotations

import re

# Casefolded, without the final period. Citation words first, then titles and Latin.
# fmt: off
ABBREVIATIONS = frozenset({
    "art", "arts", "artt", "para", "paras", "par", "parr", "subpara", "p", "pp", "s", "ss",
    "sec", "secs", "sect", "no", "nos", "nº", "núm", "num", "vol", "vols", "ch", "chap",
    "chaps", "fig", "figs", "reg", "regs", "sched", "r", "rr", "cl", "cls", "subs", "ann",
    "app", "apdo", "inc", "e.g", "i.e", "cf", "viz", "al", "ibid", "id", "op", "cit", "loc",
    "ed", "eds", "rev", "corr", "suppl", "approx", "mr", "mrs", "ms",
    "mme", "mlle", "mm", "dr", "prof", "sr", "sra", "srta", "dra", "st", "jr", "messrs", "ltd",
    "co", "corp", "dept", "govt", "assn", "intl", "int'l", "jan", "feb", "aug", "sept", "oct",
    "nov", "dec", "vs", "v", "resp", "incl", "excl", "esp", "env", "éd", "pág", "págs",
    # UN and journal references: "GA res. 64/293", "Doc. 13881", "Add. 1", "sess. 3"
    "res", "resol", "rés", "doc", "docs", "add", "sess", "ser", "supp", "seq", "ff", "fn",
    "ord", "cap", "sch", "civ", "stat", "pub", "cth",
})
# fmt: on
_END = re.compile(
    r"[.!?…؟]+(?:[ \u00a0\u202f]?[\"'»”’)\]])*\s+"  # French: "agir. » Puis"; Arabic "؟"
    r"|[。！？]+[”’」』）]*\s*"  # Chinese: no space after a full stop
)
_OPENERS = "\"'«“‘([¿¡"
# Scripts without capital letters: any letter may open a sentence (Arabic, Chinese).
_NO_CASE = re.compile("[\u0600-\u06ff\u3400-\u4dbf\u4e00-\u9fff]")
_LABEL = re.compile(r"\(?(?:\d{1,3}|[a-z]|[ivxlc]{1,6}|[A-Z]|[IVXLC]{1,6})\)?")
_ACRONYM = re.compile(r"(?:\w\.)+\w")  # U.S, e.g, i.e, U.N.D.P


def _starts_sentence(rest: str) -> bool:
    """True when ``rest`` (the text after a candidate boundary) opens a sentence."""
    rest = rest.lstrip(_OPENERS + " \u00a0\u202f")
    return bool(rest) and (rest[0].isupper() or rest[0].isdigit() or bool(_NO_CASE.match(rest)))


def _is_abbreviation(line: str, dot: int) -> bool:
    """True when the period at ``line[dot]`` closes an abbreviation or an initial, not a sentence."""
    if line[dot] != ".":
        return False
    match = re.search(r"(\S+)$", line[:dot])
    if not match:
        return False
    token = match.group(1).lstrip(_OPENERS).rstrip(".")
    folded = token.casefold()
    if folded in ABBREVIATIONS or _ACRONYM.fullmatch(token):
        return True
    # A single letter: an initial ("J. Smith"), a section ("s. 54") or a point ("a.").
    return len(token) == 1 and token.isalpha()


def _line_spans(line: str, offset: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(line):
        if not _starts_sentence(line[m.end() : m.end() + 4]) or _is_abbreviation(line, m.start()):
            continue
        if _LABEL.fullmatch(line[start : m.start()].strip()):
            continue  # "32. En outre": a paragraph number is not a sentence
        end = len(line[: m.end()].rstrip())
        if end > start:
            spans.append((offset + start, offset + end))
        start = m.end()
    tail = line[start:].rstrip()
    if tail.strip():
        lead = len(tail) - len(tail.lstrip())
        spans.append((offset + start + lead, offset + start + len(tail)))
    return spans


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``, in order, without surrounding spaces.

    ``text[start:end]`` is always a slice of the original, so callers can rebuild
    any run of sentences exactly as written.
    """
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        lead = len(line) - len(line.lstrip())
        spans.extend(_line_spans(line.strip(), offset + lead))
        offset += len(line) + 1
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, stripped; ``art. 5``, ``No. 38``, ``U.S.``, ``8.7`` stay whole."""
    return [text[s:e] for s, e in sentence_spans(text)]


def _hard_split(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Cut one over-long sentence into pieces of at most ``max_chars`` at whitespace."""
    pieces: list[tuple[int, int]] = []
    while end - start > max_chars:
        cut = text.rfind(" ", start, start + max_chars + 1)
        if cut <= start:  # one unbroken token longer than max_chars: cut inside it
            cut = start + max_chars
        pieces.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        pieces.append((start, end))
    return pieces


def _pack(spans: list[tuple[int, int]], max_chars: int, overlap: int) -> list[tuple[int, int]]:
    """Group consecutive spans into parts of at most ``max_chars`` (a lone span may exceed it).

    Returns (first, last + 1) span indices. Each part after the first starts with
    up to ``overlap`` spans of the previous one, dropped when they would crowd out
    the part's first new span.
    """
    parts: list[tuple[int, int]] = []
    i = 0
    while i < len(spans):
        first = max(i - overlap, 0) if parts else i
        while first < i and spans[i][1] - spans[first][0] > max_chars:
            first += 1
        j = i + 1
        while j < len(spans) and spans[j][1] - spans[first][0] <= max_chars:
            j += 1
        parts.append((first, j))
        i = j
    return parts


def split_long(text: str, max_chars: int, overlap_sentences: int = 1) -> list[str]:
    """``text`` as one part when it fits ``max_chars``, else as sentence-aligned parts.

    Each part is a slice of ``text``; ``overlap_sentences`` sentences of a part are
    repeated at the start of the next. A sentence is cut only when it is longer
    than twice ``max_chars`` (then at whitespace).
    """
    if len(text) <= max_chars:
        return [text]
    spans: list[tuple[int, int]] = []
    for start, end in sentence_spans(text):
        if end - start > 2 * max_chars:
            spans.extend(_hard_split(text, start, end, max_chars))
        else:
            spans.append((start, end))
    if not spans:
        return [text]
    return [
        text[spans[a][0] : spans[b - 1][1]]
        for a, b in _pack(spans, max_chars, max(overlap_sentences, 0))
    ]
