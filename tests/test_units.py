"""Fast unit tests of the small pieces retrieval rests on: references, countries, the
lexical index, follow-up questions, and filters that agree with Chroma's."""

from __future__ import annotations

import random

import numpy as np
import pytest

from assistant.conversation import Conversation, is_follow_up
from assistant.countries import countries, covered
from assistant.lexical import LexicalIndex, crossing_tokens
from assistant.refs import Provision, jurisdictions, locator_matches, provisions
from assistant.table import PassageTable, chroma_where, make_filters
from indexer.store import Record


# -- references ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What does s.54(4) require?", [Provision("s", "54(4)")]),
        ("article 9(5) of the Protocol", [Provision("art", "9(5)")]),
        ("clause 52.222-50(h)(1)", [Provision("far", "52.222-50(h)(1)")]),
        ("el artículo 57", [Provision("art", "57")]),
        ("no reference here", []),
    ],
)
def test_provisions_in_questions(question, expected):
    assert provisions(question) == expected


def test_a_locator_falls_under_its_provision_not_a_neighbour():
    assert locator_matches("s. 54(4)", Provision("s", "54"))
    assert locator_matches("point 8 (art. 9(5))", Provision("art", "9(5)"))
    assert not locator_matches("s. 540", Provision("s", "54"))
    assert not locator_matches("art. 9(4)", Provision("art", "9(5)"))


def test_jurisdictions_in_three_languages():
    assert jurisdictions("And in France?") == {"FR"}
    assert jurisdictions("¿Y en Alemania?") == {"DE"}
    assert jurisdictions("au Royaume-Uni") == {"GB"}


# -- countries -----------------------------------------------------------------------------
def test_countries_by_name_adjective_and_capital_abbreviation():
    assert countries("Norway's transparency law") == {"NO"}
    assert countries("la loi norvégienne") == {"NO"}
    assert countries("Which US rule applies?") == {"US"}
    assert countries("tell us about it") == set()  # "us" is a word, "US" a country


def test_an_eu_instrument_covers_a_member_state_but_not_norway():
    assert covered("DE", {"EU"}, "")
    assert not covered("NO", {"EU"}, "")
    assert covered("NO", set(), "le droit norvégien")


# -- the lexical index ---------------------------------------------------------------------
def _table(rows: list[tuple[str, str, str]]) -> PassageTable:
    records = [
        Record(pid, text, {"doc_id": pid, "language": lang, "seq": 0}) for pid, lang, text in rows
    ]
    return PassageTable.from_records(records)


def test_bm25_stems_each_language_and_reaches_french_through_the_glossary():
    table = _table(
        [
            ("en1", "en", "Contractors must not charge recruitment fees to their employees."),
            ("en2", "en", "The contracting officer may terminate the contract."),
            ("fr1", "fr", "Les soumissionnaires condamnés pour travail forcé sont exclus."),
        ]
    )
    index = LexicalIndex(table)  # no lexicon: the glossary and crossing words only
    scores = index.scores("Can a contractor charge recruitment fees?", "en")
    # "contractors" meets "contractor" (stems); the French bidders are reached through
    # the glossary ("contractor" and "soumissionnaire" are one concept), less strongly.
    assert scores[0] > scores[2] > scores[1] == 0
    french = index.scores("Must bidders convicted of forced labour be excluded?", "en")
    assert french.argmax() == 2  # "forced labour" -> "travail forcé" via the glossary


def test_numbers_and_acronyms_cross_languages():
    assert {"52.222-50", "far"} <= set(crossing_tokens("Que dit la clause FAR 52.222-50 ?"))


# -- follow-up questions -------------------------------------------------------------------
def test_a_follow_up_asks_the_previous_question_about_another_country():
    conv = Conversation()
    conv.resolve("Which companies must publish a modern slavery statement in the United Kingdom?")
    resolved = conv.resolve("And in France?")
    assert "modern slavery statement" in resolved and "france" in resolved.casefold()
    assert "kingdom" not in resolved.casefold()
    assert not is_follow_up("What does the French duty of vigilance law require of companies?")


# -- filters: the catalog's columns and Chroma's where clause agree ------------------------
def test_filters_match_what_chroma_returns_for_the_same_where(tmp_path):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    rng = random.Random(7)
    client = chromadb.PersistentClient(
        path=str(tmp_path / "c"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    col = client.create_collection("filters", embedding_function=None)
    metas = [
        {
            "doc_id": f"d{i % 9}",
            "type": rng.choice(["legislation", "report", "treaty"]),
            "jurisdiction": rng.choice(["GB", "FR", "EU", ""]),
            "binding": rng.choice(["yes", "no", "unknown"]),
            "language": rng.choice(["en", "fr", "es"]),
            "year": rng.choice([-1, 2000, 2015, 2018, 2021]),
        }
        for i in range(120)
    ]
    col.add(
        ids=[str(i) for i in range(120)], embeddings=np.ones((120, 3)).tolist(), metadatas=metas
    )
    table = PassageTable.from_records(
        [Record(str(i), f"passage {i}", m) for i, m in enumerate(metas)], tmp_path / "catalog"
    )
    for _ in range(60):
        filters = make_filters(
            rng.sample(["legislation", "report", "treaty"], rng.randint(0, 2)),
            rng.sample(["GB", "FR", "EU"], rng.randint(0, 2)),
            rng.choice([None, 2010, 2016]),
            rng.choice([None, 2019, 2022]),
            rng.choice([None, True, False]),
            rng.sample(["en", "fr"], rng.randint(0, 1)),
            rng.sample([f"d{i}" for i in range(9)], rng.randint(0, 2)),
        )
        where = chroma_where(filters)
        from_chroma = (
            set(col.get(where=where, include=[])["ids"]) if where else {str(i) for i in range(120)}
        )
        mask = table.filter_mask(filters)
        from_catalog = set(table.ids(np.flatnonzero(mask)))
        assert from_chroma == from_catalog, filters
