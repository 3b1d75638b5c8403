"""HTML for the web app: answers, sources, passages. Every piece of text is escaped here.

Document text is untrusted (a user may index a page holding ``<script>``), and gradio's
Markdown and HTML components render raw HTML, so nothing from an answer, a citation or
a passage reaches the page without ``html.escape`` first. Markup is added only around
escaped text: citation buttons, lists, links whose address is http(s).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from assistant.answer import MARKER
from assistant.citeforms import locator_text
from assistant.messages import ANSWER_LANGS, MESSAGES, message
from assistant.sources import Citation, describe
from assistant.web.i18n import dates_ltr, text

CITATION_FIELDS = {f.name for f in fields(Citation)}
BINDING = {"yes": "binding", "no": "non-binding"}
NOT_COVERED = message("not_covered_heading", "en")

# Delegated listener: the HTML is re-rendered on every update, the element stays.
CITE_JS = """
element.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-n]');
  if (!button) return;
  event.preventDefault();
  trigger('click', {turn: Number(button.dataset.turn), n: Number(button.dataset.n),
                   version: button.dataset.version || ''});
});
"""

CSS = Path(__file__).with_name("render.css").read_text(encoding="utf-8")


def esc(value: Any) -> str:
    """Text made safe for HTML content and attributes (``None`` is empty)."""
    return html.escape("" if value is None else str(value), quote=True)


def phrase(key: str, lang: str = "en", **fields: Any) -> str:
    """The interface's phrase ``key``, escaped, each of its ``fields`` (a user's or a
    document's words) in ``<bdi>``: they keep their own direction inside the phrase's."""
    marks = {name: f"\x00{i}\x00" for i, name in enumerate(fields)}
    out = esc(text(key, lang, **marks))
    for name, mark in marks.items():
        out = out.replace(mark, f"<bdi>{esc(fields[name])}</bdi>")
    return out


def safe_url(url: str) -> str:
    """The address if it is http(s), else empty: a ``javascript:`` URL never becomes a link."""
    url = (url or "").strip()
    return url if re.match(r"^https?://", url, re.IGNORECASE) else ""


def link(url: str, text: str | None = None) -> str:
    """An escaped external link, or the escaped text alone when the URL is not http(s)."""
    href = safe_url(url)
    label = esc(text if text is not None else url)
    if not href:
        return label
    return f'<a href="{esc(href)}" target="_blank" rel="noopener noreferrer">{label}</a>'


def binding_label(value: str, lang: str = "en") -> str:
    """The words for a binding value: "binding", "non-binding" or "binding unknown"."""
    if value in BINDING:
        return message(f"binding_{value}", lang)
    return text("render.binding_unknown", lang)


def with_markers(line: str, numbers: Iterable[int], turn: int, lang: str = "en") -> str:
    """Escaped text whose ``[n]`` markers (for known citations only) are buttons."""
    known = set(numbers)

    def button(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if n not in known:
            return match.group(0)
        return (
            f'<button type="button" class="vg-cite" data-turn="{turn}" data-n="{n}" '
            f'title="{esc(text("render.show_source", lang, n=n))}">[{n}]</button>'
        )

    return MARKER.sub(button, esc(line))


SHORT_HEADINGS = {message("in_short", lang) for lang in ANSWER_LANGS}


def answer_body(answer: Mapping[str, Any], turn: int, lang: str = "en") -> str:
    """One answer as HTML: the short answer in a box, lines starting ``- `` as list items,
    the rest paragraphs (``lang``: the interface's, for the citation buttons' tooltips)."""
    numbers = [c["n"] for c in answer.get("citations", [])]
    parts: list[str] = []
    items: list[str] = []
    short: list[str] | None = None
    for line in str(answer.get("answer", "")).splitlines():
        if line.strip() in SHORT_HEADINGS:
            short = [f"<strong>{esc(line.strip())}</strong>"]
            continue
        if short is not None:
            if line.strip():
                short.append(f"<p>{with_markers(line, numbers, turn, lang)}</p>")
                continue
            parts.append('<div class="vg-short">' + "".join(short) + "</div>")
            short = None
        if not line.strip():
            continue
        if line.startswith("- "):
            items.append(f"<li>{with_markers(line[2:], numbers, turn, lang)}</li>")
            continue
        if items:
            parts.append("<ul>" + "".join(items) + "</ul>")
            items = []
        parts.append(f"<p>{with_markers(line, numbers, turn, lang)}</p>")
    if short is not None:
        parts.append('<div class="vg-short">' + "".join(short) + "</div>")
    if items:
        parts.append("<ul>" + "".join(items) + "</ul>")
    return "".join(parts)


def not_covered(answer: Mapping[str, Any]) -> str:
    """An unsupported answer, said plainly in the question's language, with the closest
    documents as links."""
    lang = str(answer.get("language") or "en")
    closest = answer.get("closest_documents") or []
    said = str(answer.get("answer", ""))
    lead = said.splitlines()[0] if closest and said else said
    heading = esc(message("not_covered_heading", lang))
    parts = [f'<p class="vg-notcovered">{heading}</p>', f"<p>{esc(lead)}</p>"]
    if closest:
        rows = "".join(
            f"<li>{link(d.get('url', ''), d.get('title') or d.get('doc_id'))}</li>" for d in closest
        )
        parts.append(f'<p>{esc(message("closest", lang))}</p><ul class="vg-closest">{rows}</ul>')
    return "".join(parts)


def transcript(turns: list[Mapping[str, Any]], lang: str = "en") -> str:
    """The conversation so far, oldest first: each question and its answer (the answers in
    their own language, the rest in the interface's, ``lang``)."""
    if not turns:
        return f'<p class="vg-empty">{esc(text("render.empty_transcript", lang))}</p>'
    out = []
    for i, turn in enumerate(turns):
        answer = turn["answer"]
        resolved = answer.get("resolved_question")
        body = answer_body(answer, i, lang) if answer.get("supported") else not_covered(answer)
        question = phrase("render.question", lang, question=answer.get("question", ""))
        searched = phrase("render.searched_as", lang, question=resolved) if resolved else ""
        out.append(
            f'<div class="vg-turn"><div class="vg-q">{question}</div>'
            + (f'<div class="vg-resolved">{searched}</div>' if resolved else "")
            + f'<div class="vg-a" data-turn="{i}" dir="auto">{body}</div></div>'
        )
    return "".join(out)


def citation_line(c: Mapping[str, Any], lang: str = "en") -> str:
    """``locator — title`` and, below, year, jurisdiction, binding, type, link."""
    src = Citation(**{k: v for k, v in c.items() if k in CITATION_FIELDS})
    meta = describe(src, lang).replace(", ", " · ") + (f" · {src.type}" if src.type else "")
    pages = f" ({src.pages})" if src.pages else ""
    url = f'<div class="vg-url">{link(src.url)}</div>' if safe_url(src.url) else ""
    locator = locator_text(src.locator, lang)
    return (
        f"<bdi>{esc(locator or '-')}{esc(pages)} — {esc(src.title)}</bdi>"
        f'<div class="vg-meta">{dates_ltr(esc(meta), lang)}</div>{url}' + versions_line(c, lang)
    )


def versions_line(c: Mapping[str, Any], lang: str = "en") -> str:
    """ "also in: EN · FR", each language a button that opens the same paragraph in it."""
    versions = c.get("versions") or {}
    if not versions or "turn" not in c:
        return ""
    buttons = " · ".join(
        f'<button type="button" class="vg-version" data-turn="{int(c["turn"])}" '
        f'data-n="{int(c["n"])}" data-version="{esc(code)}" lang="{esc(code)}">'
        f"{esc(code.upper())}</button>"
        for code in sorted(versions)
    )
    label = esc(message("also_in", lang, langs="")).rstrip()
    return f'<div class="vg-versions">{label} {buttons}</div>'


def sources(turns: list[Mapping[str, Any]], lang: str = "en") -> str:
    """The latest answer's citations, each a button that opens the passage."""
    if not turns:
        return f'<p class="vg-empty">{esc(text("render.empty_sources", lang))}</p>'
    turn = len(turns) - 1
    cites = turns[-1]["answer"].get("citations") or []
    if not cites:
        return f'<p class="vg-empty">{esc(text("render.no_source", lang))}</p>'
    rows = "".join(
        f'<li><button type="button" class="vg-src" data-turn="{turn}" data-n="{c["n"]}">'
        f"[{c['n']}]</button> {citation_line({**c, 'turn': turn}, lang)}</li>"
        for c in cites
    )
    return f'<ol class="vg-sources">{rows}</ol>'


@dataclass(frozen=True)
class CardNotes:
    """What a card says of its own reliability: the day its status was checked, the notes
    about the cited point, and all its unverified notes."""

    checked: str = ""
    point: list[str] = field(default_factory=list)
    card: list[str] = field(default_factory=list)


def card_notes(notes: CardNotes, lang: str = "en") -> str:
    """The notes under a passage: those about the point first, the card's others folded."""
    parts = []
    if notes.point:
        items = "".join(f'<li dir="auto">{esc(n)}</li>' for n in notes.point)
        heading = esc(text("render.not_verified_point", lang))
        parts.append(f'<div class="vg-caveats"><strong>{heading}</strong><ul>{items}</ul></div>')
    others = [n for n in notes.card if n not in notes.point]
    if others:
        items = "".join(f'<li dir="auto">{esc(n)}</li>' for n in others)
        summary = esc(text("render.not_verified_others", lang, n=len(others)))
        parts.append(
            f'<details class="vg-card-notes"><summary>{summary}</summary><ul>{items}</ul></details>'
        )
    return "".join(parts)


def passage(
    record: Mapping[str, Any],
    context: list[Mapping[str, Any]],
    notes: CardNotes | None = None,
    lang: str = "en",
) -> str:
    """A passage in full with its locator, heading, document metadata and link; its
    neighbours (``context``, in reading order, the passage itself included) around it;
    the card's check date and unverified notes when it has them (fixed words in ``lang``)."""
    notes = notes or CardNotes()
    meta = record.get("meta", {})
    year = meta.get("year")
    status = status_label(meta.get("status"), lang)
    facts = [
        meta.get("type", ""),
        meta.get("jurisdiction", ""),
        str(year) if year not in (None, -1, "") else text("render.no_date", lang),
        binding_label(meta.get("binding", ""), lang),
        "" if status == NO_STATUS else status,
        meta.get("language", ""),
        message("checked", lang, on=notes.checked) if notes.checked else "",
    ]
    ps, pe = meta.get("page_start", -1), meta.get("page_end", -1)
    pages = "" if ps in (-1, None) else (f"p. {ps}" if pe in (ps, -1, None) else f"pp. {ps}-{pe}")
    head = (
        f'<div class="vg-doc"><span dir="auto"><strong>{esc(meta.get("title", ""))}</strong>'
        + (f" ({esc(meta['symbol'])})" if meta.get("symbol") else "")
        + "</span>"
        + f'<div class="vg-meta">{dates_ltr(esc(" · ".join(f for f in facts if f)), lang)}</div>'
        + (
            f'<div class="vg-url">{link(meta.get("url", ""))}</div>'
            if safe_url(meta.get("url", ""))
            else ""
        )
        + "</div>"
    )
    where = " · ".join(x for x in (locator_text(meta.get("locator", ""), lang), pages) if x)
    parts = [head, f'<h4 class="vg-loc" dir="auto">{esc(where or "-")}</h4>']
    if meta.get("heading"):
        parts.append(f'<div class="vg-heading" dir="auto">{esc(meta["heading"])}</div>')
    for rec in context:
        loc = locator_text(rec.get("meta", {}).get("locator", ""), lang)
        if rec.get("id") == record.get("id"):
            parts.append(quotation(record))
        else:
            parts.append(
                f'<div class="vg-context" dir="auto"><span class="vg-context-loc">{esc(loc)}</span>\n'
                f"{esc(rec.get('text', ''))}</div>"
            )
    if not any(rec.get("id") == record.get("id") for rec in context):
        parts.append(quotation(record))
    parts.append(card_notes(notes, lang))
    return f'<div class="vg-passage">{"".join(parts)}</div>'


def quotation(record: Mapping[str, Any]) -> str:
    """The cited passage, in its own direction whatever the page's (``dir="auto"``)."""
    return f'<blockquote class="vg-text" dir="auto">{esc(record.get("text", ""))}</blockquote>'


def lines(items: Iterable[str], ok: str = "") -> str:
    """A status: the summary line, then one line per problem (escaped)."""
    problems = "".join(f"<li>{esc(p)}</li>" for p in items)
    out = f"<p>{esc(ok)}</p>" if ok else ""
    return out + (f'<ul class="vg-problems">{problems}</ul>' if problems else "")


# -- jurisdictions and statuses as people read them ---------------------------------------

# Codes of organisations and of the countries with cards; other ISO codes are named from
# ``assistant.countries``. "AU" is Australia (ISO), the African Union is "AFUNION".
JURISDICTION_LABELS = {
    "AFDB": "African Development Bank",
    "AFUNION": "African Union",
    "ASEAN": "ASEAN",
    "AU": "Australia",
    "COE": "Council of Europe",
    "EU": "European Union",
    "GB": "United Kingdom",
    "HEUNI": "HEUNI (European Institute for Crime Prevention and Control)",
    "ILO": "International Labour Organization",
    "OAS": "Organization of American States",
    "OECD": "OECD",
    "OSCE": "OSCE",
    "UN": "United Nations",
    "US": "United States",
    "WB": "World Bank",
}
NO_STATUS = "—"  # guidance, toolkits, reports: no legal status to show


def jurisdiction_label(code: str | None) -> str:
    """The name of a jurisdiction code ("AU" -> "Australia"); an unknown code as given."""
    from assistant.countries import country_name

    code = (code or "").strip()
    key = code.upper()
    if key in JURISDICTION_LABELS:
        return JURISDICTION_LABELS[key]
    name = country_name(key, "en") if len(key) == 2 else key  # CLDR names (babel)
    return name if name != key else code


def jurisdiction_choices(codes: Iterable[str]) -> list[tuple[str, str]]:
    """``(name, code)`` pairs for a dropdown, by name; codes that share a name are told apart."""
    codes = sorted({c for c in codes if c})
    names = [jurisdiction_label(c) for c in codes]
    pairs = [
        (name if names.count(name) == 1 or name == code else f"{name} ({code})", code)
        for name, code in zip(names, codes, strict=True)
    ]
    return sorted(pairs, key=lambda p: p[0].casefold())


def status_label(status: str | None, lang: str = "en") -> str:
    """A status as shown in tables: "—" for documents a legal status does not apply to;
    "in force (on 2026-12-02)" in ``lang`` ("en vigueur (au 2026-12-02)")."""
    status = (status or "").strip()
    if not status or status.casefold().startswith("not applicable"):
        return NO_STATUS
    dated = re.fullmatch(r"(.+?)\s*\((on|as of) (\S+)\)", status)
    base = dated.group(1) if dated else status
    if lang == "en" or f"status_{base}" not in MESSAGES:
        return status  # in English, or a status of its own (an upload's): as written
    base = message(f"status_{base}", lang)
    if not dated:
        return base
    key = "render.status_on" if dated.group(2) == "on" else "render.status_as_of"
    return text(key, lang, status=base, on=dated.group(3))
