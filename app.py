"""Entry point for ``python app.py`` (and ``vigilance serve``): the web app on 127.0.0.1.

Nothing is loaded at import time: the assistant (embedder, passage table) loads in
``main()``, so importing this module stays cheap for tests and tools.
"""

from __future__ import annotations

from assistant.webapp import main

if __name__ == "__main__":
    main()
