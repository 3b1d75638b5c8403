"""A briefing pack as one self-contained HTML page made for printing: A4 pages, no app
around it, citations linked to a numbered list of sources at the end (footnote style), each
with its web address spelled out so it survives on paper. Every text of the pack is escaped:
a source or a question can never add markup to the page.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace

from assistant.answer import MARKER
from assistant.sources import Citation, cite
from assistant.tools.brief import Brief, label
from assistant.tools.export import RTL_LANGS

CSS = """
@page { size: A4; margin: 20mm 18mm 22mm; }
html { font-family: Georgia, "Times New Roman", serif; font-size: 11pt; line-height: 1.45;
  color: #111; background: #fff; }
body { max-width: 170mm; margin: 12mm auto; padding: 0 6mm; }
h1 { font-size: 19pt; line-height: 1.2; margin: 0 0 .4em; }
h2 { font-size: 13.5pt; margin: 1.6em 0 .5em; break-after: avoid; page-break-after: avoid; }
p, li { orphans: 3; widows: 3; }
.meta { color: #444; }
nav ol, .summary ol { padding-inline-start: 0; list-style: none; }
nav li, .summary li { margin: .25em 0; }
.summary li { margin-bottom: .7em; break-inside: avoid; page-break-inside: avoid; }
.q { font-weight: bold; }
.group { font-weight: bold; margin: .8em 0 .2em; }
ul.quotes { margin: .2em 0 .6em; padding-inline-start: 1.3em; }
a { color: #1f4e9a; }
a.ref { text-decoration: none; font-size: .8em; vertical-align: super; line-height: 0; }
.sources { font-size: 9.5pt; padding-inline-start: 2.2em; }
.sources li { margin-bottom: .45em; break-inside: avoid; page-break-inside: avoid; }
.sources a { word-break: break-all; }
section.question { break-inside: auto; }
@media print {
  body { max-width: none; margin: 0; padding: 0; }
  a { color: #000; }
  #sources { break-before: page; page-break-before: always; }
}
"""


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def external(url: str) -> str:
    """An escaped link showing its own address, or nothing when the address is not http(s)."""
    url = (url or "").strip()
    if not re.match(r"^https?://", url, re.IGNORECASE):
        return ""
    return f'<a href="{esc(url)}">{esc(url)}</a>'


def with_refs(text: str, numbers: set[int]) -> str:
    """Escaped text whose ``[n]`` markers link to source ``n`` of the list (known numbers only)."""

    def ref(match: re.Match[str]) -> str:
        n = int(match.group(1))
        return f'<a class="ref" href="#src-{n}">[{n}]</a>' if n in numbers else match.group(0)

    return MARKER.sub(ref, esc(text))


def answer_html(text: str, numbers: set[int]) -> str:
    """An answer's lines: quoted bullets as a list, group headings and notes as paragraphs."""
    out: list[str] = []
    bullets: list[str] = []
    for line in [*text.strip().splitlines(), ""]:
        line = line.strip()
        if line.startswith("- "):
            bullets.append(f"<li>{with_refs(line[2:], numbers)}</li>")
            continue
        if bullets:
            out.append(f'<ul class="quotes">{"".join(bullets)}</ul>')
            bullets = []
        if line:
            cls = ' class="group"' if line.endswith(":") else ""
            out.append(f"<p{cls}>{with_refs(line, numbers)}</p>")
    return "".join(out)


def source_item(source: Citation, lang: str) -> str:
    entry = esc(cite(replace(source, url=""), lang, "entry"))
    link = external(source.url)
    return f'<li id="src-{source.n}" value="{source.n}">{entry}{" — " + link if link else ""}</li>'


def to_html(brief: Brief) -> str:
    """The pack as a standalone HTML page: title, contents, executive summary, the answers,
    the numbered sources. No script, no style sheet or font fetched from elsewhere."""
    lang = brief.lang
    numbers = {s.n for s in brief.sources}
    items = list(enumerate(brief.items, 1))
    toc = [f'<li><a href="#summary">{esc(label("summary", lang))}</a></li>']
    toc += [
        f'<li><a href="#q-{i}">{esc(item.label)} {esc(item.question)}</a></li>' for i, item in items
    ]
    toc.append(f'<li><a href="#sources">{esc(label("sources", lang))}</a></li>')
    summary = "".join(
        f'<li><span class="q">{esc(item.label)} {esc(item.question)}</span><br>'
        f"{with_refs(item.summary, numbers)}</li>"
        for _, item in items
    )
    answers = "".join(
        f'<section class="question" id="q-{i}">'
        f"<h2>{esc(item.label)} {esc(item.question)}</h2>{answer_html(item.answer, numbers)}</section>"
        for i, item in items
    )
    sources = "".join(source_item(s, lang) for s in brief.sources)
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}" dir="{"rtl" if lang in RTL_LANGS else "ltr"}">'
        '\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="author" content="Vigilance">\n<title>{esc(brief.title)}</title>\n'
        f"<style>{CSS}</style>\n</head>\n<body>\n"
        f'<header><h1>{esc(brief.title)}</h1><p class="meta">{esc(label("date", lang))}: '
        f"{esc(brief.date)}</p><p>{esc(label('intro', lang))}</p></header>\n"
        f"<nav><h2>{esc(label('contents', lang))}</h2><ol>{''.join(toc)}</ol></nav>\n"
        f'<section class="summary" id="summary"><h2>{esc(label("summary", lang))}</h2>'
        f"<p>{esc(label('summary_intro', lang))}</p><ol>{summary}</ol></section>\n"
        f"<main>{answers}</main>\n"
        f'<section id="sources"><h2>{esc(label("sources", lang))}</h2>'
        f'<ol class="sources">{sources}</ol></section>\n</body>\n</html>\n'
    )
