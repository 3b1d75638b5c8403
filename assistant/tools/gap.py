"""Gap analysis: which recommended measures a country has not adopted yet, with who
recommends each one and where it is already applied — every statement cited.

Input is the set of ``measure`` record ids the user ticks; everything else comes from
``corpus/recommendations/measure-*.md`` and the instrument cards they name. No model.
The reports a reader gets (Markdown, Word) name measures and sources by their titles and
locators; the ids stay in the JSON output, for programs.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.asof import state_note
from assistant.sources import Source, cite
from assistant.tools.examples import example_point
from assistant.tools.export import add_link, export_by_suffix, new_docx, write_markdown
from assistant.tools.records import Corpus, Point, Record, load_corpus, shorten
from indexer.events import parse_events

THEMES: dict[str, str] = {
    "transparency-reporting": "Transparency and reporting",
    "exclusion-debarment": "Exclusion and debarment",
    "due-diligence": "Due diligence",
    "contract-clauses-certification": "Contract clauses and certification",
    "recruitment-fees": "Recruitment fees",
    "remedies": "Remedies",
    "coordination": "Coordination",
    "training": "Training",
}


class UnknownMeasures(ValueError):
    """Ids given as "in place" that are not measure records; ``ids`` lists them."""

    def __init__(self, ids: list[str]) -> None:
        super().__init__(f"unknown measure id(s): {', '.join(ids)} (see 'vigilance gap --list')")
        self.ids = ids


@dataclass
class Statement:
    """A sentence of the report and the source it rests on."""

    text: str
    source: Source


@dataclass
class Example:
    """An instrument applying the measure, shown by one of its card points."""

    label: str
    source: Source  # the card at that point; ``source.text`` is the point, shortened


@dataclass
class MeasureItem:
    """A measure as the checklist shows it."""

    id: str
    title: str
    letter: str
    theme: str
    summary: str


@dataclass
class MissingMeasure:
    id: str
    title: str
    letter: str
    theme: str
    what: Statement
    adoption: Statement | None
    recommended_by: list[Source]
    examples: list[Example]


@dataclass
class ThemeGroup:
    theme: str
    label: str
    measures: list[MissingMeasure]


@dataclass
class GapReport:
    date: str
    in_place: list[MeasureItem]
    missing: list[ThemeGroup]
    total: int
    problems: list[str] = field(default_factory=list)

    @property
    def missing_ids(self) -> list[str]:
        return [m.id for g in self.missing for m in g.measures]


# -- reading the records -------------------------------------------------------------------


def measure_records(corpus: Corpus | None = None) -> list[Record]:
    """Every ``record: measure``, in theme order, lettered measures (a)-(f) first, then by id."""
    corpus = corpus or load_corpus()
    order = {t: i for i, t in enumerate(THEMES)}
    found = corpus.of_kind("measure")
    return sorted(
        found,
        key=lambda r: (
            order.get(r.get("theme", ""), len(order)),
            str(r.get("letter") or "~"),
            r.id,
        ),
    )


def _what_point(measure: Record) -> Point | None:
    return next(
        (p for p in measure.points if p.label.casefold().startswith("what it is")),
        measure.points[0] if measure.points else None,
    )


def _adoption_point(measure: Record) -> Point | None:
    return next((p for p in measure.points if "adoption" in p.label.casefold()), None)


def _heading_title(measure: Record) -> str:
    return measure.heading or measure.title


def measures_by_theme(corpus: Corpus | None = None) -> dict[str, list[MeasureItem]]:
    """Theme id -> the measures of that theme, for the app's checklist (themes in fixed order)."""
    out: dict[str, list[MeasureItem]] = {}
    for m in measure_records(corpus):
        what = _what_point(m)
        item = MeasureItem(
            m.id,
            _heading_title(m),
            str(m.get("letter") or ""),
            str(m.get("theme", "")),
            shorten(what.text, 200) if what else "",
        )
        out.setdefault(item.theme, []).append(item)
    return out


def read_measure_ids(path: str | Path) -> list[str]:
    """Measure ids from a file: a JSON list, or one id per line (blank lines and ``#`` comments skipped)."""
    text = Path(path).read_text(encoding="utf-8-sig").strip()
    if text.startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{Path(path).name}: not a valid JSON list ({exc.msg})") from exc
        return [str(v).strip() for v in data if str(v).strip()]
    return [
        line.split("#", 1)[0].strip() for line in text.splitlines() if line.split("#", 1)[0].strip()
    ]


# -- the report --------------------------------------------------------------------------------


def source_ref(record: Record) -> Source:
    """A recommending record or card; a WG recommendation is cited at its "Recommendation" point."""
    rec_point = next(
        (p for p in record.points if p.label.casefold().startswith("recommendation")), None
    )
    return record.source(rec_point, text="")


def example_state(card: Record, on: dt.date) -> str:
    """ "not yet in force on DATE" (or repealed...) for an example not in force then, else ""."""
    return state_note(parse_events(card.get("events"))[0], on, card.binding)


def missing_measure(
    measure: Record, corpus: Corpus, problems: list[str], on: dt.date | None = None
) -> MissingMeasure:
    what = _what_point(measure)
    adoption = _adoption_point(measure)
    recommended = []
    for rid in measure.ids("recommended_by"):
        if rid in corpus.records:
            recommended.append(source_ref(corpus.records[rid]))
        else:
            problems.append(f"{_heading_title(measure)}: recommended by an unknown record ({rid})")
    examples = []
    for cid in measure.ids("examples"):
        card = corpus.records.get(cid)
        point = example_point(card, measure) if card else None
        if card is None or point is None:
            problems.append(
                f"{_heading_title(measure)}: example {cid} has no instrument card or no points"
            )
            continue
        source = card.source(point, text=shorten(point.text))
        source.state = example_state(card, on or dt.date.today())
        examples.append(Example(point.label, source))
    return MissingMeasure(
        id=measure.id,
        title=_heading_title(measure),
        letter=str(measure.get("letter") or ""),
        theme=str(measure.get("theme", "")),
        what=Statement(
            what.text if what else measure.title,
            measure.source(what) if what else source_ref(measure),
        ),
        adoption=Statement(adoption.text, measure.source(adoption)) if adoption else None,
        recommended_by=recommended,
        examples=examples,
    )


def gap_analysis(
    have: Iterable[str], corpus: Corpus | None = None, today: dt.date | None = None
) -> GapReport:
    """The measures not in ``have``, grouped by theme in fixed order, each with its recommending
    sources and cited examples. Raises ``UnknownMeasures`` naming ids that are not measures."""
    corpus = corpus or load_corpus()
    records = measure_records(corpus)
    known = {m.id for m in records}
    have_set = {h.strip() for h in have if h.strip()}
    unknown = sorted(have_set - known)
    if unknown:
        raise UnknownMeasures(unknown)
    problems: list[str] = []
    groups: dict[str, list[MissingMeasure]] = {}
    for m in records:
        if m.id not in have_set:
            groups.setdefault(str(m.get("theme", "")), []).append(
                missing_measure(m, corpus, problems, today)
            )
    in_place = [
        item
        for items in measures_by_theme(corpus).values()
        for item in items
        if item.id in have_set
    ]
    return GapReport(
        date=(today or dt.date.today()).isoformat(),
        in_place=in_place,
        missing=[ThemeGroup(t, THEMES.get(t, t), ms) for t, ms in groups.items()],
        total=len(records),
        problems=problems,
    )


# -- output --------------------------------------------------------------------------------------

REPORT_TITLE = (
    "Gap analysis: measures against trafficking in persons and forced labour in public procurement"
)


def _sentence(text: str) -> str:
    """A point's statement as a sentence: capital first letter (points continue a label)."""
    return text[:1].upper() + text[1:] if text else text


def _cite(ref: Source) -> str:
    return cite(ref, style="short") + (f" — {ref.url}" if ref.url else "")


def _example_line(ex: Example) -> tuple[str, str]:
    """(statement, citation) for one example."""
    src = ex.source
    state = f" [{src.state}]" if src.state else ""
    return f"{src.name} ({src.jurisdiction or '-'}){state}: {_sentence(src.text)}", _cite(src)


def to_markdown(report: GapReport) -> str:
    """The report as Markdown: in place, then missing measures by theme, each statement followed by its source."""
    lines = [
        f"# {REPORT_TITLE}",
        "",
        f"Date: {report.date}. Measures in place: {len(report.in_place)} "
        f"of {report.total}; missing: {len(report.missing_ids)}.",
        "",
    ]
    if report.in_place:
        lines += ["## Measures in place", ""] + [f"- {m.title}" for m in report.in_place] + [""]
    lines += ["## Missing measures by theme", ""]
    if not report.missing:
        lines += ["Every measure in the knowledge base is marked as in place.", ""]
    for group in report.missing:
        lines += [f"### {group.label}", ""]
        for m in group.measures:
            lines += [
                f"#### {m.title}",
                "",
                f"**What it is.** {_sentence(m.what.text)} *[{_cite(m.what.source)}]*",
                "",
            ]
            if m.adoption:
                lines += [
                    f"**What adopting it involves.** {_sentence(m.adoption.text)} *[{_cite(m.adoption.source)}]*",
                    "",
                ]
            lines += (
                ["**Recommended by:**", ""] + [f"- {_cite(r)}" for r in m.recommended_by] + [""]
            )
            if m.examples:
                lines += ["**Examples of jurisdictions applying it:**", ""]
                lines += ["- {} *[{}]*".format(*_example_line(ex)) for ex in m.examples] + [""]
    return "\n".join(lines).rstrip() + "\n"


def _docx_cite(para: Any, ref: Source, brackets: bool = True) -> None:
    """``[Title, locator — address]`` in italics, the address a real hyperlink."""
    opening, closing = ("[", "]") if brackets else ("", "")
    cited = cite(ref, style="short")
    para.add_run(opening + cited + (" — " if ref.url else "")).italic = brackets
    if ref.url:
        add_link(para, ref.url)
    if closing:
        para.add_run(closing).italic = True


def export_docx(report: GapReport, path: str | Path) -> Path:
    """The report as a Word document with one heading per theme and per measure."""
    path = Path(path)
    doc = new_docx(REPORT_TITLE)
    doc.add_heading(REPORT_TITLE, level=0)
    doc.add_paragraph(
        f"Date: {report.date}. Measures in place: {len(report.in_place)} of {report.total}; "
        f"missing: {len(report.missing_ids)}."
    )
    if report.in_place:
        doc.add_heading("Measures in place", level=1)
        for m in report.in_place:
            doc.add_paragraph(m.title, style="List Bullet")
    doc.add_heading("Missing measures by theme", level=1)
    for group in report.missing:
        doc.add_heading(group.label, level=2)
        for m in group.measures:
            doc.add_heading(m.title, level=3)
            for head, st in (("What it is. ", m.what), ("What adopting it involves. ", m.adoption)):
                if st is None:
                    continue
                para = doc.add_paragraph()
                para.add_run(head).bold = True
                para.add_run(_sentence(st.text) + " ")
                _docx_cite(para, st.source)
            doc.add_paragraph().add_run("Recommended by:").bold = True
            for r in m.recommended_by:
                _docx_cite(doc.add_paragraph(style="List Bullet"), r, brackets=False)
            if m.examples:
                doc.add_paragraph().add_run("Examples of jurisdictions applying it:").bold = True
                for ex in m.examples:
                    text, _ = _example_line(ex)
                    _docx_cite(doc.add_paragraph(text + " ", style="List Bullet"), ex.source)
    doc.save(path)
    return path


def export_report(report: GapReport, path: str | Path) -> Path:
    """Write the report as Markdown (.md) or Word (.docx), chosen by the extension."""
    md = write_markdown(to_markdown)
    return export_by_suffix(report, path, {".md": md, ".markdown": md, ".docx": export_docx})
