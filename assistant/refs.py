"""Instrument references in questions: names ("Modern Slavery Act", "loi de vigilance",
"2014/24") and provisions ("s.54", "section 54", "article 9(5)", "52.222-50").

Names are matched against every document's title, short title, symbol and aliases;
provisions against passage locators, both compared in a compact folded form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.table import PassageTable
from indexer.language import fold

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


class NameMatcher:
    """Which documents a question names, by title, short title, symbol or alias."""

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
        self.pattern = (
            re.compile(r"(?<![\w/])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w/])")
            if keys
            else None
        )

    def match(self, question: str) -> dict[str, float]:
        """doc_id → strength (longer, rarer names weigh more)."""
        if self.pattern is None:
            return {}
        text = fold(question)
        found: dict[str, float] = {}
        for m in self.pattern.finditer(text):
            docs = self.names[m.group(1)]
            weight = min(1.0, len(m.group(1)) / 20) / len(docs) ** 0.5
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
