"""Whether a sentence of a model's answer says what the sentences it cites say, judged
offline (no model) from signals that word overlap misses: no negating what the best-matching
cited sentence affirms or the reverse, no "must" for "need not" or "may", no "allows" for
"prohibits" (English, French, Spanish cues); no number, name, acronym or country the cited
passages, titles or jurisdictions lack; no change of status (repealed, exempt, suspended,
amended, no longer) or absolute ("always", "never", "all", "no company") no cited sentence
states. Each check returns the words of the claim at fault, for the notice.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass

from assistant.countries import countries, covered
from assistant.glossary import translations
from indexer.chunking import split_sentences
from indexer.language import all_stopwords, detect, fold, stem, terms, words

LANGS = ("en", "fr", "es")


@dataclass(frozen=True)
class Finding:
    """Why a claim is not entailed: its words at fault (and the cited words it contradicts)."""

    kind: str  # "contradiction", "number", "name", "status" or "absolute"
    claim: str
    source: str = ""


def plain(text: str) -> str:
    """Lower case without accents, punctuation kept: for the cue patterns."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


# Modal words by kind (folded). Bare modals read as a prohibition when negated ("must not"),
# full ones as no duty ("need not"); a duty noun only counts negated ("no obligation").
KINDS = {
    "bare": "must shall should doit doivent devra devront devrait debe deben debera deberan",
    "full": "required require requires requiring obliged obligated mandatory compulsory bind binds "
    "bound tenu tenue "
    "tenus tenues oblige obligee obliges obligees obligent obligatoire obligatoires exige exigent "
    "exiger impose imposent requis requise obligado obligada obligados obligadas obligatorio "
    "obligatoria obligatorios obligatorias exigen exigir requiere requieren requerido requerida",
    "perm": "may can could allowed allow allows permitted permit permits authorised authorized "
    "authorise authorize authorises authorizes entitled peut peuvent pourra pourront autorise "
    "autorisee autorises autorisees autorisent permet permettent permis puede pueden podra podran "
    "permite permiten permitido permitida autoriza autorizan autorizado autorizada facultado",
    "prohib": "prohibit prohibits prohibited prohibiting forbid forbids forbidden banned interdit "
    "interdite interdits interdites interdisent interdire prohibe prohiben prohibido prohibida",
    "duty": "obligation obligations requirement requirements duty duties obligacion obligaciones",
    "opt": "optional voluntary voluntarily discretionary facultatif facultative facultatifs "
    "facultatives volontaire opcional voluntario voluntaria potestativo",
}
KIND = {w: kind for kind, ws in KINDS.items() for w in ws.split()}
# fmt: off
# (kind, negated) -> deontic value; a claim's value must be compatible with the source's.
VALUES = {("bare", False): "required", ("bare", True): "forbidden", ("full", False): "required",
          ("full", True): "optional", ("perm", False): "allowed", ("perm", True): "forbidden",
          ("prohib", False): "forbidden", ("prohib", True): "allowed", ("opt", False): "optional",
          ("opt", True): "required", ("duty", False): "", ("duty", True): "optional"}
COMPATIBLE = {"required": {"required"}, "forbidden": {"forbidden"},
              "optional": {"optional", "allowed"}, "allowed": {"allowed", "optional"}}
# Negation cues; French closing particles ("ne ... pas"); conditions and subject relatives
# ("where the supplier has not paid": no assertion); clause breaks; auxiliaries.
CUES = set("not never no none neither nor nobody nothing without pas jamais aucun aucune nullement "
           "rien guere non sans nunca jamas ningun ninguna ninguno nadie nada tampoco ni sin".split())
FR_CLOSE = set("pas plus jamais aucun aucune rien guere nullement point ni personne".split())
CONDITION = set("if unless where when whenever once until whether si lorsque lorsqu quand tant "
                "cuando salvo mientras donde".split())
RELATIVE = set("that which who whom whose qui que quien quienes cuyo cuya".split())
BREAK = CONDITION | set("and or but because although et ou mais car y o pero porque aunque sino".split())
FULL_PAIRS = {"need to", "need not", "needs to", "needs not", "have to", "has to", "had to",
              "tiene que", "tienen que", "hay que"}
AUX = set("is are was were be been has have had do does did will would est sont a ont es son ha han".split())
# fmt: on
CLAUSE = re.compile(r"[;:()\[\]]|,(?!\d)|\s[-–—]\s")


def modal_kind(toks: list[str], j: int) -> str:
    """The modal kind of token ``j`` ("need to", "has to", "tiene que" are full modals)."""
    pair = f"{toks[j]} {toks[j + 1]}" if j + 1 < len(toks) else ""
    return "full" if pair in FULL_PAIRS else KIND.get(toks[j], "")


def content(tok: str) -> bool:
    return len(tok) > 2 and tok.isalpha() and tok not in all_stopwords()


@dataclass
class Reading:
    """A sentence's words: (raw, folded, negated or not or neither, the words that say so),
    and its modal values: (deontic value, the words that say it, the folded verb they govern)."""

    tokens: list[tuple[str, str, bool | None, str]]
    values: list[tuple[str, str, str]]
    cued: bool  # whether it has a negation cue or a word of option or prohibition anywhere
    limited: bool = False  # whether it speaks of part of a group only ("fewer than 5,000")


def read(sentence: str) -> Reading:
    """What a sentence asserts, negates and makes a duty, a permission or a prohibition."""
    text = re.sub(r"(?i)\bcan['’]?t\b|\bcannot\b", "can not", sentence)
    text = re.sub(r"(?i)\bwon['’]t\b", "will not", text)
    text = re.sub(r"(?i)n['’]t\b", " not", text)
    out, values, cued = [], [], False
    for clause in CLAUSE.split(text):
        raw = re.findall(r"[^\W_]+['’]?", clause)
        toks = [fold(r).replace("'", "") for r in raw]
        neg, cue_at, skip, cond = [False] * len(toks), [-1] * len(toks), set(), [False] * len(toks)
        for i, t in enumerate(toks):
            cond[i] = (i > 0 and cond[i - 1] or t in CONDITION) and t not in BREAK - CONDITION
            start, cue = -1, False
            if t in ("ne", "n"):
                ahead = [j for j in range(i + 1, min(len(toks), i + 5)) if toks[j] in FR_CLOSE]
                if ahead:
                    start, skip = i + 1, skip | {ahead[0]}
            elif t in CUES and i not in skip:
                start, cue = i + 1, True
                if i and (KIND.get(toks[i - 1]) in ("bare", "perm") or toks[i - 1] == "need"):
                    neg[i - 1], cue_at[i - 1], start = True, i, -1  # "must not", "need not"
            cued = cued or cue or start >= 0 or KIND.get(t) in ("prohib", "opt")
            rel = [k for k in range(max(0, i - 3), i) if toks[k] in RELATIVE]
            relative = bool(rel) and all(toks[k] in AUX for k in range(rel[-1] + 1, i))
            if start < 0 or cond[i] or relative:
                continue
            for j in range(start, len(toks)):  # the first word asserted after the cue
                if toks[j] in BREAK or (j != start and toks[j] in CUES - {"ni"} and j not in skip):
                    break
                if j not in skip and (modal_kind(toks, j) or content(toks[j])):
                    neg[j], cue_at[j] = True, i
                    break
        governs: dict[int, tuple[str, str]] = {}  # verb index -> (modal value, words)
        verbs = [k for k, w in enumerate(toks) if content(w) and w not in KIND]
        for j, t in enumerate(toks):
            phrase, kind = said(raw, toks, j, cue_at[j]) if neg[j] else raw[j], modal_kind(toks, j)
            if cond[j]:
                continue
            if kind and VALUES[kind, neg[j]] and not (raw[j] == "May" and j):
                v = next((k for k in verbs if k > j), -1)
                values.append((VALUES[kind, neg[j]], phrase, toks[v] if v > j else ""))
                words_to = raw[max(j, cue_at[j]) + 1 : v + 1]
                governs[v] = (VALUES[kind, neg[j]], " ".join([phrase, *words_to]))
            elif content(t):  # what a "may", "need not" or "must not" governs is not asserted
                value, phrase = governs.get(j, ("", phrase))
                out.append((raw[j], t, neg[j] if value in ("", "required") else None, phrase))
    return Reading(out, values, cued, bool(LIMITED.search(plain(sentence))))


def said(raw: list[str], toks: list[str], j: int, cue: int) -> str:
    """The words that negate token ``j``, as written: "does not require", "n'est pas tenu"."""
    lo, hi = min(cue, j), max(cue, j)
    lo -= lo > 0 and toks[lo - 1] in AUX
    hi += hi + 1 < len(toks) and toks[hi + 1] in FR_CLOSE
    return " ".join(raw[lo : hi + 1]).replace("' ", "'").replace("’ ", "’")


def variants(word: str, lang: str) -> set[str]:
    """The stems under which a folded word may appear, in its language or translated."""
    out = {word, stem(word, lang)}
    for other in LANGS:
        out |= {stem(t, other) for t in translations(word, other) if " " not in t}
    return out


def polarity(claim: str, sentences: list[tuple[str, str]]) -> Finding | None:
    """A contradiction between the claim and each of its best-matching cited sentences."""
    lang, mine = detect(claim), read(claim)
    claim_words = [variants(t, lang) for _, t, _, _ in mine.tokens]
    scored = []
    for s, sl in sentences:
        stems = set(terms(s, sl)) | set(words(s))
        scored.append((sum(bool(v & stems) for v in claim_words) / max(1, len(claim_words)), s, sl))
    best = max((sc for sc, _, _ in scored), default=0.0)
    found = [contradiction(mine, lang, read(s), sl) for sc, s, sl in scored if sc >= best - 0.1]
    return found[0] if best >= 0.3 and all(found) else None


def contradiction(claim: Reading, lang: str, source: Reading, slang: str) -> Finding | None:
    """What the claim says against one source sentence: a modal value the source gives
    no room for (about the same verb when both name one), or a negated word it affirms."""
    for value, phrase, verb in claim.values:
        forms = variants(verb, lang) if verb else set()
        same = [(v, p) for v, p, w in source.values if w and meets(forms, {w, stem(w, slang)})]
        have = same or [(v, p) for v, p, _ in source.values]
        loose = {"required"} if value == "allowed" and not same else set()  # "can" beside "must"
        if have and not (COMPATIBLE[value] | loose) & {v for v, _ in have}:
            return Finding("contradiction", phrase, have[0][1])
    pos: dict[str, str] = {}
    neg: dict[str, str] = {}
    for _raw, t, negated, phrase in source.tokens:
        for v in {t, stem(t, slang)} if negated is not None else ():
            (neg if negated else pos).setdefault(v, phrase)
    for _raw, t, negated, phrase in claim.tokens:
        if negated is None:
            continue
        found = variants(t, lang)
        yes, no = meets(found, pos.keys()), meets(found, neg.keys())
        if negated and yes and not no and not source.cued and not claim.limited:
            return Finding("contradiction", phrase, pos[yes])
        if not negated and not claim.cued and no and not yes:
            return Finding("contradiction", phrase, neg[no])
    return None


def meets(forms: set[str], keys) -> str:
    """The first key equal to a form or sharing most of it, five letters at least ("exclu")."""
    for key in sorted(keys):
        for f in forms:
            n = len(os.path.commonprefix([f, key]))
            if f == key or (n >= 5 and n >= 0.7 * min(len(f), len(key))):
                return key
    return ""


# fmt: off
_SMALL = {w: float(n) for n, ws in {
    2: "two deux dos", 3: "three trois tres", 4: "four quatre cuatro", 5: "five cinq cinco",
    6: "six seis", 7: "seven sept siete", 8: "eight huit ocho", 9: "nine neuf nueve", 10: "ten dix diez",
    12: "twelve douze doce", 15: "fifteen quinze quince", 20: "twenty vingt veinte",
    30: "thirty trente treinta", 40: "forty quarante cuarenta", 50: "fifty cinquante cincuenta",
    60: "sixty soixante sesenta", 100: "hundred cien ciento"}.items() for w in ws.split()}
_SCALE = {"thousand": 1e3, "mille": 1e3, "mil": 1e3, "million": 1e6, "millions": 1e6, "millon": 1e6,
          "millones": 1e6, "billion": 1e9, "billions": 1e9, "milliard": 1e9, "milliards": 1e9}
# fmt: on
_REFERENCE = re.compile(r"\S*\d[\w.]*[/-]\d[\w./()-]*")  # 2014/24, 52.222-50: compared as written
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[\u00a0\u202f ,.]\d{3}(?!\d))*(?:[.,]\d+)?(?!\w)")


def _values(num: str) -> set[float]:
    """A written number's values: "1,500" is 1500 in English and 1.5 in French."""
    parts = re.split(r"[\u00a0\u202f ,.]", num)
    whole = {float("".join(parts))} if all(len(p) == 3 for p in parts[1:]) else set()
    decimal = len(parts) > 1 and num[-len(parts[-1]) - 1] in ",."
    return whole | ({float("".join(parts[:-1]) + "." + parts[-1])} if decimal else set())


def numbers(text: str) -> list[tuple[str, set[float], set[float]]]:
    """The numbers a text states: as written ("10 million"), scaled, and as bare figures."""
    out: list[tuple[str, set[float], set[float]]] = []
    text = _REFERENCE.sub(" ", text)
    for m in _NUMBER.finditer(text):
        after, scale, n = re.findall(r"[a-z]+", plain(text[m.end() : m.end() + 30])), 1.0, 0
        while n < min(2, len(after)) and after[n] in _SCALE:
            scale, n = scale * _SCALE[after[n]], n + 1
        vals = _values(m.group(0))
        out.append((" ".join([m.group(0), *after[:n]]), {v * scale for v in vals}, vals))
    toks = re.findall(r"[a-z]+", plain(text))
    for t, nxt in zip(toks, [*toks[1:], ""], strict=True):
        if t in _SMALL:
            scale = _SCALE.get(nxt, 1.0)
            out.append((f"{t} {nxt}" if scale > 1 else t, {_SMALL[t] * scale}, {_SMALL[t]}))
    return out


def missing_number(claim: str, pool: str) -> Finding | None:
    """The first number or reference of the claim that the pool does not give."""
    have = {v for _, scaled, bare in numbers(pool) for v in scaled | bare}
    refs = [m.group(0).strip(".,;()") for m in _REFERENCE.finditer(claim)]
    shown = [s for s, scaled, _ in numbers(claim) if not scaled & have]
    shown += [r for r in refs if fold(r) not in fold(pool)]
    return Finding("number", shown[0]) if shown else None


_CAPITAL = re.compile(r"(?<![\w'’./-])[A-Z][\w'’-]*(?:\.[\w'’-]+)*")
_JOINS = {"of", "de", "du", "des", "del", "la", "for", "on", "sur", "the"}


def names(claim: str) -> list[str]:
    """Capitalised words after a sentence's first, as names ("Ministry of Labour", "U.S.C")."""
    spans: list[list[int]] = []
    for m in _CAPITAL.finditer(claim):
        before = claim[: m.start()].rstrip()
        if not before or before[-1] in '.!?:;"“«(' or m.group(0) == "I":
            continue
        gap = claim[spans[-1][1] : m.start()].split() if spans else ["-", "-"]
        if len(gap) <= 1 and all(g in _JOINS for g in gap):
            spans[-1][1] = m.end()
        else:
            spans.append([m.start(), m.end()])
    return [re.sub(r"['’]s$", "", claim[a:b]) for a, b in spans]


def all_stems(text: str) -> set[str]:
    return {stem(w, lang) for w in words(text) for lang in LANGS}


def initials(acronym: str, title: str) -> bool:
    letters = [c for c in fold(acronym) if c.isalpha()]
    heads = [w[0] for w in fold(title).split() if w[:1].isalpha() and w not in all_stopwords()]
    return len(letters) >= 2 and "".join(letters) in "".join(heads)


def stray_name(claim: str, pool: str, titles: str, places: set[str], same: bool) -> Finding | None:
    """The first name of the claim its cited passages, titles and jurisdictions do not mention."""
    folded = " " + " ".join(words(f"{pool} {titles}".replace("/", " "))) + " "
    stems = all_stems(f"{pool} {titles}")
    for name in names(claim):
        codes = countries(name)
        if codes:
            if not all(covered(code, places, f"{pool} {titles}") for code in codes):
                return Finding("name", name)
            continue
        if f" {' '.join(words(name))} " in folded or (name.isupper() and initials(name, titles)):
            continue
        if any(f" {fold(t)} " in folded for lang in LANGS for t in translations(name, lang)):
            continue
        parts = [w for w in words(name) if w not in all_stopwords()]
        wordwise = (
            len(parts) == 1 or not same or all(f" {w} " in f" {fold(titles)} " for w in parts)
        )
        if parts and wordwise and all(all_stems(w) & stems for w in parts):
            continue
        return Finding("name", name)
    return None


# fmt: off
STATUS = {
    "repeal": r"repeal\w*|abolish\w*|abolition|revok\w*|revocation|rescind\w*|annul\w*|struck (?:down|out)|"
    r"abroge\w*|abrogation|aboli\w*|derogad[oa]s?|derogacion|derogo|abolid[oa]s?|anulad[oa]s?",
    "exempt": r"exempt\w*|exonere\w*|exoneration|dispensee?s?|dispensad[oa]s?|exent[oa]s?|exencion\w*|"
    r"exim\w*|waive[sd]?|waiver\w*|derogation\w*|deroger",
    "suspend": r"suspen\w*",
    "amend": r"(?:un)?amend\w*|modifiee?s?|modificad[oa]s?|enmendad[oa]s?|replaced|remplacee?s?|reemplazad\w*|"
    r"sustituid\w*|superseded",
    "cease": r"no longer|n(?:e |')(?:\S+ ){0,2}plus|ya no|dej\w* de|ceased|ceases|expired|lapsed|caduc\w*",
}
# What a source may say instead, as evidence of the same change.
EVIDENCE = {
    "exempt": r"(?:do|does|shall|will) not apply|not (?:apply|covered|subject)|outside the scope|"
    r"ne s'appliquen?t? pas|(?:n'est|ne sont) pas soumise?s?|hors du champ|no se aplican?|fuera del ambito",
    "cease": r"ends?|ended|terminat\w*|prend fin|prennent fin|cess\w*|cesa\w*|termina\w*|expir\w*|"
    + r"repeal\w*|abroge\w*|derogad[oa]s?",
}
ABSOLUTE = {
    "all": r"all|every(?! (?:year|month|week|day))|everyone|everybody|tous(?! les (?:ans|mois|jours))|"
    r"toutes|todos(?! los (?:anos|meses|dias))|todas",
    "always": r"always|in all cases|at all times|without exception|toujours|sans exception|"
    r"dans tous les cas|siempre|sin excepcion|en todos los casos",
    "never": r"never|under no circumstances|in no case|at no time|en aucun cas|jamais|nunca|jamas|"
    r"en ningun caso",
    # "No company", not "no penalty": a negative universal over those who are bound.
    "none": r"none|nobody|no one|nadie|(?:no|aucune?|nulle?|ningun[oa]?) (?:compan\w*|suppliers?|"
    r"business\w*|enterprises?|firms?|persons?|states?|countr\w*|buyers?|authorit\w*|employers?|"
    r"organi[sz]ations?|entit\w*|operators?|entreprises?|fournisseurs?|societes?|personnes?|pays|"
    r"etats?|acheteurs?|autorites?|empresas?|proveedor\w*|personas?|pais\w*|estados?|compradores?)",
}
# A source generalising as much: "every" or "each" for "all", any negative universal for another.
_ALL = ABSOLUTE["all"] + "|" + ABSOLUTE["always"]
_NONE = ABSOLUTE["never"] + "|" + ABSOLUTE["none"] + r"|aucune?|nulle?|ningun[oa]?"
ACCEPT = {"all": _ALL + r"|each|any|tout|toute|chaque|cada|cualquier\w*", "always": _ALL,
          "never": _NONE, "none": _NONE}
# A claim limited to part of what the source covers ("fewer than", "only") may negate it.
LIMITED = re.compile(r"\b(?:fewer|less than|below|smaller|lower than|only|except|moins de|en dessous|"
                     r"seulement|uniquement|sauf|menos de|por debajo|solo|solamente|excepto|salvo)\b")
# fmt: on


def _find(pattern: str, text: str, shown: str = "") -> str:
    """The words matching ``pattern`` in ``text``, as written in ``shown`` (its original)."""
    m = re.search(rf"\b(?:{pattern})\b", text)
    return "" if not m else shown[m.start() : m.end()] if len(shown) == len(text) else m.group(0)


def unstated(claim: str, passages: list[tuple[str, str]]) -> Finding | None:
    """A change of status or an absolute the claim asserts and no cited sentence states."""
    c, s = plain(claim), plain(" ".join(text for text, _ in passages))
    for kind, pattern in STATUS.items():
        said = _find(pattern, c, claim)
        if said and not _find(pattern + "|" + EVIDENCE.get(kind, pattern), s):
            return Finding("status", said)
    for kind, pattern in ABSOLUTE.items():
        said = _find(pattern, c, claim)
        if said and not _find(ACCEPT[kind], s):
            return Finding("absolute", said)
    return None


def judge(
    claim: str,
    passages: list[tuple[str, str]],
    titles: str = "",
    places: frozenset[str] = frozenset(),
) -> Finding | None:
    """Why ``claim`` is not entailed by the cited passages ((text, language) pairs, planted
    instructions left out), their titles and jurisdictions; None when nothing is found."""
    pool = " ".join(text for text, _ in passages)
    same = detect(claim) in {lang for _, lang in passages}
    return (
        missing_number(claim, f"{pool} {titles}")
        or unstated(claim, passages)
        or stray_name(claim, pool, titles, set(places), same)
        or polarity(claim, [(s, lang) for text, lang in passages for s in split_sentences(text)])
    )
