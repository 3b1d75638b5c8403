"""The glossary of the field (``glossary.yaml``), used to carry a question's terms across
languages.

Each concept lists how English, French and Spanish texts say it. The lexical side of
retrieval looks for the question's concepts in each language's own words, so an English
question about "due diligence" also matches "devoir de vigilance" in a French passage.
Terms are compared folded and stemmed (``indexer.language``); acronyms in capitals only
when written in capitals.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from indexer.language import fold, stem

LANGS = ("en", "fr", "es")

CONCEPTS: list[dict[str, list[str]]] = yaml.safe_load(
    Path(__file__).with_name("glossary.yaml").read_text(encoding="utf-8")
)


def _stems(text: str, lang: str) -> tuple[str, ...]:
    return tuple(stem(w, lang) for w in fold(text).replace("'", " ").split())


def _acronym(term: str) -> bool:
    return (
        len(term) >= 2 and term.replace("-", "").isalpha() and sum(c.isupper() for c in term) >= 2
    )


def _index() -> dict[tuple[str, ...], int]:
    """Each term of each concept, stemmed in its own language: "bidders" finds "bidder"."""
    out: dict[tuple[str, ...], int] = {}
    for i, concept in enumerate(CONCEPTS):
        for lang in LANGS:
            for term in concept[lang]:
                if _acronym(term):
                    continue
                key = _stems(term, lang)
                if len(key) == 1 and len(key[0]) < 4:
                    # A stem this short collides with words of other languages (Spanish
                    # "canadiense" stems to "can"): the whole word must match instead.
                    key = tuple(fold(term).split())
                out.setdefault(key, i)
    return out


def _acronyms() -> dict[str, int]:
    return {t: i for i, c in enumerate(CONCEPTS) for lang in LANGS for t in c[lang] if _acronym(t)}


TERM_INDEX = _index()
ACRONYMS = _acronyms()
_ACRONYM_RE = re.compile(
    r"(?<![\w-])("
    + "|".join(sorted(map(re.escape, ACRONYMS), key=len, reverse=True))
    + r")(?![\w-])"
)
MAX_TERM_WORDS = max(len(t) for t in TERM_INDEX)


def find_concepts(text: str) -> list[tuple[int, str]]:
    """(concept index, matched words) for each glossary term in ``text``, longest match first.

    The text is read with each glossary language's stemmer in turn, so plural and
    inflected forms match; a term found in several readings counts once.
    """
    raw = fold(text).replace("'", " ").split()
    found: dict[int, str] = {ACRONYMS[m.group(1)]: m.group(1) for m in _ACRONYM_RE.finditer(text)}
    for lang in LANGS:
        stems = [stem(w, lang) for w in raw]
        i = 0
        while i < len(stems):
            for n in range(min(MAX_TERM_WORDS, len(stems) - i), 0, -1):
                key = tuple(stems[i : i + n])
                if key in TERM_INDEX:
                    found.setdefault(TERM_INDEX[key], " ".join(raw[i : i + n]))
                    i += n
                    break
            else:
                i += 1
    return list(found.items())


def translations(text: str, lang: str) -> list[str]:
    """The terms, in ``lang``, of every concept found in ``text`` (any language)."""
    out: list[str] = []
    for idx, _ in find_concepts(text):
        out.extend(CONCEPTS[idx][lang])
    return out
