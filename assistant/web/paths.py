"""What the app shows of the server's files: never an absolute path.

A file in the uploads folder is named by its path there (``report.pdf``), one elsewhere in
the data folder by its path there (``store/manifest.json``), any other by its name. Status
lines, upload errors and the answers the API returns go through ``public_text``;
answer, search and document records through ``public_paths``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

# An absolute path of two or more parts, not inside a word, a URL ("https://x/y") or a
# relative path ("a/b"); it ends at white space, a quote or punctuation that ends a clause.
_ABSOLUTE = re.compile(r"(?<![\w.~:/\\-])/(?:[^\s'\"`/:,;()\[\]<>]+/)+[^\s'\"`/:,;()\[\]<>]*")


def _roots(*folders: Path) -> list[str]:
    """The folders as written and resolved, longest first, each ending with a separator."""
    roots: set[str] = set()
    for folder in folders:
        for form in (str(folder), os.path.realpath(folder)):
            if form.strip(os.sep):
                roots.add(form.rstrip(os.sep) + os.sep)
    return sorted(roots, key=len, reverse=True)


def public_text(text: str, uploads_dir: Path, home: Path) -> str:
    """``text`` with every absolute path replaced by what the app may show of it."""
    for root in _roots(uploads_dir, home):
        text = re.sub(r"(?<![\w.~/\\-])" + re.escape(root), "", text)
    return _ABSOLUTE.sub(lambda m: Path(m.group()).name or m.group(), text)


def public_paths(record: dict[str, Any], uploads_dir: Path, home: Path) -> dict[str, Any]:
    """``record`` (an answer, a search result or a document) with its ``source_path`` and
    those of its citations and hits as the app shows them (see ``public_path``); in place."""
    for item in (record, *record.get("citations", []), *record.get("hits", [])):
        if "source_path" in item:
            item["source_path"] = public_path(item["source_path"] or "", uploads_dir, home)
    return record


def public_path(path: str, uploads_dir: Path, home: Path) -> str:
    """One path as the app shows it (see ``public_text``)."""
    if not path:
        return path
    for root in _roots(uploads_dir, home):
        if path.startswith(root):
            return path[len(root) :]
    return Path(path).name if os.path.isabs(path) else path
