"""Text helpers shared by the parsers: decoding, line joining, heading and numbering patterns."""

from __future__ import annotations

import codecs
import re
import unicodedata

from indexer.numbering import latin_numbering

DECODE_FAILURE = "cannot decode text: not UTF-8, UTF-16 or Windows-1252 (save it as UTF-8)"

# Prefixes whose hyphen belongs to the word, so "anti-\ntrafficking" stays "anti-trafficking".
# Prefixes that are also ordinary syllable breaks ("ex-ploitation", "co-ercion", "state-ment",
# "so-cial", "inter-national") are deliberately absent: there the hyphen is typesetting.
COMPOUND_PREFIXES = frozenset(
    {"anti", "non", "self", "cross", "well", "semi", "socio", "public", "private", "cost", "value",
     "risk", "child", "forced", "long", "off", "e", "sous", "demi", "quasi", "vis", "après", "arrière"}
)  # fmt: skip

# A line that opens a new paragraph: "12.", "(a)", "a)", "(iv)", "(1)", "Article 5", a bullet.
PARA_START = re.compile(
    r"""^(?:\[[^\]\n]{1,80}\]\s+)?          # a marginal note: "[Form and manner] (3) ..."
    (?:
        \d{1,3}\.(?:\d{1,3}\.?)*\s           # 12.  or 3.1
      | \(\s?(?:[a-z]{1,2}|[ivxlc]{1,6}|\d{1,3}|[A-Z])\s?\)[\s(]   # (a) (iv) (1) (A) (7)(i)
      | (?:[a-z]{1,2}|[ivx]{1,5})\)\s        # a)  iv)
      | (?:Article|Art\.|Artículo|ARTICLE|Section|Sec\.|Rule|Regulation|Règle)\s+\d
      | [•▪●◦‣∙·–—-]\s                       # bullets and dashes used as bullets
    )""",
    re.VERBOSE,
)
BULLET = re.compile(r"^[•▪●◦‣∙·–—*-]\s+")

_KEYWORD_HEADING = re.compile(
    r"^(?P<kw>PART|Part|CHAPTER|Chapter|TITLE|Title|ANNEX|Annex|SCHEDULE|Schedule|APPENDIX|Appendix"
    r"|PARTIE|Partie|CHAPITRE|Chapitre|ANNEXE|Annexe|TITRE|Titre|PARTE|Parte|CAPÍTULO|Capítulo|ANEXO|Anexo"
    r"|SECTION|Section|ARTICLE|Article|ARTÍCULO|Artículo)"
    r"\s+(?:[0-9]+[A-Za-z]?(?:\.[0-9]+)*|[IVXLC]+|[A-Z])\b"
)
_ROMAN_HEADING = re.compile(r"^[IVXLC]{1,6}\.\s+\S")
_LETTER_HEADING = re.compile(r"^[A-H]\.\s+[A-Z]")
_SENTENCE_END = re.compile(r"[.;,:]$")


def strip_bom_and_decode(data: bytes, declared: str | None = None) -> str:
    """Decode file bytes: BOM first, then the declared charset, UTF-8, and Windows-1252.

    Windows-1252 is accepted only when the result looks like text (mostly ASCII,
    printable), because it decodes almost any byte string. Raises ValueError
    with ``DECODE_FAILURE`` when nothing fits.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if unmarked := utf16_without_bom(data):
        return data.decode(unmarked)
    candidates = [declared] if declared else []
    candidates.append("utf-8")
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ValueError(DECODE_FAILURE) from exc
    if not looks_like_text(text):
        raise ValueError(DECODE_FAILURE)
    return text


def looks_like_text(text: str) -> bool:
    """True when a string reads like prose: printable and mostly ASCII, as real cp1252 text is."""
    if not text:
        return True
    sample = text[:20000]
    printable = sum(1 for ch in sample if ch.isprintable() or ch in "\t\n\r\f")
    ascii_count = sum(1 for ch in sample if ord(ch) < 128)
    return printable / len(sample) >= 0.97 and ascii_count / len(sample) >= 0.6


def utf16_without_bom(sample: bytes) -> str:
    """``"utf-16-le"`` or ``"utf-16-be"`` when unmarked bytes read as UTF-16 text, else "".

    Text in Latin, Cyrillic or Greek script stored as UTF-16 has a NUL in every other byte
    (the high byte of each character); binary data does not keep that rhythm.
    """
    sample = sample[: 4096 - 4096 % 2] if len(sample) >= 2 else b""
    pairs = len(sample) // 2
    if pairs < 4:
        return ""
    for encoding, zero_at in (("utf-16-le", 1), ("utf-16-be", 0)):
        zeros = sum(1 for i in range(zero_at, 2 * pairs, 2) if sample[i] == 0)
        others = sum(1 for i in range(1 - zero_at, 2 * pairs, 2) if sample[i] == 0)
        if zeros >= 0.6 * pairs and others <= 0.02 * pairs:
            try:
                text = sample.decode(encoding)
            except UnicodeDecodeError:
                continue
            if looks_like_text(text) or _mostly_letters(text):
                return encoding
    return ""


def _mostly_letters(text: str) -> bool:
    """Printable text in any script (UTF-16 Cyrillic or Greek fails the ASCII test)."""
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\t\n\r\f")
    return printable >= 0.97 * len(text)


def is_binary(sample: bytes) -> bool:
    """NUL bytes, or more than 10% control characters other than tab, newline, CR and form feed."""
    if not sample:
        return False
    unmarked = utf16_without_bom(sample)
    if unmarked or sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # UTF-16 text is full of NUL bytes by design: judge its characters instead.
        marked = "utf-16-le" if sample.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        text = sample[(0 if unmarked else 2) : len(sample) - len(sample) % 2].decode(
            unmarked or marked, errors="replace"
        )
        if "\x00" in text:
            return True
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
        return controls > 0.1 * max(len(text), 1)
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if (b < 32 and b not in (9, 10, 12, 13)) or b == 127)
    return controls > 0.1 * len(sample)


def starts_paragraph(line: str, previous: str, first: str = "") -> bool:
    """True when ``line`` opens a new paragraph after ``previous`` within one run of lines.

    A bullet always does. A paragraph number (``12.``, ``(a)``, ``a)``, ``Article 5``)
    does when the previous line ended a sentence or announced a list, or when the
    current paragraph (whose ``first`` line is given) is itself a numbered item; so a
    wrapped line that happens to begin with ``Article 5 of ...`` stays in its paragraph.
    """
    line = latin_numbering(line.strip())
    if not line or not previous.strip():
        return bool(line)
    if re.match(r"^[•▪●◦‣∙]\s", line):
        return True
    if not PARA_START.match(line):
        return False
    if first and PARA_START.match(latin_numbering(first.strip())):
        return True
    return bool(re.search(r"[.:;!?\-—–)»\"”。；：！？）؛؟]$", previous.rstrip()))


_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")


def clean(text: str) -> str:
    """NFC, soft hyphens and zero-width characters removed, whitespace collapsed to single
    spaces and removed between Chinese characters (Chinese has no spaces between words)."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[\u00ad\u200b\u200c\u200d\ufeff]", "", text)
    text = _CJK_GAP.sub("", text)  # a line break or a PDF's spacing inside Chinese text
    return re.sub(r"\s+", " ", text).strip()


def join_lines(lines: list[str]) -> str:
    """Join the lines of one paragraph, repairing end-of-line hyphenation.

    ``traf-`` + ``ficking`` gives ``trafficking`` (the next line starts lowercase);
    ``anti-`` + ``trafficking`` keeps its hyphen (a known compound prefix); a hyphen
    followed by an uppercase letter or a digit is kept (``Royaume-`` + ``Uni``).
    """
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not out:
            out = line
            continue
        if out.endswith("\u00ad"):
            out = out[:-1] + line
            continue
        match = re.search(r"(\w+)-$", out)
        if match and not out.endswith(" -") and line[:1].islower():
            prefix = match.group(1).casefold()
            out = out + line if prefix in COMPOUND_PREFIXES else out[:-1] + line
        elif match and (line[:1].isupper() or line[:1].isdigit()):
            out = out + line  # a real hyphen at the line end: "Royaume-" + "Uni", "2021-" + "2025"
        else:
            out = f"{out} {line}"
    return clean(out)


def heading_level(line: str) -> int:
    """The level of a line that looks like a heading in plain text, else 0.

    1 for ``PART 1``, ``CHAPTER II``, ``ANNEX``, roman-numeral headings and short
    all-caps lines; 2 for ``A. Scope`` letter headings; 3 for ``Article 5`` and
    ``Section 54`` standing alone. Lines ending like a sentence are never headings.
    """
    text = clean(line)
    if not text or len(text) > 100 or _SENTENCE_END.search(text):
        return 0
    words = text.split()
    keyword = _KEYWORD_HEADING.match(text)
    if keyword and len(words) <= 14:
        kw = keyword.group("kw").casefold()
        return 3 if kw in {"section", "article", "artículo"} else 1
    if _ROMAN_HEADING.match(text) and len(words) <= 14:
        return 1
    if _LETTER_HEADING.match(text) and len(words) <= 12:
        return 2
    letters = [ch for ch in text if ch.isalpha()]
    dense = len(letters) >= 0.6 * len(
        text.replace(" ", "")
    )  # not a symbol like CTOC/COP/WG.4/2021/2
    if len(letters) >= 4 and dense and all(ch.isupper() for ch in letters) and len(words) <= 12:
        return 1
    return 0


def is_title_line(line: str) -> bool:
    """A short standalone line in title case without final punctuation ("Purpose of Act")."""
    text = clean(line)
    if not text or len(text) > 70 or re.search(r"[.;,:\-—–]$", text) or not text[0].isupper():
        return False
    words = [w for w in re.findall(r"[^\W\d_]+", text) if len(w) > 3]
    if not words or len(text.split()) > 9:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised / len(words) > 0.5


def primary_language(tag: str | None) -> str:
    """``"fr-CA"`` -> ``"fr"``; empty string when no usable tag."""
    if not tag:
        return ""
    primary = re.split(r"[-_]", str(tag).strip())[0].casefold()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else ""


# Headings that name a part of a document, never the document itself.
_GENERIC_HEADINGS = {
    "short title", "preamble", "contents", "table of contents", "introduction", "summary",
    "definitions", "interpretation", "sommaire", "table des matieres", "preambule", "resume",
    "indice", "resumen", "preambulo", "definiciones", "abstract", "foreword", "avant-propos",
}  # fmt: skip


def first_title(blocks: list) -> str:
    """The first heading that can name the document ("Short Title" or "Preamble" cannot)."""
    for block in blocks:
        if block.kind != "heading":
            continue
        key = unicodedata.normalize("NFKD", block.text.strip(" :.#*[]"))
        key = "".join(c for c in key if not unicodedata.combining(c)).casefold()
        if key and key not in _GENERIC_HEADINGS:
            return block.text.strip()
    return ""
