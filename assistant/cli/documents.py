"""``vigilance index`` and ``vigilance docs``: what goes into the knowledge base."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from assistant.cli.common import emit_json, settings_for, store_option
from indexer.settings import BUNDLED_CORPUS


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@store_option
@click.option("--rebuild", is_flag=True, help="Drop the store and embed everything again.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option(
    "--follow-links",
    is_flag=True,
    help="Follow symbolic links to files and folders outside the folder (default: reported, not followed).",
)
def index(
    paths: tuple[Path, ...], store: str | None, rebuild: bool, quiet: bool, follow_links: bool
) -> None:
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
    from assistant.cli.progress import ProgressBar
    from indexer.pipeline import index_paths
    from indexer.store import StoreError

    settings = settings_for(store)
    targets = list(paths) or [BUNDLED_CORPUS]
    bar = ProgressBar(draw=not quiet)
    try:
        summary = index_paths(
            targets, settings, rebuild=rebuild, progress=bar, follow_links=follow_links
        )
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        bar.close()
    for problem in summary.problems:
        click.echo(f"problem: {problem}", err=True)
    for warning in summary.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(summary.line(), err=True)
    if not summary.ok:
        sys.exit(1)


@click.command()
@store_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per document.")
def docs(store: str | None, as_json: bool) -> None:
    """List the documents in the knowledge base with metadata and passage counts.

    \b
    Examples:
      vigilance docs
      vigilance docs --json | jq .title
    """
    from assistant.records import EMPTY_STORE, document_records

    rows = document_records(settings_for(store))
    if not rows:
        raise click.ClickException(EMPTY_STORE)
    for row in rows:
        if as_json:
            emit_json(row)
        else:
            facts = [row["type"], row["jurisdiction"] or "-", str(row.get("year") or "n.d.")]
            click.echo(
                f"{row['doc_id']}  [{', '.join(facts)}, binding: {row['binding']}]  "
                f"{row['title']}  ({row['passages']} passages)"
            )
