"""``python -m evals.fit``: fit the refusal model on the dev half of both suites.

Runs the dev questions of the bundled suite and of the user-document suite (each store),
collects the support parts of every answer (``assistant.support``) with whether the
question is answerable, fits a logistic model (numpy, L2-regularised Newton steps) and a
threshold, and writes ``assistant/support_model.json``. The test half is never read.
Features are relative to each store (closeness above its probe floor, coverage shares,
counts of missing specifics), so one model serves every corpus.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from evals.metrics import choose_threshold

# Chosen by 5-fold cross-validation on dev (folds by question): the closeness to the probe
# floor and the focus word added noise there; closeness stays as the off-topic guard.
FEATURES = ("coverage", "missing", "countries", "numeric")


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 50) -> np.ndarray:
    """Weights (bias last) of an L2-regularised logistic regression, by Newton's method."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    reg = np.full(xb.shape[1], l2)
    reg[-1] = 0.0  # the bias is not shrunk
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(xb @ w, -30, 30)))
        grad = xb.T @ (p - y) + reg * w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + np.diag(reg + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def rows_from(results: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    x, y, ids = [], [], []
    for suite in results["suites"].values():
        for r in suite.get("records", []):
            parts = r.get("support") or {}
            if not parts or "closeness" not in parts:
                continue
            x.append([float(parts.get(f, 0.0)) for f in FEATURES])
            y.append(1.0 if r["answerable"] else 0.0)
            ids.append(f"{r['store']}/{r['id']}")
    return np.array(x), np.array(y), ids


def main(argv: list[str] | None = None) -> int:
    from assistant.support import MODEL
    from evals import run

    p = argparse.ArgumentParser(prog="python -m evals.fit", description=__doc__.splitlines()[0])
    p.add_argument("--results", help="a dev results.json to fit on (default: run the dev half now)")
    p.add_argument("--l2", type=float, default=1.0)
    p.add_argument("--out", default=str(MODEL))
    args = p.parse_args(argv)
    if args.results:
        results = json.loads(Path(args.results).read_text(encoding="utf-8"))
        if results["meta"]["split"] != "dev":
            raise SystemExit("the refusal model is fitted on the dev half only")
    else:
        out = Path("evals/results/dev")
        run.main(["--split", "dev", "--out", str(out)])
        results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    x, y, _ = rows_from(results)
    w = fit_logistic(x, y, args.l2)
    z = np.hstack([x, np.ones((len(x), 1))]) @ w
    prob = 1.0 / (1.0 + np.exp(-z))
    threshold = choose_threshold(list(prob), [bool(v) for v in y]).threshold
    model = {
        "weights": {f: round(float(v), 4) for f, v in zip(FEATURES, w[:-1], strict=True)},
        "bias": round(float(w[-1]), 4),
        "threshold": round(threshold, 4),
        "fitted_on": f"dev half of both suites, {len(y)} answers ({int(y.sum())} answerable)",
        "date": date.today().isoformat(),
        "embedder": results["meta"]["embedder"],
    }
    Path(args.out).write_text(json.dumps(model, indent=2) + "\n", encoding="utf-8")
    refused = float(np.mean(prob[y == 1] < threshold))
    accepted = float(np.mean(prob[y == 0] >= threshold))
    print(json.dumps(model, indent=2))
    print(f"on dev: answerable refused {refused:.3f}, unanswerable answered {accepted:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
