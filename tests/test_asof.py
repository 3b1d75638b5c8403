"""Answers as of a date: dated events read on any day, in answers, search, compare and gap.

The instrument here is fictional (a "Harbourland Supply Chain Act"), written for these
tests, so its dates can be chosen to exercise every state.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.events import parse_events, state_on

CARD = """---
id: hl-supply-chain-act-2024
title: Harbourland Supply Chain Act 2024
short_title: Harbourland Supply Chain Act
aliases:
  en: [Harbourland Act]
  fr: [loi de Harbourland]
  es: [ley de Harbourland]
symbol: "HL 2024/7"
type: legislation
language: en
jurisdiction: HL
adopted: 2024-06-13
in_force: 2024-07-25
status:
  value: in force
  as_of: 2026-12-01
events:
  - {date: 2024-06-13, event: adopted, what: Adopted by the Harbourland parliament., source: https://example.org/hl/adopted}
  - {date: 2024-07-25, event: in force, what: Entry into force., source: https://example.org/hl/in-force}
  - {date: 2025-04-16, event: postponed, what: First application date moved by two years., source: https://example.org/hl/postponed}
  - {date: 2028-07-26, event: applies, what: Companies with more than 5000 employees must comply., source: https://example.org/hl/applies}
binding: yes
url: https://example.org/hl
topics: [due-diligence]
related: []
background_paper_paras: []
verified_against: []
unverified: []
---
# Harbourland Supply Chain Act 2024 — due diligence of large companies

1. Companies covered (s. 2): companies with more than 5,000 employees must carry out forced
   labour due diligence in their supply chains.
2. Duty (s. 3): covered companies must map forced labour risks and act on them.
3. Public procurement (s. 9): public buyers may exclude a company that has no due diligence plan.

## Résumé
La loi de Harbourland impose un devoir de diligence contre le travail forcé aux grandes entreprises.

## Resumen
La ley de Harbourland impone la diligencia debida contra el trabajo forzoso a las grandes empresas.
"""
QUESTION = (
    "Must Harbourland companies carry out forced labour due diligence in their supply chains?"
)


def events():
    import yaml

    front = yaml.safe_load(CARD.split("---")[1])
    return parse_events(front["events"])[0]


@pytest.mark.parametrize(
    ("day", "label", "past", "upcoming"),
    [
        ("2024-01-01", "not yet adopted", 0, 4),
        ("2024-07-01", "adopted not yet in force", 1, 3),
        ("2026-12-01", "in force", 3, 1),
        ("2029-01-01", "in force", 4, 0),
    ],
)
def test_the_state_of_an_instrument_follows_its_events(day, label, past, upcoming):
    state = state_on(events(), dt.date.fromisoformat(day))
    assert (state.label, len(state.past), len(state.upcoming)) == (label, past, upcoming)


def test_repeal_and_bad_events_are_read_as_such():
    evs, problems = parse_events(
        [
            {"date": "2020-01-01", "event": "in force", "source": "https://example.org/a"},
            {"date": "2023-05-01", "event": "repealed", "source": "https://example.org/b"},
            {"date": "tomorrow", "event": "amended"},
            {"date": "2021-01-01", "event": "celebrated"},
        ]
    )
    assert [e.event for e in evs] == ["in force", "repealed"]
    assert len(problems) == 2 and "tomorrow" in problems[0] and "celebrated" in problems[1]
    assert state_on(evs, dt.date(2024, 1, 1)).label == "repealed"


@pytest.fixture(scope="module")
def home(tmp_path_factory, embedder):
    from indexer.pipeline import index_paths
    from indexer.settings import Settings

    root = tmp_path_factory.mktemp("asof")
    folder = root / "corpus" / "instruments"
    folder.mkdir(parents=True)
    (folder / "hl-supply-chain-act-2024.md").write_text(CARD, encoding="utf-8")
    home = root / "home"
    summary = index_paths([root / "corpus"], Settings(home=home), embedder=embedder)
    assert summary.ok and summary.indexed == 1, summary.problems
    return home


def vigilance(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGILANCE_")}
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args, "--store", str(home)],
        capture_output=True,
        text=True,
        env=env,
    )


@pytest.mark.slow
def test_an_answer_before_adoption_says_the_instrument_did_not_exist_yet(home):
    proc = vigilance("ask", QUESTION, "--as-of", "2024-01-01", "--json", home=home)
    assert proc.returncode == 0, proc.stderr
    answer = json.loads(proc.stdout)
    assert answer["supported"] and answer["as_of"] == "2024-01-01"
    assert "Harbourland Supply Chain Act had not been adopted on 2024-01-01" in answer["answer"]
    assert "2024-06-13 adopted" in answer["answer"]  # what is still to come
    assert all(c["state"] == "not yet adopted on 2024-01-01" for c in answer["citations"])
    text = vigilance("ask", QUESTION, "--as-of", "2024-01-01", home=home).stdout
    assert "not yet adopted on 2024-01-01" in text and "(Sources read as of 2024-01-01.)" in text


@pytest.mark.slow
def test_an_answer_today_cites_the_dated_events_and_what_is_to_come(home):
    answer = json.loads(
        vigilance("ask", QUESTION, "--as-of", "2026-12-01", "--json", home=home).stdout
    )
    text = answer["answer"]
    assert "Dated events (as of 2026-12-01):" in text
    line = next(line for line in text.splitlines() if "was in force on 2026-12-01" in line)
    n = int(line.split("]")[0].strip("- ["))
    assert n in {c["n"] for c in answer["citations"]}  # the dated line cites the card
    assert "2024-07-25 in force" in line and "2025-04-16 postponed" in line
    assert "2028-07-26 applies (Companies with more than 5000 employees must comply)" in line
    assert all(c["state"] == "" for c in answer["citations"])


@pytest.mark.slow
def test_search_marks_hits_not_in_force_on_the_date(home):
    proc = vigilance("search", QUESTION, "-k", "2", "--as-of", "2024-07-01", "--json", home=home)
    out = json.loads(proc.stdout)
    assert out["as_of"] == "2024-07-01"
    assert {h["state"] for h in out["hits"]} == {"not yet in force on 2024-07-01"}


def test_a_bad_date_is_one_line():
    proc = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ask", "anything", "--as-of", "31/12/2024"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "not a date: '31/12/2024' (use YYYY-MM-DD)" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_compare_shows_the_threshold_and_status_of_the_date(tmp_path):
    from assistant.tools.compare import compare_table
    from assistant.tools.records import load_corpus

    (tmp_path / "instruments").mkdir()
    card = CARD.replace("companies with more than 5,000 employees", "companies above USD 700,000")
    (tmp_path / "instruments" / "hl-supply-chain-act-2024.md").write_text(card, encoding="utf-8")
    (tmp_path / "facts.yaml").write_text(
        "- id: hl-threshold\n  what: Harbourland threshold\n  unit: USD\n  values:\n"
        "    - {value: '550,000', from: 2024-07-25, source: https://example.org/a}\n"
        "    - {value: '700,000', from: 2025-10-01, source: https://example.org/b}\n"
        "  cards: [hl-supply-chain-act-2024]\n",
        encoding="utf-8",
    )
    corpus = load_corpus(tmp_path)
    then = compare_table(corpus=corpus, as_of=dt.date(2025, 6, 30)).rows[0]
    now = compare_table(corpus=corpus, as_of=dt.date(2026, 12, 1)).rows[0]
    before = compare_table(corpus=corpus, as_of=dt.date(2024, 1, 1)).rows[0]
    assert then.value("thresholds") == "Harbourland threshold: USD 550,000 (from 2024-07-25)"
    assert now.value("thresholds") == "Harbourland threshold: USD 700,000 (from 2025-10-01)"
    assert before.value("thresholds") == "" and before.value("status").startswith("not yet adopted")
    assert now.value("status") == "in force (on 2026-12-01)"


def test_gap_marks_an_example_not_yet_in_force(tmp_path):
    from assistant.tools.gap import example_state
    from assistant.tools.records import parse_record

    path = tmp_path / "hl.md"
    path.write_text(CARD, encoding="utf-8")
    card = parse_record(path)
    assert example_state(card, dt.date(2024, 7, 1)) == "not yet in force on 2024-07-01"
    assert example_state(card, dt.date(2026, 12, 1)) == ""
