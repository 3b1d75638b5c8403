"""The ``vigilance`` command line: a thin shell over the indexer and the assistant.

Errors a user can act on print as one line (``Error: ...``), never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from indexer.settings import BUNDLED_CORPUS, Settings


def _settings(store: str | None) -> Settings:
    return Settings.from_env().with_store(store)


def _emit_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False))


store_option = click.option(
    "--store",
    type=click.Path(file_okay=False),
    default=None,
    help="Data directory (default: $VIGILANCE_HOME or ~/.local/share/vigilance).",
)


def filter_options(func):
    """The retrieval filters shared by search, ask and the tools."""
    options = [
        click.option("--type", "types", multiple=True, help="Document type (repeatable)."),
        click.option(
            "--jurisdiction", multiple=True, help="ISO code or organisation (repeatable)."
        ),
        click.option("--year-from", type=int, default=None, help="Documents from this year on."),
        click.option("--year-to", type=int, default=None, help="Documents up to this year."),
        click.option("--binding/--non-binding", default=None, help="Only binding / non-binding."),
        click.option("--language", multiple=True, help="Passage language: en, fr, es ..."),
        click.option("--doc", multiple=True, help="Only this document id (repeatable)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def build_filters(types, jurisdiction, year_from, year_to, binding, language, doc) -> dict:
    filters: dict[str, Any] = {
        "type": list(types),
        "jurisdiction": list(jurisdiction),
        "year_from": year_from,
        "year_to": year_to,
        "language": list(language),
        "doc_id": list(doc),
    }
    if binding is not None:
        filters["binding"] = "yes" if binding else "no"
    return {k: v for k, v in filters.items() if v not in (None, [], "")}


def read_batch(path: str) -> list[dict[str, Any]]:
    """JSON lines with at least ``id`` and ``question``; a bad line is a one-line error."""
    items = []
    with click.open_file(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise click.ClickException(f"{path}:{n}: not valid JSON ({exc.msg})") from exc
            if not isinstance(obj, dict) or "id" not in obj or not obj.get("question"):
                raise click.ClickException(f"{path}:{n}: each line needs 'id' and 'question'")
            items.append(obj)
    return items


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="vigilance")
def main() -> None:
    """Vigilance: an offline, cited knowledge base on trafficking in persons and forced
    labour in public procurement and supply chains."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@store_option
@click.option("--rebuild", is_flag=True, help="Drop the store and embed everything again.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def index(paths: tuple[Path, ...], store: str | None, rebuild: bool, quiet: bool) -> None:
    """Index documents (PDF, DOCX, HTML, Markdown, text) into the knowledge base.

    Only new or changed files are embedded; files removed from a folder lose their
    passages; a bad file is reported and skipped. With no PATH, the bundled corpus.

    \b
    Examples:
      vigilance index
      vigilance index ~/Documents/procurement-laws
      vigilance index report.pdf --store /data/vigilance
      vigilance index --rebuild
    """
    from assistant.progress import ProgressBar
    from indexer.pipeline import index_paths
    from indexer.store import StoreError

    settings = _settings(store)
    targets = list(paths) or [BUNDLED_CORPUS]
    bar = None if quiet else ProgressBar()
    try:
        summary = index_paths(targets, settings, rebuild=rebuild, progress=bar)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        if bar:
            bar.close()
    for problem in summary.problems:
        click.echo(f"problem: {problem}", err=True)
    click.echo(summary.line(), err=True)
    if not summary.ok:
        sys.exit(1)


@main.command()
@store_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per document.")
def docs(store: str | None, as_json: bool) -> None:
    """List the documents in the knowledge base with metadata and passage counts.

    \b
    Examples:
      vigilance docs
      vigilance docs --json | jq .title
    """
    from indexer.manifest import Manifest
    from indexer.pipeline import manifest_path

    manifest = Manifest.load(manifest_path(_settings(store)))
    if not manifest.entries:
        raise click.ClickException("the knowledge base is empty: run 'vigilance index' first")
    for doc_id, entry in sorted(manifest.entries.items()):
        row = {**entry.doc, "passages": entry.passages, "indexed_at": entry.indexed_at}
        if as_json:
            _emit_json(row)
        else:
            year = row.get("year") or ""
            click.echo(
                f"{doc_id}  [{row['type']}, {row['jurisdiction'] or '-'}, {year}, "
                f"binding: {row['binding']}]  {row['title']}  ({entry.passages} passages)"
            )


def open_retriever(store: str | None):
    from assistant.retrieval import Retriever
    from indexer.store import StoreError

    try:
        return Retriever(_settings(store))
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def format_hit(hit) -> str:
    year = hit.year or "n.d."
    binding = {"yes": "binding", "no": "non-binding"}.get(hit.binding, "binding unknown")
    head = f"[{hit.rank}] {hit.locator or '-'} — {hit.title} ({year}, {hit.jurisdiction or '-'}, {binding})"
    text = hit.text if len(hit.text) < 600 else hit.text[:600] + "…"
    tail = f"\n    {hit.url}" if hit.url else ""
    return f"{head}  score {hit.score:.3f}\n    {text}{tail}"


@main.command()
@click.argument("question", required=False)
@click.option("-k", default=10, show_default=True, help="Number of passages.")
@click.option(
    "--batch", type=click.Path(exists=True, dir_okay=False), help="JSONL of {id, question}."
)
@click.option("--json", "as_json", is_flag=True, help="JSON output (one line per question).")
@store_option
@filter_options
def search(question, k, batch, as_json, store, **filter_args) -> None:
    """Find the passages that answer a question, with their locators.

    \b
    Examples:
      vigilance search "must we exclude a bidder convicted of forced labour?"
      vigilance search "modern slavery statement turnover" --jurisdiction GB --json
      vigilance search "devoir de vigilance" --type legislation --year-from 2015
      vigilance search --batch questions.jsonl --json > hits.jsonl
    """
    from assistant.retrieval import FilterError

    if not question and not batch:
        raise click.UsageError("give a QUESTION or --batch FILE")
    filters = build_filters(**filter_args)
    retriever = open_retriever(store)
    items = read_batch(batch) if batch else [{"id": None, "question": question}]
    for item in items:
        try:
            result = retriever.search(item["question"], k=k, filters=filters)
        except FilterError as exc:
            if as_json:
                _emit_json({"id": item["id"], "hits": [], "notice": str(exc)})
                continue
            raise click.ClickException(str(exc)) from exc
        if as_json:
            out = {"hits": [h.to_dict() for h in result.hits]}
            if batch:
                out = {"id": item["id"], **out}
            if result.notice:
                out["notice"] = result.notice
            _emit_json(out)
        else:
            if result.notice:
                click.echo(result.notice, err=True)
            for hit in result.hits:
                click.echo(format_hit(hit))


@main.command()
@click.argument("question", required=False)
@click.option(
    "--batch", type=click.Path(exists=True, dir_okay=False), help="JSONL of {id, question}."
)
@click.option("--json", "as_json", is_flag=True, help="The answer record as JSON (one line each).")
@click.option("--no-llm", is_flag=True, help="Extractive answer even if VIGILANCE_LLM is set.")
@store_option
@filter_options
def ask(question, batch, as_json, no_llm, store, **filter_args) -> None:
    """Answer a question from the knowledge base, every sentence citing its source.

    When the sources do not cover the question, the answer says so and lists the
    closest documents. Set VIGILANCE_LLM to have a language model write the answer
    (it is checked against the passages; on failure the extractive answer is kept).

    \b
    Examples:
      vigilance ask "Must we exclude a bidder convicted of forced labour?"
      vigilance ask "Quelles entreprises doivent publier un plan de vigilance ?" --json
      vigilance ask "What must contractors certify?" --jurisdiction US --binding
      vigilance ask --batch questions.jsonl --json > answers.jsonl
    """
    from assistant.core import Assistant, format_answer
    from indexer.store import StoreError

    if not question and not batch:
        raise click.UsageError("give a QUESTION or --batch FILE")
    filters = build_filters(**filter_args)
    items = read_batch(batch) if batch else [{"id": None, "question": question}]
    try:
        assistant = Assistant(_settings(store), use_llm=not no_llm)
    except (StoreError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    for item in items:
        answer = assistant.ask(item["question"], filters=filters)
        if as_json:
            record = answer.to_dict()
            _emit_json({"id": item["id"], **record} if batch else record)
        else:
            if batch:
                click.echo(f"## {item['id']}: {item['question']}")
            click.echo(format_answer(answer) + ("\n" if batch else ""))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=7860, show_default=True, type=int, help="Port to listen on.")
@store_option
def serve(host: str, port: int, store: str | None) -> None:
    """Serve the web app: ask, library, compare, gap analysis, briefing packs, training Q&A.

    Listens on 127.0.0.1 only, unless --host says otherwise. Set VIGILANCE_AUTH to
    "user:password" to require a login (do so before using --host 0.0.0.0).

    \b
    Examples:
      vigilance serve
      vigilance serve --port 8080 --store /data/vigilance
      VIGILANCE_AUTH=delegate:secret vigilance serve --host 0.0.0.0
    """
    from assistant.webapp import main as serve_app
    from indexer.store import StoreError

    try:
        serve_app(host=host, port=port, store=store)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    except OSError as exc:  # port taken, address not available
        raise click.ClickException(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from exc


# -- the user-group tools ------------------------------------------------------------------


def _write_or_echo(out: str | None, export, markdown: str) -> None:
    """Write ``out`` with ``export(path)`` (format from the extension), else print ``markdown``."""
    if not out:
        click.echo(markdown, nl=False)
        return
    try:
        path = export(out)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc.strerror or exc}") from exc
    click.echo(f"wrote {path}", err=True)


def _open_assistant(store: str | None, no_llm: bool):
    from assistant.core import Assistant
    from indexer.store import StoreError

    try:
        return Assistant(_settings(store), use_llm=not no_llm)
    except (StoreError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc


@main.command()
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
def compare(jurisdiction, types, topic, binding, status, instrument, out, as_json) -> None:
    """Compare instruments side by side: scope and thresholds, main obligation, procurement
    lever, sanctions. Each text cell comes from a card point and names it.

    \b
    Examples:
      vigilance compare --topic due-diligence
      vigilance compare --jurisdiction GB --jurisdiction FR --out table.xlsx
      vigilance compare --type legislation --binding --out table.csv
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
    table = compare_table(filters)
    if not table.rows:
        raise click.ClickException("no instrument matches these filters")
    if as_json and not out:
        _emit_json(table.to_dict())
        return
    _write_or_echo(out, lambda p: export_table(table, p), format_table(table) + "\n")


@main.command()
@click.option(
    "--have",
    type=click.Path(exists=True, dir_okay=False),
    help="Measure ids already in place: one per line, or a JSON list.",
)
@click.option("--out", type=click.Path(dir_okay=False), help="Write a .md or .docx report.")
@click.option(
    "--list", "list_only", is_flag=True, help="List the measures (the checklist) and exit."
)
@click.option("--json", "as_json", is_flag=True, help="The report as JSON.")
def gap(have, out, list_only, as_json) -> None:
    """Gap analysis: the recommended measures not yet in place, by theme, with who recommends
    each and where it is applied (every statement cited).

    \b
    Examples:
      vigilance gap --list
      vigilance gap --have our-measures.txt
      vigilance gap --have our-measures.json --out report.docx
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
        for theme, items in measures_by_theme().items():
            click.echo(f"{THEMES.get(theme, theme)}:")
            for item in items:
                click.echo(f"  {item.id}  {item.title}")
        return
    try:
        ids = read_measure_ids(have) if have else []
        report = gap_analysis(ids)
    except (UnknownMeasures, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json and not out:
        _emit_json(report.to_dict())
        return
    _write_or_echo(out, lambda p: export_report(report, p), to_markdown(report))


@main.command()
@click.option(
    "--questions",
    type=click.Path(exists=True, dir_okay=False),
    help="Your questions, one per line (default: the guiding questions (a)-(m)).",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "fr", "es"]),
    default="en",
    show_default=True,
    help="Language of the guiding questions and of the pack's headings.",
)
@click.option("--title", default=None, help="Title of the pack.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write a .md or .docx pack.")
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
      vigilance brief --questions my-questions.txt --out pack.md
    """
    from assistant.tools.brief import build_brief, export_brief, read_questions, to_markdown

    try:
        items = read_questions(questions) if questions else None
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    assistant = _open_assistant(store, no_llm)
    pack = build_brief(assistant, items, lang=lang, title=title)
    if not pack.items:
        raise click.ClickException("no questions: the knowledge base holds no guiding questions")
    if as_json and not out:
        _emit_json(pack.to_dict())
        return
    _write_or_echo(out, lambda p: export_brief(pack, p), to_markdown(pack))


@main.command()
@click.option("--topic", multiple=True, help="Card topic, e.g. due-diligence (repeatable).")
@click.option("--instrument", multiple=True, help="Card id, e.g. de-lksg-2021 (repeatable).")
@click.option(
    "-n", "n", default=10, show_default=True, type=click.IntRange(min=1), help="Number of pairs."
)
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
def quiz(topic, instrument, n, verify, anki, out, as_json, store) -> None:
    """Training Q&A: question-answer pairs drawn from the instrument cards, each answer
    with its citation.

    \b
    Examples:
      vigilance quiz --topic due-diligence -n 10 --out quiz.docx
      vigilance quiz --instrument de-lksg-2021 --instrument fr-loi-vigilance-2017 --out quiz.csv
      vigilance quiz --topic exclusion-debarment --anki --out deck.csv
      vigilance quiz --topic recruitment-fees --verify
    """
    from assistant.tools.quiz import export_quiz, make_quiz, to_markdown

    if anki and not out:
        raise click.UsageError("--anki needs --out FILE.csv")
    assistant = _open_assistant(store, True) if verify else None
    try:
        result = make_quiz(topic, instrument, n=n, assistant=assistant)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    if not result.pairs:
        raise click.ClickException(
            "no question could be made (none verified)" if verify else "no question could be made"
        )
    if as_json and not out:
        _emit_json(result.to_dict())
        return
    _write_or_echo(out, lambda p: export_quiz(result, p, anki=anki), to_markdown(result))


@main.command("eval", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.pass_context
def eval_command(ctx: click.Context) -> None:
    """Measure retrieval, answers and refusals on both evaluation suites (python -m evals).

    \b
    Examples:
      vigilance eval                      # the test half of both suites
      vigilance eval --split dev --suite userdocs
    """
    from evals.run import main as run_eval

    sys.exit(run_eval(list(ctx.args)))


if __name__ == "__main__":  # pragma: no cover
    main()
