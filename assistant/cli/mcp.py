"""``vigilance mcp``: the knowledge base as an MCP server for AI assistants."""

from __future__ import annotations

import socket

import click

from assistant.cli.common import settings_for, store_option


@click.command()
@click.option("--http", is_flag=True, help="Streamable HTTP on --host:--port (path /mcp).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address for --http.")
@click.option("--port", default=8765, show_default=True, type=int, help="Port for --http.")
@click.option("--no-llm", is_flag=True, help="Extractive answers even if VIGILANCE_LLM is set.")
@store_option
def mcp(http: bool, host: str, port: int, no_llm: bool, store: str | None) -> None:
    """Serve the knowledge base to an AI assistant over the Model Context Protocol.

    Tools: search (passages with locators), ask (the cited answer record, as
    'vigilance ask --json') and list_documents. Speaks MCP on stdin/stdout, so an MCP
    client starts it (command "vigilance", args ["mcp"]); with --http it listens on
    http://HOST:PORT/mcp instead (127.0.0.1 unless told otherwise), asking for the login
    of VIGILANCE_AUTH (HTTP Basic) when it is set, as the API does.
    The models load at the first question.

    \b
    Examples:
      vigilance mcp
      vigilance mcp --store /data/vigilance --no-llm
      vigilance mcp --http --port 8765
    """
    settings = settings_for(store)
    if not http:
        from assistant.mcp_server import serve

        serve(settings, use_llm=not no_llm)
        return
    from assistant.api.mcp_http import serve_mcp

    try:  # uvicorn would report a taken port in its own words, after starting up
        socket.create_server((host, port)).close()
    except OSError as exc:
        raise click.ClickException(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from exc
    click.echo(f"MCP server on http://{host}:{port}/mcp (Ctrl+C to stop)", err=True)
    serve_mcp(settings, not no_llm, host, port)
