"""The ``vigilance`` command line: a thin shell over the indexer, the assistant and the tools.

Errors a user can act on print as one line (``Error: ...``), never a traceback. Each
command's docstring, with examples, is its ``--help``.
"""

from __future__ import annotations

import click

from assistant.cli.answers import ask, search, serve
from assistant.cli.api import api
from assistant.cli.documents import docs, index
from assistant.cli.mcp import mcp
from assistant.cli.tools import brief, compare, gap, quiz


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="vigilance")
def main() -> None:
    """Vigilance: an offline, cited knowledge base on trafficking in persons and forced
    labour in public procurement and supply chains.

    The evaluation runs from a source checkout: python -m evals (or make eval)."""


for command in (index, docs, search, ask, serve, api, compare, gap, brief, quiz, mcp):
    main.add_command(command)
