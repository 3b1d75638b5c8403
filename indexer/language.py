"""Language handling shared by the indexer and the assistant: one fold, one detector,
stop words and stemmers from maintained packages, and tokens for the lexical index.

- ``fold``: case, accents and apostrophes normalised, for matching only.
- ``detect``: the language of a question or a passage (py3langid, with a stop-word vote
  first, because a ten-word question fools a statistical identifier).
- ``stopwords``: the ``stop-words`` package's lists, without the few content words they
  hold that matter in law ("date", "billion", "appropriate"...).
- ``terms``: folded tokens without stop words, stemmed by the language's Snowball stemmer
  (PyStemmer), so "bidders" meets "bidder" and "exclusions" meets "exclure" in French.
  ``52.222-50`` and ``2014/24`` stay whole. Chinese is cut into words by jieba first
  (it has no Snowball stemmer: its words are compared as they are).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

# The UN languages first; the others are languages users' documents often come in.
LANGUAGES = ("en", "fr", "es", "ar", "zh", "ru", "de", "pt", "it", "nl")
STEMMERS = {
    "en": "english", "fr": "french", "es": "spanish", "ar": "arabic", "ru": "russian",
    "de": "german", "pt": "portuguese", "it": "italian", "nl": "dutch",
}  # fmt: skip
_STOPWORD_LISTS = {
    "en": "english", "fr": "french", "es": "spanish", "ar": "arabic", "ru": "russian",
    "zh": "chinese", "de": "german", "pt": "portuguese", "it": "italian", "nl": "dutch",
}  # fmt: skip
# Words the packaged lists treat as noise but that carry the answer in a legal text:
# amounts, dates, obligations. They stay searchable.
_KEEP = {
    "en": "adopted amount appropriate available billion date dates effect information "
    "million must necessary number part parties party present provide provided required "
    "requires section sections shall state states thousand under year years",
    "fr": "article date doit etat etats ensemble mois partie parties seuil",
    "es": "articulo estado estados fecha parte partes umbral",
    "ru": "год года году лет",
}
# Question words the packaged Arabic, Chinese and Russian lists lack ("هل", "哪些", "какие"):
# they ask, they do not say what is asked about.
_EXTRA = {
    "ar": "هل ماذا متى كيف لماذا اين كم",
    "zh": "哪些 哪个 哪家 哪类 哪种 什么 是否 吗 呢 如何 怎样 怎么 为什么 哪里 谁 这些 那些 "
    "这个 那个 我们 他们 其 之 以及 或者 对于 关于 有关 一个 应该 可以 需要 是 了 在 有 与 对 为",
    "ru": "какие каков какова каково каковы какого каких каким какую какая ли",
}
TOKEN = re.compile(r"[^\W_]+(?:[./-][^\W_]+)*")
# Chinese characters (CJK unified ideographs, extension A, compatibility ideographs).
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


# Combining marks left by NFKD: Latin accents, and Arabic short vowels (harakat).
# (The Arabic tatweel, a stretching stroke, goes too.)
_COMBINING = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u064b-\u065f\u0670\u0640]+"
)
# Arabic-Indic and Persian digits read as 0-9 (full-width digits already are, by NFKD).
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_NON_WORD = re.compile(r"[^\w./'-]+")
_ELISION = re.compile(r"(?<=\w)'")


def fold(text: str) -> str:
    """Lower case, accents removed, apostrophes and punctuation spaced: for matching only.
    Arabic loses its short vowels and hamza seats (أ, إ, آ → ا), Russian keeps "й" (only
    "ё" becomes "е"), full-width Chinese digits and punctuation become plain ones."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'")).translate(_DIGITS)
    text = text.replace("\u0438\u0306", "\u0439").replace("\u0418\u0306", "\u0419")  # й, Й
    text = _COMBINING.sub("", text).casefold()
    text = _NON_WORD.sub(" ", text)
    text = _ELISION.sub("' ", text)  # l'article -> l' article
    return " ".join(text.split())


@cache
def stopwords(lang: str) -> frozenset[str]:
    """Folded stop words of a language (empty for a language the package lacks)."""
    from stop_words import StopWordError, get_stop_words

    name = _STOPWORD_LISTS.get(lang)
    if not name:
        return frozenset()
    try:
        words = get_stop_words(name)
    except StopWordError:
        return frozenset()
    keep = set(_KEEP.get(lang, "").split())
    out = set()
    for w in [*words, *_EXTRA.get(lang, "").split()]:
        for part in fold(w).replace("'", " ").split():
            if part not in keep:
                out.add(part)
    return frozenset(out)


@lru_cache(maxsize=1)
def all_stopwords() -> frozenset[str]:
    return frozenset().union(*(stopwords(lang) for lang in ("en", "fr", "es")))


@cache
def _stemmer(lang: str):
    import Stemmer

    name = STEMMERS.get(lang)
    return Stemmer.Stemmer(name) if name else None


def stem(word: str, lang: str) -> str:
    """The Snowball stem of a folded word in ``lang`` (the word itself where none applies)."""
    stemmer = _stemmer(lang)
    if stemmer is None or not word.isalpha():
        return word
    if lang == "ar" and len(word) > 4 and word[0] in "وف" and word[1:3] in ("ال", "لل"):
        word = word[1:]  # "والشركات": Snowball strips "ال" and "لل", not "و" or "ف" before them
    return stemmer.stemWord(word)


def ascii_digits(text: str) -> str:
    """Decimal digits of any script ("٥٧", full-width "５７") as 0-9."""
    if text.isascii():
        return text
    return re.sub(r"\d", lambda m: str(unicodedata.digit(m.group())), text)


def has_han(text: str) -> bool:
    """Whether a text holds Chinese characters."""
    return bool(_HAN.search(text))


@cache
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict…" on every first use
    return jieba


def segment(run: str) -> list[str]:
    """A run of Chinese (written without spaces) cut into words by jieba's dictionary."""
    return [w for w in _jieba().lcut(run) if TOKEN.fullmatch(w)]


def words(text: str) -> list[str]:
    """Folded word tokens, stop words kept: ``52.222-50`` and ``2014/24`` stay whole.
    Chinese, written without spaces, is cut into words (jieba)."""
    out = []
    for tok in TOKEN.findall(fold(text).replace("'", " ")):
        tok = tok.strip(".-/")
        if tok and _HAN.search(tok):
            out.extend(segment(tok))
        elif tok:
            out.append(tok)
    return out


def long_enough(word: str) -> bool:
    """A word worth matching on its own: three letters or more, or two Chinese characters
    (most Chinese words are two characters long)."""
    return len(word) > 2 or (len(word) == 2 and bool(_HAN.search(word)))


def terms(text: str, lang: str) -> list[str]:
    """Content tokens of ``text`` read as ``lang``: stop words out, stemmed."""
    stop = stopwords(lang) or all_stopwords()
    return [stem(w, lang) for w in words(text) if w not in stop]


@lru_cache(maxsize=1)
def _langid():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def _script(text: str) -> str:
    """A language settled by its script alone: Arabic, Chinese, Cyrillic (Russian)."""
    counts = {"ar": 0, "zh": 0, "ru": 0, "latin": 0}
    for ch in text:
        o = ord(ch)
        # Arabic, its supplement, and its presentation forms A and B
        if 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0xFB50 <= o <= 0xFEFC:
            counts["ar"] += 1
        elif 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF:
            counts["zh"] += 1
        elif 0x0400 <= o <= 0x04FF:
            counts["ru"] += 1
        elif ch.isalpha():
            counts["latin"] += 1
    best = max(counts, key=counts.get)
    return best if best != "latin" and counts[best] > counts["latin"] else ""


MIN_CONFIDENCE = 0.5  # below this, py3langid is guessing (short titles, mixed text)


def detect_document(text: str) -> str:
    """The language of a document (its first 3,000 characters), or ``"und"`` when there
    is too little text or the identifier is unsure: a document's language is metadata,
    better unknown than wrong. Arabic, Chinese and Cyrillic script settle it from a few
    letters (a one-line Chinese question has fifteen characters)."""
    sample = text[:3000]
    letters = sum(ch.isalpha() for ch in sample)
    by_script = _script(sample)
    if by_script and letters >= 4:
        return by_script
    if letters < 20:
        return "und"
    language, confidence = _langid().classify(sample)
    return language if confidence >= MIN_CONFIDENCE else "und"


def detect(text: str, default: str = "en") -> str:
    """The language of a question or passage: ``en``, ``fr``, ``es``, ``ar``, ``zh``, ``ru``
    (or ``de``, ``pt``, ``it``, ``nl``); ``default`` when there is nothing to tell."""
    by_script = _script(text)
    if by_script:
        return by_script
    tokens = fold(text).replace("'", " ").split()
    votes = {lang: sum(w in stopwords(lang) for w in tokens) for lang in ("en", "fr", "es")}
    ranked = sorted(votes.values(), reverse=True)
    if ranked[0] >= 2 and ranked[0] >= 2 * ranked[1]:
        return max(votes, key=votes.get)
    if sum(ch.isalpha() for ch in text) < 3:
        return default
    lang, _ = _langid().classify(text)
    return lang


def vocabulary(text: str, lang: str) -> set[str]:
    """The folded content words of a text, as the store's lexicon keeps them: alphabetic,
    three letters or more (two Chinese characters), not stop words of ``lang``."""
    stop = stopwords(lang) or all_stopwords()
    return {w for w in words(text) if long_enough(w) and w.isalpha() and w not in stop}
