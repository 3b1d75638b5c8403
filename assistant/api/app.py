"""The HTTP API (FastAPI): ``create_app`` builds it, ``serve`` runs it (``vigilance api``),
``mounted`` is what ``vigilance serve`` mounts at /api of the web app.

Routes are thin: ``assistant.api.service`` does the work, ``assistant.api.guard`` the login
and size limits. Every error is ``{"error": "<one line>"}`` with its status; a traceback
goes to the server's log, never to the client.
"""

from __future__ import annotations

import socket
import sys
from typing import Annotated, Any

from fastapi import Depends, FastAPI, File, Form, Request, Response, UploadFile
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse

from assistant.api import models
from assistant.api.guard import Guard
from assistant.api.service import ApiError, Service
from assistant.core import Assistant
from assistant.web.login import LoginThrottle
from assistant.web.uploads import IndexWorker
from indexer.settings import Settings

DESCRIPTION = """Search and ask the Vigilance knowledge base, list, add and remove documents.

Answers and hits are the records `vigilance ask --json` and `vigilance search --json` print:
every `[n]` in an answer has its citation, with its locator. Errors are
`{"error": "<one line>"}`. With `VIGILANCE_AUTH=user:password` set, every route but
`GET /health` needs HTTP Basic auth with that user and password."""


REFUSALS = {
    400: "A question, filter, date or field that cannot be used.",
    401: "No credentials, or wrong ones (when VIGILANCE_AUTH is set).",
    404: "No such document.",
    409: "The knowledge base is empty.",
    413: "The file, or the request, is over the size limit.",
    415: "A type of file the indexer cannot read.",
    422: "The indexer refused the file (no text, damaged...); it is not kept.",
    429: "Too many failed logins from this address: wait for Retry-After seconds.",
    503: "The knowledge base cannot be opened.",
    "default": "Anything else (500: the server's log has the details).",
}


def refusals(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The documented errors of a route (and the default one), all ``ErrorRecord``."""
    return {
        key: {"model": models.ErrorRecord, "description": REFUSALS[key]}
        for key in (*statuses, "default")
    }


def service(request: Request) -> Service:
    return request.app.state.service


Api = Annotated[Service, Depends(service)]


def add_routes(app: FastAPI) -> None:
    @app.get("/health", response_model=models.Health, responses=refusals(503))
    def health(api: Api) -> dict[str, Any]:
        """Up, and how many passages the knowledge base holds (no login needed)."""
        return {"status": "ok", "passages": api.passages()}

    @app.post(
        "/search",
        response_model=None,
        responses={200: {"model": models.SearchRecord}, **refusals(400, 401, 409, 429, 503)},
    )
    def search(request: models.SearchRequest, api: Api) -> dict[str, Any]:
        """The passages that answer a question, best first, with their locators."""
        return api.search(request)

    @app.post(
        "/ask",
        response_model=None,
        responses={200: {"model": models.AnswerRecord}, **refusals(400, 401, 409, 429, 503)},
    )
    def ask(request: models.AskRequest, api: Api) -> dict[str, Any]:
        """A cited answer: every sentence cites its source, or it says the sources do not
        cover the question (``supported`` false) and lists the closest documents."""
        return api.ask(request)

    @app.get(
        "/documents",
        response_model=None,
        responses={200: {"model": models.DocumentList}, **refusals(401, 429, 503)},
    )
    def documents(api: Api) -> dict[str, Any]:
        """The documents in the knowledge base, with metadata and passage counts."""
        return {"documents": api.documents()}

    @app.post(
        "/documents",
        status_code=201,
        response_model=None,
        responses={
            201: {"model": models.UploadRecord, "description": "Indexed."},
            200: {"model": models.UploadRecord, "description": "Already indexed, unchanged."},
            **refusals(400, 401, 413, 415, 422, 429, 503),
        },
    )
    def upload(
        file: Annotated[UploadFile, File(description="A PDF, Word, HTML, Markdown or text file.")],
        meta: Annotated[models.UploadForm, Form()],
        api: Api,
        response: Response,
    ) -> dict[str, Any]:
        """Add a file to the knowledge base (as the app's Library does), with optional
        metadata: 201 when it is indexed, 200 when the same file already was."""
        record = api.upload(file.filename or "upload", file.file, meta.model_dump())
        response.status_code = 201 if record["indexed"] else 200
        return record

    @app.delete(
        "/documents/{doc_id}",
        response_model=models.RemovedRecord,
        responses=refusals(401, 404, 429, 503),
    )
    def remove(doc_id: str, api: Api) -> dict[str, Any]:
        """Remove a document (and its file, when it was uploaded)."""
        return api.remove(doc_id)


def validation_message(exc: RequestValidationError) -> str:
    """pydantic's first complaint in one line: ``k: Input should be less than or equal
    to 50``."""
    errors = exc.errors()
    if not errors:
        return "the request is not valid"
    first = errors[0]
    if first.get("type") == "json_invalid":
        return "the body is not valid JSON"
    where = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path")]
    message = str(first.get("msg", "not valid")).removeprefix("Value error, ")
    return f"{'.'.join(where)}: {message}" if where else f"the request body: {message}"


def add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def refused(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"error": exc.message}, status_code=exc.status)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"error": str(exc.detail)}, exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"error": validation_message(exc)}, status_code=400)

    @app.exception_handler(Exception)
    async def failed(request: Request, exc: Exception) -> JSONResponse:
        # Starlette raises it again after this answer: the server logs the traceback.
        return JSONResponse({"error": "internal error (see the server's log)"}, status_code=500)


def create_app(
    settings: Settings,
    assistant: Assistant | None = None,
    worker: IndexWorker | None = None,
    throttle: LoginThrottle | None = None,
) -> FastAPI:
    """The API over the store of ``settings``; ``assistant``, ``worker`` and ``throttle``
    are shared when given (the web app's), else made: the assistant at the first request."""
    app = FastAPI(title="Vigilance API", description=DESCRIPTION, version=_version())
    app.state.service = Service(settings, assistant, worker)
    max_upload = int(settings.max_file_mb * 1024 * 1024)
    throttle = throttle or LoginThrottle()
    app.add_middleware(Guard, pair=settings.auth_pair, throttle=throttle, max_upload=max_upload)
    add_error_handlers(app)
    add_routes(app)
    return app


def mounted(assistant: Assistant, worker: IndexWorker, throttle: LoginThrottle) -> FastAPI:
    """The API over the web app's assistant, indexing worker and login throttle."""
    return create_app(assistant.settings, assistant, worker, throttle)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("vigilance")
    except PackageNotFoundError:  # a source checkout that was never installed
        return "0"


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8080) -> None:
    """Serve the API until interrupted. OSError when the address cannot be bound."""
    import uvicorn

    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))  # here, so that a port taken is one line, not uvicorn's exit
    app = create_app(settings)
    shown = "127.0.0.1" if host in ("127.0.0.1", "localhost") else host
    print(f"Vigilance API: http://{shown}:{port}/ (reference: /docs)", file=sys.stderr, flush=True)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        app.state.service.close()
        sock.close()
