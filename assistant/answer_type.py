"""What kind of answer a question asks for, and whether a sentence gives it.

A question asking how much, how many, from what amount, when or by what deadline is
answered by a figure or a date. ``answers_type`` checks that a sentence states one that the
question does not already hold, about what the question measures ("how many *reports*"),
in any language. ``focus_words`` names what a "what / which / quel / qué" question asks
about. The cue phrases are the only language-specific parts.
"""

from __future__ import annotations

import re

from assistant.terms import QuestionTerms, text_stems
from indexer.language import fold, long_enough, stopwords, words

# Questions whose answer is an amount or a count, and questions whose answer is a date.
QUANTITY = {
    "en": r"\b(how (many|much|long|often)|what (\w+ ){0,2}(amount|threshold|turnover|revenue|value|"
    r"percentage|share|number|proportion|fine|penalty|age|size)|above what|from what (amount|size|number)|"
    r"over what|up to what|at least how|within how)\b",
    "fr": r"\b(combien|quel(le)?s? (montant|seuil|chiffre|nombre|pourcentage|proportion|valeur|"
    r"amende|[âa]ge|taille)|[àa] partir de quel|au-del[àa] de quel|au-dessus de quel)\b",
    "es": r"\b(cu[áa]nt[oa]s?|qu[ée] (importe|umbral|cantidad|n[úu]mero|porcentaje|proporci[óo]n|"
    r"valor|multa|volumen|edad|tamaño)|a partir de qu[ée] (importe|cantidad|n[úu]mero|umbral|"
    r"tamaño)|por encima de qu[ée])\b",
    "ar": r"(?<!\w)(?:[وف]?كم|(?:ما|ما هو|ما هي)\s+(?:ال)?(?:مقدار|قيمة|عتبة|حد|نسبة|عدد|مبلغ|"
    r"غرامة|سن|حجم)|(?:فوق|من|ابتداء من|اعتبارا من)\s+[أا]ي\s+(?:مبلغ|عدد|رقم|حجم|قيمة))(?!\w)",
    "zh": r"多少|几(?:个|家|名|年|次|天|月|种)|多(?:大|长|久|高)|"
    r"(?:什么|何种|哪个|哪一)(?:门槛|金额|数额|比例|百分比|罚款|年龄|规模|数量)",
    "ru": r"\b(?:сколько|как(?:ой|ов|ова|ого|ая|ую)\s+(?:порог\w*|размер\w*|штраф\w*|оборот\w*|"
    r"процент\w*|дол[яюи]|сумм\w*|величин\w*|числ\w*|количеств\w*|возраст\w*|стоимост\w*)|"
    r"(?:с|начиная с|свыше|выше|от)\s+как(?:ого|ой)\s+(?:оборот\w*|размер\w*|сумм\w*|числ\w*|"
    r"количеств\w*|порог\w*|стоимост\w*))",
}
DATE = {
    "en": r"\b(what date|which date|what year|which year|in what (month|year)|since when|by when|"
    r"until when|when (did|was|were|will|is|has|had|does .{1,60}(enter|come) into force))\b",
    "fr": r"\b([àa] quelle date|quelle date|en quelle ann[ée]e|quelle ann[ée]e|depuis quand|"
    r"jusqu'[àa] quand|quand (a|ont|est|sont|sera|seront|entre|entrera|avait)\b|quand .{1,40}-t-(il|elle))",
    "es": r"\b(qu[ée] fecha|en qu[ée] (año|mes|fecha)|qu[ée] año|desde cu[áa]ndo|hasta cu[áa]ndo|"
    r"cu[áa]ndo)\b",
    "ar": r"(?<!\w)(?:[وف]?متى|منذ متى|حتى متى|في [أا]ي (?:تاريخ|سنة|عام|شهر)|ما (?:هو )?تاريخ|"
    r"[أا]ي (?:تاريخ|سنة|عام))(?!\w)",
    "zh": r"什么时候|何时|哪一年|哪年|哪个月|哪一天|哪天|什么日期|几月|几号",
    "ru": r"\b(?:когда|в каком (?:году|месяце)|с какого (?:года|числа|момента)|какого числа|"
    r"как(?:ая|ой|ую) дат\w*|с каких пор|до каких пор)\b",
}
_MONTHS = set(
    "january february march april may june july august september october november december "
    "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre "
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split()
)
_COUNT_WORDS = set(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred thousand million millions billion billions first second third fourth fifth tenth "
    "fortieth ninetieth half deux trois quatre cinq six sept huit neuf dix onze douze "
    "treize quatorze quinze seize vingt trente quarante cinquante soixante cent cents mille "
    "milliard milliards premier premiere deuxieme troisieme cinquieme dixieme moitie dos "
    "tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciseis "
    "diecisiete dieciocho veinte treinta cuarenta cincuenta cien mil millon millones primero "
    "primera segundo tercero quinto mitad".split()
)
_LABEL = re.compile(r"^\s*(?:\(?\d{1,3}[.)]|\(\w{1,4}\))\s")  # "3. Annual statement", "(2) The"
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
# Symbols and references, not figures: 2014/24, 17/4, E/CN.15/2008/CRP.2, 52.222-50, 9(5), No. 38.
_CITATION = re.compile(
    r"\S*/\S*|\b\d+\.\d+-\d+\S*|\b\d+(?:\(\w{1,4}\))+|\b(?:no|n°|nº|art|arts|articles?|art[íi]culos?|para|paras|paragraphs?|paragraphes?|p[áa]rrafos?|"
    r"sections?|secci[óo]n|s|ss|r[ée]solution|resoluci[óo]n|resolution)\.? ?\d+\w*(?:\(\w{1,4}\))*",
    re.IGNORECASE,
)


# A deadline is answered by a date or by a period ("within 60 days").
DEADLINE = {
    "en": r"\b(what|which) (deadline|time limit|period)\b",
    "fr": r"\bquel(le)?s? (d[ée]lai|[ée]ch[ée]ance|p[ée]riode)\b",
    "es": r"\bqu[ée] (plazo|per[íi]odo)\b",
    "ar": r"(?<!\w)(?:ما|[أا]ي)\s+(?:هي\s+|هو\s+)?(?:ال)?(?:مهلة|موعد النهائي|موعد نهائي|مدة|فترة)(?!\w)",
    "zh": r"(?:什么|哪个|何种|多长的?)(?:期限|截止日期|时限|期间)|期限(?:是|为)(?:什么|多久|多长)",
    "ru": r"\b(?:(?:какой|каков|какие|каковы)\s+(?:срок\w*|период\w*|крайний срок)|"
    r"в какой срок|до какого срока)\b",
}


# "Which companies…", "who must…": answered by who is covered, often above a threshold.
SCOPE = {
    "en": r"\b(which|what)\s+(companies|businesses|firms|entities|organi[sz]ations|enterprises|"
    r"undertakings|bodies|suppliers)\b|\bwho (must|has to|is (required|obliged|covered))\b",
    "fr": r"\bquel(le)?s\s+(entreprises|soci[ée]t[ée]s|entit[ée]s|organisations|fournisseurs)\b|"
    r"\bqui (doit|est tenu|est concern[ée]|est soumis)",
    "es": r"\bqu[ée]\s+(empresas|sociedades|entidades|organizaciones|proveedores)\b|"
    r"\bqui[ée]n(es)? (debe|deben|est[áa]n? obligad|est[áa]n? sujet)",
    "ar": r"(?<!\w)(?:[أا]ي|ما|ما هي)\s+(?:الشركات|المؤسسات|الكيانات|المنظمات|الموردين|الهيئات)(?!\w)|"
    r"(?<!\w)من\s+(?:يجب|يتعين|يلزم|يخضع)(?!\w)",
    "zh": r"(?:哪些|哪类|哪种|什么样的?)(?:公司|企业|实体|组织|机构|供应商|单位)|谁(?:必须|应当|需要|有义务)",
    "ru": r"\bкак(?:ие|их|им|ими)\s+(?:компани\w*|предприяти\w*|организаци\w*|поставщик\w*|"
    r"субъект\w*|фирм\w*)|\bкто\s+(?:должен|обязан|подпада\w*)",
}


def asks_scope(question: str, lang: str) -> bool:
    """True for "which companies…", "qui doit…", "qué empresas…": who an instrument covers."""
    pattern = SCOPE.get(lang)
    return bool(pattern and re.search(pattern, question, re.IGNORECASE))


def answer_type(question: str, lang: str) -> str:
    """ "quantity", "date", "deadline" or "" for a question, from the way it asks."""
    for kind, patterns in (("deadline", DEADLINE), ("quantity", QUANTITY), ("date", DATE)):
        pattern = patterns.get(lang)
        if pattern and re.search(pattern, question, re.IGNORECASE):
            return kind
    return ""


_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(
    rf"\b(?:\d{{1,2}}(?:er)? (?:au \d{{1,2}} |to \d{{1,2}} |al \d{{1,2}} |de )?(?:{_MONTH_RE})|(?:{_MONTH_RE}) \d{{1,2}})\b"
)


def figures(text: str) -> tuple[set[str], set[str]]:
    """(amounts and counts, dates) a text states: "36 million", "250", "fifth"; "2021", "May"."""
    plain = fold(_CITATION.sub(" ", _LABEL.sub(" ", text)))
    dates = set(_MONTHS & set(plain.split()))
    plain = _DAY_MONTH.sub(" ", plain)  # "31 May", "17 au 21 mai": days are dates, not amounts
    amounts: set[str] = set()
    for num in re.findall(r"\d{1,3}(?:[ ,.\u00a0]\d{3})+(?!\d)|\d+(?:[.,]\d+)?", plain):
        num = re.sub(r"[ ,.]", "", num)
        (dates if _YEAR.match(num) else amounts).add(num)
    amounts |= {w for w in words(text) if w in _COUNT_WORDS}
    return amounts, dates


# The thing a quantity question counts or measures: "how many *employees*", "quel *seuil*".
MEASURED = {
    "en": r"\b(?:how many|how much|what number of|what|which|above what|from what|over what)\s+((?:\w+\s+){0,1}\w+)",
    "fr": r"\b(?:combien d[e']\s*|quel(?:le)?s?\s+|[àa] partir de quel(?:le)?s?\s+)((?:\w+\s+){0,2}\w+)",
    "es": r"\b(?:cu[áa]nt[oa]s?\s+|qu[ée]\s+|a partir de qu[ée]\s+)((?:\w+\s+){0,2}\w+)",
    "ar": r"(?<!\w)(?:كم|مقدار|عدد|قيمة|[أا]ي)\s+((?:\w+\s+){0,1}\w+)",
    "zh": r"(?:多少|几)(\w{1,6})",
    "ru": r"\b(?:сколько|как(?:ой|ов|ова|ого|ая|ую)|с как(?:ого|ой))\s+((?:\w+\s+){0,1}\w+)",
}
_GENERIC_MEASURES = {
    "amount", "number", "value", "threshold", "size", "quantity", "time", "long", "period",
    "advance", "montant", "nombre", "valeur", "seuil", "taille", "temps", "duree", "delai",
    "periode", "importe", "numero", "valor", "umbral", "cantidad", "tamano", "tiempo", "duracion",
    "antelacion", "plazo", "periodo",
    "عدد", "مقدار", "قيمة", "حد", "الحد", "عتبة", "العتبة", "مبلغ", "المبلغ", "نسبة", "حجم", "مدة",
    "数量", "金额", "数额", "门槛", "比例", "时间", "期限", "多少", "个", "家", "名",
    "порог", "порога", "размер", "размера", "сумма", "суммы", "число", "числа", "количество",
    "количества", "величина", "величины", "стоимость", "стоимости", "срок", "срока", "период",
}  # fmt: skip


def measured_words(question: str, lang: str) -> list[str]:
    """The specific words of what a quantity question measures ("employees", "fine"): the
    words after the cue that makes it a quantity question ("above what *turnover*")."""
    pattern, cue = MEASURED.get(lang), QUANTITY.get(lang)
    at = re.search(cue, question, re.IGNORECASE) if cue else None
    if not pattern or not at:
        return []
    m = re.compile(pattern, re.IGNORECASE).search(question, at.start())
    if not m:
        return []
    stop = stopwords(lang) | _MODALS
    found = [
        w
        for w in words(m.group(1))
        if w not in stop and w not in _GENERIC_MEASURES and long_enough(w)
    ]
    return found[:1]


_MODALS = {
    "must",
    "shall",
    "should",
    "can",
    "may",
    "doit",
    "doivent",
    "peut",
    "debe",
    "deben",
    "puede",
}


# What a "what/which" question asks about: "what *fine*", "quelle *stratégie*", "qué *sanción*".
FOCUS = {
    "en": r"\b(?:what|which)\s+((?:\S+\s+){0,3}\S+)",
    "fr": r"\b(?:quel(?:le)?s?|lequel|laquelle)\s+((?:\S+\s+){0,3}\S+)",
    "es": r"\b(?:qu[ée]|cu[áa]l(?:es)?)\s+((?:\S+\s+){0,3}\S+)",
    "ar": r"(?<!\w)(?:ما|[أا]ي)\s+((?:\S+\s+){0,3}\S+)",
    "zh": r"(?:什么|哪些|哪个|哪种)(\w{1,8})",
    "ru": r"\b(?:какой|какая|какое|какие|каков|какова|каковы)\s+((?:\S+\s+){0,3}\S+)",
}


def focus_words(question: str, lang: str) -> list[str]:
    """The first content word after "what"/"quel"/"qué" (none for who/when/where/how)."""
    pattern = FOCUS.get(lang)
    m = re.search(pattern, question, re.IGNORECASE) if pattern else None
    if not m:
        return []
    stop = stopwords(lang)
    for w in words(m.group(1)):
        if w not in stop and w not in _REFERENCE_WORDS and long_enough(w) and not w.isdigit():
            return [w]
    return []


# Words that name a provision rather than what is asked ("which article…" is answered by a locator).
_REFERENCE_WORDS = {
    "art", "arts", "article", "articles", "section", "sections", "para", "paragraph", "paragraphs",
    "paragraphe", "paragraphes", "articulo", "articulos", "parrafo", "parrafos", "seccion", "clause",
    "clausula", "provision", "disposition", "disposicion",
}  # fmt: skip


def found_in_sentences(qt: QuestionTerms, targets: list[str], sentences: list[str]) -> bool:
    """Whether each target word of the question is in one of the sentences, in any language."""
    if not targets:
        return True
    langs = {qt.qlang, *qt.lexicon}
    stems = [{lang: text_stems(s, lang) for lang in langs} for s in sentences]
    extra = QuestionTerms(" ".join(targets), qt.qlang, qt.retriever, set(qt.lexicon))
    return all(any(extra.found_in(w, st) for st in stems) for w in targets)


DATE_COVERAGE = 0.4  # share of the question a sentence must hold for its date to answer
FIGURE_COVERAGE = 0.5  # or for its figure, when it does not name what the question measures


def sentence_stems(qt: QuestionTerms, sentence: str) -> dict[str, set[str]]:
    return {lang: text_stems(sentence, lang) for lang in {qt.qlang, *qt.lexicon}}


def answers_type(
    kind: str, question: str, sentences: list[str], qt: QuestionTerms | None = None
) -> bool:
    """Whether one of the sentences states a figure of the kind asked that the question lacks
    (and, for an amount, names what the question measures, in any language)."""
    if not kind:
        return True
    asked = figures(question)
    measured = measured_words(question, qt.qlang) if qt is not None and kind == "quantity" else []
    for sentence in sentences:
        amounts, dates = figures(sentence)
        if kind == "deadline":
            kind_here = "date" if dates - asked[1] else "quantity"
            if answers_type(kind_here, question, [sentence], qt):
                return True
            continue
        new_amount = kind == "quantity" and bool(amounts - asked[0])
        if new_amount and (
            qt is None
            or found_in_sentences(qt, measured, [sentence])
            or qt.coverage(sentence_stems(qt, sentence)) >= FIGURE_COVERAGE
        ):
            return True  # the figure is about what is asked: it names it, or holds the question
        new_date = kind == "date" and bool(dates - asked[1] or amounts & _ORDINALS)
        if new_date and (qt is None or qt.coverage(sentence_stems(qt, sentence)) >= DATE_COVERAGE):
            return True  # a date in a sentence about something else does not answer "when"
    return False


_ORDINALS = {"first", "second", "third", "fourth", "fifth", "tenth", "premier", "premiere",
             "deuxieme", "troisieme", "cinquieme", "primero", "primera", "segundo", "tercero", "quinto"}  # fmt: skip
