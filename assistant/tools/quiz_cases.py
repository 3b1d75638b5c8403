"""Thresholds and short cases: the questions that need a figure read from a point.

``thresholds`` reads the minimum figures a point sets (a turnover "of at least GBP 36
million", a workforce "of more than 1,000 employees", a contract value). A recall question
asks for the figure; an application question puts a company just above or below it and
asks whether the figure is met. Other cases put a bidder in front of an exclusion ground,
an exclusion period or a self-cleaning rule, or a company in front of a due diligence duty.

Every case answer says only what follows from comparing the case with the point, names the
point's own figure, and then quotes the point: nothing beyond what the point states.
"""

from __future__ import annotations

import math
import re
import zlib
from dataclasses import dataclass

from assistant.tools.quiz_lang import agree, finish, headcount, instrument_name, money
from assistant.tools.quiz_templates import SKIP_LABEL, family_of, modal_is_soft
from assistant.tools.records import Point, Record

_MONEY = re.compile(
    r"\b(GBP|EUR|USD|AUD|CAD|CHF|NOK)\s?(\d{1,3}(?:,\d{3})*(?:\.\d+)?)(?:\s?(million|billion)\b)?"
)
_STAFF = re.compile(r"\b(\d{1,3}(?:,\d{3})*)\s+(?:full-time\s+)?(?:employees|people|workers)\b")
# "at least 1,000 (from 2024)": a bare figure in a point that already counts people
_BARE = re.compile(
    r"\b(?:at least|more than|above)\s+(\d{1,3}(?:,\d{3})+|\d+)(?![\d,])(?!\s*[A-Za-z%])"
)
_MINIMUM = re.compile(r"(at least|more than|above|over|exceeding|minimum of)\s*$", re.I)
_TURNOVER = re.compile(r"turnover|revenue|receipts", re.I)
_COVER = re.compile(r"^who |covered|reporting entities|^scope|entities|companies", re.I)
_REPORT = re.compile(r"report", re.I)


@dataclass(frozen=True)
class Threshold:
    metric: str  # "turnover", "staff" or "value" (of a contract)
    values: tuple[float, ...]
    currency: str = ""
    word: str = "turnover"  # how the point calls it: turnover, revenue, gross receipts


def _number(text: str, scale: str | None = None) -> float:
    return float(text.replace(",", "")) * {"million": 1e6, "billion": 1e9}.get(scale or "", 1)


def thresholds(point: Point) -> list[Threshold]:
    """The minimum figures a point of a coverage or compliance-plan label sets, by metric."""
    text, found = point.text, []
    if not point.label or SKIP_LABEL.search(point.label):
        return []
    amounts = list(_MONEY.finditer(text))
    if _COVER.search(point.label) and amounts:
        turnover = [
            m for m in amounts if _TURNOVER.search(text[max(0, m.start() - 60) : m.start()])
        ]
        if any(_MINIMUM.search(text[: m.start()]) for m in turnover):
            word = _TURNOVER.search(text).group(0).casefold()
            word = "gross receipts" if word == "receipts" else word
            values = tuple(_number(m.group(2), m.group(3)) for m in turnover)
            found.append(Threshold("turnover", values, turnover[0].group(1), word))
    staff = [m for m in _STAFF.finditer(text) if _MINIMUM.search(text[: m.start()])]
    if _COVER.search(point.label) and staff:
        values = [_number(m.group(1)) for m in staff]
        values += [_number(m.group(1)) for m in _BARE.finditer(text)]
        found.append(Threshold("staff", tuple(sorted(set(values)))))
    if re.search(r"compliance plan", point.label, re.I) and amounts:
        values = tuple(_number(m.group(2), m.group(3)) for m in amounts)
        found.append(Threshold("value", values, amounts[0].group(1), "value"))
    return found


def _figure(t: Threshold, value: float, lang: str) -> str:
    return headcount(int(value), lang) if t.metric == "staff" else money(value, t.currency, lang)


def _listed(t: Threshold, lang: str) -> str:
    return (" ; " if lang == "fr" else "; ").join(
        _figure(t, v, lang) for v in dict.fromkeys(t.values)
    )


def _nice(x: float, up: bool) -> float:
    """Two significant figures, rounded away from the threshold."""
    step = 10 ** (math.floor(math.log10(x)) - 1)
    return (math.ceil(x / step) if up else math.floor(x / step)) * step


_ASK = {
    ("en", "turnover"): "A company has {has} of {case}. {q}",
    ("fr", "turnover"): "Une entreprise réalise un chiffre d'affaires annuel de {case}. {q}",
    ("es", "turnover"): "Una empresa tiene un volumen de negocios anual de {case}. {q}",
    ("en", "staff"): "A company has {case}. {q}",
    ("fr", "staff"): "Une entreprise emploie {case}. {q}",
    ("es", "staff"): "Una empresa tiene {case}. {q}",
    ("en", "value"): "Services worth {case} under a federal contract are to be performed "
    "outside the United States. {q}",
    ("fr", "value"): "Des services d'une valeur de {case} prévus par un marché fédéral doivent "
    "être exécutés hors des États-Unis. {q}",
    ("es", "value"): "Unos servicios por valor de {case} previstos en un contrato federal van a "
    "prestarse fuera de Estados Unidos. {q}",
}
_TEST = {
    ("en", "turnover"): "{its} high enough to bring it within the scope {of}?",
    ("fr", "turnover"): "Ce chiffre d'affaires suffit-il à la faire entrer dans le champ "
    "d'application {of} ?",
    ("es", "turnover"): "¿Basta ese volumen de negocios para que quede dentro del ámbito de "
    "aplicación {of}?",
    ("en", "staff"): "Is its workforce large enough to bring it within the scope {of}?",
    ("fr", "staff"): "Cet effectif suffit-il à la faire entrer dans le champ d'application {of} ?",
    ("es", "staff"): "¿Basta esa plantilla para que quede dentro del ámbito de aplicación {of}?",
    ("en", "value"): "{Under}, must the contractor have a compliance plan?",
    ("fr", "value"): "{Under}, le titulaire doit-il disposer d'un plan de conformité ?",
    ("es", "value"): "{Under}, ¿debe el contratista disponer de un plan de cumplimiento?",
}
_REPORT_TEST = {
    ("en", "turnover"): "{its} high enough for it to have to report {under}?",
    ("fr", "turnover"): "Ce chiffre d'affaires suffit-il pour qu'elle soit tenue de faire "
    "rapport {under} ?",
    ("es", "turnover"): "¿Basta ese volumen de negocios para que esté obligada a informar {under}?",
}
_VERDICT = {
    ("en", True): "Yes, as far as this figure goes: {case} is above the threshold the point "
    "sets ({limit}). Check the point's other conditions too.",
    (
        "en",
        False,
    ): "No, not on this figure: {case} is below the threshold the point sets ({limit}).",
    ("fr", True): "Oui, pour ce critère : {case} dépasse le seuil fixé par le point ({limit}). "
    "Vérifiez aussi les autres conditions du point.",
    ("fr", False): "Non, pas sur ce critère : {case} est inférieur au seuil fixé par le point "
    "({limit}).",
    ("es", True): "Sí, en cuanto a esta cifra: {case} supera el umbral que fija el punto "
    "({limit}). Compruebe también las demás condiciones del punto.",
    ("es", False): "No, no por esta cifra: {case} es inferior al umbral que fija el punto "
    "({limit}).",
}
_EN_WORDS = {
    "turnover": ("an annual turnover", "Is its turnover"),
    "revenue": ("an annual revenue", "Is its revenue"),
    "gross receipts": ("annual gross receipts", "Are its gross receipts"),
    "value": ("", ""),
}
_QUOTE = {"en": "The point reads: “{text}”", "fr": "Le point dit : « {text} »",
          "es": "El punto dice: «{text}»"}  # fmt: skip


def quoted(text: str, lang: str) -> str:
    return _QUOTE[lang].format(text=text.rstrip(". ") + ".")


def threshold_case(card: Record, point: Point, text: str, lang: str) -> list[tuple[str, str]]:
    """``(question, answer)`` cases around each threshold of the point, above or below it
    (which one is fixed per point, so a set is the same every time)."""
    name, out = instrument_name(card, lang), []
    for t in thresholds(point):
        above = zlib.crc32(f"{card.id}:{point.n}:{t.metric}".encode()) % 2 == 0
        case = _nice(max(t.values) * 1.4, True) if above else _nice(min(t.values) * 0.6, False)
        tests = _REPORT_TEST if _REPORT.search(point.label) else _TEST
        test = tests.get((lang, t.metric), _TEST[(lang, t.metric)])
        has, its = _EN_WORDS[t.word]
        slots = {"of": name.of, "under": name.under, "Under": name.under, "its": its}
        question = _ASK[(lang, t.metric)].format(
            case=_figure(t, case, lang), has=has, q=test.format(**slots)
        )
        verdict = _VERDICT[(lang, above)].format(
            case=_figure(t, case, lang), limit=_listed(t, lang)
        )
        out.append((finish(_capital_after_stop(question), lang), f"{verdict} {quoted(text, lang)}"))
    return out


def _capital_after_stop(text: str) -> str:
    return re.sub(r"([.?] )([a-zé¿]+)", lambda m: m.group(1) + _cap(m.group(2)), text)


def _cap(word: str) -> str:
    return (
        "¿" + word[1:2].upper() + word[2:] if word.startswith("¿") else word[:1].upper() + word[1:]
    )


# -- cases on exclusion and due diligence -----------------------------------------------------

_CONVICTED = {
    "en": "A contracting authority learns that a bidder's managing director was finally "
    "convicted of trafficking in human beings last year. {Under}, what must the authority do?",
    "fr": "Un pouvoir adjudicateur apprend que le directeur général d'un soumissionnaire a été "
    "définitivement condamné l'an dernier pour traite des êtres humains. {Under}, que doit faire "
    "le pouvoir adjudicateur ?",
    "es": "Un poder adjudicador se entera de que el director general de un licitador fue "
    "condenado en firme el año pasado por trata de seres humanos. {Under}, ¿qué debe hacer el "
    "poder adjudicador?",
}
_CONVICTED_KEY = {
    "en": "Exclude the bidder: the point makes such a conviction a mandatory exclusion ground.",
    "fr": "Exclure le soumissionnaire : le point fait d'une telle condamnation un motif "
    "d'exclusion obligatoire.",
    "es": "Excluir al licitador: el punto hace de tal condena un motivo de exclusión obligatoria.",
}
_LAPSED = {
    "en": "A bidder's managing director was convicted of trafficking in human beings {n} years "
    "ago, a mandatory exclusion ground, and no judgment fixed an exclusion period. {Under}, can "
    "the bidder still be excluded on that ground?",
    "fr": "Le directeur général d'un soumissionnaire a été condamné il y a {n} ans pour traite "
    "des êtres humains, motif d'exclusion obligatoire, et aucun jugement n'a fixé de durée "
    "d'exclusion. {Under}, le soumissionnaire peut-il encore être exclu pour ce motif ?",
    "es": "El director general de un licitador fue condenado hace {n} años por trata de seres "
    "humanos, motivo de exclusión obligatoria, y ninguna sentencia fijó la duración de la "
    "exclusión. {Under}, ¿puede todavía excluirse al licitador por ese motivo?",
}
_LAPSED_KEY = {
    "en": "No: the point limits exclusion to {m} years from the conviction.",
    "fr": "Non : le point limite l'exclusion à {m} ans à compter de la condamnation.",
    "es": "No: el punto limita la exclusión a {m} años desde la condena.",
}
_CLEANED = {
    "en": "A bidder whose manager was convicted of trafficking has paid compensation to the "
    "victims, cooperated with the investigators and dismissed the manager. {Under}, what must it "
    "prove to avoid exclusion?",
    "fr": "Un soumissionnaire dont un dirigeant a été condamné pour traite a indemnisé les "
    "victimes, coopéré avec les enquêteurs et licencié ce dirigeant. {Under}, que doit-il "
    "prouver pour éviter l'exclusion ?",
    "es": "Un licitador cuyo directivo fue condenado por trata ha indemnizado a las víctimas, "
    "cooperado con los investigadores y despedido al directivo. {Under}, ¿qué debe demostrar "
    "para evitar la exclusión?",
}
_CLEANED_KEY = {
    "en": "What the point requires the bidder to prove, and when that route is closed.",
    "fr": "Ce que le point exige que le soumissionnaire prouve, et quand cette voie est fermée.",
    "es": "Lo que el punto exige que el licitador demuestre, y cuándo esa vía está cerrada.",
}
_SUPPLIER = {
    "en": ("A company learns that one of its suppliers uses forced labour. {Under}, what must "
           "it do?", "{under}, what should it do?"),
    "fr": ("Une entreprise apprend que l'un de ses fournisseurs a recours au travail forcé. "
           "{Under}, que doit-elle faire ?", "{under}, que devrait-elle faire ?"),
    "es": ("Una empresa descubre que uno de sus proveedores recurre al trabajo forzoso. "
           "{Under}, ¿qué debe hacer?", "{under}, ¿qué debería hacer?"),
}  # fmt: skip
_SUPPLIER_KEY = {
    "en": ("The point sets out what is required.", "The point sets out what is expected."),
    "fr": ("Le point énonce ce qui est exigé.", "Le point énonce ce qui est attendu."),
    "es": ("El punto establece lo que se exige.", "El punto establece lo que se espera."),
}
_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10}
_PERIOD = re.compile(
    r"at most (\w+) years? (?:from|after) (?:the|a) conviction for (?:the )?mandatory", re.I
)


def _ask(template: str, lang: str, under: str, **slots: object) -> str:
    return finish(_capital_after_stop(template.format(Under=under, under=under, **slots)), lang)


def exclusion_case(card: Record, point: Point, text: str, lang: str) -> list[tuple[str, str]]:
    """Cases on a mandatory exclusion ground, its time limit, or self-cleaning."""
    family, en = family_of(card, point), point.text
    kind = family.kind if family else ""
    under = instrument_name(card, lang).under
    if (
        kind == "mandatory_exclusion"
        and re.search(r"trafficking", en, re.I)
        and re.search(r"convict", en, re.I)
        and re.search(r"management|supervisory|director|attributed|person", en, re.I)
    ):
        return [
            (_ask(_CONVICTED[lang], lang, under), f"{_CONVICTED_KEY[lang]} {quoted(text, lang)}")
        ]
    period = _PERIOD.search(en) if kind == "exclusion_period" else None
    if period and period.group(1).casefold() in _WORDS:
        m = _WORDS[period.group(1).casefold()]
        question = _ask(_LAPSED[lang], lang, under, n=m + 1)
        return [(question, f"{_LAPSED_KEY[lang].format(m=m)} {quoted(text, lang)}")]
    if kind == "self_cleaning" and re.search(r"compensation", en) and re.search(r"staff", en):
        return [(_ask(_CLEANED[lang], lang, under), f"{_CLEANED_KEY[lang]} {quoted(text, lang)}")]
    return []


def supplier_case(card: Record, point: Point, text: str, lang: str) -> list[tuple[str, str]]:
    """A company facing forced labour at a supplier, for a due diligence duty that reaches
    suppliers and says what to do about harm found."""
    family = family_of(card, point)
    en = point.text
    if not family or family.kind != "dd_duty":
        return []
    if not re.search(
        r"supplier|supply chain|value chain|subcontractor|business relationship", en, re.I
    ):
        return []
    if not re.search(r"remed|mitigat|prevent|bring .{0,20}to an end|act on", en, re.I):
        return []
    soft = modal_is_soft(card, en)
    strong_q, soft_q = _SUPPLIER[lang]
    template = strong_q.rsplit(". ", 1)[0] + ". " + soft_q if soft else strong_q
    under = instrument_name(card, lang).under
    key = _SUPPLIER_KEY[lang][1 if soft else 0]
    return [(_ask(template, lang, under), f"{key} {quoted(text, lang)}")]


def application_pairs(
    card: Record, point: Point, text: str, lang: str
) -> list[tuple[str, str, str]]:
    """``(kind, question, answer)`` for every case the point supports, in ``lang``; ``text``
    is the point in that language (quoted in the answer)."""
    out = [("threshold_case", q, a) for q, a in threshold_case(card, point, text, lang)]
    out += [("exclusion_case", q, a) for q, a in exclusion_case(card, point, text, lang)]
    out += [("supplier_case", q, a) for q, a in supplier_case(card, point, text, lang)]
    return out


def threshold_question(card: Record, point: Point, lang: str) -> tuple[str, str] | None:
    """``(kind, question)`` asking for the point's turnover or headcount threshold."""
    found = [t for t in thresholds(point) if t.metric in ("turnover", "staff")]
    if not found:
        return None
    t, name = found[0], instrument_name(card, lang)
    report = bool(_REPORT.search(point.label))
    word = {"en": "level of gross receipts" if t.word == "gross receipts" else t.word}.get(lang, "")
    templates = {
        ("en", "turnover"): ("Above what annual {w} must a company report {u}?",
                             "Above what annual {w} is a company covered by {n}?"),
        ("fr", "turnover"): ("{u}, à partir de quel chiffre d'affaires annuel une entreprise "
                             "est-elle tenue de faire rapport ?",
                             "À partir de quel chiffre d'affaires annuel une entreprise "
                             "relève-t-elle {o} ?"),
        ("es", "turnover"): ("{u}, ¿a partir de qué volumen de negocios anual está obligada una "
                             "empresa a informar?",
                             "¿A partir de qué volumen de negocios anual se {pl:aplica|aplican} "
                             "{n} a una empresa?"),
        ("en", "staff"): ("From how many employees must a company report {u}?",
                          "From how many employees is a company covered by {n}?"),
        ("fr", "staff"): ("{u}, à partir de combien de salariés une entreprise est-elle tenue de "
                          "faire rapport ?",
                          "À partir de combien de salariés une entreprise relève-t-elle {o} ?"),
        ("es", "staff"): ("{u}, ¿a partir de cuántos empleados está obligada una empresa a "
                          "informar?",
                          "¿A partir de cuántos empleados se {pl:aplica|aplican} {n} a una "
                          "empresa?"),
    }  # fmt: skip
    template = agree(templates[(lang, t.metric)][0 if report else 1], name.plural)
    question = template.format(w=word, u=name.under, n=name.name, o=name.of)
    return f"threshold_{t.metric}", finish(question, lang)
