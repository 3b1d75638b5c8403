"""A progress bar on stderr for indexing: files scanned, passages embedded, rate, ETA."""

from __future__ import annotations

import sys
from typing import Any


class ProgressBar:
    """Receives the pipeline's progress events and draws them with tqdm."""

    def __init__(self, draw: bool = True) -> None:
        self.bar = None
        self.draw = draw

    def __call__(self, event: str, info: dict[str, Any]) -> None:
        from tqdm import tqdm

        if event == "wait":  # said even with --quiet: otherwise the wait looks like a hang
            print(
                f"waiting: another indexer is writing to {info['home']}; "
                "this one starts when it finishes",
                file=sys.stderr,
                flush=True,
            )
        if not self.draw:
            return
        if event == "start":
            self.bar = tqdm(total=info["files"], unit="file", desc="scanning", file=sys.stderr)
        elif event == "scan" and self.bar is not None:
            self.bar.update(1)
        elif event == "embed":
            self.close()
            self.bar = tqdm(
                total=info["passages"],
                unit="passage",
                desc=f"embedding {info['documents']} documents",
                file=sys.stderr,
            )
        elif event == "document" and self.bar is not None:
            self.bar.n = info["done"]
            self.bar.set_postfix_str(info["doc_id"][:30])
            self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
