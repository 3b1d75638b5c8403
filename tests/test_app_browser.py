"""The web app driven in a real Chromium: ask and open a citation, upload a PDF and find it,
a hostile document shown as text, gap analysis, briefing pack and the other tool tabs.

The app runs as users start it (``vigilance serve``) in a subprocess, on a free port of
127.0.0.1, against a store indexed here from eight bundled cards and one test document.
Each tab is photographed to ``docs/screenshots/<tab>.png``.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import socket
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from indexer.settings import BUNDLED_CORPUS, REPO_ROOT, Settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path(os.environ.get("VIGILANCE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = REPO_ROOT / "docs" / "screenshots"
CARDS = [
    "uk-modern-slavery-act-2015",
    "fr-loi-vigilance-2017",
    "eu-directive-2014-24",
    "us-far-52-222-50",
    "de-lksg-2021",
    "trafficking-protocol-2000",
    "ilo-fair-recruitment-principles",
    "eu-forced-labour-regulation-2024-3015",
]
HOSTILE_TITLE = "Harbourtown <b>notice</b>"
HOSTILE_TEXT = """Fictional notice of the Harbourtown purchasing office

1. Suppliers of the fictional Harbourtown port authority must list every labour agency they use <script>alert(1)</script> before the contract is signed.

2. The Harbourtown purchasing office keeps that list <img src=x onerror=alert(2)> for five years.
"""
SLOW = 240_000  # ms: indexing and first answers on a busy 2-core machine


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, log: Path, timeout: float = 180) -> None:
    from evals.load import wait_until_up as wait

    try:
        wait(url, proc, timeout, log)
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def server(tmp_path_factory, embedder):
    """``vigilance serve`` on a free port, over eight cards and a document holding markup."""
    from indexer.pipeline import index_paths

    home = tmp_path_factory.mktemp("app-home")
    sources = home / "sources"
    sources.mkdir()
    for card in CARDS:
        shutil.copy(BUNDLED_CORPUS / "instruments" / f"{card}.md", sources)
    (sources / "harbourtown.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    (sources / "harbourtown.txt.yaml").write_text(f'title: "{HOSTILE_TITLE}"\n', encoding="utf-8")
    summary = index_paths([sources], Settings(home=home), embedder=embedder)
    assert summary.ok and summary.indexed == len(CARDS) + 1, summary.problems

    yield from serve(home)


def serve(home: Path):
    """``vigilance serve`` over ``home`` on a free port, as users start it (no VIGILANCE_*
    variable of the test run leaks in); yields its address, stops it afterwards."""
    from evals.load import start_server, stop_server

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGILANCE_")}
    env.update(VIGILANCE_HOME=str(home))
    log_path = home / "server.log"
    log = log_path.open("w")
    proc = start_server(home, port, log, env)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url, proc, log_path)
        yield SimpleNamespace(url=url, home=home)
    finally:
        stop_server(proc)
        log.close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install it (apt-get install -y chromium) "
            "or point VIGILANCE_CHROMIUM at a Chromium binary"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    """A fresh session on the app's first page; fails the test if any dialog ever opens."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    dialogs: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    # never "networkidle": the app keeps a connection open
    page.goto(server.url, wait_until="domcontentloaded")
    page.wait_for_selector("#ask-input textarea", timeout=SLOW)
    yield page
    context.close()
    assert dialogs == [], f"a dialog opened: {dialogs}"


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def ask(page, question: str, tab: str = "Ask"):
    """Ask in the Ask tab (named ``tab`` in the page's language) and return the new turn
    once its answer is shown."""
    from playwright.sync_api import expect

    open_tab(page, tab)
    turns = page.locator("#answer .vg-turn")
    before = turns.count()
    page.locator("#ask-input textarea").fill(question)
    page.locator("#ask-submit").click()
    expect(turns).to_have_count(before + 1, timeout=SLOW)
    return turns.last


def screenshot(page, name: str, top: bool = True) -> None:
    """The viewport (from the top of the page unless ``top`` is False) as a 256-colour PNG:
    a third of the size, still sharp for text."""
    import io

    from PIL import Image

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if top:
        page.evaluate("window.scrollTo(0, 0)")
    image = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    image.quantize(colors=256).save(SCREENSHOTS / f"{name}.png", optimize=True)


def download(page, selector: str, target: Path) -> Path:
    from playwright.sync_api import expect

    button = page.locator(selector)
    expect(button).to_be_enabled(timeout=SLOW)
    with page.expect_download() as info:
        button.click()
    info.value.save_as(target)
    return target


def test_answer_cites_and_citation_opens_the_passage(page):
    from playwright.sync_api import expect

    turn = ask(page, "Which companies must publish a modern slavery statement?")
    expect(turn).to_contain_text("Modern Slavery")
    markers = turn.locator(".vg-cite")
    assert markers.count() >= 1
    first_source = page.locator("#sources li").first
    expect(first_source).to_contain_text("[1]")

    markers.first.click()
    view = page.locator("#passage-view")
    expect(view.locator("blockquote")).to_be_visible()
    locator = view.locator(".vg-loc").inner_text().strip()
    assert re.search(r"s\. 54", locator), locator  # the UK Act's section, as cited
    expect(first_source).to_contain_text(locator.split(" · ")[0])
    expect(view).to_contain_text("Modern Slavery Act 2015")
    assert view.locator(".vg-context").count() >= 1  # neighbouring passages as context
    screenshot(page, "ask")

    follow_up = ask(page, "And in France?")  # resolved against the previous question
    expect(follow_up.locator(".vg-resolved")).to_contain_text("France")


def test_question_outside_the_sources_says_so(page):
    from playwright.sync_api import expect

    turn = ask(page, "What is the recommended dose of vitamin D for penguins in zoos?")
    expect(turn).to_contain_text("Not covered by the sources")
    assert turn.locator(".vg-cite").count() == 0


def test_markup_in_a_document_is_shown_as_text(page):
    from playwright.sync_api import expect

    turn = ask(page, "What must suppliers of the Harbourtown port authority list?")
    expect(turn).to_contain_text("<script>alert(1)</script>")
    assert page.locator("#answer script").count() == 0
    expect(page.locator("#sources")).to_contain_text(HOSTILE_TITLE)

    turn.locator(".vg-cite").first.click()
    view = page.locator("#passage-view")
    expect(view).to_contain_text("<script>alert(1)</script>")
    expect(view).to_contain_text("<img src=x onerror=alert(2)>")  # the neighbouring paragraph
    assert view.locator("img").count() == 0
    assert view.locator("b").count() == 0

    open_tab(page, "Library")
    expect(page.locator("#library-table")).to_contain_text(HOSTILE_TITLE)
    page.wait_for_timeout(
        500
    )  # give any injected handler time to fire (the fixture checks dialogs)


def make_pdf(path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(
        0,
        7,
        "1. The fictional Quillmoor tender board requires every bakery supplier to publish the "
        "hourly wages of its night-shift workers before each tender round.\n\n"
        "2. A Quillmoor bakery supplier that withholds those wages is barred from the next three "
        "tender rounds of the board.",
    )
    pdf.output(str(path))
    return path


def test_uploaded_pdf_is_found_by_ask_and_can_be_removed(page, server, tmp_path):
    from playwright.sync_api import expect

    pdf = make_pdf(tmp_path / "Quillmoor rules (draft).pdf")
    open_tab(page, "Library")
    page.locator("#upload-file input[type=file]").set_input_files(str(pdf))
    expect(page.locator("#upload-file")).to_contain_text("Quillmoor")
    page.locator("#upload-title").get_by_role("textbox").fill("Quillmoor tender board rules")
    page.locator("#upload-year").get_by_role("textbox").fill("2024")
    page.locator("#upload-submit").click()
    status = page.locator("#library-status")
    expect(status).to_contain_text("1 indexed", timeout=SLOW)
    expect(page.locator("#library-table")).to_contain_text("Quillmoor tender board rules")
    stored = server.home / "uploads" / "Quillmoor_rules_draft.pdf"
    assert stored.is_file()
    assert "Quillmoor tender board rules" in stored.with_name(stored.name + ".yaml").read_text()
    screenshot(page, "library")

    turn = ask(page, "What must bakery suppliers of the Quillmoor tender board publish?")
    expect(turn).to_contain_text("night-shift")
    assert turn.locator(".vg-cite").count() >= 1
    expect(page.locator("#sources")).to_contain_text("Quillmoor tender board rules")

    open_tab(page, "Library")
    page.locator("#remove-doc input").click()
    page.get_by_role("option", name=re.compile("Quillmoor tender board rules")).click()
    page.locator("#remove-confirm input").check()
    page.locator("#remove-submit").click()
    expect(status).to_contain_text("Removed", timeout=SLOW)
    expect(page.locator("#library-table")).not_to_contain_text("Quillmoor")
    assert not stored.exists()


def test_gap_analysis_lists_missing_measures(page, tmp_path):
    import docx
    from playwright.sync_api import expect

    open_tab(page, "Gap analysis")
    first = page.locator("#gap-transparency-reporting label").first
    ticked = re.sub(r"^\(\w\)\s*", "", first.inner_text().strip())
    first.click()
    page.locator("#gap-run").click()
    result = page.locator("#gap-result")
    expect(result).to_contain_text("measures missing", timeout=SLOW)
    missing, total = map(
        int, re.search(r"(\d+) of (\d+) measures missing", result.inner_text()).groups()
    )
    assert missing == total - 1
    titles = result.locator("h4").all_inner_texts()
    assert len(titles) == missing and not any(ticked in t for t in titles)
    expect(result.locator(".vg-gap-measure").first).to_contain_text("Recommended by")
    result.scroll_into_view_if_needed()
    screenshot(page, "gap", top=False)  # the result, not the checklist

    report = docx.Document(str(download(page, "#gap-docx", tmp_path / "gap.docx")))
    text = "\n".join(p.text for p in report.paragraphs)
    assert "Missing measures" in text and titles[0] in text


def test_briefing_pack_downloads_as_docx_with_the_questions(page, tmp_path):
    import docx
    from playwright.sync_api import expect

    open_tab(page, "Briefing pack")
    question = page.locator("#brief-guiding label").first.inner_text().strip()
    assert question.startswith("(a)")
    page.locator("#brief-run").click()
    expect(page.locator("#brief-result")).to_contain_text(question, timeout=SLOW)
    page.locator("#brief-run").scroll_into_view_if_needed()
    screenshot(page, "brief", top=False)  # the button and the start of the pack

    pack = docx.Document(str(download(page, "#brief-download", tmp_path / "brief.docx")))
    headings = [p.text for p in pack.paragraphs if p.style.name.startswith("Heading")]
    assert question in headings
    assert any(re.search(r"\[\d+\]", p.text) for p in pack.paragraphs)  # answers keep citations


def test_compare_table_downloads_as_csv(page, tmp_path):
    from playwright.sync_api import expect

    open_tab(page, "Compare")
    page.locator("#compare-jurisdiction input").click()
    page.get_by_role("option", name="United Kingdom", exact=True).click()  # GB, by name
    page.locator("#compare-run").click()
    note = page.locator("#compare-note")
    expect(note).to_contain_text("instrument(s)", timeout=SLOW)
    shown = int(re.search(r"(\d+) instrument", note.inner_text()).group(1))
    table = page.locator("#compare-table")
    expect(table).to_contain_text("UK Modern Slavery Act")
    expect(table.locator("tbody td:nth-child(2)").first).to_have_text("United Kingdom")
    expect(table).not_to_contain_text("LkSG")  # a German law: filtered out
    screenshot(page, "compare")
    path = download(page, "#compare-csv", tmp_path / "compare.csv")
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert rows[0][0] == "Instrument" and len(rows) == shown + 1
    assert {row[1] for row in rows[1:]} == {"GB"}


def test_training_questions_download_for_anki(page, tmp_path):
    from playwright.sync_api import expect

    open_tab(page, "Training Q&A")
    page.locator("#quiz-run").click()
    expect(page.locator("#quiz-note")).to_contain_text("10 question(s)", timeout=SLOW)
    expect(page.locator("#quiz-table")).to_contain_text("?")
    screenshot(page, "quiz")
    text = download(page, "#quiz-anki", tmp_path / "anki.csv").read_text(encoding="utf-8")
    head, body = text.split("\n", 2)[:2], text.split("\n", 2)[2]
    assert head == ["#separator:semicolon", "#html:true"]
    cards = list(csv.reader(body.splitlines(), delimiter=";"))
    assert len(cards) == 10 and all(front.endswith("?") and back for front, back in cards)


# What a screen shows of a table (WRAP: its scroll box, CELL: a column): overflow, the
# font, how a long cell wraps, and on how many lines the "Jurisdiction" header sits.
LAYOUT_JS = """() => {
  const wrap = document.querySelector('WRAP');
  const cell = wrap.querySelector('tbody tr td:nth-child(CELL)');
  const style = getComputedStyle(cell);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = `${style.fontSize} ${style.fontFamily}`;
  const doc = document.documentElement;
  const jur = Array.from(wrap.querySelectorAll('thead th'))
    .find((th) => th.textContent.trim() === 'Jurisdiction');
  let lines = 0;
  if (jur) {
    const range = document.createRange();
    range.selectNodeContents(jur);
    lines = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size;
  }
  return {
    wrap: [wrap.scrollWidth, wrap.clientWidth],
    page: [doc.scrollWidth, doc.clientWidth],
    family: style.fontFamily,
    narrow: ctx.measureText('iiiiiiiiii').width,
    wide: ctx.measureText('MMMMMMMMMM').width,
    answer_lines: Math.round(cell.getBoundingClientRect().height / parseFloat(style.lineHeight)),
    jurisdiction_lines: lines,
  };
}"""
# The training table: the answer is the third column.
QUIZ_LAYOUT_JS = LAYOUT_JS.replace("WRAP", "#quiz-table .vg-quiz-wrap").replace("CELL", "3")


def test_training_table_in_french_fits_a_laptop_window(page):
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1366, "height": 768})
    open_tab(page, "Training Q&A")
    page.locator("#quiz-lang").get_by_label("Français").check()
    page.locator("#quiz-level").get_by_label("Both").check()
    page.locator("#quiz-shuffle input[type=checkbox]").check()
    page.locator("#quiz-seed input").fill("5")
    page.locator("#quiz-run").click()
    expect(page.locator("#quiz-note")).to_contain_text("seed 5", timeout=SLOW)
    table = page.locator("#quiz-table")
    expect(table.locator("tbody tr")).to_have_count(10)
    first = table.locator("tbody tr td:nth-child(2)").first.inner_text()
    assert first.endswith(" ?"), first  # French, with its spacing
    layout = page.evaluate(QUIZ_LAYOUT_JS)
    assert layout["wrap"][0] <= layout["wrap"][1] + 2, layout  # no sideways scrolling
    assert layout["page"][0] <= layout["page"][1] + 2, layout
    assert "mono" not in layout["family"].lower(), layout  # a reading font, not code
    assert layout["narrow"] < 0.6 * layout["wide"], layout  # proportional
    assert layout["answer_lines"] >= 2, layout  # a long answer wraps in its column
    screenshot(page, "quiz-fr")
    page.locator("#quiz-show input[type=checkbox]").uncheck()
    expect(table.locator("thead th")).to_have_text(["#", "Question"])
    expect(table.locator("tbody tr td:nth-child(2)").first).to_have_text(first)


# The compare table: a text cell in the ninth column.
TABLE_LAYOUT_JS = LAYOUT_JS.replace("WRAP", "#compare-table .vg-cmp-wrap").replace("CELL", "9")
HEADER_OFFSET_JS = """() => {
  const wrap = document.querySelector('#compare-table .vg-cmp-wrap');
  wrap.scrollTop = 900;
  const head = wrap.querySelector('thead th').getBoundingClientRect().top;
  return [wrap.scrollTop, head - wrap.getBoundingClientRect().top];
}"""


def test_compare_table_fits_a_laptop_window_and_opens_an_instrument(page):
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1366, "height": 768})
    open_tab(page, "Compare")
    page.locator("#compare-run").click()  # every instrument: the widest table there is
    note = page.locator("#compare-note")
    expect(note).to_contain_text("instrument(s)", timeout=SLOW)
    shown = int(re.search(r"(\d+) instrument", note.inner_text()).group(1))
    table = page.locator("#compare-table")
    expect(table.locator("tbody tr")).to_have_count(shown)

    layout = page.evaluate(TABLE_LAYOUT_JS)
    assert layout["wrap"][0] <= layout["wrap"][1] + 2, layout  # no sideways scrolling
    assert layout["page"][0] <= layout["page"][1] + 2, layout
    assert "mono" not in layout["family"].lower(), layout  # a reading font, not code
    assert layout["narrow"] < 0.6 * layout["wide"], layout  # proportional: i narrower than M
    assert layout["jurisdiction_lines"] == 1, layout  # the header reads as one word

    scrolled, header_offset = page.evaluate(HEADER_OFFSET_JS)
    assert scrolled > 0 and abs(header_offset) <= 2  # the header stays in view
    page.evaluate("document.querySelector('#compare-table .vg-cmp-wrap').scrollTop = 0")

    row = table.locator('tr[data-card="de-lksg-2021"]')
    expect(row.locator("td").nth(1)).to_have_text("Germany")  # DE, by name
    covered = row.locator("td").nth(7).inner_text()
    locator = re.search(r"\[([^\]]+)\]\s*$", covered).group(1)
    row.locator(".vg-cmp-open").click()
    entry = page.locator("#compare-entry .vg-cmp-entry")
    expect(entry).to_contain_text("German Supply Chain Due Diligence Act", timeout=SLOW)
    expect(entry).to_contain_text("Lieferkettensorgfaltspflichtengesetz")  # the full title
    expect(entry.locator("h4")).to_have_text(
        [
            "Who is covered / threshold",
            "Main obligation",
            "Procurement lever",
            "Sanctions / enforcement",
        ]
    )
    cited = rf"Source: German Supply Chain Due Diligence Act \(LkSG\)[^\n]*, {re.escape(locator)}"
    expect(entry.locator("p.vg-meta", has_text=re.compile(cited))).to_have_count(1)
    sizes = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert sizes[0] <= sizes[1] + 2, sizes  # the long German title wraps too


def test_library_search_empty_years_and_removal_in_one_pass(page, tmp_path):
    from playwright.sync_api import expect

    open_tab(page, "Ask")
    page.locator("#ask-filters").get_by_text("Filters").click()
    for field in ("#filter-year-from", "#filter-year-to"):
        expect(page.locator(field).get_by_role("textbox")).to_have_value("")
    page.locator("#filter-jurisdiction input").click()
    expect(page.get_by_role("option", name="United Kingdom", exact=True)).to_be_visible()
    expect(page.get_by_role("option", name="GB", exact=True)).to_have_count(0)
    page.keyboard.press("Escape")

    open_tab(page, "Library")
    expect(page.locator("#upload-year").get_by_role("textbox")).to_have_value("")
    notice = tmp_path / "fenwick-notice.txt"
    notice.write_text(
        "Fictional notice of the Fenwick ferry board\n\n1. Every caterer on the fictional "
        "Fenwick ferries must publish the names of the recruitment agencies it uses.\n",
        encoding="utf-8",
    )
    page.locator("#upload-file input[type=file]").set_input_files(str(notice))
    expect(page.locator("#upload-file")).to_contain_text("fenwick")
    page.locator("#upload-title").get_by_role("textbox").fill("Fenwick ferry catering notice")
    page.locator("#upload-submit").click()
    status = page.locator("#library-status")
    expect(status).to_contain_text("1 indexed", timeout=SLOW)

    table = page.locator("#library-table")
    expect(table.locator("th").first).to_contain_text("Title")
    search = page.locator("#library-search").get_by_role("textbox")
    search.fill("fenwick")
    expect(table).not_to_contain_text("Harbourtown")
    expect(table).to_contain_text("Fenwick ferry catering notice")
    search.fill("germany")  # a jurisdiction by name finds the DE card
    expect(table).to_contain_text("German Supply Chain Due Diligence Act")
    expect(table).not_to_contain_text("Fenwick")
    search.fill("")
    expect(table).to_contain_text("Fenwick ferry catering notice")

    picked = page.locator("#remove-doc input")
    picked.click()
    page.get_by_role("option", name=re.compile("Fenwick ferry catering notice")).click()
    page.locator("#remove-submit").click()  # not ticked: told so, the choice stays
    expect(status).to_contain_text("Tick the confirmation box", timeout=SLOW)
    expect(picked).to_have_value(re.compile("Fenwick ferry catering notice"))
    page.locator("#remove-confirm input").check()
    page.locator("#remove-submit").click()
    expect(status).to_contain_text("Removed Fenwick ferry catering notice", timeout=SLOW)
    expect(table).not_to_contain_text("Fenwick")
    expect(table).to_contain_text("Harbourtown")


FRENCH_TABS = [
    "Poser une question",
    "Bibliothèque",
    "Comparer",
    "Analyse des lacunes",
    "Dossier d’information",
    "Questions de formation",
]


def test_interface_follows_the_browser_language_then_the_switch(browser, server):
    """A French browser gets the interface in French, answers keep the question's language;
    the switch turns everything to Spanish, and a reload keeps that choice."""
    from playwright.sync_api import expect

    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(server.url, wait_until="domcontentloaded")
    page.wait_for_selector("#ask-input textarea", timeout=SLOW)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("#ui-lang input[value=fr]")).to_be_checked()
    for name in FRENCH_TABS:
        expect(page.get_by_role("tab", name=name, exact=True)).to_be_visible()
    expect(page.get_by_role("tab", name="Library", exact=True)).to_have_count(0)
    expect(page.locator("#ask-submit")).to_have_text("Demander")
    expect(page.locator("#ask-input textarea")).to_have_attribute(
        "placeholder", re.compile(r"^p\. ex\. Un acheteur public")
    )
    expect(page.locator("#answer")).to_contain_text("Posez une question : chaque réponse cite")
    expect(page.locator("#sources")).to_contain_text("Les sources de la réponse")

    turn = ask(
        page, "Quelles sociétés doivent établir un plan de vigilance ?", "Poser une question"
    )
    expect(turn).to_contain_text("Ce que disent les sources")  # the answer: the question's language
    expect(turn.locator(".vg-q")).to_contain_text("Q : Quelles sociétés")
    assert turn.locator(".vg-cite").count() >= 1
    expect(turn.locator(".vg-cite").first).to_have_attribute("title", "Afficher la source 1")
    expect(page.locator("#sources")).to_contain_text("contraignant")

    page.locator("#ui-lang").get_by_text("Español", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("tab", name="Biblioteca", exact=True)).to_be_visible()
    expect(page.locator("#ask-submit")).to_have_text("Preguntar")
    expect(turn.locator(".vg-q")).to_contain_text("P: Quelles sociétés")  # redrawn by the server
    expect(turn).to_contain_text("Ce que disent les sources")  # the answer itself stays French
    open_tab(page, "Biblioteca")
    expect(page.locator("#library-table th").first).to_contain_text("Título")
    expect(page.locator("#upload-submit")).to_have_text("Subir e indexar")

    page.reload(wait_until="domcontentloaded")  # the choice is remembered
    page.wait_for_selector("#ask-input textarea", timeout=SLOW)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("#ui-lang input[value=es]")).to_be_checked()
    expect(page.get_by_role("tab", name="Preguntar", exact=True)).to_be_visible()
    expect(page.locator("#answer")).to_contain_text("Haga una pregunta: cada respuesta cita")
    context.close()


ARABIC_TABS = [
    "اطرح سؤالًا",
    "المكتبة",
    "مقارنة",
    "تحليل الثغرات",
    "ملف الإحاطة",
    "أسئلة وأجوبة تدريبية",
]
CHINESE_TABS = ["提问", "文献库", "比较", "差距分析", "简报材料", "培训问答"]
RUSSIAN_TABS = [
    "Задать вопрос",
    "Библиотека",
    "Сравнение",
    "Анализ пробелов",
    "Справочные материалы",
    "Учебные вопросы",
]
# Where the header's parts and the tab buttons sit (and whether a text is cut off in its
# box), how wide the page is, and the direction each kind of text is laid out in.
RTL_LAYOUT_JS = """() => {
  const shown = (el) => el.getClientRects().length > 0;
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return {text: el.textContent.trim(), left: r.left, top: r.top, right: r.right,
            bottom: r.bottom, cut: el.scrollWidth > el.clientWidth + 1};
  };
  const dir = (selector) => {
    const el = document.querySelector(selector);
    return el ? getComputedStyle(el).direction : null;
  };
  const doc = document.documentElement;
  const header = document.querySelector('#app-header');
  return {
    page: [doc.scrollWidth, doc.clientWidth],
    tabs: Array.from(document.querySelectorAll('#tabs [role=tab]')).filter(shown).map(box),
    header: [header, ...document.querySelectorAll('#ui-lang label')].filter(shown).map(box),
    header_text: getComputedStyle(header.querySelector('.prose') || header).direction,
    header_align: getComputedStyle(header.querySelector('.prose') || header).textAlign,
    answer: dir('#answer .vg-a'),
    sources: dir('#sources ol.vg-sources'),
    quotation: dir('#passage-view blockquote'),
  };
}"""

# Where, left to right, two characters of a text inside an element are drawn: the first text
# node holding TEXT; I and J index into it. Also the elements around it, for the message.
READS_JS = """([selector, text, i, j]) => {
  const walker = document.createTreeWalker(document.querySelector(selector), NodeFilter.SHOW_TEXT);
  let node = walker.nextNode();
  while (node && !node.data.includes(text)) node = walker.nextNode();
  if (!node) return null;
  const start = node.data.indexOf(text);
  const x = (k) => {
    const range = document.createRange();
    range.setStart(node, start + k);
    range.setEnd(node, start + k + 1);
    return range.getBoundingClientRect().left;
  };
  const around = [];
  for (let el = node.parentElement; el && around.length < 4; el = el.parentElement) {
    around.push(`${el.tagName}.${el.className} ${getComputedStyle(el).unicodeBidi}`);
  }
  return {left: [x(i), x(j)], around};
}"""


def reads_left_to_right(page, selector: str, text: str, i: int, j: int) -> None:
    """Character ``i`` of ``text`` (in ``selector``) is drawn left of character ``j``."""
    drawn = page.evaluate(READS_JS, [selector, text, i, j])
    assert drawn and drawn["left"][0] < drawn["left"][1], (text, drawn)


def overlap(a: dict, b: dict) -> bool:
    """Whether two boxes share more than a pixel each way."""
    wide = min(a["right"], b["right"]) - max(a["left"], b["left"])
    high = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return wide > 1 and high > 1


def check_rtl_layout(page) -> dict:
    """The page mirrored and tidy: nothing wider than the window, tabs from right to left,
    no two tabs (or parts of the header) on top of each other, no tab name cut off."""
    layout = page.evaluate(RTL_LAYOUT_JS)
    assert layout["page"][0] <= layout["page"][1] + 2, layout["page"]  # no sideways scroll
    tabs, header = layout["tabs"], layout["header"]
    assert [t["text"] for t in tabs] == ARABIC_TABS, tabs
    assert all(a["left"] > b["left"] for a, b in zip(tabs, tabs[1:], strict=False)), tabs
    for boxes in (tabs, header):
        assert len(boxes) > 1 and not any(b["cut"] for b in boxes), boxes
        for i, a in enumerate(boxes):
            assert not any(overlap(a, b) for b in boxes[i + 1 :]), (a, boxes)
    assert layout["header_text"] == "rtl" and layout["header_align"] in ("right", "start")
    assert len({round(b["top"]) for b in header[1:]}) == 1, header  # the six on one line
    return layout


def test_interface_in_arabic_right_to_left_then_chinese_and_russian(browser, server):
    """An Arabic browser gets the page in Arabic, right to left and tidy at 1366 px; an
    English question's answer and passage stay left to right inside it; the switch then
    shows the tabs in Chinese and in Russian, left to right again."""
    from playwright.sync_api import expect

    context = browser.new_context(locale="ar", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(server.url, wait_until="domcontentloaded")
    page.wait_for_selector("#ask-input textarea", timeout=SLOW)
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    expect(page.locator("#ui-lang input[value=ar]")).to_be_checked()
    for name in ARABIC_TABS:
        expect(page.get_by_role("tab", name=name, exact=True)).to_be_visible()
    expect(page.get_by_role("tab", name="Library", exact=True)).to_have_count(0)
    expect(page.locator("#ask-submit")).to_have_text("اسأل")
    expect(page.locator("#answer")).to_contain_text("اطرح سؤالًا: كل إجابة تستشهد")
    check_rtl_layout(page)

    turn = ask(page, "Which companies must publish a modern slavery statement?", ARABIC_TABS[0])
    expect(turn.locator(".vg-q")).to_contain_text("س: Which companies")
    expect(turn).to_contain_text("Modern Slavery")
    turn.locator(".vg-cite").first.click()
    expect(page.locator("#passage-view blockquote")).to_be_visible()
    layout = check_rtl_layout(page)
    # the page right to left, the English answer and passage left to right within it
    assert (layout["sources"], layout["answer"], layout["quotation"]) == ("rtl", "ltr", "ltr")
    screenshot(page, "interface-ar")

    open_tab(page, ARABIC_TABS[1])  # a gradio table, mirrored too
    head = page.locator("#library-table th")
    expect(head.first).to_contain_text("العنوان")
    assert head.nth(0).bounding_box()["x"] > head.nth(1).bounding_box()["x"]
    sizes = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert sizes[0] <= sizes[1] + 2, sizes
    # an English title keeps its order in a right-to-left table: "Harbourtown ... </b>"
    reads_left_to_right(page, "#library-table", HOSTILE_TITLE, 0, len(HOSTILE_TITLE) - 1)
    open_tab(page, ARABIC_TABS[2])  # dates read left to right after Arabic words
    page.locator("#compare-run").click()
    note = page.locator("#compare-note")
    expect(note).to_contain_text("عدد الصكوك", timeout=SLOW)
    date = re.search(r"\d{4}-\d{2}-\d{2}", note.inner_text()).group(0)
    reads_left_to_right(page, "#compare-note", date, 0, 9)  # 2026-12-02, not 02-12-2026
    reads_left_to_right(page, "#compare-table tbody", date, 0, 9)  # a status: "in force (on …)"
    open_tab(page, ARABIC_TABS[0])
    page.locator("#ui-lang").get_by_text("中文", exact=True).click()
    expect(html).to_have_attribute("dir", "ltr")
    expect(html).to_have_attribute("lang", "zh-CN")
    for name in CHINESE_TABS:
        expect(page.get_by_role("tab", name=name, exact=True)).to_be_visible()
    expect(turn.locator(".vg-q")).to_contain_text("问：Which companies")  # redrawn
    page.locator("#ui-lang").get_by_text("Русский", exact=True).click()
    expect(html).to_have_attribute("lang", "ru")
    for name in RUSSIAN_TABS:
        expect(page.get_by_role("tab", name=name, exact=True)).to_be_visible()
    expect(turn.locator(".vg-q")).to_contain_text("В: Which companies")
    expect(html).to_have_attribute("dir", "ltr")
    context.close()
