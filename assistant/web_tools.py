"""The tool tabs of the web app: thin UIs over ``assistant/tools`` (compare, gap analysis,
briefing pack, training Q&A). Each tab calls a tool, shows the result escaped, and offers
the tool's exports as downloads. A tool that fails to load leaves a one-line notice, not a
broken app.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import gradio as gr

from assistant import web_render as render


def export_dir() -> Path:
    """A fresh folder for one export: gradio serves files from the system temp dir."""
    return Path(tempfile.mkdtemp(prefix="vigilance-export-"))


def unavailable(name: str, exc: Exception) -> None:
    gr.Markdown(f"The {name} tool could not be loaded: `{type(exc).__name__}`.")


# -- Compare -----------------------------------------------------------------------------
def compare_tab() -> None:
    from assistant.tools.compare import COLUMNS, POINT_COLUMNS, compare_table, export_table
    from assistant.tools.records import load_corpus

    cards = load_corpus().instruments
    juris = sorted({c.jurisdiction for c in cards if c.jurisdiction})
    types = sorted({c.type for c in cards if c.type})
    topics = sorted({t for c in cards for t in c.topics})
    headers = list(COLUMNS.values())

    def run(jurisdiction, doc_type, binding, topic):
        filters = {"jurisdiction": jurisdiction, "type": doc_type, "topic": topic}
        if binding in ("yes", "no"):
            filters["binding"] = binding
        table = compare_table(filters)
        rows = []
        for row in table.rows:
            cells = []
            for column in COLUMNS:
                cell = row.cells[column]
                tail = f" [{cell.locator}]" if column in POINT_COLUMNS and cell.value else ""
                cells.append(cell.value + tail)
            rows.append(cells)
        folder = export_dir()
        csv_path = export_table(table, folder / "vigilance-comparison.csv")
        xlsx_path = export_table(table, folder / "vigilance-comparison.xlsx")
        note = f"{len(rows)} instrument(s). Each text cell ends with the point it comes from."
        return rows, note, gr.update(value=str(csv_path), interactive=True), gr.update(
            value=str(xlsx_path), interactive=True
        )

    with gr.Row():
        jur = gr.Dropdown(juris, multiselect=True, label="Jurisdiction", elem_id="compare-jurisdiction")
        typ = gr.Dropdown(types, multiselect=True, label="Type", elem_id="compare-type")
        bnd = gr.Radio(["any", "yes", "no"], value="any", label="Binding", elem_id="compare-binding")
        top = gr.Dropdown(topics, multiselect=True, label="Topic", elem_id="compare-topic")
    btn = gr.Button("Compare", variant="primary", elem_id="compare-run")
    note = gr.Markdown("", elem_id="compare-note")
    table = gr.Dataframe(headers=headers, interactive=False, wrap=True, elem_id="compare-table", max_height=520)
    with gr.Row():
        csv_btn = gr.DownloadButton("Download CSV", interactive=False, elem_id="compare-csv")
        xlsx_btn = gr.DownloadButton("Download XLSX", interactive=False, elem_id="compare-xlsx")
    btn.click(run, [jur, typ, bnd, top], [table, note, csv_btn, xlsx_btn], api_name="compare")


def tool_tabs(assistant: Any) -> None:
    """The four tool tabs, each independent of the others."""
    for title, tab_id, builder in (
        ("Compare", "compare", compare_tab),
        ("Gap analysis", "gap", gap_tab),
        ("Briefing pack", "brief", lambda: brief_tab(assistant)),
        ("Training Q&A", "quiz", lambda: quiz_tab(assistant)),
    ):
        with gr.Tab(title, id=tab_id, elem_id=f"tab-{tab_id}"):
            try:
                builder()
            except ImportError as exc:
                unavailable(title, exc)


def gap_tab() -> None:
    from assistant.tools import gap  # noqa: F401

    raise ImportError("not yet wired")


def brief_tab(assistant: Any) -> None:
    from assistant.tools import brief  # noqa: F401

    raise ImportError("not yet wired")


def quiz_tab(assistant: Any) -> None:
    from assistant.tools import quiz  # noqa: F401

    raise ImportError("not yet wired")


_ = render  # used by the tabs added below
