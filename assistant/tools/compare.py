"""The comparison table: one row per instrument card, each cell traced to the point it comes from.

Cells are filled from the cards' numbered points by their labels ("Who must report",
"Fines", "Public procurement" ...), never from free text: a column that no label fits
stays empty rather than holding a guess. No model and no index are needed.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.sources import Source
from assistant.tools.export import export_by_suffix
from assistant.tools.facts import Fact, load_facts
from assistant.tools.records import Corpus, Point, Record, load_corpus, shorten
from indexer.events import parse_events, state_on

COLUMNS: dict[str, str] = {
    "instrument": "Instrument",
    "jurisdiction": "Jurisdiction",
    "type": "Type",
    "year": "Year",
    "status": "Status",
    "binding": "Binding",
    "thresholds": "Thresholds on the date",
    "covered": "Who is covered / threshold",
    "obligation": "Main obligation",
    "procurement": "Procurement lever",
    "sanctions": "Sanctions / enforcement",
}
POINT_COLUMNS = ("covered", "obligation", "procurement", "sanctions")

# Label patterns per column, strongest first: the first tier that matches a still unused
# point wins, so "Fines" beats "Supervision" for sanctions. Columns choose in the order
# of _PICK_ORDER, so "Who must report" goes to "covered" before "obligation" looks at it
# and "Sanctions and debarment" to "sanctions" before "procurement" does.
_TIERS: dict[str, list[str]] = {
    "covered": [
        r"\bwho (must|is|are)\b|\b(companies|entities|enterprises) covered\b|^coverage\b"
        r"|reporting entities|threshold|\bappl(y|ies)\b|larger enterprise",
        r"\bscope\b",
    ],
    "obligation": [
        r"obligation|\brequire(s|ments?)?\b|\bdut(y|ies)\b|\bstatements?\b|\bplan\b|prohibit",
        r"due diligence|\breporting\b|disclos|report content|mandatory criteria|compliance|\bcore\b",
    ],
    "procurement": [
        r"procurement|tender|\baward\b|\bbuyers?\b|debar|exclu|\bgrounds?\b",
        r"contract|certif",
    ],
    "sanctions": [
        r"sanction|penalt|\bfines?\b",
        r"enforcement|court order|supervis",
    ],
}
# History labels describe an earlier state; they lose ties against current ones.
_HISTORY = re.compile(r"^(original|first edition|origin)\b", re.I)
_PICK_ORDER = ("covered", "obligation", "sanctions", "procurement")
FILTER_KEYS = ("jurisdiction", "type", "binding", "topic", "status", "id")


@dataclass
class Cell:
    """A value and where it comes from: the card, at the point it was read from (no
    locator for front-matter fields). ``value`` may be shortened; ``source.text`` is whole."""

    value: str
    source: Source
    label: str = ""


@dataclass
class CompareRow:
    card_id: str
    title: str
    cells: dict[str, Cell]

    def value(self, column: str) -> str:
        return self.cells[column].value if column in self.cells else ""


@dataclass
class CompareTable:
    columns: dict[str, str]
    rows: list[CompareRow]
    filters: dict[str, list[str]] = field(default_factory=dict)
    as_of: str = ""  # the date the status and threshold columns speak for


def _as_list(value: Any) -> list[str]:
    if value in (None, "", [], ()):
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, bool):
        return ["yes" if value else "no"]
    return [str(v) for v in value if str(v).strip()]


def normalise_filters(filters: Mapping[str, Any] | None) -> dict[str, list[str]]:
    """Filters as lists of lower-case strings; ValueError naming any unknown key."""
    filters = dict(filters or {})
    unknown = sorted(set(filters) - set(FILTER_KEYS))
    if unknown:
        raise ValueError(f"unknown filter(s) {', '.join(unknown)}; use {', '.join(FILTER_KEYS)}")
    out = {k: [v.strip().casefold() for v in _as_list(filters.get(k))] for k in FILTER_KEYS}
    return {k: v for k, v in out.items() if v}


def matches(card: Record, filters: Mapping[str, list[str]]) -> bool:
    """True when the card passes every filter (values within one filter are alternatives)."""
    checks = {
        "jurisdiction": lambda v: card.jurisdiction.casefold() == v,
        "type": lambda v: card.type.casefold() == v,
        "binding": lambda v: card.binding == v,
        "topic": lambda v: v in (t.casefold() for t in card.topics),
        "status": lambda v: card.status.casefold() == v,
        "id": lambda v: card.id.casefold() == v,
    }
    return all(any(checks[key](v) for v in values) for key, values in filters.items())


def pick_points(points: Iterable[Point]) -> dict[str, Point]:
    """The point that fills each of the four text columns, chosen by label; absent when none fits."""
    points = list(points)
    used: set[int] = set()
    chosen: dict[str, Point] = {}
    for column in _PICK_ORDER:
        for pattern in _TIERS[column]:
            fits = [
                p
                for p in points
                if p.n not in used and p.label and re.search(pattern, p.label, re.I)
            ]
            fits.sort(
                key=lambda p: bool(_HISTORY.match(p.label))
            )  # stable: keeps card order otherwise
            if fits:
                chosen[column] = fits[0]
                used.add(fits[0].n)
                break
    return chosen


def status_on(card: Record, on: dt.date) -> str:
    """The card's status on ``on``: from its dated events when it has them; "" for
    documents a legal status does not apply to."""
    events, _ = parse_events(card.get("events"))
    if events:
        return f"{state_on(events, on, card.binding == 'yes').label} (on {on.isoformat()})"
    if not card.status or card.status.casefold() == "not applicable":
        return ""  # guidance, toolkits, reports: no legal status to state
    return card.status + (f" (as of {card.status_as_of})" if card.status_as_of else "")


def thresholds_on(card_id: str, facts: list[Fact], on: dt.date) -> str:
    """The registered facts of this card that held on ``on``: "USD 700,000 (from 2025-10-01)"."""
    out = []
    for fact in facts:
        if card_id in fact.cards and (held := fact.value_on(on)):
            out.append(
                f"{fact.what}: {fact.unit} {held.value} (from {held.since.isoformat()})".strip()
            )
    return "; ".join(out)


def card_row(
    card: Record, on: dt.date | None = None, facts: list[Fact] | None = None
) -> CompareRow:
    """The table row of one card: front-matter cells cite the card, text cells cite a point."""

    def meta(value: Any) -> Cell:
        return Cell("" if value is None else str(value), card.source(text=""))

    on = on or dt.date.today()
    status = status_on(card, on)
    cells = {
        "instrument": meta(card.label),
        "jurisdiction": meta(card.jurisdiction),
        "type": meta(card.type),
        "year": meta(card.year),
        "status": meta(status),
        "binding": meta(card.binding),
        "thresholds": meta(thresholds_on(card.id, facts or [], on)),
    }
    picked = pick_points(card.points)
    for column in POINT_COLUMNS:
        p = picked.get(column)
        cells[column] = (
            Cell(shorten(p.text), card.source(p), p.label) if p else Cell("", card.source(text=""))
        )
    return CompareRow(card_id=card.id, title=card.title, cells=cells)


def compare_table(
    filters: Mapping[str, Any] | None = None,
    corpus: Corpus | None = None,
    as_of: dt.date | None = None,
) -> CompareTable:
    """Rows for every instrument card passing ``filters`` (keys: jurisdiction, type, binding,
    topic, status, id; each a string or a list of alternatives), sorted by jurisdiction,
    year and id, with status and thresholds as of ``as_of`` (today by default). Raises
    ValueError on an unknown filter key."""
    wanted = normalise_filters(filters)
    corpus = corpus or load_corpus()
    on = as_of or dt.date.today()
    facts = load_facts(corpus.root)
    cards = [c for c in corpus.instruments if matches(c, wanted)]
    cards.sort(key=lambda c: (c.jurisdiction, c.year or 0, c.id))
    rows = [card_row(c, on, facts) for c in cards]
    return CompareTable(columns=dict(COLUMNS), rows=rows, filters=wanted, as_of=on.isoformat())


# -- output ------------------------------------------------------------------------------


def csv_header() -> list[str]:
    head = [COLUMNS[c] for c in COLUMNS]
    for column in POINT_COLUMNS:
        head.append(f"{COLUMNS[column]} (source)")
    return head + ["Card id", "URL"]


def export_csv(table: CompareTable, path: str | Path) -> Path:
    """UTF-8 with a BOM, so Excel reads accents; each text column is followed by its locator."""
    path = Path(path)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(csv_header())
        for row in table.rows:
            values = [row.value(c) for c in COLUMNS]
            sources = [row.cells[c].source.locator for c in POINT_COLUMNS]
            writer.writerow(values + sources + [row.card_id, row.cells["instrument"].source.url])
    return path


def export_xlsx(table: CompareTable, path: str | Path) -> Path:
    """A "Comparison" sheet (cell comments name each text cell's source) and a "Sources" sheet."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font

    path = Path(path)
    wb = Workbook()
    sheet = wb.active
    sheet.title = "Comparison"
    sheet.append(list(COLUMNS.values()))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = {"instrument": 32, "covered": 50, "obligation": 50, "procurement": 50, "sanctions": 50}
    for i, column in enumerate(COLUMNS, 1):
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = widths.get(column, 14)
    sources = wb.create_sheet("Sources")
    sources.append(["Instrument", "Column", "Card id", "Locator", "Source text", "URL"])
    for cell in sources[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(table.rows, 2):
        for i, column in enumerate(COLUMNS, 1):
            cell_data = row.cells[column]
            cell = sheet.cell(r, i, cell_data.value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if column == "instrument" and cell_data.source.url:
                cell.hyperlink = cell_data.source.url
            if column in POINT_COLUMNS and cell_data.value:
                note = f"{row.cells['instrument'].value}, {cell_data.source.locator}\n{cell_data.source.url}"
                cell.comment = Comment(note, "Vigilance", width=300, height=80)
                sources.append(
                    [
                        row.cells["instrument"].value,
                        COLUMNS[column],
                        row.card_id,
                        cell_data.source.locator,
                        cell_data.source.text,
                        cell_data.source.url,
                    ]
                )
    sheet.freeze_panes = "B2"
    wb.save(path)
    return path


def export_table(table: CompareTable, path: str | Path) -> Path:
    """Write ``table`` as CSV or XLSX, chosen by the extension; ValueError for any other."""
    return export_by_suffix(table, path, {".csv": export_csv, ".xlsx": export_xlsx})


def format_table(table: CompareTable) -> str:
    """A terminal view: one block per instrument, text cells with their locator."""
    blocks = []
    for row in table.rows:
        c = row.cells
        head = (
            f"{c['instrument'].value} [{row.card_id}]\n  {c['jurisdiction'].value or '-'} · "
            f"{c['type'].value} · {c['year'].value or 'n.d.'} · {c['status'].value or '-'} · "
            f"binding: {c['binding'].value}"
        )
        lines = [head]
        if c["thresholds"].value:
            lines.append(f"  {COLUMNS['thresholds']} ({table.as_of}): {c['thresholds'].value}")
        for column in POINT_COLUMNS:
            cell = c[column]
            value = f"{cell.value}  [{cell.source.locator}]" if cell.value else "-"
            lines.append(f"  {COLUMNS[column]}: {value}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
