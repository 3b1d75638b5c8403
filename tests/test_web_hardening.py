"""The web app's hardening: failed logins are throttled per client (the throttle with a
fake clock, the guard in front of an ASGI app, and the real ``vigilance serve`` with
``VIGILANCE_AUTH``), messages never show the server's absolute paths, and refused
uploads leave nothing behind in ``uploads/`` while the user's own files stay untouched."""

from __future__ import annotations

import re
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from assistant.web.login import LoginGuard, LoginThrottle, lockout_message
from assistant.web.paths import public_path, public_text
from assistant.web.uploads import UploadError, place_upload
from indexer.settings import Settings

LOCKED = re.compile(r"^Too many failed logins; try again in (\d+) seconds?\.$")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def fail(throttle: LoginThrottle, client: str = "10.0.0.1") -> float:
    """One wrong password: 0 if it was checked, else the seconds the client must wait."""
    allowed, wait = throttle.attempt(client)
    if allowed:
        throttle.done(client, ok=False)
    return wait


# -- the throttle ---------------------------------------------------------------------------


def test_five_failures_are_free_then_the_lock_doubles_up_to_the_maximum():
    clock = Clock()
    throttle = LoginThrottle(free_failures=5, base=1.0, maximum=8.0, clock=clock)
    assert [fail(throttle) for _ in range(4)] == [0.0] * 4
    assert fail(throttle) == 0.0  # the fifth is checked, and locks for 1 s
    assert throttle.wait("10.0.0.1") == pytest.approx(1.0)
    clock.now += 0.4
    assert fail(throttle) == pytest.approx(0.6)  # refused, and not counted
    locks = []
    for _ in range(6):
        clock.now += throttle.wait("10.0.0.1")
        assert fail(throttle) == 0.0
        locks.append(throttle.wait("10.0.0.1"))
    assert locks == pytest.approx([2.0, 4.0, 8.0, 8.0, 8.0, 8.0])
    assert throttle.lock_for(10_000) == 8.0  # no overflow however long it goes on


def test_a_success_resets_the_client_and_clients_are_apart():
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    for _ in range(5):
        fail(throttle)
    assert throttle.attempt("10.0.0.1") == (False, pytest.approx(1.0))  # even the right one
    assert throttle.attempt("10.0.0.2") == (True, 0.0)  # another client is not locked
    clock.now += 1.0
    assert throttle.attempt("10.0.0.1") == (True, 0.0)
    throttle.done("10.0.0.1", ok=True)
    assert throttle.wait("10.0.0.1") == 0.0
    assert [fail(throttle) for _ in range(5)] == [0.0] * 5  # five free failures again


def test_a_quiet_client_is_forgotten_and_records_stay_bounded():
    clock = Clock()
    throttle = LoginThrottle(forget_after=3600, max_clients=50, clock=clock)
    for _ in range(5):
        fail(throttle)
    clock.now += 3600
    assert [fail(throttle) for _ in range(5)] == [0.0] * 5
    for i in range(500):
        fail(throttle, f"192.0.2.{i}")
    assert throttle.clients() <= 50
    with pytest.raises(ValueError):
        LoginThrottle(base=0)


def test_a_parallel_burst_gets_five_checks_not_sixty():
    """Sixty attempts at once: five are checked, the rest wait for their answers, and
    once those are failures the client is locked (one check at a time from then on)."""
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    start = threading.Barrier(60)

    def one(_):
        start.wait()
        return throttle.attempt("10.0.0.1")

    with ThreadPoolExecutor(60) as pool:
        verdicts = list(pool.map(one, range(60)))
    assert verdicts.count((True, 0.0)) == 5 and verdicts.count((False, 0.0)) == 55
    for _ in range(4):
        throttle.done("10.0.0.1", ok=False)
    assert throttle.attempt("10.0.0.1") == (False, 0.0)  # the fifth answer is still due
    throttle.done("10.0.0.1", ok=False)
    assert throttle.attempt("10.0.0.1") == (False, pytest.approx(1.0))
    clock.now += 1.0
    assert throttle.attempt("10.0.0.1") == (True, 0.0)
    assert throttle.attempt("10.0.0.1") == (False, 0.0)


def test_people_behind_one_address_can_log_in_together():
    """Twelve right logins at once from one address, after three typos: the ones beyond
    the room left are held back a moment (the guard asks again), never locked out."""
    throttle = LoginThrottle(clock=Clock())
    for _ in range(3):
        fail(throttle, "203.0.113.9")
    waiting, rounds = 12, 0
    while waiting:
        rounds += 1
        verdicts = [throttle.attempt("203.0.113.9") for _ in range(waiting)]
        assert all(wait == 0.0 for _, wait in verdicts)
        admitted = sum(allowed for allowed, _ in verdicts)
        for _ in range(admitted):
            throttle.done("203.0.113.9", ok=True)
        waiting -= admitted
    assert rounds == 3 and throttle.clients() == 0


def test_lockout_message_counts_whole_seconds():
    assert lockout_message(0.2) == "Too many failed logins; try again in 1 second."
    assert lockout_message(2.01) == "Too many failed logins; try again in 3 seconds."
    assert LOCKED.match(lockout_message(900))


def test_the_guard_locks_login_only_and_lets_a_right_password_through_after():
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse, PlainTextResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    async def login(request):
        form = await request.form()
        if form.get("password") == "right":
            return JSONResponse({"success": True})
        return JSONResponse({"detail": "Incorrect credentials."}, status_code=400)

    async def page(request):
        return PlainTextResponse("page")

    clock = Clock()
    routes = [Route(path, login, methods=["POST"]) for path in ("/login", "/login/")]
    inner = Starlette(routes=[*routes, Route("/", page)])
    client = TestClient(LoginGuard(inner, LoginThrottle(clock=clock)))
    codes = [client.post("/login", data={"password": "wrong"}).status_code for _ in range(8)]
    assert codes == [400] * 5 + [429] * 3
    locked = client.post("/login", data={"password": "right"})
    assert locked.status_code == 429 and locked.headers["retry-after"] == "1"
    assert LOCKED.match(locked.json()["detail"])
    assert client.get("/").text == "page"  # the rest of the app is not throttled
    clock.now += 1.0
    assert client.post("/login/", data={"password": "right"}).status_code == 200
    assert client.post("/login", data={"password": "wrong"}).status_code == 400  # reset


# -- the real server --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def login_server(tmp_path_factory):
    """``vigilance serve`` with ``VIGILANCE_AUTH`` on an empty store, on 127.0.0.1."""
    import os

    from evals.load import start_server, stop_server, wait_until_up

    home = tmp_path_factory.mktemp("login-home")
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGILANCE_")}
    env.update(VIGILANCE_HOME=str(home), VIGILANCE_AUTH="delegate:s3cret")
    port = free_port()
    log_path = home / "server.log"
    with log_path.open("w") as log:
        proc = start_server(home, port, log, env)
        url = f"http://127.0.0.1:{port}"
        try:
            try:
                wait_until_up(url + "/", proc, 180, log_path)
            except RuntimeError as exc:
                pytest.fail(str(exc))
            yield url, log_path
        finally:
            stop_server(proc)


@pytest.mark.slow
def test_served_app_locks_out_a_flood_of_wrong_passwords(login_server):
    import httpx

    url, log_path = login_server
    assert "http://127.0.0.1:" in log_path.read_text()  # listening on the loopback only
    with httpx.Client(base_url=url, timeout=30, limits=httpx.Limits(max_connections=20)) as http:

        def login(password: str) -> httpx.Response:
            return http.post("/login", data={"username": "delegate", "password": password})

        notice = http.get("/config")
        assert notice.status_code == 401 and "After 5 failed logins" in notice.text

        started = time.monotonic()
        with ThreadPoolExecutor(20) as pool:
            burst = list(pool.map(lambda _: login("wrong"), range(20)))
        took = time.monotonic() - started
        checked = [r for r in burst if r.status_code == 400]
        refused = [r for r in burst if r.status_code == 429]
        assert len(checked) + len(refused) == 20
        # Five are checked; only a burst slower than the first lock (1 s) gets one more in.
        assert len(checked) == 5 if took < 1.0 else 5 <= len(checked) <= 7, took
        assert all(LOCKED.match(r.json()["detail"]) for r in refused)
        assert all(int(r.headers["retry-after"]) >= 1 for r in refused)

        time.sleep(max(int(r.headers["retry-after"]) for r in refused) + 0.2)
        assert login("wrong").status_code == 400  # let through, and the lock doubles
        locked = login("s3cret")
        assert locked.status_code == 429, "the right password must wait while locked"
        seconds = int(LOCKED.match(locked.json()["detail"]).group(1))
        assert seconds >= 2 and int(locked.headers["retry-after"]) == seconds
        assert "set-cookie" not in locked.headers

        time.sleep(seconds + 0.2)
        accepted = login("s3cret")
        assert accepted.status_code == 200 and accepted.json() == {"success": True}
        assert http.get("/config").status_code == 200  # the session cookie works
        assert login("wrong").status_code == 400  # a success starts the count afresh


# -- no server paths in messages ------------------------------------------------------------


def test_public_text_names_files_never_by_their_absolute_path(tmp_path):
    home = tmp_path / "home"
    uploads = home / "uploads"
    assert public_text(f"{uploads}/report.pdf: empty file", uploads, home) == (
        "report.pdf: empty file"
    )
    assert public_text(f"{home}/store/manifest.json: recovered", uploads, home) == (
        "store/manifest.json: recovered"
    )
    text = public_text(
        "duplicate id 'x' (also /srv/share/laws/x.md); cannot read: '/tmp/gradio/ab12/y.pdf'",
        uploads,
        home,
    )
    assert text == "duplicate id 'x' (also x.md); cannot read: 'y.pdf'"
    kept = "see https://example.org/a/b, and/or 1/2 or ./a/b"
    assert public_text(kept, uploads, home) == kept
    assert public_path(f"{uploads}/a.txt", uploads, home) == "a.txt"
    assert public_path("/opt/corpus/instruments/x.md", uploads, home) == "x.md"


def test_ask_api_names_sources_by_their_place_in_the_uploads_folder(tmp_path):
    from types import SimpleNamespace

    from assistant.answer import Answer
    from assistant.sources import Citation
    from assistant.web.ask import AskHandlers

    settings = Settings(home=tmp_path / "home")
    answer = Answer(
        question="q",
        answer="Text [1].",
        supported=True,
        confidence=0.9,
        language="en",
        citations=[Citation(n=1, source_path=str(settings.uploads_dir / "notice.txt"))],
    )
    assistant = SimpleNamespace(
        settings=settings, ask=lambda question, filters=None, as_of=None: answer
    )
    record = AskHandlers(assistant).api("Which suppliers must list their agencies?")
    assert record["citations"][0]["source_path"] == "notice.txt"
    assert str(tmp_path) not in str(record)


# -- refused uploads ------------------------------------------------------------------------


@pytest.fixture
def library(settings, embedder):
    from assistant.core import Assistant
    from assistant.retrieval import Retriever
    from assistant.web.library import LibraryHandlers
    from assistant.web.uploads import IndexWorker

    assistant = Assistant(settings, retriever=Retriever(settings, embedder=embedder), use_llm=False)
    worker = IndexWorker(settings, embedder)
    yield LibraryHandlers(settings, assistant, worker)
    worker.shutdown()


def upload(library, *paths: Path) -> str:
    status, *_ = library.upload(
        [str(p) for p in paths], "", "other", "", None, "unknown", "auto", progress=no_progress
    )
    return status


def no_progress(*args, **kwargs) -> None:
    return None


@pytest.mark.slow
def test_refused_uploads_are_named_and_not_kept_and_originals_untouched(
    library, settings, tmp_path
):
    picked = tmp_path / "picked"  # where gradio puts what the user chose
    picked.mkdir()
    empty = picked / "empty.pdf"
    empty.write_bytes(b"")
    binary = picked / "scan.txt"
    binary.write_bytes(bytes(range(256)) * 40)
    good = picked / "harbour-notice.txt"
    good.write_text(
        "Suppliers of the fictional Harbourtown port authority must list every labour "
        "agency they use before the contract is signed.\n",
        encoding="utf-8",
    )
    originals = {p: p.read_bytes() for p in (empty, binary, good)}

    status = upload(library, empty, binary, good)

    assert "empty.pdf" in status and "scan.txt" in status
    for secret in (str(settings.home), str(tmp_path), "/tmp/", str(Path.home())):
        assert secret not in status, secret
    assert sorted(p.name for p in settings.uploads_dir.iterdir()) == [
        "harbour-notice.txt",
        "harbour-notice.txt.yaml",
    ]
    assert {p: p.read_bytes() for p in originals} == originals

    again = upload(library, good)  # the same file again: kept, it is in the knowledge base
    assert "1 unchanged" in again and "not kept" not in again
    assert len(list(settings.uploads_dir.iterdir())) == 2  # no second copy either


@pytest.mark.slow
def test_uploads_refused_before_the_copy_or_half_copied_leave_nothing(
    library, settings, tmp_path, monkeypatch
):
    library.max_bytes = 1024 * 1024  # VIGILANCE_MAX_FILE_MB=1
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (1024 * 1024 + 1))
    exe = tmp_path / "tool.exe"
    exe.write_bytes(b"MZ")
    status = upload(library, big, exe)
    assert "big.txt" in status and "tool.exe" in status and str(tmp_path) not in status
    assert not settings.uploads_dir.exists() or not any(settings.uploads_dir.iterdir())

    doc = tmp_path / "notice.md"
    doc.write_text("# Notice\n\nSome text.\n", encoding="utf-8")

    def disk_full(fin, fout, *args):
        fout.write(b"partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("assistant.web.uploads.shutil.copyfileobj", disk_full)
    with pytest.raises(OSError):
        place_upload(doc, doc.name, settings.uploads_dir, 1024 * 1024)
    assert not any(settings.uploads_dir.iterdir())
    status = upload(library, doc)
    assert "notice.md: cannot store the file (No space left on device)" in status
    assert not any(settings.uploads_dir.iterdir())
    assert doc.read_text(encoding="utf-8") == "# Notice\n\nSome text.\n"
    with pytest.raises(UploadError):
        place_upload(exe, exe.name, settings.uploads_dir, 1024)
