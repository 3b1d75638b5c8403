"""The glossary of the field (``glossary.yaml``), used to carry a question's terms across
languages.

Each concept lists how English, French, Spanish, Arabic, Chinese and Russian texts say
it. The lexical side of retrieval looks for the question's concepts in each language's
own words, so an English question about "due diligence" also matches "devoir de
vigilance" in a French passage, and an Arabic question about "العمل الجبري" finds "forced
labour". Terms are compared folded and stemmed (``indexer.language``); acronyms in
capitals only when written in capitals. English, French and Spanish are split on spaces;
Arabic and Russian are read with the project's tokens (cut at hyphens) and stemmers, so
"بالعمل الجبري" and "принудительного труда" match; Chinese, written without spaces, with
jieba's words, a term matching a run of whole words ("强迫" + "劳动"), so "法国" is not
found inside "非法国际".
"""

from __future__ import annotations

import re
from pathlib import Path

from indexer.language import fold, has_han, stem, words
from indexer.metadata import load_yaml

LANGS = ("en", "fr", "es", "ar", "zh", "ru")
_SPACED = ("en", "fr", "es")  # split on spaces, as before the other three joined
_SCRIPT = {
    "ar": re.compile("[\u0600-\u06ff\u0750-\u077f]"),
    "ru": re.compile("[\u0400-\u04ff]"),
    "zh": re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"),
}
_OTHER = re.compile("|".join(p.pattern for p in _SCRIPT.values()))  # not read as Latin words
_HAN_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

CONCEPTS: list[dict[str, list[str]]] = load_yaml(
    Path(__file__).with_name("glossary.yaml").read_text(encoding="utf-8")
)


def _words(text: str, lang: str) -> list[str | None]:
    """The words of ``text`` as the glossary reads it in ``lang``. A word in another script
    than the language's is None: it matches nothing, and no term spans it."""
    if lang in _SPACED:
        return [None if _OTHER.search(w) else w for w in fold(text).replace("'", " ").split()]
    if lang == "zh":
        return [w if has_han(w) else None for w in words(text)]
    parts = [p for w in words(text) for p in re.split(r"[./-]", w) if p]
    return [p if _SCRIPT[lang].search(p) else None for p in parts]


def _key(stems: list[str], lang: str) -> tuple[str, ...]:
    """The index key of a run of stems: Chinese words are joined, since jieba may cut a
    term one way alone and another way in a sentence."""
    return ("".join(stems),) if lang == "zh" else tuple(stems)


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
                if lang == "zh":  # its Chinese words, joined: its characters (no jieba needed)
                    key = ("".join(_HAN_RUN.findall(fold(term))),)
                else:
                    key = _key([stem(w, lang) for w in _words(term, lang) if w], lang)
                if len(key) == 1 and len(key[0]) < 4:
                    # A stem this short collides with words of other languages (Spanish
                    # "canadiense" stems to "can"): the whole word must match instead.
                    key = _key(fold(term).split(), lang)
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
# The most words a Chinese term may be cut into: one per character.
_LONGEST = {lang: MAX_TERM_WORDS for lang in LANGS} | {
    "zh": max(len(t) for c in CONCEPTS for t in c["zh"])
}


def _readings(text: str) -> list[tuple[str, list[str | None], list[str | None]]]:
    """(language, words, stems) for each glossary language whose script the text uses."""
    out = []
    for lang in LANGS:
        if lang not in _SPACED and not _SCRIPT[lang].search(text):
            continue
        raw = _words(text, lang)
        out.append((lang, raw, [None if w is None else stem(w, lang) for w in raw]))
    return out


def find_concepts(text: str) -> list[tuple[int, str]]:
    """(concept index, matched words) for each glossary term in ``text``, longest match first.

    The text is read with each glossary language's stemmer in turn, so plural and
    inflected forms match; a term found in several readings counts once.
    """
    # An acronym beside Chinese characters ("根据OECD指南") stands apart like a word.
    spaced = _HAN_RUN.sub(r" \g<0> ", text) if has_han(text) else text
    found: dict[int, str] = {ACRONYMS[m.group(1)]: m.group(1) for m in _ACRONYM_RE.finditer(spaced)}
    for lang, raw, stems in _readings(text):
        glue = "" if lang == "zh" else " "
        i = 0
        while i < len(stems):
            for n in range(min(_LONGEST[lang], len(stems) - i), 0, -1):
                run = stems[i : i + n]
                if None in run:
                    continue
                key = _key(run, lang)
                if key in TERM_INDEX:
                    found.setdefault(TERM_INDEX[key], glue.join(raw[i : i + n]))
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
