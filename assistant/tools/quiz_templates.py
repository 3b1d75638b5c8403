"""Recall questions: what a trainer asks about one numbered point of a card.

A point gets a question only when one of the families below fits what it states — a
threshold, an obligation ("must", "shall"), an exclusion ground, a penalty, a date of entry
into force, who is covered … — judged from its English label and text. Each family is
written out in English, French and Spanish, with a softer wording ("should") for points
that only recommend. A point no family fits gets no question: better fewer questions than
one that reads as generated ("… what does it say on purpose?").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.tools.quiz_lang import DOCS, agree, finish, instrument_name
from assistant.tools.records import Point, Record

# Labels of points about what was, might be or was asked for, not what the text says now.
SKIP_LABEL = re.compile(
    r"original|former|previous|propos|request|review|reform|debate|recommendations|amendment|"
    r"\bbill\b|next steps|later|history|recent|diagnosis|follow-up|context|evidence base",
    re.I,
)
STRONG = re.compile(r"\b(must|shall|required?|requires|mandatory|obliged|may not|cannot)\b", re.I)
SOFT = re.compile(
    r"\b(should|invited|encouraged|expect(s|ed)?|urged?|calls? (on|for|upon))\b", re.I
)
NEGATED = re.compile(
    r"^(the|this|section \d+|it)\b[^.;:]{0,40}\b(creates?|sets?|contains?|places?|has|adds?) no\b|"
    r"^(the|this|section \d+|it)\b[^.;:]{0,40}\b(does not|do not|removes?)\b|^no\b|^creates no\b",
    re.I,
)
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE = re.compile(rf"\b(\d{{1,2}} )?({MONTHS}) \d{{4}}\b")


@dataclass(frozen=True)
class Family:
    """One kind of question: the labels and statements it fits, and its wording per language
    (``soft``: the wording for a point that only recommends)."""

    kind: str
    label: str
    text: str = ""
    not_text: str = ""
    en: str = ""
    fr: str = ""
    es: str = ""
    soft: dict[str, str] = field(default_factory=dict)
    negated: bool = False  # fits only a point that says the instrument does NOT do something


def _f(kind, label, text, not_text, en, fr, es, soft=None, negated=False) -> Family:
    return Family(kind, label, text, not_text, en, fr, es, soft or {}, negated)


# Questions that make sense only for a binding text: a study has no "enforcement", a
# resolution no "entry into force", a toolkit no exclusion ground.
BINDING_ONLY = set(
    "in_force self_cleaning exclusion_period mandatory_exclusion discretionary_exclusion "
    "compliance_plan annual_report fine prison sanctions contract_remedies enforcement "
    "certification criminal_duty criminal corporate_liability scope doc_content".split()
)


# Tried in order; the first that fits a point makes its question. {under}: "under the X" /
# "according to the X"; {name}, {of}, {by}: the instrument with its article; {doc}/{doc_to}:
# "the statement" / "à la déclaration"; {does}, {is}: the verb agreeing with the name.
# fmt: off
FAMILIES: list[Family] = [
    _f("in_force", r"status|entry into force|in force|effect|enactment|signature",
       rf"(in force|into force|in effect|took effect|effective)\b[^.;]{{0,30}}?\b\d{{1,2}} ({MONTHS}) \d{{4}}",
       "", "When did {name} enter into force?", "Quelle est la date d'entrée en vigueur {of} ?",
       "¿Cuándo {pl:entró|entraron} en vigor {name}?"),
    _f("adopted", r"^(adoption|enactment|endorsement|vote|signature|resolution)\b",
       rf"(adopt|sign|enact|endorse|approv)\w*\b.*\b({MONTHS}) \d{{4}}", "",
       "When {was} {name} {adopted}?", "Quelle est la date {adoption} {of} ?",
       "¿Cuál es la fecha {adoption} {of}?"),
    _f("legal_status", r"^(status|legal status|nature|use)$",
       r"non-binding|not binding|not a treaty|soft law", "",
       "What is the legal status {of}?", "Quelle est la valeur juridique {of} ?",
       "¿Cuál es el valor jurídico {of}?"),
    _f("purpose", r"^purpose$", "", "",
       "What is the purpose {of}?", "Quel est l'objet {of} ?", "¿Cuál es la finalidad {of}?"),
    _f("self_cleaning", r"self-cleaning|exceptions", r"self-cleaning|avoid exclusion", "",
       "{under}, how can a bidder avoid exclusion?",
       "{under}, comment un soumissionnaire peut-il éviter l'exclusion ?",
       "{under}, ¿cómo puede un licitador evitar la exclusión?"),
    _f("exclusion_period", r"duration|exclusion period|period", r"\byears?\b", r"list|register",
       "{under}, for how long can a bidder be excluded?",
       "{under}, pendant combien de temps un soumissionnaire peut-il être exclu ?",
       "{under}, ¿durante cuánto tiempo puede excluirse a un licitador?"),
    _f("mandatory_exclusion", r"exclusion|procurement|tender",
       r"must (\w+ )?(be )?exclu|mandatory ground|excluded at any stage", "",
       "{under}, when must a contracting authority exclude a bidder?",
       "{under}, dans quels cas un pouvoir adjudicateur doit-il exclure un soumissionnaire ?",
       "{under}, ¿cuándo debe un poder adjudicador excluir a un licitador?"),
    _f("discretionary_exclusion", r"exclusion|procurement|tender",
       r"may (\w+ )?(be )?exclu|should be excluded|can be excluded", "",
       "{under}, on what grounds may a bidder be excluded?",
       "{under}, pour quels motifs un soumissionnaire peut-il être exclu ?",
       "{under}, ¿por qué motivos puede excluirse a un licitador?"),
    _f("procurement_none", r"procurement|public tenders|buyer", "", "",
       "{under}, are there rules specific to public buyers?",
       "{under}, existe-t-il des règles propres aux acheteurs publics ?",
       "{under}, ¿existen normas propias para los compradores públicos?", negated=True),
    _f("dd_none", r"due diligence", "", "",
       "{under}, is there a stand-alone due diligence duty?",
       "{under}, existe-t-il une obligation de vigilance autonome ?",
       "{under}, ¿existe una obligación de diligencia debida propia?", negated=True),
    _f("civil_none", r"civil liability", "", "",
       "{under}, is there a separate ground of civil liability for companies?",
       "{under}, existe-t-il un régime propre de responsabilité civile des entreprises ?",
       "{under}, ¿existe un régimen propio de responsabilidad civil de las empresas?",
       negated=True),
    _f("compliance_plan", r"compliance plan", r"outside the United States|abroad", "",
       "{under}, above what value of work performed abroad must a contractor have a "
       "compliance plan?",
       "{under}, à partir de quelle valeur des prestations exécutées à l'étranger un titulaire "
       "doit-il disposer d'un plan de conformité ?",
       "{under}, ¿a partir de qué valor del trabajo realizado en el extranjero debe un "
       "contratista disponer de un plan de cumplimiento?"),
    _f("coverage", r"^who (must|is|are)\b|companies covered|entities covered|^reporting entities$",
       "", "",
       "Who is covered by {name}?", "Qui relève {of} ?", "¿A quién se {pl:aplica|aplican} {name}?"),
    _f("scope", r"^scope( and [\w ]+)?$|\bscope$|^coverage$", "", "",
       "What {does} {name} apply to?", "Quel est le champ d'application {of} ?",
       "¿Cuál es el ámbito de aplicación {of}?"),
    _f("scope_doc", r"^scope( and [\w ]+)?$|\bscope$|^coverage$", "", "",
       "What {does} {name} cover?", "Que {pl:couvre|couvrent} {name} ?",
       "¿Qué {pl:abarca|abarcan} {name}?"),
    _f("dd_state", r"due diligence", r"^([\w-]+ ){0,6}(States|governments)\b", "",
       "{under}, what is expected of States on due diligence?",
       "{under}, qu'attend-on des États en matière de diligence raisonnable ?",
       "{under}, ¿qué se espera de los Estados en materia de diligencia debida?"),
    _f("dd_duty", r"due diligence|vigilance plan|corporate responsibility",
       r"compan|undertaking|enterprise|business|operator|supplier|\bplan\b|risk",
       r"^(\w+ ){0,3}(States|governments)\b",
       "{under}, what due diligence must companies carry out?",
       "{under}, quelles mesures de vigilance les entreprises doivent-elles mettre en œuvre ?",
       "{under}, ¿qué medidas de diligencia debida deben aplicar las empresas?",
       soft={"en": "{under}, what due diligence should companies carry out?",
             "fr": "{under}, quelles mesures de vigilance les entreprises devraient-elles "
                   "mettre en œuvre ?",
             "es": "{under}, ¿qué medidas de diligencia debida deberían aplicar las empresas?"}),
    _f("annual_report", r"^(annual statement|statements?|reporting|report|annual report)$",
       r"each (financial )?year|every year|annual", "",
       "{under}, what must a company report each year?",
       "{under}, sur quoi une entreprise doit-elle faire rapport chaque année ?",
       "{under}, ¿sobre qué debe informar cada año una empresa?"),
    _f("doc_content", r"^(content|report content|plan contents|suggested content|"
       r"mandatory criteria|content of the plan)$", "", "",
       "{under}, what must {doc} cover?", "{under}, que doit contenir {doc} ?",
       "{under}, ¿qué debe contener {doc}?",
       soft={"en": "{under}, what may {doc} cover?", "fr": "{under}, que peut contenir {doc} ?",
             "es": "{under}, ¿qué puede contener {doc}?"}),
    _f("approval", r"approval and publication", "", "",
       "{under}, how must {doc} be approved and published?",
       "{under}, quelles règles d'approbation et de publication s'appliquent {doc_to} ?",
       "{under}, ¿qué normas de aprobación y publicación se aplican {doc_to}?"),
    _f("publication", r"^publication$", r"website|post", "",
       "{under}, how must {doc} be published?",
       "{under}, quelles règles de publication s'appliquent {doc_to} ?",
       "{under}, ¿qué normas de publicación se aplican {doc_to}?"),
    _f("register", r"register|registry", r"statements|reports", r"^the Act requires",
       "{under}, where are the published statements and reports kept?",
       "{under}, où les déclarations et rapports publiés sont-ils conservés ?",
       "{under}, ¿dónde se conservan las declaraciones e informes publicados?"),
    _f("fine", r"sanction|penalt|fines?$", r"\bup to\b.*\b(EUR|USD|GBP|CHF|NOK|AUD|CAD)\b", "",
       "What are the maximum fines under {name}?",
       "Quel est le montant maximal des amendes prévues {by} ?",
       "¿Cuál es el importe máximo de las multas previstas en {name}?"),
    _f("prison", r"penalt", r"imprisonment", "",
       "{under}, what prison sentences must be available?",
       "{under}, quelles peines d'emprisonnement doivent être prévues ?",
       "{under}, ¿qué penas de prisión deben preverse?"),
    _f("sanctions", r"sanction|penalt|^fines?$", r"fine|penalt|sanction|debar|bar|suspend", "",
       "{under}, what sanctions can be imposed?",
       "{under}, quelles sanctions peuvent être prononcées ?",
       "{under}, ¿qué sanciones pueden imponerse?"),
    _f("contract_remedies", r"^remedies$", r"terminat|suspension|debar", "",
       "{under}, what can an agency do when a contractor breaches its duties?",
       "{under}, que peut faire l'administration lorsqu'un titulaire manque à ses obligations ?",
       "{under}, ¿qué puede hacer la administración cuando un contratista incumple sus "
       "obligaciones?"),
    _f("enforcement", r"^(enforcement|supervision|oversight|court order)", "", r"^calls for",
       "How is compliance with {name} enforced?",
       "Comment le respect {of} est-il contrôlé ?",
       "¿Cómo se controla el cumplimiento {of}?"),
    _f("monitoring", r"^monitoring$|implementation and monitoring", "", "",
       "Who monitors the implementation {of}?",
       "Qui assure le suivi de la mise en œuvre {of} ?",
       "¿Quién supervisa la aplicación {of}?"),
    _f("remedy_access", r"access to remedy|grievances?", r"judicial|grievance|complain|court", "",
       "{under}, what routes to a remedy must be open to people harmed?",
       "{under}, de quelles voies de recours les personnes lésées doivent-elles disposer ?",
       "{under}, ¿de qué vías de recurso deben disponer las personas perjudicadas?",
       soft={"en": "{under}, what routes to a remedy should be open to people harmed?",
             "fr": "{under}, de quelles voies de recours les personnes lésées devraient-elles "
                   "disposer ?",
             "es": "{under}, ¿de qué vías de recurso deberían disponer las personas "
                   "perjudicadas?"}),
    _f("civil", r"civil liability|civil claims", r"damages|sue|court|claim", "",
       "{under}, how can victims obtain damages?",
       "{under}, comment les victimes peuvent-elles obtenir réparation ?",
       "{under}, ¿cómo pueden las víctimas obtener una indemnización?",
       soft={"en": "{under}, how should harmed workers be able to obtain damages?",
             "fr": "{under}, comment les travailleurs lésés devraient-ils pouvoir obtenir "
                   "réparation ?",
             "es": "{under}, ¿cómo deberían poder obtener una indemnización los trabajadores "
                   "perjudicados?"}),
    _f("corporate_liability", r"legal persons|^companies$|liability of", r"liab|answerable", "",
       "{under}, when must companies be held liable?",
       "{under}, dans quels cas les entreprises doivent-elles être tenues pour responsables ?",
       "{under}, ¿cuándo deben las empresas ser consideradas responsables?"),
    _f("criminal_duty", r"criminal|offen[cs]e", r"(Parties|States|Member States) must|must be a",
       "", "{under}, what must States make a criminal offence?",
       "{under}, quels actes les États doivent-ils ériger en infraction pénale ?",
       "{under}, ¿qué conductas deben tipificar como delito los Estados?"),
    _f("criminal", r"criminal|^offen[cs]es?$", r"offen[cs]e|crime|trafficking", "",
       "{under}, what conduct is a criminal offence?",
       "{under}, quels actes constituent une infraction pénale ?",
       "{under}, ¿qué conductas constituyen delito?"),
    _f("demand", r"demand$|discouraging demand", r"demand", "",
       "{under}, what must States do to discourage demand?",
       "{under}, que doivent faire les États pour décourager la demande ?",
       "{under}, ¿qué deben hacer los Estados para desalentar la demanda?",
       soft={"en": "{under}, what should States do to discourage demand?",
             "fr": "{under}, que devraient faire les États pour décourager la demande ?",
             "es": "{under}, ¿qué deberían hacer los Estados para desalentar la demanda?"}),
    _f("victims", r"^victims?$|victim protection|victim rights", "", "",
       "{under}, what protection must victims receive?",
       "{under}, quelle protection les victimes doivent-elles recevoir ?",
       "{under}, ¿qué protección deben recibir las víctimas?",
       soft={"en": "{under}, what protection should victims receive?",
             "fr": "{under}, quelle protection les victimes devraient-elles recevoir ?",
             "es": "{under}, ¿qué protección deberían recibir las víctimas?"}),
    _f("recruitment", r"^(employer pays|recruitment and living conditions|recruitment fees)$",
       r"must not|may not|not be charged|banned|prohibit", "",
       "{under}, what recruitment practices are prohibited?",
       "{under}, quelles pratiques de recrutement sont interdites ?",
       "{under}, ¿qué prácticas de contratación están prohibidas?"),
    _f("prohibited", r"prohibit|import ban", r"may not|not be|prohibit|ban|shall not", "",
       "{under}, what is prohibited?", "{under}, qu'est-ce qui est interdit ?",
       "{under}, ¿qué está prohibido?"),
    _f("certification", r"certification", r"certif", "",
       "{under}, what must a bidder certify?",
       "{under}, que doit certifier le soumissionnaire ?",
       "{under}, ¿qué debe certificar el licitador?"),
    _f("procurement_use", r"procurement link|as buyer|use in (public )?procurement|"
       r"meaning for procurement|use by buyers", "", r"^(the|this) \w+ (is|was) ",
       "How can public buyers use {name}?",
       "Comment les acheteurs publics peuvent-ils s'appuyer sur {name} ?",
       "¿Cómo pueden los compradores públicos servirse {of}?"),
    _f("procurement", r"^public procurement$", "", "",
       "What {does} {name} say about public procurement?",
       "Que {pl:dit|disent} {name} des marchés publics ?",
       "¿Qué {pl:dice|dicen} {name} acerca de la contratación pública?"),
    _f("un_procurement", r"^UN procurement$", r"UN", "",
       "What {does} {name} ask of UN procurement?",
       "Que {pl:demande|demandent} {name} en matière d'achats des Nations Unies ?",
       "¿Qué {pl:pide|piden} {name} en materia de adquisiciones de las Naciones Unidas?"),
    _f("training", r"^training$", r"course|module|training", "",
       "{under}, what training is offered?", "{under}, quelle formation est proposée ?",
       "{under}, ¿qué formación se ofrece?"),
    _f("audience", r"^audience$", "", "",
       "Who {is} {name} written for?", "À qui {pl:s'adresse|s'adressent} {name} ?",
       "¿A quién se {pl:dirige|dirigen} {name}?"),
    _f("tools", r"^(components|five tools|support tools)$", "", "",
       "What tools {does} {name} provide?", "Quels outils {pl:propose|proposent} {name} ?",
       "¿Qué herramientas {pl:ofrece|ofrecen} {name}?"),
]
# fmt: on


def modal_is_soft(card: Record, text: str) -> bool:
    """A point that only recommends: "should", "invited"… and no "must"; or any point of a
    non-binding text that does not say "must"."""
    if STRONG.search(text):
        return False
    return bool(SOFT.search(text)) or card.binding != "yes"


def _doc(point: Point) -> str:
    words = f"{point.label} {point.text[:120]}".casefold()
    for key in ("vigilance plan", "compliance plan", "plan", "statement", "disclos", "report"):
        if key in words:
            return key
    return "report"


def fits(family: Family, point: Point) -> bool:
    """Does the family's question fit what the point states?"""
    label, text = point.label, point.text
    if not label or SKIP_LABEL.search(label) or not re.search(family.label, label, re.I):
        return False
    if family.text and not re.search(family.text, text, re.I):
        return False
    if family.not_text and re.search(family.not_text, text, re.I):
        return False
    return bool(NEGATED.search(text)) == family.negated


# Questions that treat the instrument as a text (adopted, in force, binding or not).
ABOUT_A_TEXT = {"in_force", "adopted", "legal_status", "scope", "scope_doc", "purpose"}

# "Under X, when must a bidder be excluded?" asserts X is the legal basis: not asked when
# the point's reference is another text ("Penal Code, art. 149" on the Lista Suja card).
LEGAL_BASIS = set(
    "mandatory_exclusion discretionary_exclusion exclusion_period self_cleaning criminal "
    "criminal_duty prison".split()
)
_OTHER_TEXT = re.compile(
    r"(\w+\s+)?\b(Directive|Regulation|Act|Code|Lei|Law|Convention|Protocol|PPA|GWB|WRegG)\b[^;,]*"
)


def cites_other_text(card: Record, point: Point) -> bool:
    """The point's reference names a text other than the card's own instrument."""
    found = _OTHER_TEXT.search(point.ref)
    if not found:
        return False
    aliases = card.get("aliases", {}) or {}
    own = " ".join([card.title, card.short_title, card.symbol, *map(str, aliases.get("en") or [])])
    words = re.findall(r"[A-Za-z]{3,}|\d[\d/.]*", found.group(0))
    own_words = set(re.findall(r"[A-Za-z]{3,}|\d[\d/.]*", own.casefold()))
    return not all(w.casefold() in own_words for w in words)


def family_of(card: Record, point: Point) -> Family | None:
    """The first family that fits the point (and the card: binding or not), if any."""
    binding, other = card.binding == "yes", None
    for family in FAMILIES:
        if not binding and family.kind in BINDING_ONLY:
            continue
        if family.kind in LEGAL_BASIS:
            other = cites_other_text(card, point) if other is None else other
            if other:
                continue
        if fits(family, point):
            return family
    return None


def recall_question(card: Record, point: Point, lang: str) -> tuple[str, str] | None:
    """``(kind, question)`` in ``lang`` for a point a family fits, else None."""
    family = family_of(card, point)
    if family is None:
        return None
    soft = family.soft and modal_is_soft(card, point.text)
    name = instrument_name(card, lang)
    if name.body and family.kind in ABOUT_A_TEXT:
        return None  # "date of adoption of the Inter-Agency Group" makes no sense
    template = agree(family.soft[lang] if soft else getattr(family, lang), name.plural)
    doc, doc_to = DOCS[lang][_doc(point)]
    verb = _adoption(point.text)
    question = template.format(
        under=name.under, name=name.name, of=name.of, by=name.by, doc=doc, doc_to=doc_to,
        does="do" if name.plural else "does", was="were" if name.plural else "was",
        adopted=verb, adoption=_ADOPTION[lang][verb], **{"is": "are" if name.plural else "is"},
    )  # fmt: skip
    return family.kind, finish(question, lang)


_ADOPTION = {
    "en": {"adopted": "", "enacted": "", "endorsed": "", "approved": "", "signed": ""},
    "fr": {"adopted": "d'adoption", "enacted": "de promulgation", "endorsed": "d'approbation",
           "approved": "d'approbation", "signed": "de signature"},
    "es": {"adopted": "de adopción", "enacted": "de promulgación", "endorsed": "de aprobación",
           "approved": "de aprobación", "signed": "de firma"},
}  # fmt: skip


def _adoption(text: str) -> str:
    """The verb the point uses for how the text came to be: adopted, enacted, signed …"""
    if re.search(r"\badopt", text, re.I):
        return "adopted"
    for verb, pattern in (("enacted", r"enact|signed into law|signed on"),
                          ("endorsed", r"endorse"), ("approved", r"approv"),
                          ("signed", r"\bsigned\b")):  # fmt: skip
        if re.search(pattern, text, re.I):
            return verb
    return "adopted"
