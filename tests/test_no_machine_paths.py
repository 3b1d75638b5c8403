"""No file of the project names a path of a developer's machine (cards, results, code)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# An absolute home, root or work folder of a Linux or macOS machine; not inside a URL.
MACHINE_PATH = re.compile(r"(?<![\w.:/~-])/(?:home|root|work|Users)/\w")


def project_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    return [ROOT / name for name in listed if name and (ROOT / name).is_file()]


def test_no_file_names_a_path_of_this_machine():
    found = []
    for path in project_files():
        if path.suffix in {".npz", ".png", ".jpg", ".pdf", ".docx", ".xlsx", ".sqlite"}:
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        for n, line in enumerate(text.splitlines(), 1):
            if MACHINE_PATH.search(line) and path.name != Path(__file__).name:
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()[:100]}")
    assert not found, "machine paths:\n  " + "\n  ".join(found)
