"""Files the tabs offer for download: one fresh folder per export, old ones cleaned up."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import gradio as gr

EXPORT_PREFIX = "vigilance-export-"
EXPORT_TTL = 3600  # seconds: gradio has copied the files to its cache long before


def export_dir() -> Path:
    """A fresh folder for one export in the system temp dir (which gradio serves from);
    folders of earlier exports older than an hour are removed on the way."""
    root = Path(tempfile.gettempdir())
    for old in root.glob(f"{EXPORT_PREFIX}*"):
        try:
            if time.time() - old.stat().st_mtime > EXPORT_TTL:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            continue  # removed by another export meanwhile
    return Path(tempfile.mkdtemp(prefix=EXPORT_PREFIX))


def unavailable(name: str, exc: Exception) -> None:
    gr.Markdown(f"The {name} tool could not be loaded: `{type(exc).__name__}`.")


def download_pair(export: Any, obj: Any, stem: str) -> tuple[Any, Any]:
    """Write ``obj`` as DOCX and Markdown for the two download buttons of a tab."""
    folder = export_dir()
    docx_path = export(obj, folder / f"{stem}.docx")
    md_path = export(obj, folder / f"{stem}.md")
    return (
        gr.update(value=str(docx_path), interactive=True),
        gr.update(value=str(md_path), interactive=True),
    )
