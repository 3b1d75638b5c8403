"""Instrument references in questions: names ("Modern Slavery Act", "loi de vigilance",
"2014/24") and provisions ("s.54", "section 54", "article 9(5)", "52.222-50").

Names are matched against every document's title, short title, symbol and aliases;
provisions against passage locators, both compared in a compact folded form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from assistant.table import PassageTable
from indexer.language import fold, stem

PROVISION = re.compile(
    r"""(?ix)
    (?:
      (?P<kind>articles?|arts?\.?|art[íi]culos?|sections?|secs?\.?|ss?\.|§§?|paragraphs?|paras?\.?|
         par\.|p[áa]rrafos?|regulations?|regs?\.?|r[èe]glements?|points?)
      \s*(?P<num>[a-z]?\.?\s?\d+[a-z]?(?:[.-]\d+)*(?:\s?\(\w{1,4}\))*)
    )
    | (?P<far>\b\d{2}\.\d{3,4}(?:-\d+)?(?:\(\w{1,4}\))*)
    """
)
KIND = {
    "art": "art",
    "section": "s",
    "sec": "s",
    "s": "s",
    "ss": "s",
    "§": "§",
    "paragraph": "para",
    "para": "para",
    "par": "para",
    "parrafo": "para",
    "regulation": "reg",
    "reg": "reg",
    "reglement": "reg",
    "point": "point",
}


def _kind(word: str) -> str:
    if word.startswith("§"):
        return "§"
    w = fold(word).rstrip(".s") or fold(word)
    for key, value in KIND.items():
        if w.startswith(key):
            return value
    return w


def compact(ref: str) -> str:
    """``Art. 57(1)(f)`` → ``57(1)(f)``: digits and brackets only, for comparing."""
    return re.sub(r"[^0-9a-z().-]", "", ref.casefold())


@dataclass(frozen=True)
class Provision:
    kind: str  # art, s, §, para, reg, point, far
    ref: str  # compact form: "9(5)", "54", "52.222-50(h)(1)"


def provisions(question: str) -> list[Provision]:
    out = []
    for m in PROVISION.finditer(question):
        if m.group("far"):
            out.append(Provision("far", compact(m.group("far"))))
        else:
            out.append(Provision(_kind(m.group("kind")), compact(m.group("num"))))
    return out


LOCATOR_REF = re.compile(r"[a-z]?\d+(?:[a-z](?![a-z]))?(?:[.-]\d+)*(?:\(\w{1,4}\))*")


def locator_matches(locator: str, prov: Provision) -> bool:
    """Whether a passage locator falls under the provision (``s. 54(4)`` under ``s. 54``)."""
    if not prov.ref:
        return False
    for ref in LOCATOR_REF.findall(compact(locator.replace(" (", "(").replace(". ", "."))):
        if ref == prov.ref or (ref.startswith(prov.ref) and ref[len(prov.ref)] == "("):
            return True
    return False


_ARABIC = re.compile("[\u0600-\u06ff]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _arabic_name(name: str) -> str:
    """An Arabic name with the clitics it may take: "وبروتوكول", "بالاتفاقية", "للاتفاقية"."""
    if name.startswith("ال"):
        return f"(?:[وف]?[بك]?{re.escape(name)}|[وف]?لل{re.escape(name[2:])})"
    return f"[وف]?[بلك]?{re.escape(name)}"


def _russian_word(word: str) -> str:
    """A word of a Russian name in any case: "палермский" as "палермск" and an ending."""
    root = stem(word, "ru")
    if len(word) > 3 and word.isalpha() and word.startswith(root):
        return re.escape(root) + "[а-яё]*"
    return re.escape(word)


def _name_pattern(name: str) -> str:
    """The pattern of a folded name: itself, or its inflected and prefixed forms."""
    if _ARABIC.search(name):
        return _arabic_name(name)
    if _CYRILLIC.search(name):
        return " ".join(_russian_word(w) for w in name.split(" "))
    return re.escape(name)


def _weight_length(name: str) -> int:
    """A name's length for its weight; a Chinese character says about as much as a word."""
    return len(name) + 2 * sum(map(len, _HAN.findall(name)))


class NameMatcher:
    """Which documents a question names, by title, short title, symbol or alias.

    Names are word-bounded; Arabic names may carry a clitic ("وبروتوكول باليرمو"), Russian
    ones any case ending ("Палермского протокола"); Chinese names, written without spaces,
    are found anywhere in the question ("巴勒莫议定书规定…"). Only the names whose key the
    question holds (``indexer.catalog.schema.question_keys``) are tried, so a store of
    thousands of documents costs a question what a few do.
    """

    def __init__(self, table: PassageTable) -> None:
        self.table = table

    def match(self, question: str) -> dict[str, float]:
        """doc_id → strength (longer, rarer names weigh more)."""
        text = fold(question)
        # Chinese characters around a name written in letters ("欧盟2014/24/EU指令") part
        # from it as spaces would.
        apart = _HAN.sub(r" \g<0> ", text) if _HAN.search(text) else text
        names = self.table.names(text, apart)
        if not names:
            return {}
        found: dict[str, float] = {}
        for name in _places(names, text, apart):
            docs = names[name]
            weight = min(1.0, _weight_length(name) / 20) / len(docs) ** 0.5
            for doc_id in docs:
                found[doc_id] = max(found.get(doc_id, 0.0), weight)
        return found


def _places(names: Iterable[str], text: str, apart: str) -> list[str]:
    """The names the question holds, read as one alternation of them, longest first, would
    read it: from left to right, the longest name at each place, no overlaps (names in
    letters in ``apart``, Chinese names anywhere in ``text``)."""
    spaced: list[tuple[int, int, str]] = []
    chinese: list[tuple[int, int, str]] = []
    for name in names:
        if _HAN.search(name):
            chinese += _occurrences(name, text, bounded=False)
        else:
            spaced += _occurrences(name, apart, bounded=True)
    return _leftmost_longest(spaced) + _leftmost_longest(chinese)


def _occurrences(name: str, text: str, bounded: bool) -> list[tuple[int, int, str]]:
    """(start, end, name) of each place ``name`` (or, for Arabic and Russian names, one of
    its forms) stands in ``text``; ``bounded``: not inside a word or a symbol."""
    pattern = _form(name)
    if pattern is None:  # the name as it is written: plain string search
        out, at = [], text.find(name)
        while at >= 0:
            out.append((at, at + len(name)))
            at = text.find(name, at + 1)
    else:
        out = [(m.start(), m.end()) for m in pattern.finditer(text)]
    if bounded:
        out = [(a, b) for a, b in out if not _inside(text, a - 1) and not _inside(text, b)]
    return [(a, b, name) for a, b in out]


def _inside(text: str, i: int) -> bool:
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] in "_/")


def _form(name: str) -> re.Pattern | None:
    """The compiled pattern of a name with other forms (Arabic clitics, Russian endings);
    None for a name that has only itself (tested first: a large store offers a question
    thousands of candidate names, and escaping each one cost more than finding it)."""
    if not (_ARABIC.search(name) or _CYRILLIC.search(name)):
        return None
    return _inflected(name)


@lru_cache(maxsize=4096)
def _inflected(name: str) -> re.Pattern | None:
    pattern = _name_pattern(name)
    return None if pattern == re.escape(name) else re.compile(pattern)


def _leftmost_longest(found: list[tuple[int, int, str]]) -> list[str]:
    out, end = [], 0
    for start, stop, name in sorted(found, key=lambda f: (f[0], -len(f[2]), f[2])):
        if start >= end:
            out.append(name)
            end = stop
    return out


JURISDICTION_NAMES: dict[str, list[str]] = {
    "GB": [
        "united kingdom",
        "uk",
        "britain",
        "great britain",
        "england",
        "royaume-uni",
        "reino unido",
        "british",
        "britannique",
        "britanico",
    ],
    "FR": ["france", "french", "francais", "francaise", "francia", "frances"],
    "DE": ["germany", "german", "allemagne", "allemand", "alemania", "aleman"],
    "NL": ["netherlands", "dutch", "pays-bas", "neerlandais", "paises bajos", "holanda"],
    "NO": ["norway", "norwegian", "norvege", "noruega"],
    "US": [
        "united states",
        "usa",
        "u.s",
        "american",
        "etats-unis",
        "estados unidos",
        "estadounidense",
    ],
    "AU": ["australia", "australian", "australie", "australien"],
    "CA": ["canada", "canadian", "canadien", "canadienne", "canadiense"],
    "CH": ["switzerland", "swiss", "suisse", "suiza", "suizo"],
    "BR": ["brazil", "brazilian", "bresil", "brasil", "bresilien", "brasileno"],
    "EU": ["european union", "eu", "union europeenne", "ue", "union europea"],
    "COE": ["council of europe", "conseil de l'europe", "consejo de europa"],
    "OSCE": ["osce"],
    "OAS": ["organization of american states", "oas", "oea"],
    "ASEAN": ["asean", "south-east asia", "southeast asia", "asie du sud-est", "sudeste asiatico"],
    "AFUNION": ["african union", "union africaine", "union africana"],
    "UN": ["united nations", "nations unies", "naciones unidas"],
}
_JUR_INDEX = {name: code for code, names in JURISDICTION_NAMES.items() for name in names}
_JUR_PATTERN = re.compile(
    r"(?<![\w])("
    + "|".join(re.escape(n) for n in sorted(_JUR_INDEX, key=len, reverse=True))
    + r")(?![\w])"
)


def jurisdictions(question: str) -> set[str]:
    """Jurisdiction codes a question names ("in France", "au Royaume-Uni", "en Alemania")."""
    return {_JUR_INDEX[m.group(1)] for m in _JUR_PATTERN.finditer(fold(question))}


def strip_jurisdictions(question: str) -> str:
    """The question without its jurisdiction names (to re-ask it about another one)."""
    preps = r"(?:\b(?:in|of|the|for|au|aux|en|el|la|le|les|de|du|des|del|l')\s*)*"
    pattern = re.compile(preps + _JUR_PATTERN.pattern)
    return re.sub(r"\s+", " ", pattern.sub(" ", fold(question))).strip(" ,?")
