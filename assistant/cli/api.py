"""``vigilance api``: the knowledge base as an HTTP API (JSON)."""

from __future__ import annotations

import click

from assistant.cli.common import settings_for, store_option


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=int, help="Port to listen on.")
@store_option
def api(host: str, port: int, store: str | None) -> None:
    """Serve the knowledge base as an HTTP API: search, ask, list, add and remove documents.

    \b
    POST /search     {"question", "k", "filters", "as_of"}: passages with locators
    POST /ask        {"question", "filters", "as_of"}: the cited answer record
    GET  /documents  the documents; POST /documents uploads one (multipart "file")
    DELETE /documents/DOC_ID, GET /health; the reference at /docs and /openapi.json

    Records are those of 'vigilance search --json' and 'vigilance ask --json'; errors are
    {"error": "..."}. Listens on 127.0.0.1 only, unless --host says otherwise. Set
    VIGILANCE_AUTH to "user:password" to require HTTP Basic auth (all but /health). The
    models load at the first question. 'vigilance serve' serves the same API at /api.

    \b
    Examples:
      vigilance api
      vigilance api --port 9000 --store /data/vigilance
      curl -s localhost:8080/search -H 'Content-Type: application/json' \\
        -d '{"question": "Must we exclude a bidder convicted of forced labour?", "k": 3}'
      VIGILANCE_AUTH=delegate:secret vigilance api --host 0.0.0.0
    """
    from assistant.api.app import serve

    try:
        serve(settings_for(store), host=host, port=port)
    except OSError as exc:  # port taken, address not available
        raise click.ClickException(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from exc
