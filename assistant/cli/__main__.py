"""``python -m assistant.cli``: the ``vigilance`` command."""

from __future__ import annotations

from assistant.cli import main

main()
