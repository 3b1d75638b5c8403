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
from typing import Any

from assistant.answer import MARKER
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
  trigger('click', {turn: Number(button.dataset.turn), n: Number(button.dataset.n)});
});
"""

CSS = """
.vg-turn {margin-bottom: 1.2em;}
.vg-q {font-weight: 600; margin-bottom: .3em;}
.vg-resolved, .vg-meta, .vg-context-loc, .vg-empty {color: var(--body-text-color-subdued); font-size: .9em;}
.vg-a {white-space: normal;}
.vg-a p, .vg-a li {white-space: pre-wrap;}
.vg-cite, .vg-src {cursor: pointer; border: 1px solid var(--border-color-primary);
  border-radius: 4px; padding: 0 .3em; background: var(--background-fill-secondary);
  font: inherit; color: var(--link-text-color);}
.vg-notcovered {font-weight: 700; color: var(--error-text-color, #b91c1c);}
.vg-sources li {margin-bottom: .6em;}
.vg-short {border-inline-start: 4px solid var(--color-accent); background: var(--background-fill-secondary);
  padding: 0.4em 0.8em; margin: 0.4em 0 0.8em;}
.vg-short p {margin: 0.25em 0;}
.vg-caveats {border-inline-start: 4px solid #c77700; background: #fff6e5; color: #3d2a00;
  padding: 0.4em 0.8em; margin: 0.6em 0;}
.vg-card-notes {margin: 0.4em 0; font-size: 0.92em;}
.vg-passage blockquote {white-space: pre-wrap; border-inline-start: 4px solid var(--color-accent);
  margin: .5em 0; padding: .3em .8em;}
.vg-context {white-space: pre-wrap; color: var(--body-text-color-subdued); margin: .4em 0;}
.vg-problems li {color: var(--error-text-color, #b91c1c);}
.vg-cmp-wrap {max-height: 70vh; overflow: auto;}
table.vg-cmp {width: 100%; table-layout: fixed; border-collapse: separate; border-spacing: 0;
  margin: 0; padding: 0; border: 0; font-family: var(--font); font-size: .88em; line-height: 1.35;}
table.vg-cmp th, table.vg-cmp td {padding: .45em .5em; vertical-align: top; text-align: start;
  white-space: normal; overflow-wrap: anywhere; hyphens: auto; font-family: var(--font);
  border: 0; border-bottom: 1px solid var(--border-color-primary);}
table.vg-cmp thead th {position: sticky; top: 0; z-index: 1; overflow-wrap: break-word;
  background: var(--background-fill-secondary); font-weight: 600;}
table.vg-cmp tbody tr {cursor: pointer;}
table.vg-cmp tbody tr:hover, table.vg-cmp tbody tr.vg-cmp-on {background: var(--background-fill-secondary);}
.vg-cmp-open {font: inherit; font-weight: 600; color: var(--link-text-color); text-align: start;
  background: none; border: 0; padding: 0; cursor: pointer;}
.vg-cmp-loc {color: var(--body-text-color-subdued);}
.vg-cmp-entry {border-inline-start: 4px solid var(--color-accent); padding: .2em .9em; margin-top: .6em;}
.vg-cmp-entry blockquote {white-space: pre-wrap; margin: .2em 0 .8em; padding: 0;}
#library-table .body-cell, #library-table .body-cell *, #library-table td, #library-table th
  {font-family: var(--font);}
#quiz-table .vg-quiz-wrap {max-height: 70vh; overflow-y: auto; overflow-x: hidden;
  border: 1px solid var(--border-color-primary); border-radius: 6px;}
#quiz-table table.vg-quiz {width: 100%; table-layout: fixed; border-collapse: separate;
  border-spacing: 0; margin: 0; font-family: var(--font); font-size: .92em; line-height: 1.4;}
#quiz-table table.vg-quiz th, #quiz-table table.vg-quiz td {padding: .45em .55em;
  vertical-align: top; text-align: start; white-space: normal; overflow-wrap: anywhere;
  font-family: var(--font); border: 0; border-bottom: 1px solid var(--border-color-primary);}
#quiz-table table.vg-quiz thead th {position: sticky; top: 0; z-index: 1; font-weight: 600;
  background: var(--background-fill-secondary); overflow-wrap: normal;}
#quiz-table table.vg-quiz td:nth-child(2) {font-weight: 600;}
#quiz-table table.vg-quiz td:nth-child(4) {color: var(--body-text-color-subdued); font-size: .9em;}
"""


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
    return (
        f"<bdi>{esc(src.locator or '-')}{esc(pages)} — {esc(src.title)}</bdi>"
        f'<div class="vg-meta">{dates_ltr(esc(meta), lang)}</div>{url}'
    )


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
        f"[{c['n']}]</button> {citation_line(c, lang)}</li>"
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
    where = " · ".join(x for x in (meta.get("locator", ""), pages) if x)
    parts = [head, f'<h4 class="vg-loc" dir="auto">{esc(where or "-")}</h4>']
    if meta.get("heading"):
        parts.append(f'<div class="vg-heading" dir="auto">{esc(meta["heading"])}</div>')
    for rec in context:
        loc = rec.get("meta", {}).get("locator", "")
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
