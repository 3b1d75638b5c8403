"""Locators written the way a reader of each UN language cites them.

The index keeps one locator per passage in a fixed form (``para. 12 (a)``, ``art. 5(1)``,
``s. 54``, ``fn. 3``, ``p. 4``, ``point 3 (art. 57(1)(f))``): the same paragraph of
every language version of a document has the same one, which links them. What a reader
sees follows the answer's language: ``par. 12 a)`` in French, ``párr. 12 a)`` in Spanish,
``الفقرة 12 (أ)`` in Arabic, ``第12段(a)`` in Chinese, ``п. 12 a)`` in Russian.
"""

from __future__ import annotations

import re

# word → form, per language; "{n}" where the number goes when the form wraps it.
_WORDS: dict[str, dict[str, str]] = {
    "para.": {"fr": "par.", "es": "párr.", "ar": "الفقرة", "zh": "第{n}段", "ru": "п."},
    "art.": {"fr": "art.", "es": "art.", "ar": "المادة", "zh": "第{n}条", "ru": "ст."},
    "s.": {"fr": "sect.", "es": "secc.", "ar": "القسم", "zh": "第{n}节", "ru": "разд."},
    "fn.": {"fr": "note", "es": "nota", "ar": "الحاشية", "zh": "脚注{n}", "ru": "сноска"},
    "p.": {"fr": "p.", "es": "p.", "ar": "ص", "zh": "第{n}页", "ru": "с."},
    "pp.": {"fr": "p.", "es": "pp.", "ar": "ص", "zh": "第{n}页", "ru": "с."},
    "point": {"fr": "point", "es": "punto", "ar": "النقطة", "zh": "第{n}点", "ru": "пункт"},
    "table": {"fr": "tableau", "es": "cuadro", "ar": "الجدول", "zh": "表", "ru": "таблица"},
}
_ABJAD = "أ ب ج د هـ و ز ح ط ي ك ل م ن س ع ف ص ق ر ش ت ث خ ذ ض".split()
_TOKEN = re.compile(
    r"(?<![\w.])(?P<word>para\.|art\.|s\.|fn\.|pp\.|p\.|point|table)"
    r"(?:\s(?P<n>\d[\w.-]*?))?(?=$|[\s,()])"
)


def _word(m: re.Match[str], lang: str) -> str:
    form = _WORDS[m.group("word")][lang]
    n = m.group("n")
    if "{n}" in form:
        return form.format(n=n) if n else m.group(0)
    return f"{form} {n}" if n else form


def locator_text(locator: str, lang: str) -> str:
    """``locator`` as a reader of ``lang`` writes it; English and unknown languages keep it."""
    if not locator or lang not in ("fr", "es", "ar", "zh", "ru"):
        return locator
    text = _TOKEN.sub(lambda m: _word(m, lang), locator)
    if lang in ("fr", "es", "ru"):
        # "par. 12 (a)" → "par. 12 a)": a sub-paragraph after a space, as these languages letter it
        text = re.sub(r" \(([a-z]{1,2}|[ivx]{1,5})\)", r" \1)", text)
    elif lang == "ar":
        text = re.sub(
            r"\(([a-z])\)",
            lambda m: f"({_ABJAD[ord(m.group(1)) - 97]})" if m.group(1) <= "z" else m.group(0),
            text,
        )
    elif lang == "zh":
        text = re.sub(r"(?<=[段条节点页]) (?=\()", "", text)
    return text


__all__ = ["locator_text"]
