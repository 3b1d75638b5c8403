"""The short answer before the quotations, and the caveats after them: pure functions on
real card sentences (no store)."""

from __future__ import annotations

from assistant.caveats import point_notes, provisions
from assistant.direct import Quoted, clause, duty, short_answer

UK = (
    "2. Who must report (s. 54(2); SI 2015/1833): a body corporate or partnership, wherever "
    "formed, that carries on all or part of its business in the United Kingdom, supplies goods "
    "or services and has a total annual turnover of at least GBP 36 million, counting the "
    "turnover of its subsidiaries, including those outside the UK."
)
SCOT = (
    "3. Mandatory exclusion (reg. 8(1)-(2)): a contracting authority must exclude an economic "
    "operator when it has established that the operator has been convicted of a listed offence."
)
UKPA = "5. Discretionary grounds (Sch. 7, paras 1-3): a buyer may exclude a supplier where a slavery ground applies."
FAR = (
    "3. Prohibited conduct (22.1703(a)): contractors may not engage in severe forms of trafficking."
)


def test_clause_keeps_the_figure_and_marks_the_cuts():
    out = clause(UK, want_figure=True)
    assert "GBP 36 million" in out
    assert out.startswith("… ") and not out.startswith("… 2.")  # the point label is dropped
    assert len(out) <= 230
    for piece in out.strip("… ").split(" … "):
        assert piece in UK


def test_clause_without_a_figure_is_the_first_clause():
    out = clause("1. Scope: the Act applies to buyers; it also covers agencies.", False)
    assert out == "the Act applies to buyers …"


def test_duty_follows_the_verb_the_question_asks_about():
    asked = {"contr", "autho", "exclu", "bidde", "convi", "force", "labou"}
    assert duty([SCOT], asked) == "mandatory"
    assert duty([UKPA], asked) == "optional"
    assert duty([FAR], asked) == ""  # "may not engage": a duty, but not the one asked about
    assert duty(["The Act places no duty on public buyers."], asked) == "no"


def test_short_answer_lists_the_verdicts_with_their_citations():
    quoted = [
        Quoted("Procurement (Scotland) Regulations 2016", "point 3 (reg. 8(1)-(2))", 1, [SCOT]),
        Quoted("UK Procurement Act 2023", "point 5 (Sch. 7, paras 1-3)", 2, [UKPA]),
        Quoted("A measure", "point 1", 3, ["Exclude convicted bidders."], synthesis=True),
    ]
    q = "Must a contracting authority exclude a bidder convicted of forced labour?"
    lines = short_answer(q, quoted, "en", asks_duty=True, want_figure=False, survey=True)
    assert lines[0] == "In short:"
    assert (
        lines[1]
        == "Yes, mandatory under: Procurement (Scotland) Regulations 2016 (reg. 8(1)-(2)) [1]."
    )
    assert (
        lines[2]
        == "Left to discretion (may) under: UK Procurement Act 2023 (Sch. 7, paras 1-3) [2]."
    )
    assert len(lines) == 3  # a duty question: verdicts only, the quotations follow


def test_short_answer_in_french_and_nothing_when_the_quote_is_the_answer():
    quoted = [Quoted("Loi", "point 2", 1, ["2. Plan (art. 1) : la société doit établir un plan."])]
    assert short_answer("Que prévoit la loi ?", quoted, "fr", False, False, False) == []
    lines = short_answer("La société doit-elle établir un plan ?", quoted, "fr", True, False, False)
    assert lines == ["En bref :", "Oui, obligatoire selon : Loi [1]."]


def test_provisions_expand_ranges_and_read_locators():
    assert provisions("point 2 (ss. 13-14)") == {"13", "14"}
    assert provisions("s. 54(2); SI 2015/1833") == {"54"}
    assert provisions("art. 57(1)(f)") == {"57"}


def test_a_note_is_attached_to_the_point_whose_provision_it_names():
    notes = [
        "Royal Assent on 10 December 2018 was not checked.",
        "The six-month deadline for giving a statement was not checked against s. 13.",
        "The figure of GBP 36 million was read from guidance, not from the regulations.",
    ]
    assert point_notes(notes, "point 2 (ss. 13-14)", "2. Statements (ss. 13-14): x") == [notes[1]]
    assert point_notes(notes, "point 4 (s. 15)", "4. Government (s. 15): y") == []
    assert point_notes(notes, "point 2 (s. 54(2))", UK) == [notes[2]]
