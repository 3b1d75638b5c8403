"""The Compare tab: instruments side by side, each cell traceable to its card point.

The table is HTML (every text escaped in ``assistant.web.render``) so that it wraps to the
window: fixed column widths, a proportional font, a header that stays in view. Choosing a
row shows that instrument's entry below the table: its points in full, with their sources.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.sources import cite
from assistant.web import render
from assistant.web.downloads import export_dir
from assistant.web.i18n import dates_ltr, direction, lang_of, supported, text, ui

# Share of the table's width per column (percent): narrow facts, wide text.
WIDTHS = {
    "instrument": 12,
    "jurisdiction": 8,
    "type": 7.5,
    "year": 4.5,
    "status": 7,
    "binding": 5.5,
    "thresholds": 8,
    "covered": 12,
    "obligation": 12.5,
    "procurement": 11.5,
    "sanctions": 11.5,
}
# A click on a row (or on the instrument's name, a button) asks for its entry.
ROW_JS = """
element.addEventListener('click', (event) => {
  const row = event.target.closest('tr[data-card]');
  if (!row) return;
  element.querySelectorAll('tr.vg-cmp-on').forEach((r) => r.classList.remove('vg-cmp-on'));
  row.classList.add('vg-cmp-on');
  trigger('click', {card: row.dataset.card});
});
"""
SHOW_ENTRY_JS = "() => document.getElementById('compare-entry')?.scrollIntoView({block: 'nearest'})"
# Where each column's name is in the table of UI strings.
COLUMN_KEYS = {
    "instrument": "compare.col.instrument",
    "jurisdiction": "common.jurisdiction",
    "type": "common.type",
    "year": "common.year",
    "status": "lib.col_status",
    "binding": "lib.col_binding",
    "thresholds": "compare.col.thresholds",
    "covered": "compare.col.covered",
    "obligation": "compare.col.obligation",
    "procurement": "compare.col.procurement",
    "sanctions": "compare.col.sanctions",
}


def entry_hint(lang: str = "en") -> str:
    return f'<p class="vg-empty">{render.esc(text("compare.hint", lang))}</p>'


ENTRY_HINT = entry_hint()


def column_name(column: str, name: str, lang: str = "en") -> str:
    """A column's name in ``lang`` (``name``, the table's own, for a column not translated)."""
    return text(COLUMN_KEYS[column], lang) if column in COLUMN_KEYS else name


def note_text(table: Any, lang: str = "en") -> str:
    """What the table shows: how many instruments, on which date, how to read it (the date
    isolated left to right on a right-to-left page, where it would read backwards)."""
    on = table.as_of if direction(lang) == "ltr" else f"\u2066{table.as_of}\u2069"
    return text("compare.note", lang, n=len(table.rows), on=on)


def cell_html(row: Any, column: str, lang: str = "en") -> str:
    """One cell, escaped: names for codes, "—" for no legal status, text with its locator."""
    from assistant.tools.compare import POINT_COLUMNS

    cell = row.cells[column]
    if column == "instrument":
        return (
            f'<button type="button" class="vg-cmp-open" '
            f'title="{render.esc(text("compare.show", lang))}">{render.esc(cell.value)}</button>'
        )
    if column == "jurisdiction":
        return f'<span title="{render.esc(cell.value)}">{render.esc(render.jurisdiction_label(cell.value))}</span>'
    if column == "status":
        return dates_ltr(render.esc(render.status_label(cell.value, lang)), lang)
    if column == "binding" and cell.value in ("yes", "no"):
        return render.esc(text(f"common.{cell.value}", lang))
    if column in POINT_COLUMNS and cell.value:
        return f'{render.esc(cell.value)} <span class="vg-cmp-loc">[{render.esc(cell.source.locator)}]</span>'
    return render.esc(cell.value)


def table_html(table: Any, lang: str = "en") -> str:
    """The comparison as an HTML table in its own scrolling box (header kept in view); its
    fixed words in ``lang``."""
    columns = table.columns
    if not table.rows:
        return f'<p class="vg-empty">{render.esc(text("compare.no_match", lang))}</p>'
    cols = "".join(f'<col style="width: {WIDTHS.get(c, 8)}%">' for c in columns)
    head = "".join(
        f'<th scope="col">{render.esc(column_name(c, name, lang))}</th>'
        for c, name in columns.items()
    )
    body = "".join(
        f'<tr data-card="{render.esc(row.card_id)}">'
        + "".join(f'<td dir="auto">{cell_html(row, c, lang)}</td>' for c in columns)
        + "</tr>"
        for row in table.rows
    )
    return (
        f'<div class="vg-cmp-wrap"><table class="vg-cmp"><colgroup>{cols}</colgroup>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def entry_html(row: Any, as_of: str, lang: str = "en") -> str:
    """One instrument in full: its facts and link, then each compared point, whole, cited
    (fixed words in ``lang``)."""
    from assistant.tools.compare import COLUMNS, POINT_COLUMNS

    c = row.cells
    source = c["instrument"].source
    status = render.status_label(c["status"].value, lang)
    facts = [
        render.jurisdiction_label(c["jurisdiction"].value),
        c["type"].value,
        c["year"].value or text("render.no_date", lang),
        "" if status == render.NO_STATUS else status,
        render.binding_label(c["binding"].value, lang),
    ]
    parts = [f"<h3>{render.esc(c['instrument'].value)}</h3>"]
    if row.title and row.title != c["instrument"].value:
        parts.append(f"<p>{render.esc(row.title)}</p>")
    said = dates_ltr(render.esc(" · ".join(f for f in facts if f)), lang)
    parts.append(f'<p class="vg-meta">{said}</p>')
    if render.safe_url(source.url):
        parts.append(f"<p>{render.link(source.url)}</p>")
    if c["thresholds"].value:
        name = column_name("thresholds", COLUMNS["thresholds"], lang)
        parts.append(
            f"<p><strong>{dates_ltr(render.esc(text('compare.thresholds', lang, name=name, on=as_of)), lang)}"
            f"</strong> {render.esc(c['thresholds'].value)}</p>"
        )
    for column in POINT_COLUMNS:
        cell = c[column]
        parts.append(f"<h4>{render.esc(column_name(column, COLUMNS[column], lang))}</h4>")
        if not cell.value:
            parts.append(f'<p class="vg-empty">{render.esc(text("compare.no_point", lang))}</p>')
            continue
        label = f" ({cell.label})" if cell.label else ""
        said = text("compare.source", lang, source=cite(cell.source, style="short") + label)
        parts.append(
            f'<blockquote dir="auto">{render.esc(cell.source.text)}</blockquote><p class="vg-meta">'
            f"{render.esc(said)}</p>"
        )
    return f'<div class="vg-cmp-entry" data-card="{render.esc(row.card_id)}">{"".join(parts)}</div>'


def entry_of(card: str, lang: str = "en") -> str | None:
    """The entry of the instrument ``card`` in ``lang`` (None: no such instrument)."""
    from assistant.tools.compare import compare_table

    table = compare_table({"id": card}) if card else None
    return entry_html(table.rows[0], table.as_of, lang) if table and table.rows else None


def filter_row(cards: list[Any]) -> tuple[Any, Any, Any, Any]:
    """Jurisdiction, type, binding and topic, from the instruments' cards."""
    juris = render.jurisdiction_choices(c.jurisdiction for c in cards)
    types = sorted({c.type for c in cards if c.type})
    topics = sorted({t for c in cards for t in c.topics})
    with gr.Row():
        jur = gr.Dropdown(
            juris, multiselect=True, label=ui("common.jurisdiction"), elem_id="compare-jurisdiction"
        )
        typ = gr.Dropdown(types, multiselect=True, label=ui("common.type"), elem_id="compare-type")
        bnd = gr.Radio(
            [(ui(f"common.{v}"), v) for v in ("any", "yes", "no")],
            value="any",
            label=ui("common.binding"),
            elem_id="compare-binding",
        )
        top = gr.Dropdown(
            topics, multiselect=True, label=ui("compare.topic"), elem_id="compare-topic"
        )
    return jur, typ, bnd, top


def compare_tab(ui_lang: Any = None) -> None:
    """The tab; ``ui_lang``, the interface language switch, redraws the table and the entry
    shown when it changes."""
    from assistant.tools.compare import compare_table, export_table
    from assistant.tools.records import load_corpus

    cards = load_corpus().instruments

    def run(jurisdiction, doc_type, binding, topic, request: gr.Request | None = None):
        lang = lang_of(request)
        filters = {"jurisdiction": jurisdiction, "type": doc_type, "topic": topic}
        if binding in ("yes", "no"):
            filters["binding"] = binding
        table = compare_table(filters)
        folder = export_dir()
        csv_path = export_table(table, folder / "vigilance-comparison.csv")
        xlsx_path = export_table(table, folder / "vigilance-comparison.xlsx")
        return (
            table_html(table, lang),
            note_text(table, lang),
            gr.update(value=str(csv_path), interactive=True),
            gr.update(value=str(xlsx_path), interactive=True),
            entry_hint(lang),
            filters,
            "",
            lang,
        )

    def show(evt: gr.EventData, request: gr.Request | None = None):
        card = str((getattr(evt, "_data", None) or {}).get("card") or "")
        shown = entry_of(card, lang_of(request))
        return (gr.skip(), gr.skip()) if shown is None else (shown, card)

    def relabel(lang, filters, card, drawn):
        lang = supported(lang)
        if lang == drawn:  # as the page was built, or already redrawn
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        table = compare_table(filters or None)
        note = note_text(table, lang) if filters is not None else gr.skip()
        return table_html(table, lang), note, entry_of(card, lang) or entry_hint(lang), lang

    jur, typ, bnd, top = filter_row(cards)
    btn = gr.Button(ui("compare.run"), variant="primary", elem_id="compare-run")
    note = gr.Markdown("", elem_id="compare-note")
    table = gr.HTML(
        table_html(compare_table()),
        elem_id="compare-table",
        js_on_load=ROW_JS,
        css_template=render.CSS,
    )
    entry = gr.HTML(ENTRY_HINT, elem_id="compare-entry", css_template=render.CSS, js_on_load=None)
    # the last filters run, the entry open, the language the table is drawn in
    shown, opened, drawn = gr.State(None), gr.State(""), gr.State("en")
    with gr.Row():
        csv_btn = gr.DownloadButton(ui("compare.csv"), interactive=False, elem_id="compare-csv")
        xlsx_btn = gr.DownloadButton(ui("compare.xlsx"), interactive=False, elem_id="compare-xlsx")
    btn.click(
        run,
        [jur, typ, bnd, top],
        [table, note, csv_btn, xlsx_btn, entry, shown, opened, drawn],
        api_name="compare",
    )
    table.click(show, None, [entry, opened], api_visibility="private").then(
        None, None, None, js=SHOW_ENTRY_JS, api_visibility="private"
    )
    if ui_lang is not None:
        ui_lang.change(
            relabel,
            [ui_lang, shown, opened, drawn],
            [table, note, entry, drawn],
            api_visibility="private",
        )
