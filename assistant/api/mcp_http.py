"""``vigilance mcp --http``: the MCP server over streamable HTTP (endpoint ``/mcp``),
behind the API's guard: the ``VIGILANCE_AUTH`` login (HTTP Basic, with the app's lockout)
and the 1 MB cap on a request."""

from __future__ import annotations

from indexer.settings import Settings


def serve_mcp(settings: Settings, use_llm: bool, host: str, port: int) -> None:
    """Serve until interrupted."""
    import uvicorn

    from assistant.api.guard import Guard
    from assistant.mcp_server import build_server
    from assistant.web.login import LoginThrottle

    app = build_server(settings, use_llm=use_llm).streamable_http_app(host=host)
    guarded = Guard(app, pair=settings.auth_pair, throttle=LoginThrottle(), max_upload=0)
    config = uvicorn.Config(guarded, host=host, port=port, log_level="warning", access_log=False)
    uvicorn.Server(config).run()
