"""Login throttling: after a few failed logins, a client waits, twice as long each time.

Gradio checks ``VIGILANCE_AUTH`` in its own ``POST /login`` route and gives a password
checker only the user name and password, never the client. So ``LoginGuard`` sits in front
of that route as ASGI middleware (``launch`` passes it to gradio's FastAPI app): it asks
``LoginThrottle`` whether the client (its IP address) may try, refuses with 429 and
"Too many failed logins; try again in N seconds." while it is locked (the right password
too), and tells the throttle how gradio answered.

``LoginThrottle`` is plain Python with an injectable clock. It never lets more attempts of
one client be checked at once than it has free failures left (one at a time once they are
used up), so a burst of parallel attempts gets no more tries than a sequence would; the
guard holds the extra ones back briefly instead of refusing them, so several people
behind one address can still log in together.
"""

from __future__ import annotations

import asyncio
import json
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

FREE_FAILURES = 5  # failures before the first lock
BASE_LOCK = 1.0  # seconds: the first lock; each further failure doubles it
MAX_LOCK = 15 * 60.0  # seconds: the longest lock
FORGET_AFTER = 3600.0  # seconds without an attempt after which a client starts afresh
MAX_CLIENTS = 10_000  # records kept; the oldest are dropped beyond this
LOGIN_PATHS = ("/login", "/login/")


def lockout_message(seconds: float) -> str:
    """What a locked client is told, in whole seconds (rounded up)."""
    n = max(1, math.ceil(seconds))
    return f"Too many failed logins; try again in {n} second{'s' if n != 1 else ''}."


def login_notice(throttle: LoginThrottle) -> str:
    """The line shown on the login page, so a locked-out user knows why nothing happens."""
    return (
        f"After {throttle.free_failures} failed logins, logins from your address are refused "
        f"for {throttle.base:g} s, then twice as long after each further failure "
        f"(at most {throttle.maximum / 60:g} min)."
    )


@dataclass
class _Record:
    failures: int = 0
    checking: int = 0  # attempts let through and not yet answered
    locked_until: float = 0.0
    last: float = 0.0


class LoginThrottle:
    """Exponential back-off per client: ``free_failures`` failures are free, then the
    client is locked for ``base`` seconds, doubling with each further failure up to
    ``maximum``. A success resets the client; so does ``forget_after`` seconds of quiet.

    ``attempt`` says whether a login may be checked now; each one let through must be
    answered with ``done``.
    """

    def __init__(
        self,
        free_failures: int = FREE_FAILURES,
        base: float = BASE_LOCK,
        maximum: float = MAX_LOCK,
        forget_after: float = FORGET_AFTER,
        max_clients: int = MAX_CLIENTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if free_failures < 1 or base <= 0 or maximum < base or max_clients < 1:
            raise ValueError("free_failures >= 1, 0 < base <= maximum, max_clients >= 1")
        self.free_failures, self.base, self.maximum = free_failures, base, maximum
        self.forget_after = max(forget_after, maximum)  # never forget a client still locked
        self.max_clients = max_clients
        self.clock = clock
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()

    def lock_for(self, failures: int) -> float:
        """Seconds of lock after ``failures`` failures in a row (0: none)."""
        extra = failures - self.free_failures
        if extra < 0:
            return 0.0
        return min(self.base * 2.0 ** min(extra, 64), self.maximum)

    def _current(self, client: str, now: float) -> _Record | None:
        rec = self._records.get(client)
        if (
            rec is not None
            and not rec.checking
            and now >= rec.locked_until
            and now - rec.last >= self.forget_after
        ):
            del self._records[client]
            return None
        return rec

    def wait(self, client: str) -> float:
        """Seconds ``client`` must still wait (0: not locked)."""
        now = self.clock()
        with self._lock:
            rec = self._current(client, now)
            return max(rec.locked_until - now, 0.0) if rec else 0.0

    def attempt(self, client: str) -> tuple[bool, float]:
        """``(True, 0)``: check this login now, then call ``done``. ``(False, seconds)``:
        the client is locked for that long. ``(False, 0)``: as many of its attempts as it
        may have are being checked; ask again in a moment."""
        now = self.clock()
        with self._lock:
            rec = self._current(client, now)
            if rec is None:
                rec = self._records[client] = _Record(last=now)
                self._prune(now)
            if now < rec.locked_until:
                return False, rec.locked_until - now
            room = max(self.free_failures - rec.failures, 1)
            if rec.checking >= room:
                return False, 0.0
            rec.checking += 1
            rec.last = now
            return True, 0.0

    def done(self, client: str, ok: bool) -> None:
        """The answer to an attempt let through: a success forgets the client's failures,
        a failure counts and, past the free ones, locks the client."""
        now = self.clock()
        with self._lock:
            rec = self._records.setdefault(client, _Record(last=now))
            rec.checking = max(rec.checking - 1, 0)
            rec.last = now
            if ok:
                rec.failures, rec.locked_until = 0, 0.0
                if not rec.checking:
                    del self._records[client]
                return
            rec.failures += 1
            lock = self.lock_for(rec.failures)
            if lock:
                rec.locked_until = max(rec.locked_until, now + lock)

    def clients(self) -> int:
        """How many clients have a record (for tests and monitoring)."""
        with self._lock:
            return len(self._records)

    def _prune(self, now: float) -> None:
        if len(self._records) <= self.max_clients:
            return
        for client in [c for c in self._records if self._current(c, now) is None]:
            self._records.pop(client, None)
        idle = [c for c, r in self._records.items() if not r.checking]
        for client in sorted(idle, key=lambda c: self._records[c].last):  # oldest first
            if len(self._records) <= self.max_clients:
                break
            del self._records[client]


class LoginGuard:
    """ASGI middleware: ``POST /login`` goes through ``throttle``; everything else passes.

    An attempt that must wait for the client's other attempts to be checked is held back
    (polling every ``poll`` seconds, at most ``hold`` seconds), not refused."""

    def __init__(
        self,
        app: Any,
        throttle: LoginThrottle | None = None,
        hold: float = 10.0,
        poll: float = 0.05,
    ) -> None:
        self.app = app
        self.throttle = throttle or LoginThrottle()
        self.hold, self.poll = hold, poll

    @staticmethod
    def is_login(scope: dict[str, Any]) -> bool:
        if scope.get("type") != "http" or scope.get("method") != "POST":
            return False
        path, root = scope.get("path", ""), scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :]
        return path in LOGIN_PATHS

    async def admit(self, client: str) -> tuple[bool, float]:
        """The throttle's verdict, once the client's other attempts leave room."""
        deadline = time.monotonic() + self.hold
        while True:
            allowed, wait = self.throttle.attempt(client)
            if allowed or wait > 0 or time.monotonic() >= deadline:
                return allowed, wait
            await asyncio.sleep(self.poll)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if not self.is_login(scope):
            await self.app(scope, receive, send)
            return
        client = str((scope.get("client") or ("unknown",))[0])
        allowed, wait = await self.admit(client)
        if not allowed:
            await refuse(send, wait)
            return
        status: list[int] = []

        async def watch(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status.append(int(message["status"]))
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            self.throttle.done(client, bool(status) and 200 <= status[0] < 300)


async def refuse(send: Any, wait: float) -> None:
    """A 429 response with the lock-out message (JSON ``detail``) and ``Retry-After``;
    ``wait`` 0 means too many attempts at once rather than a lock."""
    detail = lockout_message(wait) if wait > 0 else "Too many logins at once; try again."
    body = json.dumps({"detail": detail}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"retry-after", str(max(1, math.ceil(wait))).encode()),
    ]
    await send({"type": "http.response.start", "status": 429, "headers": headers})
    await send({"type": "http.response.body", "body": body})
