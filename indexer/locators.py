"""Numbering patterns of UN documents, legislation and project cards, and the locators built from them.

Two kinds of numbering are read from the start of a block:

- an *anchor*, the citable top of a legal text: ``Article 57``, ``Art. L. 225-102-4``,
  ``Artículo 5``, ``Section 54``, ``§ 22``, a FAR number ``52.222-50``, or a bare
  section number (``54 Transparency in supply chains etc``, ``11 [Annual report] (1)``);
- *labels* below it or in a UN paper: ``12.``, ``(1)``, ``(a)``/``a)``, ``(iv)``, ``(A)``, ``a.``.

Labels form an outline: a stack of (type, value). A label whose type is on the stack
is a sibling at that depth; a new type is a child. Ambiguous letters (``i``, ``v``,
``x``) are read as the next letter when they continue a letter list, else as roman.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LabelType = str  # "num_dot" | "num" | "letter" | "roman" | "cap" | "letter_dot"
Label = tuple[LabelType, str]

# Types that start a citable unit of their own; deeper ones (roman, capital, "a.")
# stay inside their parent, which keeps passages readable and citations stable.
UNIT_TYPES = frozenset({"num_dot", "num", "letter"})

_MARGINAL = re.compile(r"^\[[^\]\n]{1,150}\]\s*")  # Canada: "[Annual report] (1) ..."
_BULLET = re.compile(r"^[-*•–]\s+(?=\(?\w{1,6}[.)])")
_TOKEN_PAREN = re.compile(r"^\((\d{1,3}[A-Z]?|[a-z]{1,2}|[ivxlc]{1,7}|[A-Z])\)\s*")
_TOKEN_CLOSE = re.compile(r"^(\d{1,3}|[a-z]{1,2}|[ivxlc]{1,7}|[A-Z])\)\s*")
_TOKEN_NUM_DOT = re.compile(r"^(\d{1,3})\.(?=\s)\s*")
_TOKEN_LETTER_DOT = re.compile(r"^([a-z])\.\s+(?=[A-Z\"“«])")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}

_ANCHOR_WORDS = [
    (
        "art",
        r"(?:Article|ARTICLE|Art\.|ART\.|Artículo|ARTÍCULO|Artigo)\s+"
        r"(?P<num>(?:[LRDA]\.?\s?)?\d+(?:[-.]\d+)*(?:\s?(?:bis|ter|quater))?|premier|1er)",
    ),
    ("s", r"(?:Section|SECTION|Sec\.|Sección|SECCIÓN)\s+(?P<num>\d+[A-Z]?)"),
    ("§", r"§+\s*(?P<num>\d+[a-z]?)"),
    ("far", r"(?P<num>\d{1,2}\.\d{3,4}(?:-\d{1,4})?)(?=\s|$)"),
]
_ANCHOR_RES = [
    (kind, re.compile("^" + pattern + r"(?P<rest>.*)$", re.S)) for kind, pattern in _ANCHOR_WORDS
]
_BARE = re.compile(r"^(?P<num>\d{1,3}[A-Z]?)(?P<rest>\s+(?:\[|\(\d|[A-Z]).*)$", re.S)
_STRUCTURAL = re.compile(
    r"^(?:PART|Part|CHAPTER|Chapter|TITLE|Title|ANNEX|Annex|SCHEDULE|Schedule|APPENDIX|Appendix"
    r"|PARTIE|Partie|CHAPITRE|Chapitre|ANNEXE|Annexe|TITRE|Titre|PARTE|Parte|CAPÍTULO|Capítulo"
    r"|ANEXO|Anexo|TÍTULO|Título)\b"
)
_PARA_HEADING = re.compile(r"^(?P<n>[IVXLC]{1,6}|[A-H])\.\s+\S.{0,118}$")
_POINT = re.compile(r"^\d{1,3}\.\s+(?:[^:(\n]{1,80}?\((?P<ref>[^\n]+?)\)\s*:)?")
TERMINAL = '.;:?!»"”…'


_DEFINITION = re.compile(
    r"^[«\"“]?\s*(?P<term>[A-Za-zÀ-ÿ][\w’',()/ -]{1,60}?)\s*[»\"”]?\s+"
    r"(?:means|shall mean|has the same meaning|includes|désigne|s['’]entend(?:ent)? d|"
    r"significa|se entenderá por)\b",
)


def defined_term(text: str) -> str:
    """The term a definition defines ("entity means ..." → "entity"), or "" for other text."""
    m = _DEFINITION.match(text.strip())
    if not m:
        return ""
    term = m.group("term").strip()
    if (
        term.casefold().startswith(("the following", "this ", "it ", "each ", "every "))
        or len(term.split()) > 8
    ):
        return ""
    return term


@dataclass(frozen=True)
class Anchor:
    """The top of a legal unit found at the start of a block, and what follows it."""

    kind: str  # "art" | "s" | "§" | "far"
    value: str
    rest: str  # the block text after the number

    @property
    def locator(self) -> str:
        if self.kind == "far":
            return self.value
        if self.kind == "§":
            return f"§ {self.value}"
        return f"{self.kind}. {self.value}"


def strip_bullet(text: str) -> str:
    """The text without a Markdown bullet before a label ("- a) What" → "a) What"): markup, not text."""
    return _BULLET.sub("", text, count=1)


def strip_marginal(text: str) -> str:
    """The text without a leading Markdown bullet or a bracketed marginal note."""
    return _MARGINAL.sub("", _BULLET.sub("", text.lstrip()), count=1)


def title_only(rest: str) -> bool:
    """True when what follows an anchor number is a title ("Policy.", "— Exclusion grounds"), not a body."""
    head = rest.strip().lstrip("—–-:. ")
    body = strip_marginal(head)
    if not body:
        return True
    if body != head.lstrip():
        return False  # "9 [Entities] This Part applies ...": the bracketed note is the title
    words = len(body.split())
    if len(body) > 100 or re.search(r"[.;:?!]\s+\S", body) or body.startswith("("):
        return False
    return words <= 12 and (body[-1] not in TERMINAL or words <= 6)


def parse_anchor(text: str, *, heading: bool, bare_ok: bool) -> Anchor | None:
    """The anchor at the start of ``text``, if any.

    A word anchor must be followed by nothing, a separator, a capital or a bracket,
    so "Article 10 of the Convention requires..." stays a sentence. ``bare_ok``
    allows a bare section number ("54 Transparency ...", "11 [Annual report] (1) ...").
    """
    text = text.strip()
    for kind, pattern in _ANCHOR_RES:
        m = pattern.match(text)
        if m and (heading or _separated(m.group("rest"))):
            value = m.group("num")
            if kind == "art":
                value = re.sub(r"^([LRDA])\.?\s?(?=\d)", r"\1. ", value)
            return Anchor(kind, value, m.group("rest"))
    m = _BARE.match(text)
    if m and (bare_ok or m.group("rest").lstrip().startswith(("[", "("))):
        return Anchor("s", m.group("num"), m.group("rest"))
    return None


def _separated(rest: str) -> bool:
    if not rest.strip():
        return True
    m = re.match(r"^\s*(?:[—–:.-]|\n|\[|\(\d|[A-ZÀ-Þ])", rest)
    return bool(m) and not re.match(r"^\s*\((?:\d+\)\s*[a-z])", rest)


def is_structural_heading(text: str) -> bool:
    """True for headings above the article level ("PART 1", "Chapter III", "Annex"): they end an anchor."""
    return bool(_STRUCTURAL.match(text.strip()))


def para_heading_level(text: str) -> int:
    """2 for "II. Questions à examiner", 3 for "A. Background", 0 when the block is not such a heading."""
    m = _PARA_HEADING.match(text.strip())
    if not m or text.rstrip()[-1] in ".;:,":
        return 0
    return 2 if len(m.group("n")) > 1 or m.group("n") in "IVX" else 3


def card_point(text: str) -> tuple[str, str] | None:
    """("3", "art. 57(1)(f)") for a card point "3. Exclusion ground (art. 57(1)(f)): ...", else None."""
    m = _POINT.match(text.strip())
    if not m:
        return None
    return text.strip().split(".", 1)[0], (m.group("ref") or "").strip()


def raw_labels(text: str) -> list[tuple[str, str]]:
    """The label tokens at the start of ``text``: [("paren", "5"), ("paren", "i")] for "(5)(i) Use ...".

    Token styles: "paren" ``(a)``, "close" ``a)``, "dot" ``12.``, "letter_dot" ``a.``.
    """
    text = strip_marginal(text)
    tokens: list[tuple[str, str]] = []
    for style, pattern in (
        ("dot", _TOKEN_NUM_DOT),
        ("letter_dot", _TOKEN_LETTER_DOT),
        ("close", _TOKEN_CLOSE),
    ):
        m = pattern.match(text)
        if m:
            return [(style, m.group(1))]
    while m := _TOKEN_PAREN.match(text):
        tokens.append(("paren", m.group(1)))
        text = text[m.end() :]
        if m.group(0).endswith((" ", "\t")):
            break  # "(1) (a)" is one label then text; "(5)(i)" is a compound label
    return tokens


def roman_value(text: str) -> int:
    """The value of a lowercase roman numeral, 0 when it is not one."""
    values = [_ROMAN_VALUES.get(ch, 0) for ch in text]
    if not values or 0 in values:
        return 0
    total = sum(
        -v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values)
    )
    return total if total > 0 else 0


def _last(stack: list[Label], kind: LabelType) -> str | None:
    return next((value for t, value in reversed(stack) if t == kind), None)


def label_type(style: str, value: str, stack: list[Label], expect_child: bool = False) -> LabelType:
    """The outline type of one token, given the labels above it.

    ``expect_child``: the text before ends by announcing a list ("... that-", ":"), so
    "(i)" after "(h)(1)" is the first roman item, not letter (i).
    """
    if style == "dot":
        return "num_dot"
    if style == "letter_dot":
        return "letter_dot"
    if value[0].isdigit():
        return "num"
    if value.isupper():
        return "cap"
    last_letter = _last(stack, "letter")
    first_roman = expect_child and value == "i" and not _last(stack, "roman")
    if len(value) == 1 and last_letter and ord(value) == ord(last_letter) + 1 and not first_roman:
        return "letter"
    if roman_value(value) and (len(value) > 1 or value == "i" or _last(stack, "roman")):
        return "roman" if (len(value) > 1 or stack) else "letter"
    return "letter"


def label_valid(kind: LabelType, value: str, stack: list[Label], last_top: int | None) -> bool:
    """True when a label continues the outline plausibly ("c)" with no "a)" before it is text)."""
    last = _last(stack, kind)
    if kind == "num_dot" and not any(t == "num_dot" for t, _ in stack) and last_top is not None:
        last = str(last_top)
    if kind in ("num_dot", "num"):
        n = int(re.sub(r"\D", "", value))
        if not last:
            return n <= 3 or not stack
        if kind == "num" and any(t == "num" and _number(v) == n - 1 for t, v in stack):
            return True  # continues an outer list: "(2)" after a nested "(1)", "(2)"
        step = n - int(re.sub(r"\D", "", last))
        return 1 <= step <= 10 or n == 1 or (step == 0 and value != last)  # (4) then (4A)
    if kind == "roman":
        return (
            roman_value(value) - roman_value(last) in (1, 2)
            if last
            else (value == "i" and bool(stack))
        )
    if kind in ("letter", "letter_dot", "cap"):
        if len(value) != 1:
            return False
        first = "A" if kind == "cap" else "a"
        if last and ord(value) > ord(last):
            return True  # forward, gaps allowed: excerpts and repealed points skip letters
        return value == first and (kind == "letter" or bool(stack))
    return False


def _number(value: str) -> int:
    digits = re.sub(r"\D", "", value)
    return int(digits) if digits else 0


def push(stack: list[Label], label: Label) -> int:
    """Put ``label`` on the outline (sibling of its type, else child); return its depth.

    Numbers may nest below other numbers, as in the FAR's ``(c)(1)(ii)(B)(1)``: a ``(1)``
    below a roman or capital item opens a list of its own, and a later number goes to the
    deepest list it continues (``(2)`` after that nested ``(1)`` is its sibling; the next
    ``(2)`` is the outer list's).
    """
    kind, value = label
    depths = [d for d, (k, _) in enumerate(stack) if k == kind]
    if depths and kind == "num":
        for depth in reversed(depths):
            if _number(value) == _number(stack[depth][1]) + 1:
                del stack[depth:]
                stack.append(label)
                return depth
        deeper = {k for k, _ in stack[depths[-1] + 1 :]}
        if _number(value) == 1 and deeper & {"roman", "cap"}:
            stack.append(label)
            return len(stack) - 1
    if depths:
        del stack[depths[0] :]
    stack.append(label)
    return len(stack) - 1


def makes_unit(stack: list[Label], depth: int, anchored: bool) -> bool:
    """True when the label at ``depth`` starts its own passage.

    Numbers and letters do; a letter does only under a number or an anchor (a bare
    lettered list under a heading is read as one passage with its lead-in).
    """
    kind = stack[depth][0]
    if kind not in UNIT_TYPES:
        return False
    if any(t in ("roman", "cap") for t, _ in stack[:depth]):
        return False  # a list nested in a roman or capital item stays inside it
    if kind == "letter" and not anchored:
        return any(t in ("num_dot", "num") for t, _ in stack[:depth])
    return True


def locator_for(
    stack: list[Label], depth: int, *, anchor: Anchor | None, card_ref: str | None
) -> str:
    """The locator of the unit whose own label is ``stack[depth]``.

    ``art. 57(1)(a)``, ``s. 11(1)``, ``52.222-50(h)(1)`` under an anchor; ``para. 3 (a)``
    in a UN paper; ``point 3 (art. 57(1)(f))`` in a project card (``card_ref`` given).
    """
    labels = [
        value
        for i, (kind, value) in enumerate(stack[: depth + 1])
        if makes_unit(stack, i, anchor is not None)
    ]
    if anchor is not None:
        return anchor.locator + "".join(f"({v})" for v in labels)
    if not labels:
        return ""
    head, tail = labels[0], "".join(f"({v})" for v in labels[1:])
    if card_ref is not None:
        base = f"point {head}" + (f" ({card_ref})" if card_ref else "")
    else:
        base = f"para. {head}"
    return f"{base} {tail}" if tail else base
