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


if __name__ == "__main__":  # pragma: no cover
    main()
