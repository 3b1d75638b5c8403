"""Text helpers shared by retrieval and answers: folding, tokens, stop words, language."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TOKEN = re.compile(r"[a-z0-9]+(?:[./-][a-z0-9]+)*")

STOPWORDS = {
    "en": set(
        [
            "a",
            "an",
            "and",
            "are",
            "as",
            "at",
            "be",
            "been",
            "by",
            "can",
            "could",
            "did",
            "do",
            "does",
            "for",
            "from",
            "had",
            "has",
            "have",
            "how",
            "i",
            "if",
            "in",
            "into",
            "is",
            "it",
            "its",
            "may",
            "must",
            "of",
            "on",
            "or",
            "our",
            "shall",
            "should",
            "so",
            "such",
            "than",
            "that",
            "the",
            "their",
            "them",
            "then",
            "there",
            "these",
            "they",
            "this",
            "those",
            "to",
            "under",
            "was",
            "we",
            "were",
            "what",
            "when",
            "where",
            "which",
            "who",
            "whom",
            "why",
            "will",
            "with",
            "would",
            "you",
            "your",
            "any",
            "all",
            "also",
            "not",
            "no",
            "more",
            "most",
            "other",
            "about",
            "above",
        ]
    ),
    "fr": set(
        [
            "a",
            "au",
            "aux",
            "avec",
            "ce",
            "ces",
            "cette",
            "dans",
            "de",
            "des",
            "du",
            "elle",
            "elles",
            "en",
            "est",
            "et",
            "etre",
            "il",
            "ils",
            "l",
            "la",
            "le",
            "les",
            "leur",
            "leurs",
            "lui",
            "mais",
            "ne",
            "ni",
            "nous",
            "on",
            "ou",
            "par",
            "pas",
            "pour",
            "qu",
            "que",
            "quel",
            "quelle",
            "quelles",
            "quels",
            "qui",
            "sa",
            "se",
            "ses",
            "son",
            "sont",
            "sur",
            "un",
            "une",
            "vos",
            "votre",
            "y",
            "d",
            "s",
            "c",
            "n",
            "doit",
            "doivent",
            "peut",
            "peuvent",
            "quoi",
            "comment",
            "quand",
            "ont",
            "a-t-il",
            "y-a-t-il",
            "faut",
            "il-y",
        ]
    ),
    "es": set(
        [
            "a",
            "al",
            "como",
            "con",
            "cual",
            "cuales",
            "cuando",
            "de",
            "del",
            "donde",
            "el",
            "ella",
            "ellas",
            "ellos",
            "en",
            "es",
            "esta",
            "este",
            "esto",
            "estos",
            "ha",
            "han",
            "hay",
            "la",
            "las",
            "le",
            "les",
            "lo",
            "los",
            "mas",
            "o",
            "para",
            "pero",
            "por",
            "que",
            "quien",
            "se",
            "sea",
            "ser",
            "si",
            "sin",
            "sobre",
            "su",
            "sus",
            "un",
            "una",
            "uno",
            "y",
            "debe",
            "deben",
            "puede",
            "pueden",
            "cuanto",
            "cuanta",
        ]
    ),
}
ALL_STOPWORDS = set().union(*STOPWORDS.values())


def fold(text: str) -> str:
    """Lower case, accents removed, apostrophes and punctuation spaced: for matching only."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[^\w./'-]+", " ", text)
    text = re.sub(r"(?<=\w)'", "' ", text)  # l'article -> l' article
    return re.sub(r"\s+", " ", text).strip()


def stem(token: str) -> str:
    """A deliberately light, language-neutral stem: plural endings only."""
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 4 and token.endswith(("es", "s")) and not token.endswith("ss"):
        return token[:-1]
    return token


def tokens(text: str, keep_stopwords: bool = False) -> list[str]:
    """Folded, lightly stemmed word tokens; ``52.222-50`` and ``2014/24`` stay whole."""
    out = []
    for tok in TOKEN.findall(fold(text).replace("'", " ")):
        tok = tok.strip(".-/")
        if not tok or (not keep_stopwords and tok in ALL_STOPWORDS):
            continue
        out.append(stem(tok))
    return out


@lru_cache(maxsize=1)
def _langid():
    from py3langid import langid

    identifier = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
    identifier.set_languages(["en", "fr", "es", "de", "pt", "it", "nl"])
    return identifier


def detect_language(text: str, default: str = "en") -> str:
    """en / fr / es (or another major language) for a question or a passage.

    Short questions fool statistical identifiers, so stop words vote first: they are
    the most reliable signal in a ten-word question.
    """
    words = fold(text).replace("'", " ").split()
    votes = {lang: sum(w in sw for w in words) for lang, sw in STOPWORDS.items()}
    best = max(votes, key=votes.get)
    ranked = sorted(votes.values(), reverse=True)
    if ranked[0] >= 2 and ranked[0] >= 2 * ranked[1]:
        return best
    if len(text.strip()) < 3:
        return default
    lang, _ = _langid().classify(text)
    return lang
