"""The Gap analysis tab: the recommended measures a country lacks, by theme, with sources."""

from __future__ import annotations

import re
from typing import Any

import gradio as gr

from assistant.sources import cite
from assistant.web import render
from assistant.web.downloads import download_pair
from assistant.web.i18n import lang_of, supported, table, text, ui


def theme_label(theme: str, label: str = "", lang: str = "en") -> str:
    """A theme's name in ``lang``; ``label`` (the report's) for a theme not in the table."""
    key = f"gap.theme.{theme or 'other'}"
    return text(key, lang) if key in table() else label or theme


def gap_html(report: Any, lang: str = "en") -> str:
    """The missing measures by theme, each with what it is, who recommends it and examples
    (the fixed words in ``lang``; the measures as the cards word them)."""
    missing = text("gap.missing", lang, missing=len(report.missing_ids), total=report.total)
    in_place = text("gap.in_place", lang, n=len(report.in_place))
    recommended, examples_said = text("gap.recommended", lang), text("gap.examples", lang)
    parts = [f"<p><strong>{render.esc(missing)}</strong> {render.esc(in_place)}.</p>"]
    for group in report.missing:
        parts.append(f"<h3>{render.esc(theme_label(group.theme, group.label, lang))}</h3>")
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
                + (f"<p><strong>{recommended}</strong></p><ul>{recs}</ul>" if recs else "")
                + (
                    f"<p><strong>{examples_said}</strong></p><ul>{examples}</ul>"
                    if examples
                    else ""
                )
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


def gap_tab(ui_lang: Any = None) -> None:
    """The tab; ``ui_lang``, the interface language switch, redraws a result shown."""
    from assistant.tools.gap import THEMES, export_report, gap_analysis, measures_by_theme

    gr.Markdown(ui("gap.intro"))
    groups = []
    for theme, items in measures_by_theme().items():
        choices = [(measure_label(m.title), m.id) for m in items]
        key = f"gap.theme.{theme or 'other'}"
        groups.append(
            gr.CheckboxGroup(
                choices,
                label=ui(key) if key in table() else THEMES.get(theme, theme),
                elem_id=f"gap-{theme or 'other'}",
            )
        )
    btn = gr.Button(ui("gap.run"), variant="primary", elem_id="gap-run")
    result = gr.HTML("", elem_id="gap-result", js_on_load=None, css_template=render.CSS)
    with gr.Row():
        docx_btn = gr.DownloadButton(
            ui("common.download_docx"), interactive=False, elem_id="gap-docx"
        )
        md_btn = gr.DownloadButton(ui("common.download_md"), interactive=False, elem_id="gap-md")

    def run(request: gr.Request | None, *ticked):
        have = [mid for group in ticked for mid in (group or [])]
        report = gap_analysis(have)
        shown = gap_html(report, lang_of(request))
        return (shown, *download_pair(export_report, report, "vigilance-gap-analysis"))

    def relabel(lang, shown, *ticked):
        if not shown:
            return gr.skip()
        have = [mid for group in ticked for mid in (group or [])]
        return gap_html(gap_analysis(have), supported(lang))

    btn.click(run, groups, [result, docx_btn, md_btn], api_name="gap")
    if ui_lang is not None:
        ui_lang.change(relabel, [ui_lang, result, *groups], [result], api_visibility="private")
