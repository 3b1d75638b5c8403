"""The tasks of docs/user-tasks.md, done in the app as each user group does them.

Delegations preparing the Working Group on Trafficking in Persons, government officials
and trainers each run three tasks in a real Chromium against ``vigilance serve``, over a
store indexed here from the bundled cards those tasks need (read where they are shipped,
as ``vigilance index`` reads them). Every step checks what the user checks on screen or in
the downloaded file, and each task is photographed to
``docs/screenshots/tasks/<group>-<n>.png`` at 1366x900.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from indexer.settings import BUNDLED_CORPUS, REPO_ROOT, Settings
from tests import test_app_browser as app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# The Chromium and a fresh page per test (no dialog may open) as in the app's own tests;
# the page is served by this module's ``server``.
browser = app.browser
page = app.page
SLOW = app.SLOW

SHOTS = REPO_ROOT / "docs" / "screenshots" / "tasks"
VIEWPORT = {"width": 1366, "height": 900}
CARDS = [
    "eu-directive-2014-24",
    "uk-procurement-act-2023",
    "de-procurement-modernisation-2016",
    "scotland-procurement-regulations-2016",
    "uk-modern-slavery-act-2015",
    "au-modern-slavery-act-2018",
    "us-california-tisca-2010",
    "ca-supply-chains-act-2023",
    "fr-loi-vigilance-2017",
]
# The Working Group questions a delegation has on its agenda for the briefing pack.
AGENDA = ("(e)", "(h)", "(j)")
# The instruments of the trainer's workshop on transparency laws (Instruments list labels).
WORKSHOP = {
    "uk-modern-slavery-act-2015": "UK Modern Slavery Act",
    "au-modern-slavery-act-2018": "Australia's Modern Slavery Act 2018 (Cth)",
    "ca-supply-chains-act-2023": "Canada Supply Chains Act (Bill S-211)",
    "us-california-tisca-2010": "California Transparency in Supply Chains Act",
}


def corpus_files() -> list[Path]:
    """The cards, the recommended measures and the guiding questions, where they ship."""
    recs = BUNDLED_CORPUS / "recommendations"
    cards = [BUNDLED_CORPUS / "instruments" / f"{card}.md" for card in CARDS]
    return cards + sorted(recs.glob("measure-*.md")) + sorted(recs.glob("question-*.md"))


@pytest.fixture(scope="module")
def server(tmp_path_factory, embedder):
    """``vigilance serve`` on a free port over the cards and records the tasks need."""
    from indexer.pipeline import index_paths

    home = tmp_path_factory.mktemp("tasks-home")
    files = corpus_files()
    summary = index_paths(files, Settings(home=home), embedder=embedder)
    assert summary.ok and summary.indexed == len(files), summary.problems
    SHOTS.mkdir(parents=True, exist_ok=True)

    yield from app.serve(home)


# -- what a user does with the widgets ------------------------------------------------------


def shot(page, name: str, at=None) -> None:
    """The task's screenshot: the top of the page, or scrolled so that ``at`` (and the
    heading above it) starts near the top of the window."""
    if at is not None:
        at.evaluate("el => { el.scrollIntoView({block: 'start'}); window.scrollBy(0, -60); }")
    app.screenshot(page, f"tasks/{name}", top=at is None)


def choose(page, elem_id: str, *names: str) -> None:
    """Pick options of a multiselect dropdown: type the start of each name, pick the option."""
    box = page.locator(f"#{elem_id} input")
    for name in names:
        box.fill(name)
        page.get_by_role("option", name=re.compile("^" + re.escape(name))).first.click()
    page.keyboard.press("Escape")


def tick(page, elem_id: str, text: str) -> None:
    """Click the choice of a checkbox group or radio whose label holds ``text``."""
    page.locator(f"#{elem_id} label", has_text=text).click()


def new_conversation(page) -> None:
    from playwright.sync_api import expect

    app.open_tab(page, "Ask")
    page.locator("#ask-clear").click()
    expect(page.locator("#answer .vg-turn")).to_have_count(0)


def source_items(page) -> list[str]:
    return page.locator("#sources li").all_inner_texts()


def open_source(page, text: str):
    """Open the cited source whose line holds ``text``; the passage view once it shows."""
    from playwright.sync_api import expect

    item = page.locator("#sources li", has_text=text).first
    item.locator(".vg-src").click()
    view = page.locator("#passage-view")
    expect(view.locator("blockquote")).to_be_visible(timeout=SLOW)
    return view


def docx_text(path: Path) -> tuple[list[str], list[tuple[str, str]]]:
    """A Word file as python-docx reads it: its paragraphs' text, and (style, text) pairs."""
    import docx

    document = docx.Document(str(path))
    pairs = [(p.style.name, p.text) for p in document.paragraphs]
    return [text for _, text in pairs], pairs


# -- government officials ----------------------------------------------------------------------

AMOUNT = re.compile(r"\b(GBP|AUD|USD|CAD|EUR)\s?\d[\d,.]*\s?(million|billion)")


def test_official_tasks(page, tmp_path):
    """Exclusion of a convicted bidder, reporting thresholds, and a comparison by country."""
    from openpyxl import load_workbook
    from playwright.sync_api import expect

    page.set_viewport_size(VIEWPORT)

    # 1. Must a contracting authority exclude a bidder convicted of forced labour?
    turn = app.ask(
        page, "Must a contracting authority exclude a bidder convicted of forced labour?"
    )
    top = turn.locator(".vg-a > *").first  # the short answer, before any quotation
    expect(top).to_contain_text(re.compile(r"\b(yes|mandatory|must)\b", re.I))
    assert top.locator(".vg-cite").count() >= 1, "the short answer cites no source"
    cited = " ".join(source_items(page))
    assert "2014/24/EU" in cited and "art. 57" in cited, cited  # the EU directive's ground
    national = ["Vergaberecht", "Procurement (Scotland) Regulations", "Procurement Act 2023"]
    assert any(law in cited for law in national), cited  # and at least one national law
    view = open_source(page, "art. 57")
    expect(view.locator(".vg-loc")).to_contain_text("art. 57")
    expect(view.locator("blockquote")).to_contain_text(re.compile("exclu", re.I))
    expect(view).to_contain_text("Directive 2014/24/EU")
    notes = view.locator(".vg-caveats, details.vg-card-notes")
    expect(notes.first).to_contain_text("not verified", ignore_case=True)
    folded = view.locator("details.vg-card-notes")
    if folded.count():  # the card's other unchecked points, folded: the official opens them
        folded.locator("summary").click()
        expect(folded.locator("li").first).to_be_visible()
    shot(page, "official-1", at=view)
    # The same point in French: the card's French body, one click from the citation.
    item = page.locator("#sources li", has_text="art. 57").first
    expect(item.locator(".vg-versions")).to_contain_text("FR")
    item.locator('.vg-version[data-version="fr"]').click()
    expect(view.locator("blockquote")).to_contain_text(re.compile("opérateur"))

    # 2. Which companies must publish modern slavery statements, above what turnover?
    new_conversation(page)
    turn = app.ask(
        page, "Which companies must publish modern slavery statements, above what turnover?"
    )
    text = turn.inner_text()
    currencies = {m.group(1) for m in AMOUNT.finditer(text)}
    assert len(currencies) >= 2, f"thresholds of fewer than two jurisdictions: {text}"
    assert "36 million" in text, text  # the United Kingdom's threshold
    cited = " ".join(source_items(page))
    assert "Modern Slavery Act 2015" in cited, cited
    view = open_source(page, "Modern Slavery Act 2015")
    expect(view.locator("blockquote")).to_contain_text("36 million")
    shot(page, "official-2")

    # 3. Compare the reporting laws of four jurisdictions, then read one in full.
    app.open_tab(page, "Compare")
    choose(page, "compare-jurisdiction", "United Kingdom", "Australia", "Canada", "United States")
    choose(page, "compare-topic", "transparency-reporting")
    page.locator("#compare-run").click()
    note = page.locator("#compare-note")
    expect(note).to_contain_text("instrument(s)", timeout=SLOW)
    shown = int(re.search(r"(\d+) instrument", note.inner_text()).group(1))
    table = page.locator("#compare-table")
    expect(table.locator("tbody tr")).to_have_count(shown)
    heads = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    covered = heads.index("Who is covered / threshold")
    thresholds = {
        "uk-modern-slavery-act-2015": "GBP 36 million",
        "au-modern-slavery-act-2018": "AUD 100 million",
        "us-california-tisca-2010": "USD 100 million",
    }
    for card, amount in thresholds.items():
        cell = table.locator(f'tr[data-card="{card}"] td').nth(covered)
        expect(cell).to_contain_text(amount)
    places = set(table.locator("tbody td:nth-child(2)").all_inner_texts())
    assert places <= {"United Kingdom", "Australia", "Canada", "United States"}, places
    assert len(places) == 4, places
    shot(page, "official-3")
    table.locator('tr[data-card="uk-modern-slavery-act-2015"] .vg-cmp-open').click()
    entry = page.locator("#compare-entry .vg-cmp-entry")
    expect(entry).to_contain_text("Modern Slavery Act", timeout=SLOW)
    expect(entry.locator("blockquote").first).to_contain_text("36 million")
    expect(entry.locator("p.vg-meta", has_text="Source:").first).to_contain_text("s. 54")
    sheet = load_workbook(app.download(page, "#compare-xlsx", tmp_path / "compare.xlsx")).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Instrument" and len(rows) == shown + 1, rows[:2]
    assert {row[1] for row in rows[1:]} == {"GB", "AU", "CA", "US"}


# -- delegations ---------------------------------------------------------------------------------


BRIEF_ITEMS_JS = """() => {
  const items = [];
  let current = null;
  for (const node of document.querySelector('#brief-result').querySelectorAll('h4, p, li, div')) {
    if (node.tagName === 'H4') { current = {heading: node.innerText.trim(), text: ''}; items.push(current); }
    else if (current && !node.closest('ul.vg-sources')) current.text += '\\n' + node.innerText;
  }
  return items;
}"""


def test_delegation_tasks(page, tmp_path):
    """Gap analysis to a Word report, a briefing pack on the agenda's questions, a question in
    French."""
    from playwright.sync_api import expect

    page.set_viewport_size(VIEWPORT)

    # 1. Gap analysis: tick the measures the country has, read what is missing, take the report.
    in_place = {
        "gap-transparency-reporting": "Require modern slavery or supply-chain statements",
        "gap-exclusion-debarment": "Exclude bidders convicted of trafficking",
        "gap-training": "Train procurement officers",
    }
    app.open_tab(page, "Gap analysis")
    for group, measure in in_place.items():
        tick(page, group, measure)
    page.locator("#gap-run").click()
    result = page.locator("#gap-result")
    expect(result).to_contain_text("measures missing", timeout=SLOW)
    missing, total = map(
        int, re.search(r"(\d+) of (\d+) measures missing", result.inner_text()).groups()
    )
    assert missing == total - len(in_place)
    expect(result).to_contain_text(f"{len(in_place)} marked as in place")
    titles = result.locator("h4").all_inner_texts()
    assert len(titles) == missing
    assert not any(m in t for m in in_place.values() for t in titles), titles
    measures = result.locator(".vg-gap-measure")
    for i in range(measures.count()):
        expect(measures.nth(i)).to_contain_text("Recommended by")
    assert result.locator(".vg-gap-measure", has_text="Examples").count() >= 1
    shot(page, "delegation-1", at=result)
    lines, pairs = docx_text(app.download(page, "#gap-docx", tmp_path / "gap.docx"))
    text = "\n".join(lines)
    kept = text.split("Measures in place", 1)[1].split("Missing measures", 1)[0]
    assert all(m in kept for m in in_place.values()), kept
    headings = [t for style, t in pairs if style.startswith("Heading")]
    assert "Missing measures by theme" in headings
    assert all(any(title in h for h in headings) for title in titles), headings

    # 2. A briefing pack on the agenda's guiding questions, as Word and as a print view.
    app.open_tab(page, "Briefing pack")
    labels = page.locator("#brief-guiding label")
    expect(labels).to_have_count(13)
    agenda = []
    for i in range(labels.count()):
        label = labels.nth(i).inner_text().strip()
        if label.startswith(AGENDA):
            agenda.append(label)
        else:
            labels.nth(i).click()  # all are ticked at first: untick the others
    assert len(agenda) == len(AGENDA)
    page.locator("#brief-run").click()
    result = page.locator("#brief-result")
    expect(result).to_contain_text(agenda[-1], timeout=SLOW)
    items = page.evaluate(BRIEF_ITEMS_JS)
    assert [it["heading"] for it in items] == [*agenda, "Sources"]
    sources = {
        int(m.group(1)): line
        for line in result.locator("ul.vg-sources li").all_inner_texts()
        if (m := re.match(r"\[(\d+)\]", line.strip()))
    }
    shot(page, "delegation-2", at=page.locator("#brief-run"))

    pack, pairs = docx_text(app.download(page, "#brief-download", tmp_path / "brief.docx"))
    headings = [t for style, t in pairs if style.startswith("Heading")]
    assert all(q in headings for q in agenda), headings
    assert "Sources" in headings
    assert any(re.search(r"\[\d+\]", line) for line in pack)
    printed = app.download(page, "#brief-download-print", tmp_path / "brief.html")
    view = page.context.new_page()
    try:
        view.goto(printed.as_uri())
        expect(view.locator("section.question h2")).to_have_text(agenda)
        refs = view.locator("section.question a.ref")
        assert refs.count() >= len(agenda)
        target = refs.first.get_attribute("href")
        expect(view.locator(target)).to_have_count(1)  # a reference leads to its source
        assert view.pdf(format="A4").startswith(b"%PDF")  # "save as PDF" from the print view
    finally:
        view.close()

    # 3. A French-speaking delegation checks who must draw up a vigilance plan in France.
    new_conversation(page)
    turn = app.ask(page, "Quelles entreprises doivent établir un plan de vigilance ?")
    expect(turn).to_contain_text("plan de vigilance")
    text = turn.inner_text()
    assert re.search(r"5[\s\u202f\u00a0]?000", text) and re.search(r"10[\s\u202f\u00a0]?000", text)
    cited = " ".join(source_items(page))
    assert "2017-399" in cited, cited
    view = open_source(page, "2017-399")  # the law itself, to quote in the statement
    expect(view.locator(".vg-doc")).to_contain_text("2017-399")
    expect(view.locator("blockquote")).to_contain_text("vigilance")
    shot(page, "delegation-3")

    # Back to the pack (2.): each answer rests on a source other than the guiding question
    # itself, which a delegation cannot quote as an answer.
    restated = []
    for item in items[:-1]:
        cited = {int(n) for n in re.findall(r"\[(\d+)\]", item["text"])}
        assert cited, f"{item['heading']}: no citation"
        if all(sources[n].split("]", 1)[1].strip().startswith("Guiding question") for n in cited):
            restated.append(item["heading"])
    assert not restated, f"answered only by the guiding question itself: {restated}"


# -- trainers ------------------------------------------------------------------------------------


def make_questions(page) -> list[str]:
    """Make the questions (in a fresh session: the table is empty until then); their text."""
    from playwright.sync_api import expect

    page.locator("#quiz-run").click()
    expect(page.locator("#quiz-note")).to_contain_text("question(s)", timeout=SLOW)
    return [q.strip() for q in page.locator("#quiz-table tbody td:nth-child(2)").all_inner_texts()]


def workshop_set(page, show_answers: bool) -> list[str]:
    """In a fresh session: the workshop's four laws, both levels, eight questions checked by
    the assistant, shuffled with seed 7."""
    page.goto(page.url, wait_until="domcontentloaded")
    page.wait_for_selector("#ask-input textarea", timeout=SLOW)
    app.open_tab(page, "Training Q&A")
    choose(page, "quiz-instruments", *WORKSHOP.values())
    tick(page, "quiz-level", "Both")
    number = page.locator("#quiz-n input[type=number]")
    number.fill("8")
    number.press("Tab")
    page.locator("#quiz-shuffle input").check()
    page.locator("#quiz-seed input").fill("7")
    page.locator("#quiz-verify input").check()
    if not show_answers:
        page.locator("#quiz-show input").uncheck()
    return make_questions(page)


def test_trainer_tasks(page, tmp_path):
    """A French set with its answer key, a reproducible workshop set shown without answers,
    and one answer checked in Ask."""
    from playwright.sync_api import expect

    page.set_viewport_size(VIEWPORT)

    # 1. Ten questions in French on transparency and reporting, to hand out with a key.
    app.open_tab(page, "Training Q&A")
    choose(page, "quiz-topics", "transparency")
    tick(page, "quiz-lang", "Français")
    questions = make_questions(page)
    expect(page.locator("#quiz-note")).to_contain_text("10 question(s)")
    assert len(questions) == 10 and all(q.endswith("?") for q in questions), questions
    expect(page.locator("#quiz-table table")).to_have_attribute("lang", "fr")
    french = re.compile(r"\b(quel|quelle|quels|quelles|qui|comment|où|en vertu)\b", re.I)
    assert sum(bool(french.search(q)) for q in questions) >= 8, questions
    answers = [
        a.strip() for a in page.locator("#quiz-table tbody td:nth-child(3)").all_inner_texts()
    ]
    shot(page, "trainer-1")
    lines, pairs = docx_text(app.download(page, "#quiz-docx", tmp_path / "quiz-fr.docx"))
    headings = [t for style, t in pairs if style.startswith("Heading")]
    assert headings[:2] == ["Questions", "Corrigé"], headings
    hand_out = "\n".join(lines[: lines.index("Corrigé")])
    key = "\n".join(lines[lines.index("Corrigé") :])
    assert all(q in hand_out and q in key for q in questions)
    assert not any(a[:60] in hand_out for a in answers), "an answer is in the questions"
    assert key.count("Source") >= len(questions)

    # 2. A workshop set on four laws: both levels, checked by the assistant, shuffled with a
    #    seed; at the next session the same seed gives the same set, shown without answers.
    first = workshop_set(page, show_answers=True)
    expect(page.locator("#quiz-note")).to_contain_text("seed 7")
    assert 4 <= len(first) <= 8, first
    rows = page.locator("#quiz-table tbody tr")
    cards = [rows.nth(i).get_attribute("data-card") for i in range(rows.count())]
    assert set(cards) <= set(WORKSHOP), cards
    deck = app.download(page, "#quiz-anki", tmp_path / "anki.csv").read_text(encoding="utf-8")
    body = [line for line in deck.splitlines() if line and not line.startswith("#")]
    assert len(list(csv.reader(body, delimiter=";"))) == len(first)
    again = workshop_set(page, show_answers=False)
    expect(page.locator("#quiz-table thead th")).to_have_text(["#", "Question"])
    assert again == first, "the same seed gave another set"
    shot(page, "trainer-2")

    # 3. Check the first answer of the key in Ask: the answer cites the same instrument.
    from assistant.tools.records import load_corpus

    title = load_corpus().get(cards[0]).title
    turn = app.ask(page, first[0])
    assert turn.locator(".vg-cite").count() >= 1
    cited = " ".join(source_items(page))
    assert title in cited, (title, cited)
    view = open_source(page, title)
    expect(view).to_contain_text(title)
    shot(page, "trainer-3")
