"""``python -m evals``: see ``evals.run``."""

from __future__ import annotations

from evals.run import main

raise SystemExit(main())
