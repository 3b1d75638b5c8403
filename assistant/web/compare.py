"""The Compare tab: instruments side by side, each cell traceable to its card point."""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.web.downloads import export_dir


def compare_tab() -> None:
    from assistant.tools.compare import COLUMNS, POINT_COLUMNS, compare_table, export_table
    from assistant.tools.records import load_corpus

    cards = load_corpus().instruments
    juris = sorted({c.jurisdiction for c in cards if c.jurisdiction})
    types = sorted({c.type for c in cards if c.type})
    topics = sorted({t for c in cards for t in c.topics})
    headers = list(COLUMNS.values())

    def rows_of(table: Any) -> list[list[str]]:
        rows = []
        for row in table.rows:
            cells = []
            for column in COLUMNS:
                cell = row.cells[column]
                tail = f" [{cell.source.locator}]" if column in POINT_COLUMNS and cell.value else ""
                cells.append(cell.value + tail)
            rows.append(cells)
        return rows

    def run(jurisdiction, doc_type, binding, topic):
        filters = {"jurisdiction": jurisdiction, "type": doc_type, "topic": topic}
        if binding in ("yes", "no"):
            filters["binding"] = binding
        table = compare_table(filters)
        rows = rows_of(table)
        folder = export_dir()
        csv_path = export_table(table, folder / "vigilance-comparison.csv")
        xlsx_path = export_table(table, folder / "vigilance-comparison.xlsx")
        note = f"{len(rows)} instrument(s). Each text cell ends with the point it comes from."
        return (
            rows,
            note,
            gr.update(value=str(csv_path), interactive=True),
            gr.update(value=str(xlsx_path), interactive=True),
        )

    with gr.Row():
        jur = gr.Dropdown(
            juris, multiselect=True, label="Jurisdiction", elem_id="compare-jurisdiction"
        )
        typ = gr.Dropdown(types, multiselect=True, label="Type", elem_id="compare-type")
        bnd = gr.Radio(
            ["any", "yes", "no"], value="any", label="Binding", elem_id="compare-binding"
        )
        top = gr.Dropdown(topics, multiselect=True, label="Topic", elem_id="compare-topic")
    btn = gr.Button("Compare", variant="primary", elem_id="compare-run")
    note = gr.Markdown("", elem_id="compare-note")
    table = gr.Dataframe(
        rows_of(compare_table()),
        headers=headers,
        interactive=False,
        wrap=True,
        elem_id="compare-table",
        max_height=520,
    )
    with gr.Row():
        csv_btn = gr.DownloadButton("Download CSV", interactive=False, elem_id="compare-csv")
        xlsx_btn = gr.DownloadButton("Download XLSX", interactive=False, elem_id="compare-xlsx")
    btn.click(run, [jur, typ, bnd, top], [table, note, csv_btn, xlsx_btn], api_name="compare")
