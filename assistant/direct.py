"""The short answer an extractive answer opens with, before its quotations.

A reader asking "must we exclude…?" wants the yes or no first; one asking "above what
turnover…?" wants the figures side by side. ``short_answer`` builds that opening from
the quoted sentences alone:

- a question on a duty gets which instruments make it mandatory, which leave it to
  the buyer, and which impose none, judged from the modal verb of each one's quoted
  sentence ("must", "shall", "doit", "debe", "يجب", "应当", "должен" / "may", "peut",
  "puede" / "is not required");
- a question asking for a figure, or who is covered, gets each instrument's clause that
  states the figure, cut from its sentence at clause boundaries;
- a question across instruments gets each one's leading clause.

Every excerpt is a slice of a source sentence (cuts are marked "…") followed by the
citation of its passage; the few connecting words come from ``assistant.messages``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assistant.lexicon import question_words
from assistant.messages import message
from indexer.language import has_han, stopwords, words

_OWN_WORDS = ("en", "fr", "es")  # questions whose duty words are read as they are
MAX_CLAUSE = 220  # characters of an excerpt before it is cut at a comma
_POINT = re.compile(r"^\s*\d{1,3}\.\s")  # a card point: "2. Who must report (s. 54(2)): …"
_LABEL_END = re.compile(r"\s?:\s")
# An amount a threshold is stated in: "GBP 36 million", "5 000 salariés", "250 employees".
AMOUNT = re.compile(
    r"(?:\b(?:GBP|USD|EUR|AUD|CAD|CHF|NOK|SEK|DKK|BRL|JPY|CNY|INR|ZAR|NZD|MXN)|[$€£])\s?\d[\d,.\u00a0\u202f ]*(?:\s?(?:million|billion|millions?|milliards?|"
    r"millones|mil millones))?|\b\d[\d,.\u00a0\u202f ]*\s?(?:million|billion|millions?|milliards?|millones|"
    r"employees|workers|salari[ée]s|employ[ée]s|empleados|trabajadores|per cent|pour cent|por ciento|%|"
    r"مليون|مليار|موظفا?|عاملا?|万|亿|名|млн|миллион\w*|миллиард\w*|работник\w*|сотрудник\w*|процент\w*)",
    re.IGNORECASE,
)

# Then Arabic (a word may carry "و" or "ف"), Chinese (no spaces: no \b) and Russian.
MANDATORY = re.compile(
    r"\b(must|shall|is required to|are required to|has to|have to|mandatory|is obliged|"
    r"doit|doivent|est tenue?|sont tenue?s|obligatoire|debe|deben|est[áa]n? obligad[oa]s?|"
    r"obligatori[oa]|requires?|oblige(nt)?|obligan? a|impone)\b|"
    r"(?<!\w)[وف]?(?:يجب|يتعين|يتوجب|يلزم|تلتزم|يلتزم|ملزم|ملزمة|[إا]لزامي|[إا]لزامية)(?!\w)|"
    r"必须|应当|有义务|"  # not 强制: 强制劳动 is "forced labour"
    r"\b(?:долж(?:ен|на|но|ны)|обязан[аоы]?|обязательн\w*)\b",
    re.IGNORECASE,
)
OPTIONAL = re.compile(
    r"\b(may|can|discretionary|peut|peuvent|facultati(f|ve)|puede|pueden|facultativ[oa])\b|"
    r"(?<!\w)[وف]?(?:يجوز|يمكن|يحق)(?!\w)|可以|有权|酌情|"
    r"\b(?:может|могут|вправе)\b",
    re.IGNORECASE,
)
NO_DUTY = re.compile(
    r"\b(not required|need not|does not (bind|require|apply)|no (duty|obligation)|"
    r"places no duty|n'est pas tenue?|aucune obligation|pas d'obligation|no est[áa] obligad|"
    r"ninguna obligaci[óo]n|no obliga)\b|"
    r"(?<!\w)(?:غير ملزمة?|لا يلزم|لا يتعين|ليس ملزما|ليست ملزمة|لا التزام)(?!\w)|"
    r"无须|无需|不必|没有义务|无义务|"
    r"\bне\s+(?:обязан[аоы]?|требуется|обязательн\w*)\b",
    re.IGNORECASE,
)
_NOT_MAY = re.compile(
    r"\b(may not|cannot|ne peu(t|vent) pas|no puede)\b|(?<!\w)[وف]?لا يجوز(?!\w)|不得|"
    r"\bне\s+(?:может|могут|вправе)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Quoted:
    """One instrument's quoted evidence: its name, locator, citation and sentences."""

    name: str
    locator: str
    n: int
    sentences: list[str]
    synthesis: bool = False


def _unlabel(text: str) -> str:
    """A card point without its number and label ("2. Who must report (s. 54(2)): ")."""
    if not _POINT.match(text):
        return text
    depth = 0
    for i, ch in enumerate(text[:160]):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and (m := _LABEL_END.match(text, i)) and ch in " :":
            return text[m.end() :]
    return text


def clause(sentence: str, want_figure: bool) -> str:
    """The part of ``sentence`` that answers: the clause stating a figure when one is
    wanted, else the first clause; without the card point's label; cuts marked "…"."""
    text = _unlabel(re.sub(r"\s+", " ", sentence).strip())
    parts = [p.strip() for p in text.split(";") if p.strip()] or [text]
    pick = 0
    if want_figure:
        pick = next((i for i, p in enumerate(parts) if AMOUNT.search(p)), 0)
    part = parts[pick]
    cut_before = pick > 0
    cut_after = pick < len(parts) - 1
    if len(part) > MAX_CLAUSE:
        segments = part.split(", ")
        marks = [i for i, s in enumerate(segments) if want_figure and AMOUNT.search(s)]
        first, last = (marks[0], marks[-1]) if marks else (0, 0)
        while last + 1 < len(segments) and len(", ".join(segments[first : last + 2])) <= MAX_CLAUSE:
            last += 1
        while first > 0 and len(", ".join(segments[first - 1 : last + 1])) <= MAX_CLAUSE:
            first -= 1
        cut_before, cut_after = cut_before or first > 0, cut_after or last < len(segments) - 1
        part = ", ".join(segments[first : last + 1])
    part = part.rstrip(" .;:,")
    return ("… " if cut_before else "") + part + (" …" if cut_after else "")


_AUX = {"be", "not", "être", "etre", "ser", "pas", "also", "aussi", "también", "tambien",
        "быть", "также", "тоже"}  # fmt: skip
_TO = {"to", "à", "a", "de", "ان"}  # "يجب أن تستبعد": the verb after "أن"


def _key(word: str) -> str:
    """How a verb is compared with the question's words: by its first five letters; a
    Chinese word (two characters or more) whole."""
    if len(word) >= 5:
        return word[:5]
    return word if len(word) >= 2 and has_han(word) else ""


def _governs(match: re.Match[str], text: str, asked: set[str]) -> bool:
    """Whether the modal at ``match`` bears on what the question asks: the verb after it
    ("must *exclude*", "must be *excluded*", "obliga a los poderes a *excluir*") shares
    its stem with a word of the question."""
    after = words(text[match.end() : match.end() + 80])[:7]
    near = [w for w in after if w not in _AUX][:1]
    near += [w for prev, w in zip(after, after[1:], strict=False) if prev in _TO]
    return any(_key(w) in asked for w in near if _key(w))


def duty(sentences: list[str], asked: set[str]) -> str:
    """ "no", "mandatory", "optional" or "" for what quoted sentences say of the duty asked
    about (``asked``: the first five letters of the question's content words)."""
    text = " ".join(sentences)
    if NO_DUTY.search(text):
        return "no"
    for pattern, kind in (
        (_NOT_MAY, "mandatory"),
        (MANDATORY, "mandatory"),
        (OPTIONAL, "optional"),
    ):
        if any(_governs(m, text, asked) for m in pattern.finditer(text)):
            return kind
    return ""


def _ref(q: Quoted, with_n: bool = True) -> str:
    loc = re.sub(r"^point \d+\s*", "", q.locator).strip()
    if loc.startswith("(") and loc.endswith(")"):
        loc = loc[1:-1]
    if loc.casefold() in {"summary", "résumé", "resumen"}:
        loc = ""
    return q.name + (f" ({loc})" if loc else "") + (f" [{q.n}]" if with_n else "")


def _asked(question: str, lang: str) -> set[str]:
    stop = stopwords(lang)
    return {_key(w) for w in words(question) if _key(w) and w not in stop}


def translated_asked(lexicon: Any, question: str, qlang: str, langs: set[str]) -> set[str]:
    """For an Arabic, Chinese or Russian question, its words in the quoted passages'
    languages, from the store's lexicon ("استبعاد" → "exclude"), compared as ``_asked``
    compares them: how "must *exclude*" is recognised in an English passage quoted for an
    Arabic question. (English, French and Spanish questions keep their own words.)"""
    if lexicon is None or qlang in _OWN_WORDS:
        return set()
    asked = question_words(question, qlang)
    out: set[str] = set()
    for lang in sorted(langs - {qlang}):
        for near in lexicon.translate(asked, lang, qlang).values():
            out |= {_key(t) for t, _ in near if _key(t)}
    return out


def short_answer(
    question: str,
    quoted: list[Quoted],
    lang: str,
    asks_duty: bool,
    want_figure: bool,
    survey: bool,
    also_asked: set[str] | None = None,
) -> list[str]:
    """The opening lines of an answer ([] when the first quotation is answer enough).
    ``quoted`` holds one entry per quoted passage, in the answer's order; ``also_asked``:
    the question's words in other languages (``translated_asked``)."""
    first_of: dict[str, Quoted] = {}
    for q in quoted:
        if not q.synthesis:
            first_of.setdefault(q.name, q)
    lines: list[str] = []
    if asks_duty and first_of:
        asked = _asked(question, lang) | (also_asked or set())
        verdicts: dict[str, list[str]] = {}
        for name in first_of:
            # An instrument's verdict comes from the first of its passages that has one.
            found = ((q, duty(q.sentences, asked)) for q in quoted if q.name == name)
            q, kind = next(((q, k) for q, k in found if k), (None, ""))
            if q is not None and kind:
                verdicts.setdefault(kind, []).append(_ref(q))
        for kind in ("mandatory", "optional", "no"):
            if kind in verdicts:
                lead = "duty_" + kind + ("_first" if not lines else "")
                lines.append(message(lead, lang) + " " + "; ".join(verdicts[kind]) + ".")
    if want_figure or (survey and not asks_duty and len(first_of) > 1):
        for name in first_of:
            passages = [q for q in quoted if q.name == name]
            if want_figure:
                found = [(q, s) for q in passages for s in q.sentences if AMOUNT.search(s)]
                if not found:
                    continue
                q, sentence = found[0]
            else:
                q, sentence = passages[0], passages[0].sentences[0]
            if excerpt := clause(sentence, want_figure):
                lines.append(f"{_ref(q, with_n=False)}: “{excerpt}” [{q.n}]")
    if not lines:
        return []
    return [message("in_short", lang), *lines]
