"""The one exception a user sees when a file cannot be indexed."""

from __future__ import annotations

import os
import re
from pathlib import Path

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def path_text(path: str | Path) -> str:
    """A path as one printable line of valid UTF-8: bytes of a name that are not UTF-8 shown
    as ``\\xNN``, control characters (a newline in a name) as ``\\n`` or ``\\x01``.

    Used wherever a path is shown or stored as text (messages, the manifest, Chroma), so a
    file with an odd name is indexed and reported like any other.
    """
    text = os.fsencode(path).decode("utf-8", errors="backslashreplace")
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


class DocumentError(Exception):
    """A file that cannot be read or parsed, with a reason the user can act on.

    ``str(err)`` is one line, ``"{path}: {reason}"``, fit for a CLI message or
    an app notice; no traceback is needed to understand it.
    """

    def __init__(self, path: str | Path, reason: str) -> None:
        # Both go to Exception.args so the error survives pickling (worker processes).
        super().__init__(path_text(path), reason)
        self.path = path_text(path)
        self.reason = " ".join(str(reason).split())  # always one line

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class StoreError(RuntimeError):
    """The store cannot be opened or used as asked (embedder mismatch, server down,
    damaged manifest); the message is one line a user can act on."""
