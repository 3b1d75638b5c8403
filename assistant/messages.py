"""The few fixed phrases an answer uses, in the six UN languages: English, French and
Spanish here, Arabic, Chinese and Russian in ``assistant.messages_un``."""

from __future__ import annotations

from assistant.messages_un import MORE_DATED, MORE_MESSAGES, MORE_REASONS, MORE_REMOVED

# The languages an answer is written in; a question in any other gets an English answer.
ANSWER_LANGS = ("en", "fr", "es", "ar", "zh", "ru")


def answer_language(lang: str) -> str:
    """``lang`` when answers can be written in it, else English."""
    return lang if lang in ANSWER_LANGS else "en"


MESSAGES: dict[str, dict[str, str]] = {
    "intro": {
        "en": "What the sources say:",
        "fr": "Ce que disent les sources :",
        "es": "Lo que dicen las fuentes:",
    },
    "not_covered": {
        "en": "The knowledge base does not cover this question: no passage in it supports an answer.",
        "fr": "La base de connaissances ne couvre pas cette question : aucun passage ne permet d'y répondre.",
        "es": "La base de conocimientos no cubre esta pregunta: ningún pasaje permite responderla.",
    },
    "off_topic": {
        "en": "The question seems to fall outside what the knowledge base is about (trafficking in persons and forced labour, in procurement and supply chains).",
        "fr": "La question semble sortir du champ de la base de connaissances (traite des personnes et travail forcé, dans les achats publics et les chaînes d'approvisionnement).",
        "es": "La pregunta parece quedar fuera del ámbito de la base de conocimientos (trata de personas y trabajo forzoso, en la contratación pública y las cadenas de suministro).",
    },
    "not_mentioned": {
        "en": "The sources found do not mention: {names}.",
        "fr": "Les sources trouvées ne mentionnent pas : {names}.",
        "es": "Las fuentes encontradas no mencionan: {names}.",
    },
    "sources": {"en": "Sources:", "fr": "Sources :", "es": "Fuentes:"},
    "not_covered_heading": {
        "en": "Not covered by the sources",
        "fr": "Non couvert par les sources",
        "es": "No cubierto por las fuentes",
    },
    "closest": {
        "en": "Closest documents:",
        "fr": "Documents les plus proches :",
        "es": "Documentos más cercanos:",
    },
    "other_language": {
        "en": "The sources found are in {langs}; they are quoted in their own language.",
        "fr": "Les sources trouvées sont en {langs} ; elles sont citées dans leur langue.",
        "es": "Las fuentes encontradas están en {langs}; se citan en su idioma.",
    },
    "some_other_language": {
        "en": "Some sources found are in {langs}; they are quoted in their own language.",
        "fr": "Certaines sources trouvées sont en {langs} ; elles sont citées dans leur langue.",
        "es": "Algunas fuentes encontradas están en {langs}; se citan en su idioma.",
    },
    "synthesis": {
        "en": "Vigilance summary of a recommended measure, not an official text",
        "fr": "synthèse Vigilance d'une mesure recommandée, pas un texte officiel",
        "es": "síntesis de Vigilance de una medida recomendada, no un texto oficial",
    },
    "synthesis_question": {
        "en": "Vigilance notes on a Working Group guiding question, not an official text",
        "fr": "notes Vigilance sur une question directrice du Groupe de travail, pas un texte officiel",
        "es": "notas de Vigilance sobre una pregunta orientativa del Grupo de trabajo, no un texto oficial",
    },
    "lang_en": {"en": "English", "fr": "anglais", "es": "inglés"},
    "lang_fr": {"en": "French", "fr": "français", "es": "francés"},
    "lang_es": {"en": "Spanish", "fr": "espagnol", "es": "español"},
    "lang_de": {"en": "German", "fr": "allemand", "es": "alemán"},
    "lang_ar": {"en": "Arabic", "fr": "arabe", "es": "árabe"},
    "lang_zh": {"en": "Chinese", "fr": "chinois", "es": "chino"},
    "lang_ru": {"en": "Russian", "fr": "russe", "es": "ruso"},
    "lang_pt": {"en": "Portuguese", "fr": "portugais", "es": "portugués"},
    "lang_it": {"en": "Italian", "fr": "italien", "es": "italiano"},
    "lang_nl": {"en": "Dutch", "fr": "néerlandais", "es": "neerlandés"},
    "list_separator": {"en": ", ", "fr": ", ", "es": ", "},
    "lang_und": {
        "en": "an undetermined language",
        "fr": "une langue indéterminée",
        "es": "un idioma indeterminado",
    },
    "binding_yes": {"en": "binding", "fr": "contraignant", "es": "vinculante"},
    "binding_no": {"en": "non-binding", "fr": "non contraignant", "es": "no vinculante"},
    "binding_unknown": {
        "en": "binding status unknown",
        "fr": "portée juridique inconnue",
        "es": "carácter vinculante desconocido",
    },
    "in_short": {"en": "In short:", "fr": "En bref :", "es": "En resumen:"},
    "duty_mandatory_first": {
        "en": "Yes, mandatory under:",
        "fr": "Oui, obligatoire selon :",
        "es": "Sí, obligatorio según:",
    },
    "duty_mandatory": {
        "en": "Mandatory under:",
        "fr": "Obligatoire selon :",
        "es": "Obligatorio según:",
    },
    "duty_optional_first": {
        "en": "Not everywhere: left to discretion (may) under:",
        "fr": "Pas partout : laissé à l'appréciation (peut) selon :",
        "es": "No en todos los casos: facultativo (puede) según:",
    },
    "duty_optional": {
        "en": "Left to discretion (may) under:",
        "fr": "Laissé à l'appréciation (peut) selon :",
        "es": "Facultativo (puede) según:",
    },
    "duty_no_first": {
        "en": "No duty under:",
        "fr": "Aucune obligation selon :",
        "es": "Ninguna obligación según:",
    },
    "duty_no": {
        "en": "No duty under:",
        "fr": "Aucune obligation selon :",
        "es": "Ninguna obligación según:",
    },
    "no_date": {"en": "n.d.", "fr": "s.d.", "es": "s.f."},
    "also_in": {"en": "also in: {langs}", "fr": "aussi en : {langs}", "es": "también en: {langs}"},
    "checked": {
        "en": "status checked {on}",
        "fr": "statut vérifié le {on}",
        "es": "estado verificado el {on}",
    },
    "status_in force": {"en": "in force", "fr": "en vigueur", "es": "en vigor"},
    "status_amended": {"en": "amended", "fr": "modifié", "es": "modificado"},
    "status_adopted not yet in force": {
        "en": "adopted, not yet in force",
        "fr": "adopté, pas encore en vigueur",
        "es": "adoptado, aún no en vigor",
    },
    "status_adopted": {"en": "adopted", "fr": "adopté", "es": "adoptado"},
    "status_not yet adopted": {
        "en": "not yet adopted",
        "fr": "pas encore adopté",
        "es": "aún no adoptado",
    },
    "status_repealed": {"en": "repealed", "fr": "abrogé", "es": "derogado"},
    "status_superseded": {"en": "superseded", "fr": "remplacé", "es": "sustituido"},
    "caveats": {
        "en": "Not verified by the knowledge base's editors (notes kept with the cited cards):",
        "fr": "Non vérifié par les rédacteurs de la base (notes jointes aux fiches citées, en anglais) :",
        "es": "No verificado por los redactores de la base (notas de las fichas citadas, en inglés):",
    },
    "llm_fallback": {
        "en": "The language model's answer could not be used ({reason}); this is the extractive answer.",
        "fr": "La réponse du modèle de langue n'a pas pu être utilisée ({reason}) ; voici la réponse extractive.",
        "es": "No se pudo usar la respuesta del modelo de lenguaje ({reason}); esta es la respuesta extractiva.",
    },
}


# Why a sentence was removed, as the notice tells it ({claim}: its words at fault).
LLM_REASONS = {
    "no_citation": {
        "en": "it cites no passage",
        "fr": "elle ne cite aucun passage",
        "es": "no cita ningún pasaje",
    },
    "unknown_citation": {
        "en": "it cites a passage it was not given",
        "fr": "elle cite un passage qui n'a pas été fourni",
        "es": "cita un pasaje que no se le proporcionó",
    },
    "planted": {
        "en": "it repeats an instruction found in a document",
        "fr": "elle reprend une instruction trouvée dans un document",
        "es": "repite una instrucción encontrada en un documento",
    },
    "unsupported": {
        "en": "the passages it cites do not say it",
        "fr": "les passages cités ne le disent pas",
        "es": "los pasajes citados no lo dicen",
    },
    "contradiction": {
        "en": "it says “{claim}” where the cited passage says “{source}”",
        "fr": "elle dit « {claim} » là où le passage cité dit « {source} »",
        "es": "dice «{claim}» donde el pasaje citado dice «{source}»",
    },
    "number": {
        "en": "it states a number ({claim}) the cited passages do not give",
        "fr": "elle donne un chiffre ({claim}) que les passages cités ne donnent pas",
        "es": "da una cifra ({claim}) que los pasajes citados no dan",
    },
    "name": {
        "en": "it names {claim}, which the cited passages do not mention",
        "fr": "elle nomme {claim}, que les passages cités ne mentionnent pas",
        "es": "nombra {claim}, que los pasajes citados no mencionan",
    },
    "status": {
        "en": "it states a change of status (“{claim}”) the cited passages do not state",
        "fr": "elle affirme un changement de statut (« {claim} ») que les passages cités n'indiquent pas",
        "es": "afirma un cambio de situación («{claim}») que los pasajes citados no indican",
    },
    "absolute": {
        "en": "it generalises (“{claim}”) beyond what the cited passages say",
        "fr": "elle généralise (« {claim} ») au-delà de ce que disent les passages cités",
        "es": "generaliza («{claim}») más allá de lo que dicen los pasajes citados",
    },
}
LLM_REMOVED = {
    "en": ("1 sentence of the language model's answer was removed: {reasons}.",
           "{n} sentences of the language model's answer were removed: {reasons}."),
    "fr": ("1 phrase de la réponse du modèle de langue a été retirée : {reasons}.",
           "{n} phrases de la réponse du modèle de langue ont été retirées : {reasons}."),
    "es": ("Se eliminó 1 frase de la respuesta del modelo de lenguaje: {reasons}.",
           "Se eliminaron {n} frases de la respuesta del modelo de lenguaje: {reasons}."),
}  # fmt: skip


# Answers as of a date (assistant/asof.py): {n} the citation, {name} the instrument.
DATED = {
    "heading": {"en": "Dated events (as of {on}):", "fr": "Chronologie (au {on}) :", "es": "Cronología (a {on}):"},
    "as_of": {"en": "(Sources read as of {on}.)", "fr": "(Sources lues au {on}.)", "es": "(Fuentes leídas a {on}.)"},
    "not yet adopted": {
        "en": "[{n}] {name} had not been adopted on {on}",
        "fr": "[{n}] {name} n'avait pas encore été adopté au {on}",
        "es": "[{n}] {name} aún no se había adoptado a {on}",
    },
    "adopted not yet in force": {
        "en": "[{n}] {name} was adopted but not yet in force on {on}",
        "fr": "[{n}] {name} était adopté mais pas encore en vigueur au {on}",
        "es": "[{n}] {name} estaba adoptado pero aún no en vigor a {on}",
    },
    "adopted": {
        "en": "[{n}] {name} had been adopted or published by {on} (not binding: it does not enter into force)",
        "fr": "[{n}] {name} était adopté ou publié au {on} (non contraignant : pas d'entrée en vigueur)",
        "es": "[{n}] {name} estaba adoptado o publicado a {on} (no vinculante: no entra en vigor)",
    },
    "in force": {"en": "[{n}] {name} was in force on {on}", "fr": "[{n}] {name} était en vigueur au {on}", "es": "[{n}] {name} estaba en vigor a {on}"},
    "repealed": {"en": "[{n}] {name} had been repealed by {on}", "fr": "[{n}] {name} avait été abrogé au {on}", "es": "[{n}] {name} había sido derogado a {on}"},
    "superseded": {"en": "[{n}] {name} had been superseded by {on}", "fr": "[{n}] {name} avait été remplacé au {on}", "es": "[{n}] {name} había sido sustituido a {on}"},
    "past": {"en": "events until then", "fr": "jusque-là", "es": "hasta entonces"},
    "next": {"en": "still to come", "fr": "à venir", "es": "por venir"},
    "state_note": {
        "not yet adopted": {"en": "not yet adopted on {on}", "fr": "pas encore adopté au {on}", "es": "aún no adoptado a {on}"},
        "adopted not yet in force": {"en": "not yet in force on {on}", "fr": "pas encore en vigueur au {on}", "es": "aún no en vigor a {on}"},
        "repealed": {"en": "repealed on {on}", "fr": "abrogé au {on}", "es": "derogado a {on}"},
        "superseded": {"en": "superseded on {on}", "fr": "remplacé au {on}", "es": "sustituido a {on}"},
    },
    "events": {
        "signed": {"en": "signed", "fr": "signé", "es": "firmado"},
        "adopted": {"en": "adopted", "fr": "adopté", "es": "adoptado"},
        "published": {"en": "published", "fr": "publié", "es": "publicado"},
        "in force": {"en": "in force", "fr": "entrée en vigueur", "es": "entrada en vigor"},
        "amended": {"en": "amended", "fr": "modifié", "es": "modificado"},
        "applies": {"en": "applies", "fr": "s'applique", "es": "se aplica"},
        "postponed": {"en": "postponed", "fr": "reporté", "es": "aplazado"},
        "repealed": {"en": "repealed", "fr": "abrogé", "es": "derogado"},
        "superseded": {"en": "superseded", "fr": "remplacé", "es": "sustituido"},
    },
}  # fmt: skip


def _merge(table: dict, more: dict) -> None:
    for key, value in more.items():
        if isinstance(value, dict):
            _merge(table.setdefault(key, {}), value)
        else:
            table[key] = value


_merge(MESSAGES, MORE_MESSAGES)
_merge(LLM_REASONS, MORE_REASONS)
_merge(LLM_REMOVED, MORE_REMOVED)
_merge(DATED, MORE_DATED)


def message(key: str, lang: str, **kwargs: object) -> str:
    table = MESSAGES.get(key, {})
    text = table.get(lang) or table.get("en") or key
    return text.format(**kwargs) if kwargs else text
