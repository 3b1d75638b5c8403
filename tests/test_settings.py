"""Settings as a user meets them: one-line errors for bad values, the README table in step."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from indexer.settings import Settings, SettingsError, settings_table

from .conftest import vigilance

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [
        ("VIGILANCE_EMBEDDER", "bogus", "must be 'e5', 'minilm' or 'st:/path/to/model'"),
        ("VIGILANCE_MAX_CHARS", "abc", "must be an integer"),
        ("VIGILANCE_MAX_CHARS", "10", "must be at least 200"),
        ("VIGILANCE_MAX_FILE_MB", "-1", "must be greater than 0"),
        ("VIGILANCE_AUTH", "nopassword", "must be 'user:password'"),
    ],
)
def test_a_bad_setting_is_one_line_naming_the_variable(tmp_path, variable, value, reason):
    for command in (["search", "forced labour"], ["docs"]):
        proc = vigilance(*command, home=tmp_path, **{variable: value})
        assert proc.returncode == 1, proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert lines == [f"Error: {variable} {reason}"], proc.stderr
    with pytest.raises(SettingsError, match=re.escape(f"{variable} {reason}")):
        Settings.from_env({variable: value})


def test_the_readme_table_is_generated_from_the_declarations():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- settings:start -->\n")[1].split("\n<!-- settings:end -->")[0]
    assert block == settings_table()
    for name in Settings.model_fields:
        assert f"`VIGILANCE_{name.upper()}`" in block


def test_search_on_an_empty_store_fails_with_a_hint(tmp_path):
    proc = vigilance("search", "forced labour", home=tmp_path)
    assert proc.returncode == 1
    assert "vigilance index" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.slow
def test_a_damaged_manifest_is_reported_kept_aside_and_rebuilt(tmp_path, mixed_folder):
    home = tmp_path / "home"
    assert vigilance("index", str(mixed_folder), home=home).returncode == 0
    manifest = home / "store" / "manifest.json"
    manifest.write_text('{"schema": 1, "documents": {', encoding="utf-8")
    proc = vigilance("index", str(mixed_folder), home=home)
    assert proc.returncode == 0, proc.stderr
    assert "manifest" in proc.stderr and "damaged" in proc.stderr
    aside = list(manifest.parent.glob("manifest.json.damaged-*"))
    assert len(aside) == 1 and aside[0].read_text(encoding="utf-8").endswith("{")
    rebuilt = json.loads(manifest.read_text(encoding="utf-8"))
    assert len(rebuilt["documents"]) == 5
    docs = vigilance("docs", "--json", home=home)
    assert docs.returncode == 0 and len(docs.stdout.splitlines()) == 5
