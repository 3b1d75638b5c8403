"""``vigilance search``, ``vigilance ask`` and ``vigilance serve``."""

from __future__ import annotations

import click

from assistant.cli.common import (
    as_of_option,
    build_filters,
    emit_json,
    filter_options,
    open_assistant,
    open_retriever,
    questions,
    report,
    settings_for,
    store_option,
)
from assistant.records import answer_record, hit_state, search_record
from assistant.sources import Source, cite


def format_hit(hit, state: str = "") -> str:
    """A search hit: its citation and score, then the passage (shortened) and its link."""
    text = hit.text if len(hit.text) < 600 else hit.text[:600] + "…"
    tail = f"\n    {hit.url}" if hit.url else ""
    source = Source.from_hit(hit, state=state)
    return f"[{hit.rank}] {cite(source)}  score {hit.score:.3f}\n    {text}{tail}"


def failed_exit(items) -> None:
    """Exit code 1 when a batch line was refused (each was reported where it stood)."""
    if any(item.error for item in items):
        raise click.exceptions.Exit(1)


@click.command()
@click.argument("question", required=False)
@click.option("-k", default=10, show_default=True, help="Number of passages.")
@click.option(
    "--batch", type=click.Path(exists=True, dir_okay=False), help="JSONL of {id, question}."
)
@click.option("--json", "as_json", is_flag=True, help="JSON output (one line per question).")
@as_of_option
@store_option
@filter_options
def search(question, k, batch, as_json, as_of, store, **filter_args) -> None:
    """Find the passages that answer a question, with their locators.

    \b
    Examples:
      vigilance search "must we exclude a bidder convicted of forced labour?"
      vigilance search "modern slavery statement turnover" --jurisdiction GB --json
      vigilance search "devoir de vigilance" --type legislation --year-from 2015
      vigilance search --batch questions.jsonl --json > hits.jsonl
    """
    from assistant.retrieval import FilterError

    items = questions(question, batch, store)
    filters = build_filters(**filter_args)
    retriever = open_retriever(store) if any(not i.error for i in items) else None
    for item in items:
        if item.error:
            report(item, as_json)
            continue
        try:
            result = retriever.search(item.question, k=k, filters=filters)
        except FilterError as exc:
            if as_json:
                emit_json({"id": item.id, "hits": [], "notice": str(exc)})
                continue
            raise click.ClickException(str(exc)) from exc
        if as_json:
            out = search_record(retriever, result, as_of)
            emit_json({"id": item.id, **out} if batch else out)
        else:
            if result.notice:
                click.echo(result.notice, err=True)
            for hit in result.hits:
                click.echo(format_hit(hit, hit_state(retriever, hit, as_of)))
    failed_exit(items)


@click.command()
@click.argument("question", required=False)
@click.option(
    "--batch", type=click.Path(exists=True, dir_okay=False), help="JSONL of {id, question}."
)
@click.option("--json", "as_json", is_flag=True, help="The answer record as JSON (one line each).")
@click.option("--no-llm", is_flag=True, help="Extractive answer even if VIGILANCE_LLM is set.")
@as_of_option
@store_option
@filter_options
def ask(question, batch, as_json, no_llm, as_of, store, **filter_args) -> None:
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
      vigilance ask "Is the CSDDD in force?" --as-of 2024-01-01
    """
    from assistant.core import format_answer

    items = questions(question, batch, store)
    filters = build_filters(**filter_args)
    assistant = open_assistant(store, no_llm) if any(not i.error for i in items) else None
    for item in items:
        if item.error:
            report(item, as_json)
            continue
        answer = assistant.ask(item.question, filters=filters, as_of=as_of)
        if as_json:
            record = answer_record(answer)
            emit_json({"id": item.id, **record} if batch else record)
        else:
            if batch:
                click.echo(f"## {item.id}: {item.question}")
            click.echo(format_answer(answer) + ("\n" if batch else ""))
    failed_exit(items)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=7860, show_default=True, type=int, help="Port to listen on.")
@store_option
def serve(host: str, port: int, store: str | None) -> None:
    """Serve the web app: ask, library, compare, gap analysis, briefing packs, training Q&A.

    Listens on 127.0.0.1 only, unless --host says otherwise. Set VIGILANCE_AUTH to
    "user:password" to require a login (do so before using --host 0.0.0.0). The HTTP
    API ('vigilance api --help') is served at /api, its reference at /api/docs.

    \b
    Examples:
      vigilance serve
      vigilance serve --port 8080 --store /data/vigilance
      VIGILANCE_AUTH=delegate:secret vigilance serve --host 0.0.0.0
    """
    from assistant.api.app import mounted
    from assistant.web.app import main as serve_app
    from indexer.store import StoreError

    try:
        serve_app(host=host, port=port, settings=settings_for(store), mounts={"/api": mounted})
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    except OSError as exc:  # port taken, address not available
        raise click.ClickException(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from exc
