"""``python app.py``: build the web app and serve it on 127.0.0.1 (as ``vigilance serve``).

Nothing is loaded at import time: the assistant (embedder, passage table) loads when the
app is built, so importing this module stays cheap for tests and tools.
"""

from __future__ import annotations

from assistant.web.app import main

if __name__ == "__main__":
    main()
