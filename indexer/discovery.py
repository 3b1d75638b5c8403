"""Which files under some paths are indexed, and why the others are not.

Folders are walked without following symbolic links unless asked. Nothing is skipped
silently except hidden files (``.name``, ``_name``, ``~$name``) and metadata files: a
broken link, a link loop, a link leading out of the folder, an unreadable folder or an
unsupported file each become a ``Problem`` with a one-line reason.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from indexer.errors import path_text
from indexer.parsers import SUPPORTED_EXTENSIONS

METADATA_SUFFIXES = {".yaml", ".yml"}
HIDDEN_PREFIXES = (".", "_", "~$")
FOLLOW_HINT = "use --follow-links to index it"


@dataclass
class Problem:
    path: str
    reason: str

    def __post_init__(self) -> None:
        self.path = path_text(self.path)
        self.reason = " ".join(str(self.reason).split())

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def _inside(target: str, root: str) -> bool:
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


class Walk:
    """One discovery: the files found and the problems met, under one or more roots."""

    def __init__(self, follow_links: bool) -> None:
        self.follow_links = follow_links
        self.found: list[Path] = []
        self.problems: list[Problem] = []

    def skip(self, path: str | Path, reason: str) -> None:
        self.problems.append(Problem(str(path), reason))

    def root(self, root: Path) -> None:
        if not os.path.lexists(root):
            self.skip(root, "no such file or folder")
        elif not root.exists():
            self.skip(root, "broken link: its target does not exist")
        elif root.is_file():
            self.file(root, os.path.realpath(root.parent), explicit=True)
        elif not root.is_dir():
            self.skip(root, "not a regular file or folder")
        else:
            self.folder(root)

    def folder(self, root: Path) -> None:
        real_root = os.path.realpath(root)
        visited = {real_root}

        def unreadable(exc: OSError) -> None:
            self.skip(exc.filename or root, f"cannot read folder: {exc.strerror or exc}")

        for dirpath, dirnames, filenames in os.walk(
            root, onerror=unreadable, followlinks=self.follow_links
        ):
            keep = []
            for name in sorted(dirnames):
                full = os.path.join(dirpath, name)
                if name.startswith(HIDDEN_PREFIXES):
                    continue
                if os.path.islink(full):
                    target = os.path.realpath(full)
                    if target in visited or _inside(real_root, target):
                        self.skip(full, "symbolic link loop: the folder is already being indexed")
                        continue
                    if not self.follow_links:
                        where = "inside" if _inside(target, real_root) else "outside"
                        self.skip(
                            full, f"link to a folder {where} this one, not followed ({FOLLOW_HINT})"
                        )
                        continue
                    visited.add(target)
                keep.append(name)
            dirnames[:] = keep
            for name in sorted(filenames):
                if not name.startswith(HIDDEN_PREFIXES):
                    self.file(Path(dirpath) / name, real_root)

    def file(self, path: Path, real_root: str, explicit: bool = False) -> None:
        suffix = path.suffix.lower()
        if suffix in METADATA_SUFFIXES:
            return
        if path.is_symlink() and not self.link(path, real_root, explicit):
            return
        if not path.is_symlink() and not path.is_file():
            self.skip(path, "not a regular file")
        elif suffix not in SUPPORTED_EXTENSIONS:
            self.skip(path, f"unsupported file type {suffix or '(none)'}")
        elif path.is_symlink():
            self.found.append(Path(os.path.abspath(path)))  # indexed under the link's own name
        else:
            self.found.append(path.resolve())

    def link(self, path: Path, real_root: str, explicit: bool) -> bool:
        """Whether a link to a file is indexed; a problem is recorded when it is not."""
        try:
            target = path.resolve(strict=True)
        except FileNotFoundError:
            self.skip(path, "broken link: its target does not exist")
            return False
        except (RuntimeError, OSError) as exc:
            if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP:
                self.skip(path, "symbolic link loop")
            else:
                self.skip(path, f"cannot follow link: {exc.strerror or exc}")
            return False
        if not target.is_file():
            self.skip(path, "link to something that is not a file")
            return False
        if _inside(str(target), real_root):
            return explicit  # its target is in the folder and indexed under its own name
        if not (self.follow_links or explicit):
            self.skip(path, f"link to a file outside the folder, not followed ({FOLLOW_HINT})")
            return False
        return True


def discover(paths: Sequence[Path], follow_links: bool = False) -> tuple[list[Path], list[Problem]]:
    """Files to index under the given paths (sorted), and the ones skipped with a reason."""
    walk = Walk(follow_links)
    for root in paths:
        walk.root(Path(root))
    return sorted(set(walk.found)), walk.problems
