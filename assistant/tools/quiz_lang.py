"""The words a training question needs in English, French and Spanish: how to name an
instrument inside a sentence (with the right article: "under the UK Modern Slavery Act",
"en vertu de la loi britannique…", "según la Ley…"), how to write an amount or a headcount,
and how to finish a question in each language.

Names come from the card: its short title in English, its first French or Spanish alias
otherwise (the aliases are the names people use in those languages).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.tools.records import Record

LANGS = ("en", "fr", "es")
LANG_NAMES = {"en": "English", "fr": "Français", "es": "Español"}

# Headings and notes of the exported quiz, in the quiz's language.
EXPORT_WORDS: dict[str, dict] = {
    "en": {"title": "Training quiz", "questions": "Questions", "key": "Answer key",
           "source": "Source", "scope": "Scope", "all": "all instruments",
           "count": "{n} questions", "verified": "verified", "seed": "Shuffled (seed {seed})",
           "levels": {"recall": "Recall", "application": "Application (short cases)",
                      "mixed": "Recall and application"}},
    "fr": {"title": "Quiz de formation", "questions": "Questions", "key": "Corrigé",
           "source": "Source", "scope": "Champ", "all": "tous les instruments",
           "count": "{n} questions", "verified": "vérifiée",
           "seed": "Ordre aléatoire (graine {seed})",
           "levels": {"recall": "Connaissances", "application": "Mises en situation",
                      "mixed": "Connaissances et mises en situation"}},
    "es": {"title": "Cuestionario de formación", "questions": "Preguntas", "key": "Respuestas",
           "source": "Fuente", "scope": "Ámbito", "all": "todos los instrumentos",
           "count": "{n} preguntas", "verified": "verificada",
           "seed": "Orden aleatorio (semilla {seed})",
           "levels": {"recall": "Conocimientos", "application": "Casos prácticos",
                      "mixed": "Conocimientos y casos prácticos"}},
}  # fmt: skip

# The document a point is about ("the statement"), and with "to" ("à la déclaration").
DOCS = {
    "en": {"vigilance plan": ("the vigilance plan",) * 2, "compliance plan": ("the plan",) * 2,
           "plan": ("the plan",) * 2, "statement": ("the statement",) * 2,
           "disclos": ("the disclosure",) * 2, "report": ("the report",) * 2},
    "fr": {"vigilance plan": ("le plan de vigilance", "au plan de vigilance"),
           "compliance plan": ("le plan de conformité", "au plan de conformité"),
           "plan": ("le plan", "au plan"), "statement": ("la déclaration", "à la déclaration"),
           "disclos": ("les informations publiées", "aux informations publiées"),
           "report": ("le rapport", "au rapport")},
    "es": {"vigilance plan": ("el plan de vigilancia", "al plan de vigilancia"),
           "compliance plan": ("el plan de cumplimiento", "al plan de cumplimiento"),
           "plan": ("el plan", "al plan"), "statement": ("la declaración", "a la declaración"),
           "disclos": ("la información publicada", "a la información publicada"),
           "report": ("el informe", "al informe")},
}  # fmt: skip

# English: no article before a possessive ("Australia's …") or a numbered designation
# ("ECOSOC resolution 2021/25", "US Executive Order 13627", "CEDAW General Recommendation No. 38").
_EN_NO_ARTICLE = re.compile(
    r"^\S+'s\s|^Directive\s\d|\b(resolution|Decision|Order|clause|Subpart|No\.)\s*\d", re.I
)
_EN_PLURAL = re.compile(r"\b(Principles|Guidelines|Regulations|rules|targets)\b")

# French and Spanish: the article of an alias, from its first word.
_FR_ARTICLE = {
    "la": "loi directive convention recommandation résolution stratégie politique déclaration "
    "décision note clause liste carte ordonnance législation boîte initiative",
    "le": "règlement protocole plan pacte guide manuel code registre rapport décret cadre "
    "groupe forum recueil programme corps deuxième document",
    "les": "principes directives lignes",
    "l'": "article ensemble étude équipe application",
}
_ES_ARTICLE = {
    "la": "ley directiva convención recomendación resolución estrategia política declaración "
    "decisión nota cláusula lista orden ordenanza guía caja agenda red sección aplicación "
    "legislación dependencia herramienta",
    "el": "reglamento protocolo plan pacto manual código registro informe convenio marco grupo "
    "foro compendio documento mapa segundo ii estudio",
    "los": "principios",
    "las": "directrices líneas",
}
# A title that starts with a verb ("Mettre fin à l'exploitation") is named by the card's type.
_FR_TYPE = {
    "report": "le rapport",
    "toolkit": "la boîte à outils",
    "guidance": "le guide",
    "initiative": "l'initiative",
}
_ES_TYPE = {
    "report": "el informe",
    "toolkit": "la herramienta",
    "guidance": "la guía",
    "initiative": "la iniciativa",
}
_BODIES = {"groupe", "équipe", "corps", "réseau", "grupo", "red", "dependencia", "foro"}
_FR_OF = {"la": "de la", "le": "du", "les": "des", "l'": "de l'"}
_FR_TO = {"la": "à la", "le": "au", "les": "aux", "l'": "à l'"}
_ES_OF = {"la": "de la", "el": "del", "los": "de los", "las": "de las"}


@dataclass(frozen=True)
class Name:
    """An instrument as a sentence names it in one language.

    ``name``: "the UK Modern Slavery Act" / "la loi britannique…"; ``of``: "of the …" / "de la
    loi…" / "del Reglamento…"; ``under``: "under the …" for a binding text, "according to
    the …" otherwise; ``plural``: the name takes a plural verb ("the UN Guiding Principles").
    """

    name: str
    of: str
    by: str
    under: str
    plural: bool = False
    body: bool = False  # the name is a body ("Groupe interinstitutions…"), not a text


def _alias(card: Record, lang: str) -> str:
    """The first alias in ``lang``; the second when the first is a full official title too
    long for a question ("Protocole additionnel à la Convention…" -> "Protocole de Palerme")."""
    aliases = card.get("aliases", {}) or {}
    found = [str(a).strip() for a in (aliases.get(lang) or [])] if isinstance(aliases, dict) else []
    if len(found) > 1 and len(found[0]) > 90 and _head(found[1]) == _head(found[0]):
        return found[1]
    return found[0] if found else ""


def _head(alias: str) -> str:
    return re.split(r"[\s']", alias, maxsplit=1)[0].casefold()


def _article(word: str, table: dict[str, str]) -> str:
    word = word.casefold()
    return next((art for art, words in table.items() if word in words.split()), "")


def english_name(card: Record) -> Name:
    label = card.label.split(" and the ")[0]  # "GA resolution 61/180 and the ICAT …"
    bare = re.sub(r"\([^)]*\)", "", label)
    name = label if _EN_NO_ARTICLE.search(label) else f"the {label}"
    under = "under" if card.binding == "yes" else "according to"
    return Name(name, f"of {name}", f"by {name}", f"{under} {name}", bool(_EN_PLURAL.search(bare)))


def french_name(card: Record) -> Name:
    alias = _alias(card, "fr")
    if not alias:
        return english_name(card)
    article = _article(re.split(r"[\s']", alias)[0], _FR_ARTICLE)
    if article:
        glue = "" if article == "l'" else " "
        name, of = f"{article}{glue}{alias}", f"{_FR_OF[article]}{glue}{alias}"
    else:
        typed = _FR_TYPE.get(card.type, "le document")
        article = typed.split()[0] if " " in typed else "l'"
        name = f"{typed} « {alias} »"
        of = ("de " + name) if name.startswith("l'") else name.replace(article, _FR_OF[article], 1)
    under = f"en vertu {of}" if card.binding == "yes" else f"selon {name}"
    return Name(name, of, f"par {name}", under, article == "les", _head(alias) in _BODIES)


def spanish_name(card: Record) -> Name:
    alias = _alias(card, "es")
    if not alias:
        return english_name(card)
    article = _article(alias.split()[0], _ES_ARTICLE)
    if article:
        name, of = f"{article} {alias}", f"{_ES_OF[article]} {alias}"
    else:
        typed = _ES_TYPE.get(card.type, "el documento")
        article = typed.split()[0]
        name, of = f"{typed} «{alias}»", f"{_ES_OF[article]} {typed.split(' ', 1)[1]} «{alias}»"
    body = _head(alias) in _BODIES
    return Name(name, of, f"por {name}", f"según {name}", article in ("los", "las"), body)


def instrument_name(card: Record, lang: str) -> Name:
    """How questions in ``lang`` name the card's instrument."""
    return {"fr": french_name, "es": spanish_name}.get(lang, english_name)(card)


_AGREE = re.compile(r"\{pl:([^|}]*)\|([^}]*)\}")


def agree(template: str, plural: bool) -> str:
    """``{pl:couvre|couvrent}`` in a template: the verb agreeing with the instrument's name."""
    return _AGREE.sub(lambda m: m.group(2 if plural else 1), template)


def finish(question: str, lang: str) -> str:
    """Capital first letter (after "¿" in Spanish), one space before "?" in French, no doubled
    spaces."""
    question = " ".join(question.split())
    start = 1 if question.startswith("¿") else 0
    question = question[:start] + question[start : start + 1].upper() + question[start + 1 :]
    question = question.rstrip(" ?")
    return question + (" ?" if lang == "fr" else "?")


# -- amounts and headcounts -------------------------------------------------------------------

_SCALE = {"en": ("million", "billion"), "fr": ("millions", "milliards"), "es": ("millones", "")}


def _group(n: int, lang: str) -> str:
    text = f"{n:,}"
    return {"fr": text.replace(",", "\u202f"), "es": text.replace(",", ".")}.get(lang, text)


def _decimal(x: float, lang: str) -> str:
    text = f"{x:g}"
    return text.replace(".", ",") if lang in ("fr", "es") else text


def money(amount: float, currency: str, lang: str) -> str:
    """``GBP 36 million`` / ``36 millions GBP`` / ``36 millones GBP``; plain figures below a million."""
    million, billion = _SCALE.get(lang, _SCALE["en"])
    if amount >= 1e9 and billion:
        billion = billion.rstrip("s") if lang == "fr" and amount < 2e9 else billion
        figure = f"{_decimal(amount / 1e9, lang)} {billion}"
    elif amount >= 1e6 and amount % 1e5 == 0:
        millions = amount / 1e6
        figure = _group(int(millions), lang) if millions.is_integer() else _decimal(millions, lang)
        figure = f"{figure} {million}"
        if lang == "fr" and amount == 1e6:
            figure = "1 million"
        if lang == "es" and amount == 1e6:
            figure = "1 millón"
    else:
        figure = _group(int(amount), lang)
    return f"{currency} {figure}" if lang == "en" else f"{figure} {currency}"


def headcount(n: int, lang: str) -> str:
    word = {"en": "employees", "fr": "salariés", "es": "empleados"}.get(lang, "employees")
    return f"{_group(n, lang)} {word}"
