"""The web app (gradio): one module per tab, assembled here.

``build_app(settings)`` returns the ``gr.Blocks``; ``main()`` (and ``vigilance serve``,
``python app.py``) loads the assistant once and serves it on 127.0.0.1. Every text that
comes from a document is escaped in ``assistant.web.render`` before it reaches the page.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import gradio as gr
from starlette.middleware import Middleware
from starlette.routing import Mount

from assistant.core import Assistant
from assistant.web import render
from assistant.web.ask import ask_tab, new_session
from assistant.web.brief import brief_tab
from assistant.web.compare import compare_tab
from assistant.web.gap import gap_tab
from assistant.web.i18n import LANG_NAMES, LOAD_JS, RTL_CSS, SWITCH_JS, gradio_i18n, text, ui
from assistant.web.library import library_tab
from assistant.web.login import LoginGuard, LoginThrottle, login_notice
from assistant.web.quiz import quiz_tab
from assistant.web.uploads import IndexWorker, load_assistant
from indexer.settings import Settings

CONCURRENCY = 4  # simultaneous requests: enough for a meeting room on 2 cores
# What ``main`` serves beside the app: an ASGI app made from the app's assistant, indexing
# worker and login throttle (``vigilance serve`` mounts the HTTP API at /api this way).
MountFactory = Callable[[Assistant, IndexWorker, LoginThrottle], Any]


def tool_tabs(assistant: Assistant, ui_lang: gr.Radio) -> list[gr.Tab]:
    """The four tool tabs, each independent: one that fails to load leaves a notice."""
    tabs = []
    for tab_id, builder in (
        ("compare", lambda: compare_tab(ui_lang)),
        ("gap", lambda: gap_tab(ui_lang)),
        ("brief", lambda: brief_tab(assistant, ui_lang)),
        ("quiz", lambda: quiz_tab(assistant)),
    ):
        with gr.Tab(ui(f"tab.{tab_id}"), id=tab_id, elem_id=f"tab-{tab_id}") as tab:
            try:
                builder()
            except ImportError as exc:
                gr.Markdown(ui("app.tool_unavailable"))
                gr.Markdown(f"`{type(exc).__name__}`")
        tabs.append(tab)
    return tabs


def language_switch() -> gr.Radio:
    """The interface language, at the top of the page: set on load from the browser (or the
    last choice), changed by the user (``assistant.web.i18n``). Empty until the page has
    loaded, so that setting it always counts as a change the tabs redraw on."""
    ui_lang = gr.Radio(
        [(name, code) for code, name in LANG_NAMES.items()],
        value=None,
        label=ui("app.lang"),
        elem_id="ui-lang",
        scale=0,
        min_width=700,  # the six languages on one line
    )
    ui_lang.input(None, [ui_lang], None, js=SWITCH_JS, api_visibility="private")
    return ui_lang


def build_app(settings: Settings, assistant: Assistant | None = None) -> gr.Blocks:
    """The whole app; ``assistant`` is built from ``settings`` when not given."""
    assistant = assistant or load_assistant(settings)
    worker = IndexWorker(settings, assistant.retriever.embedder)
    documents = assistant.retriever.documents()
    with gr.Blocks(title="Vigilance") as app:
        with gr.Row(equal_height=True):
            gr.Markdown(ui("app.header"), elem_id="app-header")
            ui_lang = language_switch()
        session = gr.State(new_session())
        with gr.Tabs(elem_id="tabs"):
            with gr.Tab(ui("tab.ask"), id="ask", elem_id="tab-ask") as ask:
                f_jur = ask_tab(assistant, session, documents, ui_lang)
            with gr.Tab(ui("tab.library"), id="library", elem_id="tab-library") as lib:
                library, table, doc_pick = library_tab(settings, assistant, worker, f_jur, ui_lang)
            tabs = [ask, lib, *tool_tabs(assistant, ui_lang)]
        # The page renames its tabs only as they are shown: the server names them all anew.
        ui_lang.change(
            lambda lang: [gr.Tab(label=text(f"tab.{tab.id}", lang)) for tab in tabs],
            ui_lang,
            tabs,
            api_visibility="private",
        )
        app.load(None, None, [ui_lang], js=LOAD_JS, api_visibility="private")
        app.load(library.loaded, None, [table, doc_pick, f_jur], api_visibility="private")
    app.vigilance_worker = worker  # kept so main() can stop the indexing thread on exit
    return app


def launch(
    app: gr.Blocks,
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 7860,
    throttle: LoginThrottle | None = None,
    mounts: dict[str, Any] | None = None,
) -> None:
    """Serve the app (blocking): queue sized for 2 cores, upload limit, no tracebacks shown;
    with a login, failed logins are throttled per client (``assistant.web.login``).
    ``mounts`` (path -> ASGI app) are served under their paths, with their own login."""
    app.queue(default_concurrency_limit=CONCURRENCY, max_size=64)
    # gradio builds its FastAPI app with these: mounted apps come before its own routes
    app_kwargs: dict[str, Any] = {}
    if mounts:
        app_kwargs["routes"] = [Mount(path, app=sub) for path, sub in mounts.items()]
    login: dict[str, Any] = {}
    if settings.auth_pair:
        throttle = throttle or LoginThrottle()
        login = {"auth": settings.auth_pair, "auth_message": login_notice(throttle)}
        # the guard sits in front of gradio's POST /login
        app_kwargs["middleware"] = [Middleware(LoginGuard, throttle=throttle)]
    # Said before the server accepts anyone, so a log or a test that sees it up sees this too.
    shown = "127.0.0.1" if host in ("127.0.0.1", "localhost") else host
    print(f"Vigilance: starting on http://{shown}:{port}/ ...", flush=True)
    app.launch(
        server_name=host,
        server_port=port,
        show_error=False,
        max_file_size=int(settings.max_file_mb * 1024 * 1024),
        css=render.CSS + RTL_CSS,  # RTL_CSS: the page mirrored for Arabic
        footer_links=["api"],
        quiet=True,  # gradio's own banner advises share=True, which Vigilance never wants
        prevent_thread_lock=True,
        i18n=gradio_i18n(),  # labels in the six UN languages (``assistant.web.i18n``)
        app_kwargs=app_kwargs,
        **login,
    )
    print(f"Vigilance is running: open http://{shown}:{port}/ (Ctrl+C stops it)", flush=True)
    app.block_thread()


def main(
    host: str = "127.0.0.1",
    port: int = 7860,
    store: str | None = None,
    settings: Any = None,
    mounts: dict[str, MountFactory] | None = None,
) -> None:
    """Load the assistant once and serve the app until interrupted; ``mounts`` (path ->
    ``MountFactory``) are served beside it, sharing its assistant, worker and throttle."""
    settings = (settings or Settings.from_env()).with_store(store)
    print(f"Loading the knowledge base from {settings.home} ...", file=sys.stderr, flush=True)
    assistant = load_assistant(settings)
    app = build_app(settings, assistant)
    throttle = LoginThrottle()
    served = {
        path: make(assistant, app.vigilance_worker, throttle)
        for path, make in (mounts or {}).items()
    }
    try:
        launch(app, settings, host, port, throttle, served)
    finally:
        app.vigilance_worker.shutdown()
