"""What stands in front of every route of the API: the login and a cap on request sizes.

With ``VIGILANCE_AUTH=user:password`` every request but ``GET /health`` needs HTTP Basic
credentials, compared in constant time. Wrong ones count as failed logins in the app's
``LoginThrottle`` (``assistant.web.login``; ``vigilance serve`` shares one between the app
and the API): after five, the client's address is refused with 429 for 1 s, doubling with
each further failure up to 15 minutes, the right password included while locked. A request
without credentials is told to log in (401) and does not count.

A body over the limit (an upload over ``VIGILANCE_MAX_FILE_MB``, or 1 MB for anything else)
is refused with 413 before it is read when it says its length (an upload's refusal names
the file, from the start of the body), and as soon as it passes the limit when it does not.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
import secrets
from typing import Any

from fastapi import HTTPException
from starlette.responses import JSONResponse

from assistant.web.i18n import text
from assistant.web.login import LoginThrottle, lockout_message

OPEN_PATHS = ("/health",)  # answered without a login: for monitors and load balancers
UPLOAD_PATHS = ("/documents", "/documents/")
MAX_BODY = 1024 * 1024  # bytes of a request that is not an upload: questions are short
FORM_OVERHEAD = 64 * 1024  # bytes of a multipart upload beyond its file (fields, boundaries)
LOGIN = "log in with HTTP Basic auth (the user and password of VIGILANCE_AUTH)"
WRONG = "wrong user name or password"


def route_path(scope: dict[str, Any]) -> str:
    """The path inside the API, also when it is mounted (``/api/health`` -> ``/health``)."""
    path, root = scope.get("path", ""), scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


def credentials(scope: dict[str, Any]) -> tuple[str, str] | None:
    """The user and password of a Basic ``Authorization`` header; None without one (or
    with one that is not Basic, or not base64 of ``user:password``)."""
    headers = dict(scope.get("headers") or [])
    scheme, _, token = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
    if scheme.casefold() != "basic":
        return None
    try:
        user, colon, password = (
            base64.b64decode(token.strip(), validate=True).decode().partition(":")
        )
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (user, password) if colon else None


def same(given: str, expected: str) -> bool:
    return secrets.compare_digest(given.encode(), expected.encode())


def refusal(status: int, message: str, **headers: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def too_large(limit: int) -> str:
    return f"the request is over the {limit / 1048576:g} MB limit"


async def upload_refusal(receive: Any, length: int, max_file: int) -> JSONResponse:
    """413 for an upload whose length is over the limit, naming its file (said in the
    first part's headers, at the start of the body) as the app's uploads do."""
    head, more, found = b"", True, None
    while more and found is None and len(head) < 65536:  # the part's headers, then stop
        message = await receive()
        head += message.get("body", b"")
        more = message.get("more_body", False)
        found = re.search(rb'filename="([^"\r\n]*)"', head)
    name = found.group(1).decode("utf-8", "replace") if found else "the upload"
    name = re.split(r"[\\/]", name)[-1]  # a name, never a client's folders
    size, limit = f"{length / 1048576:.1f}", f"{max_file / 1048576:.0f}"
    return refusal(413, text("upload.too_large", "en", name=name, size=size, limit=limit))


class Guard:
    """ASGI middleware: the login (when ``pair`` is set) and the body limits."""

    def __init__(
        self,
        app: Any,
        pair: tuple[str, str] | None,
        throttle: LoginThrottle,
        max_upload: int,
    ) -> None:
        self.app, self.pair, self.throttle = app, pair, throttle
        self.max_file, self.max_upload = max_upload, max_upload + FORM_OVERHEAD

    def login(self, scope: dict[str, Any]) -> JSONResponse | None:
        """None when the request may go on, else the refusal to send."""
        if self.pair is None or route_path(scope) in OPEN_PATHS:
            return None
        given = credentials(scope)
        if given is None:
            return refusal(401, LOGIN, **{"WWW-Authenticate": 'Basic realm="Vigilance"'})
        client = str((scope.get("client") or ("unknown",))[0])
        allowed, wait = self.throttle.attempt(client)
        if not allowed:  # locked: the right password waits too
            message = lockout_message(wait) if wait else "Too many logins at once; try again."
            return refusal(429, message, **{"Retry-After": str(max(1, math.ceil(wait)))})
        # Both compared, always: the time taken says nothing about which one was wrong.
        ok = same(given[0], self.pair[0]) & same(given[1], self.pair[1])
        self.throttle.done(client, ok)
        if not ok:
            return refusal(401, WRONG, **{"WWW-Authenticate": 'Basic realm="Vigilance"'})
        return None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refused = self.login(scope)
        upload = route_path(scope) in UPLOAD_PATHS
        limit = self.max_upload if upload else MAX_BODY
        length = dict(scope.get("headers") or []).get(b"content-length", b"")
        if refused is None and length.isdigit() and int(length) > limit:
            if upload:
                refused = await upload_refusal(receive, int(length), self.max_file)
            else:
                refused = refusal(413, too_large(limit))
        if refused is not None:
            await refused(scope, receive, send)
            return
        read = 0

        async def counted() -> dict[str, Any]:
            nonlocal read
            message = await receive()
            read += len(message.get("body", b""))
            if read > limit:  # a body that did not say its length, or lied about it
                raise HTTPException(413, too_large(limit))
            return message

        await self.app(scope, counted, send)
