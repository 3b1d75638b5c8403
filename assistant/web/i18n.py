"""The interface in English, French and Spanish.

Every fixed phrase of the app lives in one table, ``ui_text.yaml`` (key -> en, fr, es).
Two kinds of use:

- labels, buttons, placeholders, tab names, Markdown headings: ``ui(key)``, which gradio's
  frontend translates into the page's language (``gr.I18n`` given to ``launch``); the page's
  language is the browser's, or the one chosen with the switch at the top of the app;
- HTML and messages made on the server (empty states, passage notes, status lines):
  ``text(key, lang)``, with ``lang`` from ``lang_of(request)``: the switch's choice (a
  cookie the switch sets), else the browser's Accept-Language, else English.

Answers are not translated here: they come in the question's language
(``assistant.messages``). Nothing here imports gradio at import time (``uploads`` uses
``text``); ``ui`` and ``gradio_i18n`` import it when called.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

LANGS = ("en", "fr", "es")
# Each language named in itself: the switch's choices are never translated.
LANG_NAMES = {"en": "English", "fr": "Français", "es": "Español"}
COOKIE = "vigilance_lang"
TABLE = Path(__file__).with_name("ui_text.yaml")
_FIELD = re.compile(r"\{(\w*)\}")


@functools.cache
def table() -> dict[str, dict[str, str]]:
    """The UI strings: key -> {"en": ..., "fr": ..., "es": ...}."""
    import yaml

    return yaml.safe_load(TABLE.read_text(encoding="utf-8"))


def supported(lang: str | None) -> str:
    """``lang`` as one of ``LANGS`` ("fr-CA" -> "fr"); English for anything else."""
    code = (lang or "").strip().replace("_", "-").split("-")[0].casefold()
    return code if code in LANGS else "en"


def text(key: str, lang: str | None = "en", **fields: Any) -> str:
    """The phrase ``key`` in ``lang`` (English if that language lacks it), its ``{fields}``
    filled in. An unknown key is a KeyError: a typo fails loudly."""
    entry = table()[key]
    phrase = entry.get(supported(lang)) or entry["en"]
    return phrase.format(**fields) if fields else phrase


def fields_of(phrase: str) -> set[str]:
    """The ``{names}`` a phrase takes."""
    return set(_FIELD.findall(phrase))


def ui(key: str) -> Any:
    """A label gradio's frontend shows in the page's language (the key must exist and take
    no fields: the frontend fills none)."""
    from gradio.i18n import I18nData

    if fields_of(table()[key]["en"]):
        raise ValueError(f"{key}: a label the frontend translates cannot take fields")
    return I18nData(key)


def frontend_table() -> dict[str, dict[str, str]]:
    """Language -> key -> phrase, for the frontend: the phrases that take no fields."""
    rows = {k: v for k, v in table().items() if not fields_of(v["en"])}
    return {lang: {k: v.get(lang) or v["en"] for k, v in rows.items()} for lang in LANGS}


def gradio_i18n() -> Any:
    """The ``gr.I18n`` the app is launched with."""
    import gradio as gr

    return gr.I18n(**frontend_table())


def best_language(accept_language: str | None) -> str:
    """The browser's first language (by ``q`` weight) as one of ``LANGS``; English when it
    is none of them, as the page then shows English too."""
    ranked = []
    for i, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        if not tag or tag == "*":
            continue
        weight = 1.0
        match = re.search(r"q\s*=\s*([0-9.]+)", params)
        if match:
            try:
                weight = float(match.group(1))
            except ValueError:
                weight = 0.0
        ranked.append((-weight, i, tag))
    return supported(min(ranked)[2]) if ranked else "en"


def lang_of(request: Any) -> str:
    """The interface language of a request: the switch's cookie, else Accept-Language, else
    English (no request: a direct call or a test)."""
    if request is None:
        return "en"
    cookies = getattr(request, "cookies", None) or {}
    chosen = cookies.get(COOKIE, "")
    if chosen in LANGS:
        return chosen
    headers = getattr(request, "headers", None) or {}
    return best_language(headers.get("accept-language"))


# The frontend's locale is changed through gradio's own i18n module (the one its settings
# panel uses), found among the page's loaded scripts. The choice is kept in a cookie, so the
# server speaks the same language and a reload keeps it.
_SET_LOCALE = """
const vgSetLocale = (lang) => {
  if (document.documentElement.lang === lang) return;
  const core = performance.getEntriesByType('resource').map((e) => e.name)
    .find((name) => /\\/assets\\/core-[\\w-]+\\.js(\\?|$)/.test(name));
  if (core) import(core).then((m) => m.changeLocale && m.changeLocale(lang));
};
"""
_LANGS_JS = "[" + ", ".join(f"'{code}'" for code in LANGS) + "]"

# On load: the remembered choice, else the page's language (the browser's), else English.
LOAD_JS = (
    "() => {"
    + _SET_LOCALE
    + f"const langs = {_LANGS_JS};"
    + f"const kept = (document.cookie.match(/(?:^|; ){COOKIE}=(\\w+)/) || [])[1];"
    + "const page = (document.documentElement.lang || 'en').split('-')[0];"
    + "const lang = langs.includes(kept) ? kept : (langs.includes(page) ? page : 'en');"
    + "vgSetLocale(lang);"
    + "return lang; }"
)

# The switch: remember the choice for a year, then show the page in that language.
SWITCH_JS = (
    "(lang) => {"
    + _SET_LOCALE
    + f"document.cookie = '{COOKIE}=' + lang + '; path=/; max-age=31536000; SameSite=Lax';"
    + "vgSetLocale(lang);"
    + "return lang; }"
)
