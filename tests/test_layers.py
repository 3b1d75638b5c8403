"""The code's layers hold: import-linter's contracts (pyproject.toml) pass on the code and
fail when one is broken on purpose; every core module is placed in a layer; no module or
function outgrows what a reader can hold."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from indexer.settings import REPO_ROOT

LINT = Path(sys.executable).with_name("lint-imports")


def lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(root), "PATH": ""},
    )


def test_import_contracts_are_kept():
    proc = lint(REPO_ROOT)
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert "0 broken" in proc.stdout


def test_breaking_a_contract_on_purpose_fails(tmp_path):
    copy = tmp_path / "repo"
    copy.mkdir()
    for name in ("assistant", "indexer", "evals"):
        shutil.copytree(REPO_ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO_ROOT / "pyproject.toml", copy / "pyproject.toml")
    # The indexer reaching up into the assistant, and the core into the web app.
    (copy / "indexer" / "shortcut.py").write_text("from assistant import retrieval\n")
    (copy / "assistant" / "support.py").write_text(
        (copy / "assistant" / "support.py").read_text() + "\nimport gradio\n"
    )
    proc = lint(copy)
    assert proc.returncode != 0
    assert "indexer.shortcut -> assistant.retrieval" in proc.stdout
    assert "assistant.support -> gradio" in proc.stdout


def test_every_core_module_sits_in_a_layer():
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["type"] == "layers")["layers"]
    placed = {m.strip() for layer in layers for m in layer.replace("|", ":").split(":")}
    core = {
        f"assistant.{p.stem}"
        for p in (REPO_ROOT / "assistant").glob("*.py")
        if p.stem != "__init__"
    }
    assert core - placed == set()


def test_no_module_over_400_lines_and_no_function_over_80():
    too_long = []
    for folder in ("assistant", "indexer", "evals"):
        for path in (REPO_ROOT / folder).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            rel = path.relative_to(REPO_ROOT)
            if source.count("\n") > 400:
                too_long.append(f"{rel}: {source.count(chr(10))} lines")
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    length = node.end_lineno - node.lineno + 1
                    if length > 80:
                        too_long.append(f"{rel}:{node.lineno} {node.name}: {length} lines")
    assert too_long == []
