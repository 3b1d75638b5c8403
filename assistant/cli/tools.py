"""The user-group tools: ``compare``, ``gap``, ``brief``, ``quiz``."""

from __future__ import annotations

from dataclasses import asdict

import click

from assistant.cli.common import (
    as_of_option,
    emit_json,
    open_assistant,
    store_option,
    write_or_echo,
)


@click.command()
@click.option("--jurisdiction", multiple=True, help="ISO code or organisation (repeatable).")
@click.option("--type", "types", multiple=True, help="Instrument type (repeatable).")
@click.option("--topic", multiple=True, help="Card topic, e.g. due-diligence (repeatable).")
@click.option("--binding/--non-binding", default=None, help="Only binding / non-binding.")
@click.option("--status", multiple=True, help='Status, e.g. "in force" (repeatable).')
@click.option("--instrument", multiple=True, help="Only this card id (repeatable).")
@click.option("--out", type=click.Path(dir_okay=False), help="Write a .csv or .xlsx file.")
@click.option(
    "--json", "as_json", is_flag=True, help="The table as JSON (cells with their sources)."
)
@as_of_option
def compare(jurisdiction, types, topic, binding, status, instrument, out, as_json, as_of) -> None:
    """Compare instruments side by side: scope and thresholds, main obligation, procurement
    lever, sanctions. Each text cell comes from a card point and names it.

    \b
    Examples:
      vigilance compare --topic due-diligence
      vigilance compare --jurisdiction GB --jurisdiction FR --out table.xlsx
      vigilance compare --type legislation --binding --out table.csv
      vigilance compare --jurisdiction US --as-of 2025-06-30   # thresholds then
    """
    from assistant.tools.compare import compare_table, export_table, format_table

    filters = {
        "jurisdiction": jurisdiction,
        "type": types,
        "topic": topic,
        "status": status,
        "id": instrument,
    }
    if binding is not None:
        filters["binding"] = "yes" if binding else "no"
    table = compare_table(filters, as_of=as_of)
    if not table.rows:
        raise click.ClickException("no instrument matches these filters")
    if as_json and not out:
        emit_json(asdict(table))
        return
    write_or_echo(out, lambda p: export_table(table, p), format_table(table) + "\n")


@click.command()
@click.option(
    "--have",
    type=click.Path(exists=True, dir_okay=False),
    help="File of the measures already in place, by the ids 'vigilance gap --list' shows: "
    "one id per line ('#' starts a comment, blank lines are skipped) or a JSON list of ids. "
    "Without it, every measure counts as missing.",
)
@click.option("--out", type=click.Path(dir_okay=False), help="Write a .md or .docx report.")
@click.option(
    "--list",
    "list_only",
    is_flag=True,
    help="List the measures by theme, with the id to put in a --have file, and exit.",
)
@click.option("--json", "as_json", is_flag=True, help="The report as JSON (with measure ids).")
@as_of_option
def gap(have, out, list_only, as_json, as_of) -> None:
    """Gap analysis: the recommended measures not yet in place, by theme, with who recommends
    each and where it is applied (every statement cited).

    \b
    Examples:
      vigilance gap --list
      vigilance gap --have our-measures.txt
      vigilance gap --have our-measures.json --out report.docx

    \b
    A --have file names the measures in place by their ids, as 'vigilance gap --list'
    prints them. our-measures.txt, one id per line:
      # Measures in place (text after '#' is ignored)
      measure-modern-slavery-statements       # reporting duty since 2019
      measure-mandatory-exclusion-convictions
    or our-measures.json, a JSON list:
      ["measure-modern-slavery-statements", "measure-mandatory-exclusion-convictions"]
    """
    from assistant.tools.gap import (
        THEMES,
        UnknownMeasures,
        export_report,
        gap_analysis,
        measures_by_theme,
        read_measure_ids,
        to_markdown,
    )

    if list_only:
        checklist = measures_by_theme()
        width = max((len(m.id) for items in checklist.values() for m in items), default=0)
        click.echo("Measure ids for a --have file (one per line), by theme:")
        for theme, items in checklist.items():
            click.echo(f"\n{THEMES.get(theme, theme)}:")
            for item in items:
                click.echo(f"  {item.id:<{width}}  {item.title}")
        return
    try:
        ids = read_measure_ids(have) if have else []
        report = gap_analysis(ids, today=as_of)
    except (UnknownMeasures, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json and not out:
        emit_json(asdict(report))
        return
    write_or_echo(out, lambda p: export_report(report, p), to_markdown(report))


@click.command()
@click.option(
    "--questions",
    type=click.Path(exists=True, dir_okay=False),
    help="Your questions, one per line (default: the guiding questions (a)-(m)).",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "fr", "es", "ar", "zh", "ru"]),
    default="en",
    show_default=True,
    help="Language of the guiding questions and of the pack's headings (the six UN languages: "
    "English, French, Spanish, Arabic, Chinese, Russian).",
)
@click.option("--title", default=None, help="Title of the pack.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    help="Write the pack: .docx (Word), .md (Markdown) or .html (a print view: open it in a "
    "browser and print, or save as PDF).",
)
@click.option("--no-llm", is_flag=True, help="Extractive answers even if VIGILANCE_LLM is set.")
@click.option("--json", "as_json", is_flag=True, help="The pack as JSON.")
@store_option
def brief(questions, lang, title, out, no_llm, as_json, store) -> None:
    """Briefing pack: answers to the Working Group's guiding questions (or yours), with
    citations numbered across the pack and one list of sources.

    \b
    Examples:
      vigilance brief --out pack.docx
      vigilance brief --lang fr --out dossier.docx
      vigilance brief --lang ar --out pack-ar.docx   # Arabic, right to left
      vigilance brief --questions my-questions.txt --out pack.md
      vigilance brief --out pack.html        # to print, or to save as PDF from a browser
    """
    from assistant.tools.brief import build_brief, export_brief, read_questions, to_markdown

    try:
        items = read_questions(questions) if questions else None
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    assistant = open_assistant(store, no_llm)
    pack = build_brief(assistant, items, lang=lang, title=title)
    if not pack.items:
        raise click.ClickException("no questions: the knowledge base holds no guiding questions")
    if as_json and not out:
        emit_json(asdict(pack))
        return
    write_or_echo(out, lambda p: export_brief(pack, p), to_markdown(pack))


@click.command()
@click.option("--topic", multiple=True, help="Card topic, e.g. due-diligence (repeatable).")
@click.option("--instrument", multiple=True, help="Card id, e.g. de-lksg-2021 (repeatable).")
@click.option(
    "-n", "n", default=10, show_default=True, type=click.IntRange(min=1), help="Number of pairs."
)
@click.option(
    "--lang",
    type=click.Choice(["en", "fr", "es"]),
    default="en",
    show_default=True,
    help="Language of the questions and answers (answers from the cards' own translations).",
)
@click.option(
    "--level",
    type=click.Choice(["recall", "application", "mixed"]),
    default="recall",
    show_default=True,
    help="recall: figures, dates, who must do what; application: short cases; mixed: both.",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=None,
    help="Shuffle the questions; the same seed gives the same set again.",
)
@click.option("--shuffle", is_flag=True, help="Shuffle with a new seed (printed, to reuse).")
@click.option(
    "--verify",
    is_flag=True,
    help="Keep only pairs whose question the assistant answers from the same card.",
)
@click.option(
    "--anki", is_flag=True, help="Write Anki's import format (front;back) instead of a plain CSV."
)
@click.option("--out", type=click.Path(dir_okay=False), help="Write a .csv, .md or .docx file.")
@click.option("--json", "as_json", is_flag=True, help="The pairs as JSON.")
@store_option
def quiz(
    topic, instrument, n, lang, level, seed, shuffle, verify, anki, out, as_json, store
) -> None:
    """Training Q&A: questions a trainer can use, each answered by a card point with its
    citation; questions first, then the answer key, in .md and .docx files.

    \b
    Examples:
      vigilance quiz --topic due-diligence -n 10 --out quiz.docx
      vigilance quiz --topic due-diligence --lang fr --level application --out quiz.docx
      vigilance quiz --instrument de-lksg-2021 --instrument fr-loi-vigilance-2017 --out quiz.csv
      vigilance quiz --topic exclusion-debarment --seed 7 --anki --out deck.csv
      vigilance quiz --topic recruitment-fees --verify
    """
    import random

    from assistant.tools.quiz import export_quiz, make_quiz, to_markdown

    if anki and not out:
        raise click.UsageError("--anki needs --out FILE.csv")
    if shuffle and seed is None:
        seed = random.SystemRandom().randint(1, 99_999)
        click.echo(f"Shuffled with seed {seed} (--seed {seed} gives this set again).", err=True)
    assistant = open_assistant(store, True) if verify else None
    try:
        result = make_quiz(
            topic, instrument, n=n, assistant=assistant, lang=lang, level=level, seed=seed
        )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    if not result.pairs:
        raise click.ClickException(
            "no question could be made (none verified)" if verify else "no question could be made"
        )
    if as_json and not out:
        emit_json(asdict(result))
        return
    write_or_echo(out, lambda p: export_quiz(result, p, anki=anki), to_markdown(result))
