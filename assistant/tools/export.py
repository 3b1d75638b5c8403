"""Writing a tool's result to a file whose extension chooses the format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

Writer = Callable[[Any, Path], Path]


def write_markdown(render: Callable[[Any], str]) -> Writer:
    """A writer that saves ``render(obj)`` as UTF-8 text."""

    def write(obj: Any, path: Path) -> Path:
        path.write_text(render(obj), encoding="utf-8")
        return path

    return write


def export_by_suffix(obj: Any, path: str | Path, writers: dict[str, Writer]) -> Path:
    """Call the writer registered for the file's extension; ValueError naming the choices."""
    path = Path(path)
    writer = writers.get(path.suffix.casefold())
    if writer is None:
        names = sorted(writers)
        choices = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]
        raise ValueError(f"cannot write {path.name}: use a file name ending in {choices}")
    return writer(obj, path)
