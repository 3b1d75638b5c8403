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
from dataclasses import fields
from typing import Any

from assistant.answer import MARKER
from assistant.messages import message
from assistant.sources import Citation, describe

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
.vg-passage blockquote {white-space: pre-wrap; border-left: 4px solid var(--color-accent);
  margin: .5em 0; padding: .3em .8em;}
.vg-context {white-space: pre-wrap; color: var(--body-text-color-subdued); margin: .4em 0;}
.vg-problems li {color: var(--error-text-color, #b91c1c);}
"""


def esc(value: Any) -> str:
    """Text made safe for HTML content and attributes (``None`` is empty)."""
    return html.escape("" if value is None else str(value), quote=True)


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


def binding_label(value: str) -> str:
    return BINDING.get(value or "", "binding unknown")


def with_markers(text: str, numbers: Iterable[int], turn: int) -> str:
    """Escaped text whose ``[n]`` markers (for known citations only) are buttons."""
    known = set(numbers)

    def button(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if n not in known:
            return match.group(0)
        return (
            f'<button type="button" class="vg-cite" data-turn="{turn}" data-n="{n}" '
            f'title="Show source {n}">[{n}]</button>'
        )

    return MARKER.sub(button, esc(text))


def answer_body(answer: Mapping[str, Any], turn: int) -> str:
    """One answer as HTML: lines starting ``- `` become list items, the rest paragraphs."""
    numbers = [c["n"] for c in answer.get("citations", [])]
    parts: list[str] = []
    items: list[str] = []
    for line in str(answer.get("answer", "")).splitlines():
        if not line.strip():
            continue
        if line.startswith("- "):
            items.append(f"<li>{with_markers(line[2:], numbers, turn)}</li>")
            continue
        if items:
            parts.append("<ul>" + "".join(items) + "</ul>")
            items = []
        parts.append(f"<p>{with_markers(line, numbers, turn)}</p>")
    if items:
        parts.append("<ul>" + "".join(items) + "</ul>")
    return "".join(parts)


def not_covered(answer: Mapping[str, Any]) -> str:
    """An unsupported answer, said plainly in the question's language, with the closest
    documents as links."""
    lang = str(answer.get("language") or "en")
    closest = answer.get("closest_documents") or []
    text = str(answer.get("answer", ""))
    lead = text.splitlines()[0] if closest and text else text
    heading = esc(message("not_covered_heading", lang))
    parts = [f'<p class="vg-notcovered">{heading}</p>', f"<p>{esc(lead)}</p>"]
    if closest:
        rows = "".join(
            f"<li>{link(d.get('url', ''), d.get('title') or d.get('doc_id'))}</li>" for d in closest
        )
        parts.append(f'<p>{esc(message("closest", lang))}</p><ul class="vg-closest">{rows}</ul>')
    return "".join(parts)


def transcript(turns: list[Mapping[str, Any]]) -> str:
    """The conversation so far, oldest first: each question and its answer."""
    if not turns:
        return (
            '<p class="vg-empty">Ask a question: every answer cites the passages it rests on.</p>'
        )
    out = []
    for i, turn in enumerate(turns):
        answer = turn["answer"]
        resolved = answer.get("resolved_question")
        body = answer_body(answer, i) if answer.get("supported") else not_covered(answer)
        out.append(
            '<div class="vg-turn">'
            f'<div class="vg-q">Q: {esc(answer.get("question", ""))}</div>'
            + (f'<div class="vg-resolved">Searched as: {esc(resolved)}</div>' if resolved else "")
            + f'<div class="vg-a" data-turn="{i}">{body}</div></div>'
        )
    return "".join(out)


def citation_line(c: Mapping[str, Any]) -> str:
    """``locator — title`` and, below, year, jurisdiction, binding, type, link."""
    src = Citation(**{k: v for k, v in c.items() if k in CITATION_FIELDS})
    meta = describe(src).replace(", ", " · ") + (f" · {src.type}" if src.type else "")
    pages = f" ({src.pages})" if src.pages else ""
    url = f'<div class="vg-url">{link(src.url)}</div>' if safe_url(src.url) else ""
    return (
        f"{esc(src.locator or '-')}{esc(pages)} — {esc(src.title)}"
        f'<div class="vg-meta">{esc(meta)}</div>{url}'
    )


def sources(turns: list[Mapping[str, Any]]) -> str:
    """The latest answer's citations, each a button that opens the passage."""
    if not turns:
        return '<p class="vg-empty">Sources of the answer appear here.</p>'
    turn = len(turns) - 1
    cites = turns[-1]["answer"].get("citations") or []
    if not cites:
        return '<p class="vg-empty">No source cited.</p>'
    rows = "".join(
        f'<li><button type="button" class="vg-src" data-turn="{turn}" data-n="{c["n"]}">'
        f"[{c['n']}]</button> {citation_line(c)}</li>"
        for c in cites
    )
    return f'<ol class="vg-sources">{rows}</ol>'


def passage(record: Mapping[str, Any], context: list[Mapping[str, Any]]) -> str:
    """A passage in full with its locator, heading, document metadata and link; its
    neighbours (``context``, in reading order, the passage itself included) around it."""
    meta = record.get("meta", {})
    year = meta.get("year")
    facts = [
        meta.get("type", ""),
        meta.get("jurisdiction", ""),
        str(year) if year not in (None, -1, "") else "n.d.",
        binding_label(meta.get("binding", "")),
        meta.get("status", ""),
        meta.get("language", ""),
    ]
    ps, pe = meta.get("page_start", -1), meta.get("page_end", -1)
    pages = "" if ps in (-1, None) else (f"p. {ps}" if pe in (ps, -1, None) else f"pp. {ps}-{pe}")
    head = (
        f'<div class="vg-doc"><strong>{esc(meta.get("title", ""))}</strong>'
        + (f" ({esc(meta['symbol'])})" if meta.get("symbol") else "")
        + f'<div class="vg-meta">{esc(" · ".join(f for f in facts if f))}</div>'
        + (
            f'<div class="vg-url">{link(meta.get("url", ""))}</div>'
            if safe_url(meta.get("url", ""))
            else ""
        )
        + "</div>"
    )
    where = " · ".join(x for x in (meta.get("locator", ""), pages) if x)
    parts = [head, f'<h4 class="vg-loc">{esc(where or "-")}</h4>']
    if meta.get("heading"):
        parts.append(f'<div class="vg-heading">{esc(meta["heading"])}</div>')
    for rec in context:
        loc = rec.get("meta", {}).get("locator", "")
        if rec.get("id") == record.get("id"):
            parts.append(f'<blockquote class="vg-text">{esc(record.get("text", ""))}</blockquote>')
        else:
            parts.append(
                f'<div class="vg-context"><span class="vg-context-loc">{esc(loc)}</span>\n'
                f"{esc(rec.get('text', ''))}</div>"
            )
    if not any(rec.get("id") == record.get("id") for rec in context):
        parts.append(f'<blockquote class="vg-text">{esc(record.get("text", ""))}</blockquote>')
    return f'<div class="vg-passage">{"".join(parts)}</div>'


def lines(items: Iterable[str], ok: str = "") -> str:
    """A status: the summary line, then one line per problem (escaped)."""
    problems = "".join(f"<li>{esc(p)}</li>" for p in items)
    out = f"<p>{esc(ok)}</p>" if ok else ""
    return out + (f'<ul class="vg-problems">{problems}</ul>' if problems else "")
