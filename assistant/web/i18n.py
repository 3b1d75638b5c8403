"""The interface in the six UN languages: Arabic (right to left), Chinese, English, French,
Russian and Spanish.

Every fixed phrase of the app lives in one table, ``ui_text.yaml`` (key -> en, fr, es, ar,
zh, ru). Two kinds of use:

- labels, buttons, placeholders, tab names, Markdown headings: ``ui(key)``, which gradio's
  frontend translates into the page's language (``gr.I18n`` given to ``launch``); the page's
  language is the browser's, or the one chosen with the switch at the top of the app;
- HTML and messages made on the server (empty states, passage notes, status lines):
  ``text(key, lang)``, with ``lang`` from ``lang_of(request)``: the switch's choice (a
  cookie the switch sets), else the browser's Accept-Language, else English.

Answers are not translated here: they come in the question's language
(``assistant.messages``). Arabic turns the whole page right to left (``vgSetLocale`` sets
``dir`` on the page, ``RTL_CSS``). Nothing here imports gradio at import time (``uploads`` uses
``text``); ``ui`` and ``gradio_i18n`` import it when called.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

LANGS = ("en", "fr", "es", "ar", "zh", "ru")
# Each language named in itself: the switch's choices are never translated.
LANG_NAMES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ar": "العربية",
    "zh": "中文",
    "ru": "Русский",
}
RTL = ("ar",)  # written right to left: the whole page mirrors
# The frontend's name of a language when it is not the code itself: gradio's own phrases
# (upload boxes, "Loading...") exist in simplified Chinese as "zh-CN".
LOCALES = {"zh": "zh-CN"}
COOKIE = "vigilance_lang"
TABLE = Path(__file__).with_name("ui_text.yaml")
_FIELD = re.compile(r"\{(\w*)\}")


@functools.cache
def table() -> dict[str, dict[str, str]]:
    """The UI strings: key -> {"en": ..., "fr": ..., ..., "ru": ...}."""
    from indexer.metadata import load_yaml

    return load_yaml(TABLE.read_text(encoding="utf-8"))


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


def direction(lang: str | None) -> str:
    """The direction ``lang`` is written in: "rtl" for Arabic, else "ltr"."""
    return "rtl" if supported(lang) in RTL else "ltr"


_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def dates_ltr(escaped: str, lang: str | None) -> str:
    """HTML whose ISO dates read left to right on a right-to-left page: after Arabic words,
    2026-11-29 would otherwise show as 29-11-2026. Unchanged in other languages."""
    if direction(lang) != "rtl":
        return escaped
    return _ISO_DATE.sub(lambda m: f'<span dir="ltr">{m.group(0)}</span>', escaped)


def frontend_table() -> dict[str, dict[str, str]]:
    """Locale -> key -> phrase, for the frontend: the phrases that take no fields (Chinese
    under gradio's "zh-CN")."""
    rows = {k: v for k, v in table().items() if not fields_of(v["en"])}
    return {
        LOCALES.get(lang, lang): {k: v.get(lang) or v["en"] for k, v in rows.items()}
        for lang in LANGS
    }


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
# server speaks the same language and a reload keeps it. The same step sets the page's
# direction: right to left for Arabic (``RTL_CSS`` mirrors what gradio lays out itself).
_SET_LOCALE = """
const vgSetLocale = (lang) => {
  const root = document.documentElement;
  const locale = %LOCALES%[lang] || lang;
  root.dir = %RTL%.includes(lang) ? 'rtl' : 'ltr';
  if (root.lang === locale) return;
  const core = performance.getEntriesByType('resource').map((e) => e.name)
    .find((name) => /\\/assets\\/core-[\\w-]+\\.js(\\?|$)/.test(name));
  if (!core) return;
  import(core).then((m) => {
    if (m.changeLocale) m.changeLocale(locale);
    root.lang = locale;
  });
};
""".replace("%LOCALES%", json.dumps(LOCALES)).replace("%RTL%", json.dumps(list(RTL)))
_LANGS_JS = json.dumps(list(LANGS))

# On load: the remembered choice, else the browser's first language, else English.
LOAD_JS = (
    "() => {"
    + _SET_LOCALE
    + f"const langs = {_LANGS_JS};"
    + f"const kept = (document.cookie.match(/(?:^|; ){COOKIE}=(\\w+)/) || [])[1];"
    + "const page = (navigator.language || 'en').split('-')[0].toLowerCase();"
    + "const lang = langs.includes(kept) ? kept : (langs.includes(page) ? page : 'en');"
    + "vgSetLocale(lang);"
    + "return lang; }"
)

# The page right to left (``dir="rtl"`` on <html>, set by ``vgSetLocale``): gradio's blocks,
# Markdown and text boxes say dir="ltr" of themselves, so they are turned here; document text
# in the app's HTML keeps its own direction (``dir="auto"``, ``<bdi>``: ``assistant.web.render``).
RTL_CSS = """
html[dir="rtl"] [dir="ltr"] {direction: rtl;}
html[dir="rtl"] .prose[dir="ltr"] {text-align: right;}
html[dir="rtl"] textarea, html[dir="rtl"] input[type="text"] {direction: rtl;
  unicode-bidi: plaintext; text-align: start;}
html[dir="rtl"] #library-table .body-cell, html[dir="rtl"] #library-table .body-cell *
  {unicode-bidi: plaintext;}
"""

# The switch: remember the choice for a year, then show the page in that language.
SWITCH_JS = (
    "(lang) => {"
    + _SET_LOCALE
    + f"document.cookie = '{COOKIE}=' + lang + '; path=/; max-age=31536000; SameSite=Lax';"
    + "vgSetLocale(lang);"
    + "return lang; }"
)
