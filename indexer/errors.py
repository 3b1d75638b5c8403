"""The one exception a user sees when a file cannot be indexed."""

from __future__ import annotations

from pathlib import Path


class DocumentError(Exception):
    """A file that cannot be read or parsed, with a reason the user can act on.

    ``str(err)`` is one line, ``"{path}: {reason}"``, fit for a CLI message or
    an app notice; no traceback is needed to understand it.
    """

    def __init__(self, path: str | Path, reason: str) -> None:
        # Both go to Exception.args so the error survives pickling (worker processes).
        super().__init__(str(path), reason)
        self.path = str(path)
        self.reason = " ".join(str(reason).split())  # always one line

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class StoreError(RuntimeError):
    """The store cannot be opened or used as asked (embedder mismatch, server down,
    damaged manifest); the message is one line a user can act on."""
