"""What the commands share: settings from the environment, the store option, retrieval
filters, batch files, one-line errors, writing a tool's export."""

from __future__ import annotations

import json
from typing import Any

import click

from assistant.table import make_filters
from indexer.settings import Settings, SettingsError


def settings_for(store: str | None) -> Settings:
    """Settings from the environment with ``--store``; a bad value is a one-line error."""
    try:
        return Settings.from_env().with_store(store)
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc


def emit_json(obj: Any) -> None:
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
    """The filter flags as retrieval filters."""
    return make_filters(types, jurisdiction, year_from, year_to, binding, language, doc)


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


def open_retriever(store: str | None):
    from assistant.retrieval import Retriever
    from indexer.store import StoreError

    try:
        retriever = Retriever(settings_for(store))
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    return not_empty(retriever)


def not_empty(retriever):
    """The retriever, or a one-line error when its store holds no passage."""
    if not len(retriever.table):
        raise click.ClickException(
            f"the knowledge base in {retriever.settings.home} is empty: run 'vigilance index' first"
        )
    return retriever


def open_assistant(store: str | None, no_llm: bool):
    from assistant.core import Assistant
    from indexer.store import StoreError

    try:
        assistant = Assistant(settings_for(store), use_llm=not no_llm)
    except (StoreError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    not_empty(assistant.retriever)
    return assistant


def write_or_echo(out: str | None, export, markdown: str) -> None:
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
