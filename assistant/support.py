"""Whether the retrieved passages support an answer: the refusal decision.

No language model or entailment model ships offline, so support is judged from signals
that carry over to any corpus and any language pair:

- **closeness above the store's floor**: the best passage or sentence cosine, measured
  in spreads above what off-topic probe questions in the question's language reach in
  this very store (``indexer.probes``), not against one fixed number;
- **coverage**: the share of the question's words (weighted by rarity in the store)
  found in the best passages, directly or through the store's cross-lingual lexicon;
- **specifics**: names, acronyms, numbers and countries the question names must be
  found in the passages (in any language): a question about a law or a country the
  documents never mention is not answered from another one;
- **answer type**: a question asking how much, how many, from what amount or when
  needs a figure or a date in the best sentences that the question does not already hold.

The parts combine in a logistic model whose weights were fitted on the dev half of
both evaluation suites (``python -m evals.fit``) and ship in ``support_model.json``.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.countries import countries, covered
from assistant.glossary import CONCEPTS, find_concepts, translations
from assistant.lexicon import question_words
from indexer.language import fold, stem, stopwords, terms, words
from indexer.models import Hit

MODEL = Path(__file__).with_name("support_model.json")

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
}
DATE = {
    "en": r"\b(what date|which date|what year|which year|in what (month|year)|since when|by when|"
    r"until when|when (did|was|were|will|is|has|had|does .{1,60}(enter|come) into force))\b",
    "fr": r"\b([àa] quelle date|quelle date|en quelle ann[ée]e|quelle ann[ée]e|depuis quand|"
    r"jusqu'[àa] quand|quand (a|ont|est|sont|sera|seront|entre|entrera|avait)\b|quand .{1,40}-t-(il|elle))",
    "es": r"\b(qu[ée] fecha|en qu[ée] (año|mes|fecha)|qu[ée] año|desde cu[áa]ndo|hasta cu[áa]ndo|"
    r"cu[áa]ndo)\b",
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
}


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
}
_GENERIC_MEASURES = {
    "amount", "number", "value", "threshold", "size", "quantity", "time", "long", "period",
    "advance", "montant", "nombre", "valeur", "seuil", "taille", "temps", "duree", "delai",
    "periode", "importe", "numero", "valor", "umbral", "cantidad", "tamano", "tiempo", "duracion",
    "antelacion", "plazo", "periodo",
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
        w for w in words(m.group(1)) if w not in stop and w not in _GENERIC_MEASURES and len(w) > 2
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
}


def focus_words(question: str, lang: str) -> list[str]:
    """The first content word after "what"/"quel"/"qué" (none for who/when/where/how)."""
    pattern = FOCUS.get(lang)
    m = re.search(pattern, question, re.IGNORECASE) if pattern else None
    if not m:
        return []
    stop = stopwords(lang)
    for w in words(m.group(1)):
        if w not in stop and w not in _REFERENCE_WORDS and len(w) > 2 and not w.isdigit():
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
_SPECIFIC = re.compile(r"\b(?:[A-Z][\w’'-]*[A-Z][\w’'-]*|\d[\w./()-]*)\b")  # LkSG, FAR, 2018, 17/4
_NAME = re.compile(r"(?<=[\w,;:] )([A-Z][a-zà-ÿ]{2,}(?:\s+(?:[A-Z][a-zà-ÿ]{2,}))*)")


@dataclass(frozen=True)
class SupportConfig:
    passages: int = 3  # top passages the evidence is read from
    sentences: int = 4  # best sentences of the candidate passages the answer type is checked in
    name_similarity: float = 0.75  # lexicon closeness needed to take a name as translated
    off_topic: float = 0.5  # spreads above the probe floor below which a question is off-topic


@dataclass
class Support:
    """A refusal decision and what it rests on (shown in ``--json`` and the evaluation)."""

    probability: float
    supported: bool
    parts: dict[str, float] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # specifics found in no passage


def known_word(word: str, lang: str) -> bool:
    """Whether ``word`` is in simplemma's dictionary of ``lang`` (or of English)."""
    import simplemma
    from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES

    return simplemma.is_known(word.casefold(), lang=lang if lang in SUPPORTED_LANGUAGES else "en")


def specifics(question: str, lang: str = "en") -> list[str]:
    """What a source must mention to answer: acronyms, numbers and names of the question
    that are no word of its language ("LkSG", "2014/24", "Suja"). Ordinary words written
    with a capital ("States", "Transparency") are left to coverage, countries to their check."""
    found = [m.group(0) for m in _SPECIFIC.finditer(question)]
    for m in _NAME.finditer(question):
        found += [
            w for w in m.group(1).split() if not all(known_word(p, lang) for p in w.split("-") if p)
        ]
    return list(dict.fromkeys(s.strip(".,;:") for s in found if len(s.strip(".,;:")) > 1))


class QuestionTerms:
    """A question's content words, their weights (rarity in the store) and their
    translations into the store's passage languages: what "found in a text" means."""

    def __init__(
        self,
        question: str,
        qlang: str,
        retriever: Any,
        langs: set[str],
        min_similarity: float = 0.0,
    ) -> None:
        self.question, self.qlang, self.retriever = question, qlang, retriever
        self.words = question_words(question, qlang)
        idf = getattr(retriever, "idf", None)
        self.weights = {w: (idf(stem(w, qlang)) if idf else 1.0) for w in self.words}
        lex = getattr(retriever, "lexicon", None)
        self.lexicon: dict[str, dict[str, list[tuple[str, float]]]] = {}
        for lang in langs - {qlang}:
            found = (
                lex.translate(self.words, lang) if lex is not None and min_similarity < 1 else {}
            )
            self.lexicon[lang] = {
                w: [(t, sim) for t, sim in near if sim >= min_similarity]
                for w, near in found.items()
            }
        self._forms: dict[tuple[str, str], set[str]] = {}

    def forms(self, word: str, lang: str) -> set[str]:
        """The stems under which ``word`` may appear in a text of ``lang``."""
        key = (word, lang)
        if key not in self._forms:
            out = {word, stem(word, lang), stem(word, self.qlang)}
            for t, _ in self.lexicon.get(lang, {}).get(word, []):
                out.add(stem(t, lang))
            out.update(stem(t, lang) for t in translations(word, lang) if " " not in t)
            self._forms[key] = out
        return self._forms[key]

    def found_in(self, word: str, stems_by_lang: dict[str, set[str]]) -> bool:
        return any(self.forms(word, lang) & stems for lang, stems in stems_by_lang.items())

    def coverage(self, stems_by_lang: dict[str, set[str]]) -> float:
        """Share of the question's weight found in a text (stems by language)."""
        total = sum(self.weights.values())
        if not total:
            return 0.0
        return sum(wt for w, wt in self.weights.items() if self.found_in(w, stems_by_lang)) / total


def text_stems(text: str, lang: str) -> set[str]:
    """The stems and folded words of a text, as ``QuestionTerms`` looks them up
    ("2014/24/UE" also as "2014", "24" and "ue")."""
    folded = fold(text).split()
    parts = {p for w in folded if "/" in w or "-" in w for p in re.split(r"[/-]", w) if p}
    return set(terms(text, lang)) | set(folded) | parts


def hit_stems(hits: list[Hit]) -> dict[str, set[str]]:
    """Stems of passages and of their documents' names, by passage language."""
    out: dict[str, set[str]] = {}
    for h in hits:
        text = f"{h.title} {h.short_title} {h.heading} {h.locator} {h.text}"
        out.setdefault(h.language, set()).update(text_stems(text, h.language))
    return out


def initials_match(acronym: str, title: str) -> bool:
    """Whether an acronym's letters follow, in order, the initials of a title's words."""
    initials = [w[0] for w in fold(title).split() if w[:1].isalpha()]
    letters = [c for c in fold(acronym) if c.isalpha()]
    i = 0
    for ch in initials:
        if i < len(letters) and ch == letters[i]:
            i += 1
    return len(letters) >= 2 and i == len(letters) and letters[0] == initials[0]


class SupportJudge:
    """Scores the support the top hits give a question; needs the retriever's store state."""

    def __init__(self, retriever: Any, config: SupportConfig | None = None) -> None:
        self.retriever = retriever
        self.config = config or SupportConfig()
        self.model = load_model()

    def floor(self, lang: str) -> tuple[float, float]:
        probes = self.retriever.probes()
        mean, spread = probes.get(lang) or probes.get("en") or (0.80, 0.02)
        return float(mean), max(float(spread), 0.005)

    def mentioned(
        self,
        spec: str,
        qlang: str,
        hits: list[Hit],
        evidence: dict[str, set[str]],
        question: str = "",
    ) -> bool:
        """Whether a name, acronym or number of the question is in the passages, in any language."""
        folded = (
            " "
            + " ".join(fold(f"{h.title} {h.short_title} {h.locator} {h.text}") for h in hits)
            + " "
        )
        core = re.findall(r"\d+(?:[./-]\d+)*", spec)
        if core:  # "2014/24/EU" is "2014/24/UE" in French: the figures decide
            return all(re.search(rf"(?<![\d.]){re.escape(c)}(?!\d)", folded) for c in core)
        acronym = spec.isupper() or re.fullmatch(r"[A-Z][a-z]*[A-Z]\w*", spec)
        if acronym and any(initials_match(spec, f"{h.title} {h.short_title}") for h in hits):
            return True  # "UNTOC": United Nations Convention against Transnational Organized Crime
        names = {fold(t) for lang in ("en", "fr", "es") for t in translations(spec, lang)}
        # The glossary term the name belongs to in the question ("Inter-Agency" in "the
        # Inter-Agency Coordination Group …"), in any language.
        for idx, matched in find_concepts(question):
            if fold(spec) in fold(matched):
                names |= {fold(t) for lang in ("en", "fr", "es") for t in CONCEPTS[idx][lang]}
        if any(f" {n} " in folded for n in names):
            return True  # "OEA": "Organisation des États américains" in a French text
        toks = [t for t in words(spec) if t not in stopwords(qlang)] or words(spec)
        # An acronym is not translated word by word ("LkSG" is no French word); a name
        # only through a close translation ("Norway" / "Norvège").
        strict = 1.0 if acronym else self.config.name_similarity
        qt = QuestionTerms(spec, qlang, self.retriever, set(evidence), min_similarity=strict)
        return all(qt.found_in(t, evidence) for t in toks)

    def judge(
        self, qt: QuestionTerms, hits: list[Hit], sentences: list[str], named: bool = False
    ) -> Support:
        """The support decision for a question, its top hits and their best sentences."""
        top = hits[: self.config.passages]
        if not top:
            return Support(0.0, False, {"no_hits": 1.0})
        question, qlang = qt.question, qt.qlang
        best = max(max(h.scores.get("dense", 0.0), h.scores.get("sentence", 0.0)) for h in top)
        mean, spread = self.floor(qlang)
        evidence = hit_stems(top)
        missing = [
            spec
            for spec in specifics(question, qlang)
            if not countries(spec) and not self.mentioned(spec, qlang, top, evidence, question)
        ]
        juris = {h.jurisdiction for h in top}
        for h in top:
            if not h.jurisdiction:  # a user's document: the countries it mentions anywhere
                juris |= self.retriever.doc_countries(h.doc_id)
        texts = " ".join(f"{h.title} {h.short_title} {h.text}" for h in top)
        elsewhere = sorted(c for c in countries(question) if not covered(c, juris, texts))
        kind = answer_type(question, qlang)
        best_sentences = sentences[: self.config.sentences]
        numeric_ok = 1.0 if answers_type(kind, question, best_sentences, qt) else 0.0
        focus = 1.0 if found_in_sentences(qt, focus_words(question, qlang), best_sentences) else 0.0
        parts = {
            "closeness": (best - mean) / spread,
            "cosine": best,
            "coverage": qt.coverage(evidence),
            "missing": float(len(missing)),
            "countries": float(len(elsewhere)),
            "numeric": numeric_ok,
            "focus": focus,
            "named": 1.0 if named else 0.0,
        }
        p = self.model.probability(parts)
        if parts["closeness"] < self.config.off_topic:
            p = 0.0  # no closer than questions about something else entirely
        return Support(round(p, 4), p >= self.model.threshold, parts, missing + elsewhere)


@dataclass
class SupportModel:
    """A logistic model over the support parts: ``p = σ(bias + Σ weight × part)``."""

    weights: dict[str, float]
    bias: float
    threshold: float = 0.5

    def probability(self, parts: dict[str, float]) -> float:
        z = self.bias + sum(w * parts.get(k, 0.0) for k, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


# Before any fit: closeness and coverage for, missing specifics, countries and figures against.
DEFAULT_MODEL = SupportModel(
    weights={"closeness": 0.8, "coverage": 3.0, "missing": -2.0, "countries": -3.0, "numeric": 2.0},
    bias=-4.0,
)


def load_model(path: Path = MODEL) -> SupportModel:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return SupportModel(raw["weights"], float(raw["bias"]), float(raw.get("threshold", 0.5)))
    except (OSError, ValueError, KeyError):
        return DEFAULT_MODEL


def feature_vector(parts: dict[str, float], names: list[str]) -> np.ndarray:
    return np.array([parts.get(n, 0.0) for n in names], dtype=np.float64)
