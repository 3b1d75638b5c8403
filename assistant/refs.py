"""Instrument references in questions: names ("Modern Slavery Act", "loi de vigilance",
"2014/24") and provisions ("s.54", "section 54", "article 9(5)", "52.222-50").

Names are matched against every document's title, short title, symbol and aliases;
provisions against passage locators, both compared in a compact folded form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


NAME_MIN = 4
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
    are found anywhere in the question ("巴勒莫议定书规定…").
    """

    def __init__(self, table: PassageTable) -> None:
        names: dict[str, set[str]] = {}
        for doc_id, rows in table.by_doc.items():
            meta = table.records[rows[0]].meta
            raw = [meta.get("title", ""), meta.get("short_title", ""), meta.get("symbol", "")]
            raw += str(meta.get("aliases", "")).split(" | ")
            for name in raw:
                key = fold(name).strip(" .")
                if len(key) >= NAME_MIN or (len(key) >= 3 and any(c.isdigit() for c in key)):
                    names.setdefault(key, set()).add(doc_id)
        self.names = names
        # One alternation, longest first, word-bounded: a few hundred names stay fast.
        keys = sorted(names, key=len, reverse=True)
        spaced = [k for k in keys if not _HAN.search(k)]
        chinese = [k for k in keys if _HAN.search(k)]
        self.pattern = (
            re.compile(r"(?<![\w/])(" + "|".join(map(_name_pattern, spaced)) + r")(?![\w/])")
            if spaced
            else None
        )
        self.chinese = re.compile("|".join(map(re.escape, chinese))) if chinese else None
        # Names matched in another form than their own: which one a match was.
        self.forms = [
            (re.compile(_name_pattern(k)), k) for k in spaced if _name_pattern(k) != re.escape(k)
        ]

    def _named(self, found: str) -> list[str]:
        if found in self.names:
            return [found]
        return [k for form, k in self.forms if form.fullmatch(found)]

    def match(self, question: str) -> dict[str, float]:
        """doc_id → strength (longer, rarer names weigh more)."""
        if self.pattern is None and self.chinese is None:
            return {}
        text = fold(question)
        hits: list[str] = []
        if self.pattern is not None:
            # Chinese characters around a name written in letters ("欧盟2014/24/EU指令") part
            # from it as spaces would.
            apart = _HAN.sub(r" \g<0> ", text) if _HAN.search(text) else text
            hits += [m.group(1) for m in self.pattern.finditer(apart)]
        if self.chinese is not None:
            hits += [m.group(0) for m in self.chinese.finditer(text)]
        found: dict[str, float] = {}
        for hit in hits:
            for name in self._named(hit):
                docs = self.names[name]
                weight = min(1.0, _weight_length(name) / 20) / len(docs) ** 0.5
                for doc_id in docs:
                    found[doc_id] = max(found.get(doc_id, 0.0), weight)
        return found


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
