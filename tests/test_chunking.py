"""Structure-aware chunking: the locators a delegate would cite, whole paragraphs, linked footnotes.

The inline documents are written for these tests, shaped like the real ones (a UN
background paper, an EU directive, a UK act, a FAR clause, the Canadian act, a
French code article, a project card). Tests on the real background paper and the
real legal texts run only when ``../shared`` is present.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexer.chunking import CHUNKER_VERSION, chunk_blocks, split_sentences
from indexer.models import Block, Document, Passage

SHARED = Path(__file__).resolve().parents[2] / "shared"
PAPER = SHARED / "reference" / "background-paper-2021-procurement-fr.md"
REAL_TEXTS = SHARED / "real-texts"


def H(text: str, level: int = 2) -> Block:
    return Block(text, kind="heading", level=level)


def P(text: str, page: int | None = None, refs: tuple[str, ...] = ()) -> Block:
    return Block(text, page=page, refs=refs)


def FN(marker: str, text: str, page: int | None = None) -> Block:
    return Block(text, kind="footnote", marker=marker, page=page)


def doc(doc_type: str = "other", language: str = "en", source_path: str = "") -> Document:
    return Document(
        doc_id="doc-1", title="Test", type=doc_type, language=language, source_path=source_path
    )


def by_locator(passages: list[Passage]) -> dict[str, list[Passage]]:
    out: dict[str, list[Passage]] = {}
    for p in passages:
        out.setdefault(p.locator, []).append(p)
    return out


def one(passages: list[Passage], locator: str) -> Passage:
    found = by_locator(passages).get(locator, [])
    assert len(found) == 1, (
        f"{locator!r}: {len(found)} passages; locators: {[p.locator for p in passages]}"
    )
    return found[0]


# --- a UN background paper -------------------------------------------------------

UN_PAPER = [
    H("Working Group on Trafficking in Persons", 1),
    P("II. Questions for discussion"),
    P("2. Delegations may wish to consider the following questions:"),
    Block("a) How does public procurement relate to trafficking in persons?", kind="item"),
    Block("(b) Which principles govern purchasing today?", kind="item"),
    Block("- c) What tools prevent the purchase of goods made with forced labour?", kind="item"),
    H("III. Overview", 2),
    P("3. Buyers increasingly screen suppliers for labour risks.", page=3, refs=("1",)),
    P(
        "4. Even where attention grows, most goods come from private firms, so States find it hard to act "
        "when no law obliges firms to report on their supply",
        page=3,
    ),
    FN("1", "1 Example Forum report, document E/CN.15/2008/CRP.2.", page=3),
    P("chains. Liability is harder still across borders.", page=4, refs=("2",)),
    FN("2", "Guide to the Protocol, para. 171.", page=4),
    P("5. Several States adopted laws on corporate due dili-", page=4),
    P("gence and reporting.", page=5),
]


def test_un_paragraphs_and_lettered_subparagraphs_get_their_own_locators() -> None:
    passages = chunk_blocks(UN_PAPER, doc(language="fr"))
    assert one(passages, "para. 2").text.startswith("2. Delegations")
    assert "public procurement relate" in one(passages, "para. 2 (a)").text
    assert "principles govern" in one(passages, "para. 2 (b)").text
    assert one(passages, "para. 2 (c)").text.startswith("c) What tools")
    assert one(passages, "para. 3").heading_path == (
        "Working Group on Trafficking in Persons",
        "III. Overview",
    )
    # "II. Questions for discussion" is a heading, not a paragraph.
    assert all("Questions for discussion" not in p.text for p in passages)
    assert one(passages, "para. 2").heading_path[-1] == "II. Questions for discussion"
    assert all(p.language == "fr" for p in passages)


def test_paragraph_cut_by_a_footnote_and_a_page_break_is_one_passage() -> None:
    passages = chunk_blocks(UN_PAPER, doc())
    para4 = one(passages, "para. 4")
    assert para4.text.endswith("on their supply chains. Liability is harder still across borders.")
    assert (para4.page_start, para4.page_end) == (3, 4)
    assert (
        one(passages, "para. 5").text
        == "5. Several States adopted laws on corporate due dili-gence and reporting."
    )


def test_footnotes_are_own_passages_linked_to_the_paragraph_that_cites_them() -> None:
    passages = chunk_blocks(UN_PAPER, doc())
    fn1, fn2 = one(passages, "para. 3, fn. 1"), one(passages, "para. 4, fn. 2")
    assert fn1.kind == fn2.kind == "footnote"
    assert fn1.text == "Example Forum report, document E/CN.15/2008/CRP.2."  # marker stripped
    para3, para4 = one(passages, "para. 3"), one(passages, "para. 4")
    assert fn1.cited_by == para3.passage_id and para3.footnote_ids == (fn1.passage_id,)
    assert fn2.cited_by == para4.passage_id and para4.footnote_ids == (fn2.passage_id,)
    # Footnotes come right after the passage citing them, and seq is the reading order.
    assert [p.seq for p in passages] == list(range(len(passages)))
    assert passages.index(fn1) == passages.index(para3) + 1
    assert passages.index(fn2) == passages.index(para4) + 1


def test_footnote_without_reference_attaches_to_the_unit_being_built_or_stands_alone() -> None:
    blocks = [
        FN("*", "CTOC/COP/WG.4/2021/1."),
        P("1. The paper gives an overview."),
        FN("3", "3 A source."),
    ]
    passages = chunk_blocks(blocks, doc())
    assert one(passages, "fn. *").cited_by == ""
    assert one(passages, "para. 1, fn. 3").text == "A source."
    assert [p.locator for p in passages] == ["fn. *", "para. 1", "para. 1, fn. 3"]


def test_lettered_run_after_a_footnote_continues_the_paragraph() -> None:
    blocks = [
        P("31. The Group recommended: a) review practices; h) ban recruitment fees;"),
        FN("12", "A toolkit."),
        P("i) cooperate with trade unions; and k) build coalitions."),
        P("32. Next paragraph."),
    ]
    passages = chunk_blocks(blocks, doc())
    assert "cooperate with trade unions" in one(passages, "para. 31").text
    assert "para. 31 (i)" not in by_locator(passages)


# --- legislation -----------------------------------------------------------------

EU_DIRECTIVE = [
    H("Article 57", 3),
    H("Exclusion grounds", 4),
    P(
        "1. Contracting authorities shall exclude an economic operator where they have established a "
        "conviction for one of the following reasons:"
    ),
    P("(a) participation in a criminal organisation;"),
    P("(b) corruption;"),
    P("(f) child labour and other forms of trafficking in human beings."),
    P(
        "2. An economic operator shall be excluded where it is in breach of its obligations relating to taxes."
    ),
    H("Article 58", 3),
    P("Selection criteria may relate to suitability to pursue the professional activity."),
]


def test_eu_directive_articles_paragraphs_and_points() -> None:
    passages = chunk_blocks(EU_DIRECTIVE, doc("legislation"))
    assert one(passages, "art. 57(1)").text.startswith("1. Contracting authorities")
    assert one(passages, "art. 57(1)(a)").text == "(a) participation in a criminal organisation;"
    assert "trafficking in human beings" in one(passages, "art. 57(1)(f)").text
    assert one(passages, "art. 57(2)").text.startswith("2. An economic operator")
    assert one(passages, "art. 57(1)(a)").heading_path == ("Article 57", "Exclusion grounds")
    assert one(passages, "art. 58").text.startswith("Selection criteria")


def test_uk_act_section_number_heading_and_subsections() -> None:
    blocks = [
        H("Modern Slavery Act 2015", 1),
        H("54 Transparency in supply chains etc", 2),
        P(
            "(1) A commercial organisation within subsection (2) must prepare a slavery and human "
            "trafficking statement for each financial year of the organisation."
        ),
        P("(4) A slavery and human trafficking statement—"),
        P("(a) in the case of a body corporate, must be approved by the board of directors;"),
        P(
            "(5) The statement may include information about the organisation's due diligence processes."
        ),
    ]
    # No document type: the "(1)" after the heading says "54 ..." is a section.
    passages = chunk_blocks(blocks, doc())
    assert one(passages, "s. 54(1)").text.startswith("(1) A commercial organisation")
    assert one(passages, "s. 54(4)").text == "(4) A slavery and human trafficking statement—"
    assert "board of directors" in one(passages, "s. 54(4)(a)").text
    assert one(passages, "s. 54(5)").heading_path[-1] == "54 Transparency in supply chains etc"


def test_section_and_paragraph_sign_and_spanish_article_anchors() -> None:
    blocks = [
        P("Section 54. Transparency in supply chains"),
        P("(4) Every statement must be published on the website."),
        P("§ 22 Sorgfaltspflichten"),
        P("(1) Companies shall establish a risk management system."),
        P("Artículo 5. Los Estados Parte adoptarán las medidas necesarias."),
    ]
    passages = chunk_blocks(blocks, doc("legislation", "es"))
    assert one(passages, "s. 54(4)").text.startswith("(4) Every statement")
    assert one(passages, "§ 22(1)").text.startswith("(1) Companies")
    assert one(passages, "art. 5").text.startswith("Artículo 5.")


def test_far_clause_paragraphs_keep_roman_items_inside() -> None:
    blocks = [
        P("52.222-50 Combating Trafficking in Persons."),
        P("As prescribed in 22.1705(a)(1), insert the following clause:"),
        P("(a) Definitions. As used in this clause-"),
        P("Coercion means-"),
        P("(1) Threats of serious harm to any person;"),
        P("(2) The abuse of the legal process."),
        P("(b) Policy. Contractors shall not engage in trafficking in persons."),
        P("(h) Compliance plan."),
        P("(1) This paragraph (h) applies to any portion of the contract that-"),
        P("(i) Is for supplies acquired outside the United States; and"),
        P("(ii) Has an estimated value that exceeds $550,000."),
        P("(2) The Contractor shall maintain a compliance plan."),
        P("(i) Subcontracts. The Contractor shall include the substance of this clause."),
    ]
    passages = chunk_blocks(blocks, doc("regulation"))
    h1 = one(passages, "52.222-50(h)(1)")
    assert h1.text.endswith("(ii) Has an estimated value that exceeds $550,000.")
    assert one(passages, "52.222-50(h)(2)").text.startswith("(2) The Contractor")
    # Letter (i), after (h), not a roman item.
    assert one(passages, "52.222-50(i)").text.startswith("(i) Subcontracts.")
    # Each definition is cited on its own, with its list, not as fake (a)(1), (a)(2).
    coercion = one(passages, '52.222-50(a), "Coercion"')
    assert coercion.text.startswith("Coercion means-")
    assert "(2) The abuse of the legal process." in coercion.text
    assert "52.222-50(a)(1)" not in by_locator(passages)
    assert one(passages, "52.222-50").text.startswith("As prescribed")
    assert one(passages, "52.222-50").heading_path == (
        "52.222-50 Combating Trafficking in Persons.",
    )


def test_definitions_are_cited_one_by_one_with_their_lists() -> None:
    blocks = [
        P("2 [Definitions] The following definitions apply in this Act."),
        P("child labour means labour provided by persons under the age of 18 years and that"),
        P("(a) are provided in Canada contrary to its laws; or"),
        P("(b) are dangerous to them. (travail des enfants)"),
        P("entity means a corporation or a trust that"),
        P("(a) is listed on a stock exchange in Canada;"),
        P("(b) meets at least two of the following conditions:"),
        P("(i) it has at least $20 million in assets,"),
        P("(ii) it has generated at least $40 million in revenue, and"),
        P("(iii) it employs an average of at least 250 employees; or"),
        P("(c) is prescribed by regulations. (entité)"),
        P("Minister means the Minister of Public Safety. (ministre)"),
        P("3 [Purpose] The purpose of this Act is to fight forced labour."),
    ]
    passages = chunk_blocks(blocks, doc("legislation"))
    entity = one(passages, 's. 2, "entity"')
    assert entity.text.startswith("entity means") and "$40 million" in entity.text
    assert entity.text.rstrip().endswith("(entité)")
    assert "18 years" in one(passages, 's. 2, "child labour"').text
    assert one(passages, 's. 2, "Minister"').text.startswith("Minister means")
    assert one(passages, "s. 3").text.startswith("3 [Purpose]")
    assert "s. 2(a)" not in by_locator(passages)


def test_far_lists_nested_below_capital_items_stay_inside_their_paragraph() -> None:
    """FAR 22.1703(c)(1)(ii)(B) has its own (1) and (2); the (2) after them is (c)(2)."""
    blocks = [
        P("22.1703 Policy."),
        P("(a) Prohibit contractors from engaging in trafficking in persons."),
        P("(b) Provide suitable remedies."),
        P("(c) With regard to certification and a compliance plan-"),
        P("(1)(i) Require a certification if any portion of the contract-"),
        P("(A) Is for services performed outside the United States; and"),
        P("(B) The estimated value exceeds $550,000."),
        P("(ii) The certification must state that-"),
        P("(A) The offeror has implemented the plan; and"),
        P("(B) After having conducted due diligence, either-"),
        P("(1) Neither it nor its agents has engaged in such activities; or"),
        P("(2) The offeror has taken remedial and referral actions;"),
        P("(2) Require annual certifications during performance;"),
        P("(3)(i) Require certifications from each subcontractor-"),
        P("(4) Require annual certifications from subcontractors; and"),
    ]
    passages = chunk_blocks(blocks, doc("regulation"))
    c1 = one(passages, "22.1703(c)(1)")
    assert "remedial and referral actions" in c1.text
    assert one(passages, "22.1703(c)(2)").text.startswith("(2) Require annual")
    assert one(passages, "22.1703(c)(3)").text.startswith("(3)(i) Require certifications")
    assert one(passages, "22.1703(c)(4)").text.startswith("(4) Require annual")


def test_canada_sections_with_marginal_notes() -> None:
    blocks = [
        H("Annual Report"),
        P(
            "11 [Annual report] (1) Every entity must, on or before May 31 of each year, report to the Minister."
        ),
        P("[Single or joint report] (2) An entity may comply with subsection (1) either"),
        P("(a) by providing a report in respect of the entity; or"),
        P("(b) by being party to a joint report."),
        P("12 (1) An entity may provide the Minister with a revised version of the report."),
        P("14 [Designation] The Minister may designate persons for the purposes of this Part."),
    ]
    passages = chunk_blocks(blocks, doc())
    assert one(passages, "s. 11(1)").text.startswith("11 [Annual report] (1) Every entity")
    assert one(passages, "s. 11(2)").text.startswith("[Single or joint report] (2)")
    assert one(passages, "s. 11(2)(a)").text.startswith("(a) by providing")
    assert one(passages, "s. 12(1)").text.startswith("12 (1)")
    assert one(passages, "s. 14").text.startswith("14 [Designation]")


def test_paragraph_repeating_the_article_number_is_the_article_itself() -> None:
    blocks = [
        H("Article 3"),
        P("3. Suppliers shall not retain identity documents."),
        H("Article 4"),
        P("4. Wages are paid into workers' own accounts."),
        H("Section 1"),
        P("(1) A contracting authority must exclude a supplier."),
    ]
    passages = chunk_blocks(blocks, doc())
    assert [p.locator for p in passages] == ["art. 3", "art. 4", "s. 1(1)"]


def test_french_code_article() -> None:
    blocks = [
        H("Article L. 225-102-4", 3),
        P(
            "I. – Toute société qui emploie au moins cinq mille salariés en son sein et dans ses filiales "
            "établit et met en œuvre de manière effective un plan de vigilance."
        ),
        P("Art. L. 225-102-5 – Le manquement engage la responsabilité de son auteur."),
    ]
    passages = chunk_blocks(blocks, doc("legislation", "fr"))
    assert "plan de vigilance" in one(passages, "art. L. 225-102-4").text
    assert one(passages, "art. L. 225-102-5").text.startswith("Art. L. 225-102-5")


def test_article_mentioned_in_a_sentence_is_not_an_anchor() -> None:
    blocks = [
        P("12. The approach is consistent with the Protocol."),
        P("Article 9 of the Protocol requires States to discourage demand."),
    ]
    passages = chunk_blocks(blocks, doc())
    assert [p.locator for p in passages] == ["para. 12"]
    assert "Article 9 of the Protocol" in passages[0].text


# --- project cards -----------------------------------------------------------------

CARD = [
    H("UK Modern Slavery Act 2015 — transparency in supply chains", 1),
    Block(
        "1. Scope (s. 54(2)): organisations with a turnover of at least GBP 36 million.",
        kind="para",
    ),
    Block(
        "3. Exclusion ground (art. 57(1)(f)): buyers exclude operators convicted of trafficking.",
        kind="para",
    ),
    Block("4. Status: in force since 2015.", kind="para"),
    H("Résumé"),
    P("Un paragraphe écrit pour le projet."),
    H("Resumen"),
    P("Un párrafo escrito para el proyecto."),
]


def test_card_points_and_summaries() -> None:
    passages = chunk_blocks(CARD, doc("legislation", "en", "corpus/instruments/uk-msa.md"))
    assert one(passages, "point 1 (s. 54(2))").language == "en"
    assert one(passages, "point 3 (art. 57(1)(f))").text.startswith("3. Exclusion ground")
    assert one(passages, "point 4").text == "4. Status: in force since 2015."
    resume, resumen = one(passages, "résumé"), one(passages, "resumen")
    assert (resume.language, resumen.language) == ("fr", "es")
    assert resume.text == "Un paragraphe écrit pour le projet."


def test_card_is_recognised_by_its_summary_sections_wherever_it_lives() -> None:
    passages = chunk_blocks(CARD, doc("legislation", "en", "/tmp/elsewhere.md"))
    assert {"point 3 (art. 57(1)(f))", "résumé", "resumen"} <= set(by_locator(passages))


# --- unnumbered text, tables, ids ----------------------------------------------------


def test_unnumbered_paragraphs_are_grouped_under_their_heading_up_to_max_chars() -> None:
    sentence = "Public buyers can ask suppliers for audit reports and subcontractor lists. "
    blocks = [
        H("Introduction"),
        P(sentence * 3),
        P(sentence * 3),
        P(sentence * 3),
        H("Method"),
        P("Short."),
    ]
    passages = chunk_blocks(blocks, doc(), max_chars=500)
    intro = by_locator(passages)['under "Introduction"']
    assert [len(p.text) <= 500 for p in intro] == [True, True]
    assert intro[0].text.count(sentence.strip()) == 6 and intro[1].text.count(sentence.strip()) == 3
    assert one(passages, 'under "Method"').text == "Short."
    paged = chunk_blocks(
        [P("Cover text.", page=1), P("Body text starts here.", page=2)], doc(), max_chars=30
    )
    assert [p.locator for p in paged] == ["p. 1", "p. 2"]
    assert [p.locator for p in chunk_blocks([P("No heading at all.")], doc())] == ["block 1"]


def test_table_rows_become_one_table_passage_after_the_paragraph() -> None:
    blocks = [
        P("25. The ten principles are listed in the table below."),
        H("The ten principles", 2),
        Block("Area | Principles", kind="table"),
        Block("Labour | Principle 4: eliminate forced labour", kind="table"),
        P("26. Next paragraph."),
    ]
    passages = chunk_blocks(blocks, doc())
    table = one(passages, "para. 25, table")
    assert table.kind == "table"
    assert table.text == "Area | Principles\nLabour | Principle 4: eliminate forced labour"
    assert [p.locator for p in passages] == ["para. 25", "para. 25, table", "para. 26"]
    paged = chunk_blocks([H("Annex"), Block("A | B", kind="table", page=7)], doc())
    assert paged[0].locator == "table, p. 7"


def test_ids_are_unique_even_for_identical_text_and_locator() -> None:
    blocks = [H("Article 3"), P("Deleted."), H("Schedule"), H("Article 3"), P("Deleted.")]
    passages = chunk_blocks(blocks, doc("legislation"))
    assert [p.locator for p in passages] == ["art. 3", "art. 3"]
    assert len({p.passage_id for p in passages}) == 2
    again = chunk_blocks(blocks, doc("legislation"))
    assert [p.passage_id for p in again] == [p.passage_id for p in passages]  # stable across runs


# --- long units ------------------------------------------------------------------------


def test_long_unit_is_split_on_sentences_with_overlap() -> None:
    sentences = [
        f"Sentence number {n} says that art. {n} of the Act applies to suppliers."
        for n in range(1, 41)
    ]
    blocks = [P("7. " + " ".join(sentences))]
    passages = chunk_blocks(blocks, doc(), max_chars=400, overlap_sentences=1)
    assert len(passages) > 3
    assert all(p.locator == "para. 7" for p in passages)
    assert [p.part for p in passages] == list(range(1, len(passages) + 1))
    assert all(len(p.text) <= 400 for p in passages)
    for prev, nxt in zip(passages, passages[1:], strict=False):
        # One sentence repeated from the previous part.
        assert split_sentences(nxt.text)[0] == split_sentences(prev.text)[-1]
    covered = {s for p in passages for s in split_sentences(p.text)}
    assert all(s in covered for s in sentences[1:])
    assert passages[0].text.startswith("7. Sentence number 1 says")
    assert len({p.passage_id for p in passages}) == len(passages)


def test_no_overlap_and_hard_split_of_a_giant_sentence() -> None:
    long_sentence = "word " * 700  # 3500 characters without a full stop
    passages = chunk_blocks(
        [P("8. " + long_sentence.strip() + ".")], doc(), max_chars=1000, overlap_sentences=0
    )
    assert len(passages) >= 4 and all(len(p.text) <= 1000 for p in passages)
    assert sum(p.text.count("word") for p in passages) == 700
    short = chunk_blocks(
        [P("9. " + "A sentence that is a bit long. " * 10)],
        doc(),
        max_chars=100,
        overlap_sentences=0,
    )
    assert sum(len(split_sentences(p.text)) for p in short) == 10


# --- sentences ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Under art. 5 of the Protocol, States act. They report.",
            ["Under art. 5 of the Protocol, States act.", "They report."],
        ),
        (
            "See para. 12 and No. 38 of the list. Done.",
            ["See para. 12 and No. 38 of the list.", "Done."],
        ),
        (
            "Buyers, e.g. ministries, act. The U.S. Government agrees. Next.",
            ["Buyers, e.g. ministries, act.", "The U.S. Government agrees.", "Next."],
        ),
        (
            "Target 8.7 ends forced labour. Target 16.2 ends abuse.",
            ["Target 8.7 ends forced labour.", "Target 16.2 ends abuse."],
        ),
        (
            "Under s. 54(4) a statement is approved. It is signed.",
            ["Under s. 54(4) a statement is approved.", "It is signed."],
        ),
        (
            "32. En outre, le Groupe insiste. Est-ce utile ? Oui.",
            ["32. En outre, le Groupe insiste.", "Est-ce utile ?", "Oui."],
        ),
        ("« Il faut agir. » Ensuite, on vérifie.", ["« Il faut agir. »", "Ensuite, on vérifie."]),
        ("¿Qué hacer? Ver art. 5. Fin.", ["¿Qué hacer?", "Ver art. 5.", "Fin."]),
        ("First line\n(ii) Advertising", ["First line", "(ii) Advertising"]),
        (
            "The Plan (ECOSOC res. 76/7) was adopted. See GA res. 64/293.",
            ["The Plan (ECOSOC res. 76/7) was adopted.", "See GA res. 64/293."],
        ),
        (
            "Mandatory ground (Sch. 6, paras 23-25) applies. See Civ. Code § 1714.43.",
            ["Mandatory ground (Sch. 6, paras 23-25) applies.", "See Civ. Code § 1714.43."],
        ),
        (
            "Le Plan (rés. 64/293) est cité. Voir Doc. 13881 et Add. 1.",
            ["Le Plan (rés. 64/293) est cité.", "Voir Doc. 13881 et Add. 1."],
        ),
    ],
)
def test_split_sentences_keeps_citations_whole(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_sub_items_are_embedded_with_the_lead_in_of_their_provision() -> None:
    """ "(c) any steps taken..." means little alone: the embedder also sees "(3) The report
    must include ...", and never as quoted text."""
    blocks = [
        P("11 [Annual report] (1) Every entity must report to the Minister by May 31."),
        P("(3) The report must include the following information:"),
        P("(a) its structure, activities and supply chains;"),
        P("(b) the steps taken to remediate any forced labour."),
    ]
    d = doc("legislation")
    passages = chunk_blocks(blocks, d)
    item = one(passages, "s. 11(3)(b)")
    assert item.text == "(b) the steps taken to remediate any forced labour."
    assert item.lead.startswith("(3) The report must include")
    assert "(3) The report must include" in item.embed_text(d)
    assert one(passages, "s. 11(3)").lead.startswith("11 [Annual report] (1) Every entity")
    assert CHUNKER_VERSION != "1"  # stores chunked before leads were added are re-indexed


# --- the real background paper and real legal texts (only when ../shared exists) ---------


@pytest.mark.skipif(not PAPER.exists(), reason="shared reference material not available")
def test_real_background_paper() -> None:
    from indexer.parsers.markdown import MarkdownParser

    blocks = MarkdownParser().parse(PAPER).blocks
    passages = chunk_blocks(blocks, doc("report", "fr"))
    found = by_locator(passages)
    # Paragraphs interrupted by footnotes and page breaks: first and last words in that paragraph.
    endings = {
        "para. 7": ("7. Même si l'on veille", "ses lois ou ses politiques."),
        "para. 12": ("12. L'optique", "aboutissant à la traite."),
        "para. 16": ("16. L'action menée", "dont sont victimes les enfants."),
        "para. 22": ("22. En ce qui concerne", "dans leurs chaînes d'approvisionnement."),
        "para. 27": ("27. Certains États européens", "chaînes d'approvisionnement :"),
        "para. 29 (a)": ("a) Le Règlement fédéral", "ou victimes de la traite ;"),
        "para. 44": ("44. Le Guide OCDE", "conduite responsable des entreprises."),
    }
    # Where the page broke: the two halves of the sentence joined by a space, not a line break.
    joins = {
        "para. 7": "dans ses chaînes d'approvisionnement, ni ne considère",
        "para. 12": "a été renforcée par des instruments régionaux",
        "para. 16": "à la traite des personnes, interdire",
        "para. 22": "concourir à la traite en période de conflit armé",
        "para. 27": "des obligations de diligence raisonnable. Les mesures",
        "para. 29 (a)": "dans lequel le recrutement a lieu.",
        "para. 44": "leurs relations d'affaires n'aient des incidences",
    }
    for locator, (first, last) in endings.items():
        parts = found[locator]
        assert parts[0].text.startswith(first), locator
        assert parts[-1].text.endswith(last), locator
        assert any(joins[locator] in p.text for p in parts), locator
        assert all(p.part == (i + 1 if len(parts) > 1 else 0) for i, p in enumerate(parts)), locator
    # Footnotes: separate passages, each linked to the paragraph whose text cites it.
    cited = {
        "1": "para. 6",
        "2": "para. 7",
        "3": "para. 13",
        "4": "para. 13",
        "5": "para. 20",
        "6": "para. 21",
    }
    ids = {p.passage_id: p for p in passages}
    for marker, locator in cited.items():
        note = one(passages, f"{locator}, fn. {marker}")
        assert note.kind == "footnote" and not note.text.startswith(marker)
        assert ids[note.cited_by].locator == locator
        assert note.passage_id in ids[note.cited_by].footnote_ids
    assert {f"para. 2 ({c})" for c in "abcdefghijklm"} <= set(found)
    assert {f"para. 3 ({c})" for c in "abcdef"} <= set(found)
    assert {f"para. {n}" for n in range(1, 53)} <= set(found)
    # Nothing lost: the start and end of every paragraph block is in some passage.
    everything = "\n".join(p.text for p in passages)
    for block in blocks:
        if block.kind in ("para", "item", "footnote") and len(block.text) > 60:
            assert block.text[:40] in everything and block.text[-40:] in everything


def _line_blocks(path: Path) -> list[Block]:
    """The real-texts files as blocks, one per line, after their header (a stand-in parser)."""
    body = path.read_text(encoding="utf-8").split("\n\n", 1)[1]
    blocks: list[Block] = []
    for line in (raw.strip() for raw in body.split("\n")):
        if not line:
            continue
        if m := re.match(r"^(#{1,6})\s*(.*)$", line):
            blocks.append(H(m.group(2), len(m.group(1))))
        elif (
            len(line) < 70
            and not re.search(r"[.;:,\-—)]$", line)
            and not re.match(r"^[(\[\d]|[a-z]\)", line)
        ):
            blocks.append(H(line))  # "Annual Report", "PART 2 - ...": short lines standing alone
        else:
            blocks.append(P(line))
    return blocks


@pytest.mark.skipif(not REAL_TEXTS.exists(), reason="shared real texts not available")
@pytest.mark.parametrize(
    ("name", "doc_type", "locators"),
    [
        (
            "us-far-52.222-50.txt",
            "regulation",
            [
                "52.222-50(a)",
                "52.222-50(b)(5)",
                "52.222-50(h)(1)",
                "52.222-50(h)(5)",
                "52.222-50(i)(1)",
            ],
        ),
        ("us-far-22.1703-policy.txt", "regulation", ["22.1703", "22.1703(a)(1)", "22.1703(e)"]),
        (
            "untoc-2000.md",
            "treaty",
            ["art. 2(a)", "art. 5(1)(a)", "art. 10(1)", "art. 10(4)", "art. 41(2)"],
        ),
        ("palermo-protocol-2000.md", "treaty", ["art. 3(a)", "art. 9(5)"]),
        (
            "ca-fighting-forced-labour-child-labour-supply-chains-act-2023.txt",
            "other",
            ["s. 1", "s. 2", "s. 11(1)", "s. 11(3)(g)", "s. 11(4)(b)", "s. 19(1)"],
        ),
    ],
)
def test_real_legal_texts_yield_their_official_locators(
    name: str, doc_type: str, locators: list[str]
) -> None:
    passages = chunk_blocks(_line_blocks(REAL_TEXTS / name), doc(doc_type))
    found = by_locator(passages)
    missing = [loc for loc in locators if loc not in found]
    assert not missing, f"missing {missing}; have {sorted(found)[:40]}"
    # Units over max_chars are split; a single sentence up to twice max_chars stays whole.
    assert all(len(p.text) <= 1400 or p.part or len(split_sentences(p.text)) == 1 for p in passages)
    assert all(len(p.text) <= 2800 for p in passages)
