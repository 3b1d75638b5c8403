"""What the commands share: settings from the environment, the store option, retrieval
filters, batch files, one-line errors, writing a tool's export."""

from __future__ import annotations

import codecs
import json
from dataclasses import dataclass
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


def _as_date(ctx, param, value):
    from assistant.asof import parse_date

    try:
        return parse_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


as_of_option = click.option(
    "--as-of",
    "as_of",
    default=None,
    callback=_as_date,
    metavar="YYYY-MM-DD",
    help="Answer with the state of the instruments on this date (default: today).",
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


@dataclass
class Item:
    """One question to answer: from the command line (``where`` empty) or a batch line
    (``where`` is ``path:line``); ``error`` says why it is refused."""

    id: Any
    question: Any
    where: str = ""
    error: str = ""


# A byte-order mark names the encoding; without one a batch file must be UTF-8.
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
NOT_UTF8 = "{}: not UTF-8 text{}: save it as UTF-8 (one JSON object a line)"


def batch_lines(path: str) -> list[str]:
    """The lines of a batch file; a file that is not text is refused in one line."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
        encoding = next((enc for bom, enc in BOMS if head.startswith(bom)), "utf-8")
        with open(path, encoding=encoding) as fh:
            lines = list(fh)
    except UnicodeError as exc:
        raise click.ClickException(NOT_UTF8.format(path, "")) from exc
    except OSError as exc:
        raise click.ClickException(f"cannot read {path}: {exc.strerror or exc}") from exc
    if any("\x00" in line for line in lines):  # UTF-16 or binary: JSON never holds a raw NUL
        raise click.ClickException(NOT_UTF8.format(path, " (it holds NUL bytes)"))
    return lines


def parse_line(line: str, where: str) -> Item:
    """A batch line as an item; a line that is not a JSON object with ``id`` and
    ``question`` is an item with its error."""
    try:
        obj = json.loads(line)
    except RecursionError:
        return Item(None, None, where, "JSON nested too deeply")
    except ValueError as exc:  # bad JSON, or an integer too long to convert
        return Item(None, None, where, f"not valid JSON ({getattr(exc, 'msg', exc)})")
    if not isinstance(obj, dict):
        return Item(None, None, where, "not a JSON object with 'id' and 'question'")
    item = Item(obj.get("id"), obj.get("question"), where)
    missing = [key for key in ("id", "question") if key not in obj]
    if missing:
        item.error = "no " + " and no ".join(f"'{key}'" for key in missing)
    return item


def read_batch(path: str) -> list[Item]:
    """JSON lines with at least ``id`` and ``question``, blank lines skipped; a bad line is
    an item with its error (the others are still answered)."""
    lines = batch_lines(path)
    return [parse_line(line, f"{path}:{n}") for n, line in enumerate(lines, 1) if line.strip()]


def questions(question: str | None, batch: str | None, store: str | None) -> list[Item]:
    """The command's questions, each checked (text, not blank, within
    ``VIGILANCE_MAX_QUESTION_CHARS``) before any model loads. A refused command-line
    question is a one-line error; a refused batch line keeps its error."""
    from assistant.retrieval import QuestionError, check_question

    if question is None and not batch:
        raise click.UsageError("give a QUESTION or --batch FILE")
    items = read_batch(batch) if batch else [Item(None, question)]
    limit = settings_for(store).max_question_chars
    for item in items:
        if item.error:
            continue
        try:
            item.question = check_question(item.question, limit)
        except QuestionError as exc:
            if not item.where:
                raise click.ClickException(str(exc)) from exc
            item.error = str(exc)
    return items


def report(item: Item, as_json: bool) -> None:
    """A refused batch line: one line on stderr naming the file and line, and with
    ``--json`` an error record with its id on stdout."""
    message = f"{item.where}: {item.error}" if item.where else item.error
    click.echo(f"Error: {message}", err=True)
    if as_json:
        emit_json({"id": item.id, "error": message})


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
