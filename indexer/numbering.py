"""Numbering in Arabic, Chinese and Russian documents read as the Latin numbering it stands for.

A paragraph of the Arabic version of a UN document opens ``١٢ -`` or ``12 -`` where the
English opens ``12.``; its sub-paragraphs are lettered ``(أ)``, ``(ب)``, ``(ج)`` in the
abjad order for ``(a)``, ``(b)``, ``(c)``; a Russian legal text letters them ``а)``,
``б)``, ``в)``; a Chinese text may write ``１２．``, ``（a）``, ``（一）`` for item (1), and
``第五条`` for article 5. ``latin_numbering`` rewrites the start of a block into the form
the locator patterns of ``indexer.locators`` read (``12. ``, ``(a)``, ``Article 5``), so
the same paragraph gets the same locator in every language version: ``para. 12 (a)``.
The text itself is never changed; only its numbering is read this way.
"""

from __future__ import annotations

import re
import unicodedata

# The abjad order in which Arabic texts letter lists, read as a, b, c, ...
_ABJAD = ["أ", "ب", "ج", "د", "هـ", "و", "ز", "ح", "ط", "ي", "ك", "ل", "م", "ن", "س", "ع", "ف",
          "ص", "ق", "ر", "ش", "ت", "ث", "خ", "ذ", "ض"]  # fmt: skip
_ABJAD_ALT = {"ا": "a", "إ": "a", "ه": "e"}
_CYRILLIC = "абвгдежзиклмнопрстуфхцчшщэюя"
_HAN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
               "七": 7, "八": 8, "九": 9}  # fmt: skip
_HAN_NUMBER = "零〇一二三四五六七八九十百两"
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_FULL_WIDTH = re.compile(r"[\u3000\uff01-\uff5e]")  # "１２．" and "（a）", read as "12." and "(a)"

_ABJAD_LETTER = "|".join(sorted(map(re.escape, [*_ABJAD, *_ABJAD_ALT]), key=len, reverse=True))
_RULES: list[tuple[re.Pattern[str], object]] = []


def han_number(text: str) -> int:
    """二十三 → 23, 一百零五 → 105, 十 → 10; 0 when ``text`` is not such a number."""
    if not text or any(ch not in _HAN_NUMBER for ch in text):
        return 0
    total, digit = 0, 0
    for ch in text:
        if ch == "十":
            total += (digit or 1) * 10
            digit = 0
        elif ch == "百":
            total += (digit or 1) * 100
            digit = 0
        else:
            digit = _HAN_DIGITS[ch]
    return total + digit


def _number(token: str) -> str:
    """ASCII digits for a number in any script: "١٢" → "12", "十二" → "12"."""
    if token.isdecimal():
        return str(int(token))
    return str(han_number(token) or token)


def _rule(pattern: str):
    def register(fn):
        _RULES.append((re.compile(pattern), fn))
        return fn

    return register


@_rule(r"^(?:المادة|مادة)\s*(\d+)")
def _arabic_article(m: re.Match[str], text: str) -> str:
    return f"Article {_number(m.group(1))}"


@_rule(r"^(?:Статья|СТАТЬЯ|Ст\.)\s*(\d+)")
def _russian_article(m: re.Match[str], text: str) -> str:
    return f"Article {_number(m.group(1))}"


@_rule(rf"^第\s*([\d{_HAN_NUMBER}]+)\s*条")
def _chinese_article(m: re.Match[str], text: str) -> str:
    return f"Article {_number(m.group(1))} "


@_rule(rf"^第\s*([\d{_HAN_NUMBER}]+)\s*[章编]")
def _chinese_chapter(m: re.Match[str], text: str) -> str:
    return f"Chapter {_number(m.group(1))} "


@_rule(r"^(?:الفصل|الباب|Глава|ГЛАВА)(?=\s)")
def _chapter(m: re.Match[str], text: str) -> str:
    return "Chapter"


@_rule(r"^(?:الجزء|Раздел|РАЗДЕЛ|Часть|ЧАСТЬ)(?=\s)")
def _part(m: re.Match[str], text: str) -> str:
    return "Part"


@_rule(r"^(?:المرفق|مرفق|Приложение|ПРИЛОЖЕНИЕ|附件)")
def _annex(m: re.Match[str], text: str) -> str:
    return "Annex "


@_rule(r"^(\d{1,3})\s*[-–—]\s+")
def _arabic_paragraph(m: re.Match[str], text: str) -> str:
    """ "12 - ..." opens paragraph 12 in Arabic UN documents (only in Arabic text)."""
    return f"{_number(m.group(1))}. " if _ARABIC.search(text[m.end() : m.end() + 40]) else ""


@_rule(r"^(\d{1,3})\s*[.．、](?!\d)\s*(?=\S)")
def _numbered(m: re.Match[str], text: str) -> str:
    return f"{_number(m.group(1))}. "


@_rule(rf"^[(（]\s*({_ABJAD_LETTER})\s*[)）]\s*")
def _abjad(m: re.Match[str], text: str) -> str:
    letter = m.group(1)
    value = _ABJAD_ALT.get(letter) or chr(ord("a") + _ABJAD.index(letter))
    return f"({value}) "


@_rule(rf"^[(（]?\s*([{_CYRILLIC}])\s*[)）]\s+")
def _cyrillic(m: re.Match[str], text: str) -> str:
    value = chr(ord("a") + _CYRILLIC.index(m.group(1)))
    return f"({value}) " if m.group(0).lstrip()[0] in "(（" else f"{value}) "


@_rule(rf"^[(（]\s*([\d{_HAN_NUMBER}]{{1,3}})\s*[)）]\s*")
def _parenthesised_number(m: re.Match[str], text: str) -> str:
    return f"({_number(m.group(1))}) "


@_rule(r"^[(（]\s*([a-zA-Z]{1,4})\s*[)）]\s*(?=[^\x00-\x7f])")
def _latin_in_other_script(m: re.Match[str], text: str) -> str:
    """ "(a)通过..." or "（a）" in a Chinese text: the label, then a space."""
    return f"({m.group(1)}) "


def latin_numbering(text: str) -> str:
    """``text`` with its leading numbering in Latin form ("(أ) اعتماد" → "(a) اعتماد",
    "第五条 ..." → "Article 5 ...", "１２．各国" → "12. 各国"); other text unchanged."""
    head = text.lstrip()
    if not head or head.isascii():
        return text
    head = (
        _FULL_WIDTH.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), head[:12]) + head[12:]
    )
    for pattern, fn in _RULES:
        m = pattern.match(head)
        if m:
            replacement = fn(m, head)  # type: ignore[operator]
            if replacement:
                return replacement + head[m.end() :]
    return head


__all__ = ["han_number", "latin_numbering"]
