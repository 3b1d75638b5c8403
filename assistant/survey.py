"""Questions whose answer differs from one instrument to the next.

"Which companies must publish modern slavery statements?" or "Must a contracting
authority exclude a bidder convicted of forced labour?" name no country and no
instrument: each law in the knowledge base answers them its own way, and an answer
quoting the first law found would hide the others. ``is_survey`` recognises them;
``survey_hits`` widens the evidence to the best passage of every instrument that may
answer: the instruments among the retrieved passages, and those their cards link to
(``related:``, the editors' own map of comparable laws), each searched on its own.
"""

from __future__ import annotations

import re

import numpy as np

from assistant.countries import countries
from assistant.refs import jurisdictions
from assistant.retrieval import Retriever, SearchResult
from assistant.support import specifics
from indexer.models import Hit

# "which countries / laws / companies…", "quels pays / quelles entreprises…", "qué empresas…",
# "أي الدول / ما الشركات…", "哪些国家 / 哪些公司…", "какие страны / компании…".
ACROSS = re.compile(
    r"\b(which|what|quels|quelles|qu[ée]s|cu[áa]les)\s+(countries|jurisdictions|states|laws|"
    r"instruments|companies|businesses|firms|entities|organi[sz]ations|pays|[ée]tats|lois|"
    r"juridictions|instruments|entreprises|soci[ée]t[ée]s|entit[ée]s|pa[íi]ses|estados|leyes|"
    r"instrumentos|empresas|sociedades|entidades)\b|"
    r"\b(compare|comparer|comparar|across jurisdictions|selon les pays|seg[úu]n los pa[íi]ses)\b|"
    r"(?<!\w)(?:[أا]ي|ما|ما هي)\s+(?:الدول|البلدان|القوانين|التشريعات|الصكوك|الشركات|المؤسسات|"
    r"الكيانات)(?!\w)|(?<!\w)(?:قارن|مقارنة)(?!\w)|"
    r"(?:哪些|哪几个|哪个|哪类)(?:国家|法域|司法管辖区|法律|法规|文书|公司|企业|实体)|比较各国|"
    r"\b(?:какие|каких|каким)\s+(?:стран\w*|государств\w*|юрисдикци\w*|закон\w*|компани\w*|"
    r"предприяти\w*|организаци\w*)|\b(?:сравните|сравнить|в разных странах)\b",
    re.IGNORECASE,
)
# A yes/no question on a duty: "Must…", "Is a buyer required to…", "Doit-on…", "¿Debe…?".
DUTY = {
    "en": re.compile(
        r"^\W*(must|shall|(is|are)\b.{0,60}\b(required|obliged|bound|obligated)|"
        r"(do|does)\b.{0,60}\b(have to|need to))\b",
        re.IGNORECASE,
    ),
    "fr": re.compile(
        r"\b(doi(t|vent)-(il|elle|ils|elles|on)|faut-il|"
        r"(est|sont)-(il|elle|ils|elles|on) (tenue?s?|oblig[ée]e?s?)|"
        r"^\W*(est-ce qu[e'].{0,80}\b(doi(t|vent)|tenue?s? de)))\b",
        re.IGNORECASE,
    ),
    "es": re.compile(
        r"^\W*(debe|deben|tiene que|tienen que|est[áa]n? obligad[oa]s?|hay que|"
        r"(un|una|el|la|los|las)\b.{0,60}\b(debe|deben|est[áa]n? obligad[oa]s?))\b",
        re.IGNORECASE,
    ),
    # "هل يجب على…", "هل يتعين…", "هل … ملزمة بـ…"
    "ar": re.compile(
        r"^\W*هل\s+(?:(?:يجب|يتعين|يتوجب|يلزم|يُلزم|تلتزم|يلتزم)(?!\w)|"
        r".{0,60}(?<!\w)(?:ملزم|ملزمة|ملزمون|ملزمين|مطالب|مطالبة)(?!\w))"
    ),
    # "…是否必须…", "…必须…吗？", "…有义务…吗"
    "zh": re.compile(
        r"(?:是否|是不是).{0,20}(?:必须|应当|须|需要|有义务|负有义务|被要求)|"
        r"(?:必须|应当|有义务|需要).{0,80}吗\s*[？?]?\s*$"
    ),
    # "Должен ли…", "Обязана ли…", "Нужно ли…"
    "ru": re.compile(
        r"^\W*(?:долж(?:ен|на|но|ны)|обязан[аоы]?|нужно|надо|необходимо|требуется|"
        r"обязательно)\s+ли\b",
        re.IGNORECASE,
    ),
}
RELATED_DEPTH = 3  # the instruments first found whose linked instruments are searched too
MAX_INSTRUMENTS = 16  # searched on their own, at most
PER_INSTRUMENT = 5  # passages of each whose sentences compete


def asks_duty(question: str, lang: str) -> bool:
    """True for a yes/no question on whether someone must do something."""
    pattern = DUTY.get(lang)
    return bool(pattern and pattern.search(question))


def is_survey(question: str, lang: str, named_docs: dict[str, float] | None = None) -> bool:
    """True when the question asks across instruments: it names no instrument, jurisdiction,
    place or figure, and asks "which…" or whether someone must do something."""
    if named_docs or jurisdictions(question) or countries(question):
        return False
    if specifics(question, lang):
        return False  # a name, acronym or number of its own: a question about that
    return bool(ACROSS.search(question)) or asks_duty(question, lang)


def ranked(
    retriever: Retriever, result: SearchResult, docs: list[str]
) -> dict[str, list[tuple[float, str]]]:
    """Each document's passages (a card's in the question's language, else in the
    document's own) as (cosine with the question, passage id), nearest first. The cosines
    come from the catalog's vectors, in one pass, or where it has none, from the store."""
    table = retriever.table
    rows: dict[str, list[tuple[int, str]]] = {}
    for doc, found in table.doc_languages(docs).items():
        own = [(row, pid) for row, pid, lang in found if lang == result.language]
        if not own and found:  # else the document's own language, else every passage
            first = table.get(found[0][1])
            own_lang = first.meta.get("doc_language") if first is not None else None
            own = [(row, pid) for row, pid, lang in found if lang == own_lang]
        rows[doc] = own or [(row, pid) for row, pid, _ in found]
    pairs = [pair for found in rows.values() for pair in found]
    qvec = result.query_vector
    if table.vectors is not None:
        sims = table.similarity([row for row, _ in pairs], qvec)
        cosine = {pid: float(c) for (_, pid), c in zip(pairs, sims, strict=True)}
    else:
        vectors = retriever.store.passage_vectors([pid for _, pid in pairs])
        cosine = {pid: float(np.dot(vec, qvec)) for pid, vec in vectors.items()}
    return {
        doc: sorted(((cosine[pid], pid) for _, pid in found if pid in cosine), reverse=True)
        for doc, found in rows.items()
    }


def as_hits(retriever: Retriever, ranked_docs: dict[str, list[tuple[float, str]]]) -> list[Hit]:
    """The ``PER_INSTRUMENT`` nearest passages of each document, as hits."""
    out: list[Hit] = []
    for scored in ranked_docs.values():
        for cos, pid in scored[:PER_INSTRUMENT]:
            out.append(retriever.table.hit(pid, len(out) + 1, cos, {"dense": cos}))
    return out


def nearest(retriever: Retriever, result: SearchResult, docs: list[str]) -> list[Hit]:
    """For each document, its ``PER_INSTRUMENT`` passages nearest to the question."""
    return as_hits(retriever, ranked(retriever, result, docs))


def survey_hits(retriever: Retriever, result: SearchResult) -> tuple[list[Hit], set[str]]:
    """The passages of each instrument that may answer nearest to the question, and the
    instruments a matching synthesis record vouches for.

    The instruments are those retrieved, those their cards link to, and the examples of
    the gap-analysis measure nearest to the question (its passages compete too: it
    summarises the instruments side by side)."""
    if result.query_vector is None:
        return [], set()
    table = retriever.table
    found: list[str] = []
    for hit in result.hits:
        if hit.collection != "synthesis" and hit.doc_id not in found:
            found.append(hit.doc_id)
    # The measure nearest to the question: only its passages become hits.
    measures = {
        d: s for d, s in ranked(retriever, result, table.documents("synthesis")).items() if s
    }
    top = max(measures, key=lambda d: measures[d][0], default=None)
    vouched = set(retriever.facts(top).related) if top is not None else set()
    linked = [r for doc in found[:RELATED_DEPTH] for r in retriever.facts(doc).related]
    wanted = [d for d in dict.fromkeys(found + sorted(vouched) + linked) if table.has_doc(d)]
    if len(wanted) < 2:
        return [], set()
    own = as_hits(retriever, {top: measures[top]}) if top is not None else []
    return own + nearest(retriever, result, wanted[:MAX_INSTRUMENTS]), vouched & set(wanted)
