"""The Gap analysis tab: the recommended measures a country lacks, by theme, with sources."""

from __future__ import annotations

import re
from typing import Any

import gradio as gr

from assistant.sources import cite
from assistant.web import render
from assistant.web.downloads import download_pair


def gap_html(report: Any) -> str:
    """The missing measures by theme, each with what it is, who recommends it and examples."""
    parts = [
        f"<p><strong>{len(report.missing_ids)} of {report.total} measures missing</strong> "
        f"({len(report.in_place)} marked as in place).</p>"
    ]
    for group in report.missing:
        parts.append(f"<h3>{render.esc(group.label)}</h3>")
        for m in group.measures:
            recs = "".join(
                f"<li>{render.link(r.url, cite(r, style='short'))}</li>" for r in m.recommended_by
            )
            examples = "".join(
                f"<li><strong>{render.esc(ex.source.name)}</strong> ({render.esc(ex.source.jurisdiction or '-')}): "
                f"{render.esc(ex.source.text)} <em>[{render.link(ex.source.url, ex.source.locator)}]</em></li>"
                for ex in m.examples
            )
            parts.append(
                f'<div class="vg-gap-measure" data-id="{render.esc(m.id)}">'
                f"<h4>{render.esc(m.title)}</h4>"
                f"<p>{render.esc(m.what.text)} <em>[{render.esc(cite(m.what.source, style='short'))}]</em></p>"
                + (f"<p><strong>Recommended by:</strong></p><ul>{recs}</ul>" if recs else "")
                + (f"<p><strong>Examples:</strong></p><ul>{examples}</ul>" if examples else "")
                + "</div>"
            )
    if report.problems:
        parts.append(render.lines(report.problems))
    return "".join(parts)


def measure_label(title: str) -> str:
    """``Measure (a): Require ...`` -> ``(a) Require ...``; ``Measure: Ban ...`` -> ``Ban ...``."""
    return re.sub(
        r"^Measure\s*(\(\w\))?\s*:\s*", lambda m: f"{m.group(1)} " if m.group(1) else "", title
    )


def gap_tab() -> None:
    from assistant.tools.gap import THEMES, export_report, gap_analysis, measures_by_theme

    gr.Markdown(
        "Tick the measures already in place; the analysis lists the others, with who "
        "recommends them and where they are applied."
    )
    groups = []
    for theme, items in measures_by_theme().items():
        choices = [(measure_label(m.title), m.id) for m in items]
        groups.append(
            gr.CheckboxGroup(
                choices,
                label=THEMES.get(theme, theme or "Other"),
                elem_id=f"gap-{theme or 'other'}",
            )
        )
    btn = gr.Button("Run gap analysis", variant="primary", elem_id="gap-run")
    result = gr.HTML("", elem_id="gap-result", js_on_load=None, css_template=render.CSS)
    with gr.Row():
        docx_btn = gr.DownloadButton("Download DOCX", interactive=False, elem_id="gap-docx")
        md_btn = gr.DownloadButton("Download Markdown", interactive=False, elem_id="gap-md")

    def run(*ticked):
        have = [mid for group in ticked for mid in (group or [])]
        report = gap_analysis(have)
        return (gap_html(report), *download_pair(export_report, report, "vigilance-gap-analysis"))

    btn.click(run, groups, [result, docx_btn, md_btn], api_name="gap")
