"""``python -m evals.load``: the web app under load, as a delegation's meeting room would use it.

Starts ``vigilance serve`` on a free port of 127.0.0.1 against a copy of the evaluation
store (or ``--store DIR``), uploads a document through the app's ``/upload`` endpoint and,
while it is being indexed, has ``--users`` simultaneous users each ask ``--questions``
questions through the ``/ask`` endpoint; then the same users and questions again with the
indexer idle. Prints one JSON object: errors (must be 0), p50/p95 latency of both rounds
(and of the calls that fell wholly within indexing), indexing time, and the server's peak
RSS (children included). Exits 1 when any request failed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evals.questions import QUESTIONS
from indexer.settings import REPO_ROOT, Settings


@dataclass
class Call:
    user: int
    question: str
    start: float
    end: float
    error: str = ""


@dataclass
class IndexJob:
    start: float = 0.0
    end: float = 0.0
    status: str = ""
    error: str = ""
    calls: list[Call] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) by linear interpolation; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo, hi = int(pos), min(int(pos) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def latency_ms(calls: Sequence[Call]) -> dict[str, float | int | None]:
    ms = [(c.end - c.start) * 1000 for c in calls if not c.error]
    r = lambda v: None if v is None else round(v, 1)  # noqa: E731
    return {
        "n": len(ms),
        "p50": r(percentile(ms, 50)),
        "p95": r(percentile(ms, 95)),
        "max": r(max(ms) if ms else None),
        "mean": r(statistics.fmean(ms) if ms else None),
    }


def load_questions(n: int) -> list[str]:
    """``n`` gold questions, languages interleaved (en, fr, es ...) so every user gets a mix."""
    by_lang: dict[str, list[str]] = {}
    with QUESTIONS.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                obj = json.loads(line)
                by_lang.setdefault(obj.get("language", "en"), []).append(obj["question"])
    pools = [by_lang[k] for k in sorted(by_lang)]
    out = []
    for i in range(n):
        pool = pools[i % len(pools)]
        out.append(pool[(i // len(pools)) % len(pool)])
    return out


def write_document(folder: Path, paragraphs: int) -> Path:
    """A fictional municipal procurement rule book, long enough to keep the indexer busy."""
    lines = ["Fictional procurement rules of the city of Larkspur", ""]
    topics = [
        "cleaning services",
        "school meals",
        "uniforms",
        "road works",
        "medical gloves",
        "solar panels",
        "catering",
        "security guards",
        "laundry",
        "construction",
    ]
    for i in range(1, paragraphs + 1):
        topic = topics[i % len(topics)]
        lines.append(
            f"{i}. Larkspur buyers of {topic} ask every bidder for the names of its labour agencies, "
            f"check that no worker paid a recruitment fee, and visit one site in {i % 7 + 2} without "
            f"notice during the contract. A supplier that hides a subcontractor loses the contract "
            f"and is excluded from tenders for {i % 3 + 1} years."
        )
        lines.append("")
    path = folder / "larkspur-procurement-rules.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def wait_until_up(
    url: str, proc: subprocess.Popen, timeout: float, log: Path | None = None
) -> None:
    """Return once ``url`` answers 200; RuntimeError (with the log's tail) if the app dies or stays silent."""
    tail = lambda: f":\n{log.read_text()[-3000:]}" if log and log.exists() else ""  # noqa: E731
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited with code {proc.returncode}{tail()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the app did not answer on {url} within {timeout:.0f} s{tail()}")


class RssSampler(threading.Thread):
    """Peak resident memory of a process and its children, sampled every ``every`` seconds."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        super().__init__(daemon=True)
        import psutil

        self.proc = psutil.Process(pid)
        self.every = every
        self.peak = 0
        self._stop_event = threading.Event()

    def sample(self) -> int:
        import psutil

        total = 0
        for p in [self.proc, *self.proc.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                continue  # a child that just ended
        return total

    def run(self) -> None:
        while not self._stop_event.is_set():
            try:
                self.peak = max(self.peak, self.sample())
            except Exception:  # the server is gone: keep the peak seen so far
                return
            self._stop_event.wait(self.every)

    def stop(self) -> int:
        self._stop_event.set()
        self.join(timeout=2)
        return self.peak


def auth() -> tuple[str, str] | None:
    user, sep, password = os.environ.get("VIGILANCE_AUTH", "").partition(":")
    return (user, password) if sep and user and password else None


def client(url: str):
    from gradio_client import Client

    return Client(url, verbose=False, auth=auth(), download_files=False, analytics_enabled=False)


def run_user(
    url: str, user: int, questions: Sequence[str], calls: list[Call], lock: threading.Lock
) -> None:
    try:
        c = client(url)
    except Exception as exc:  # counted as one failed call per question
        with lock:
            now = time.monotonic()
            calls.extend(Call(user, q, now, now, f"connect: {exc}") for q in questions)
        return
    for q in questions:
        start = time.monotonic()
        error = ""
        try:
            answer = c.predict(q, api_name="/ask")
            if not isinstance(answer, dict) or "answer" not in answer:
                error = f"unexpected response {str(answer)[:80]!r}"
            elif answer.get("supported") and not answer.get("citations"):
                error = "supported answer without citations"
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"[:200]
        with lock:
            calls.append(Call(user, q, start, time.monotonic(), error))


def run_users(url: str, pool: Sequence[str], users: int, per_user: int) -> tuple[list[Call], float]:
    """``users`` threads at once, each asking its ``per_user`` questions one after another."""
    calls: list[Call] = []
    lock = threading.Lock()
    threads = [
        threading.Thread(
            target=run_user, args=(url, u, pool[u * per_user : (u + 1) * per_user], calls, lock)
        )
        for u in range(users)
    ]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return calls, time.monotonic() - t0


def run_index(url: str, doc: Path, job: IndexJob) -> None:
    from gradio_client import handle_file

    job.start = time.monotonic()
    try:
        result = client(url).predict(
            [handle_file(str(doc))],
            "Larkspur procurement rules",
            "regulation",
            "ZZ",
            2025,
            "yes",
            "en",
            api_name="/upload",
        )
        status = str(result[0] if isinstance(result, (list, tuple)) else result)
        job.status = re.sub(r"<[^>]+>", " ", status).strip()  # the app's status is HTML
        if "1 indexed" not in job.status:
            job.error = f"indexing did not report the document: {job.status[:200]}"
    except Exception as exc:
        job.error = f"{type(exc).__name__}: {exc}"[:200]
    job.end = time.monotonic()


def default_store() -> Path:
    return Settings.from_env().home / "eval-store"


def prepare_store(store: Path, in_place: bool, work: Path) -> Path:
    """The store the app serves: a copy (uploads must not change the evaluation store)."""
    if not (store / "store" / "manifest.json").exists():
        raise SystemExit(
            f"no index in {store}: build the evaluation store with 'python -m evals' "
            "or pass --store DIR (a Vigilance data directory)"
        )
    if in_place:
        return store
    copy = work / "store-copy"
    shutil.copytree(store / "store", copy / "store")
    return copy


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m evals.load", description=__doc__.splitlines()[0])
    p.add_argument("--store", help="data directory to serve (default: $VIGILANCE_HOME/eval-store)")
    p.add_argument(
        "--in-place",
        action="store_true",
        help="serve the store itself, not a copy (the upload stays in it)",
    )
    p.add_argument("--users", type=int, default=10, help="simultaneous users")
    p.add_argument("--questions", type=int, default=5, help="questions per user")
    p.add_argument(
        "--paragraphs", type=int, default=60, help="paragraphs of the document indexed meanwhile"
    )
    p.add_argument("--startup-timeout", type=float, default=300.0)
    return p.parse_args(argv)


def start_server(
    home: Path, port: int, log: Any, env: dict[str, str] | None = None
) -> subprocess.Popen:
    """``vigilance serve`` on ``home`` at 127.0.0.1:``port``, its output going to ``log``
    (``env``: the server's environment, default this one's)."""
    env = {**(os.environ if env is None else env), "GRADIO_ANALYTICS_ENABLED": "False"}
    command = [
        sys.executable,
        "-m",
        "assistant.cli",
        "serve",
        "--port",
        str(port),
        "--store",
        str(home),
    ]
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=REPO_ROOT)


def stop_server(proc: subprocess.Popen) -> None:
    """Ask the server to stop, and kill it if it has not within 20 s."""
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="vigilance-load-"))
    proc = None
    try:
        home = prepare_store(
            Path(args.store) if args.store else default_store(), args.in_place, work
        )
        doc = write_document(work, args.paragraphs)
        port = free_port()
        url = f"http://127.0.0.1:{port}/"
        log = (work / "server.log").open("w")
        t0 = time.monotonic()
        proc = start_server(home, port, log)
        wait_until_up(url, proc, args.startup_timeout)
        startup = time.monotonic() - t0
        sampler = RssSampler(proc.pid)
        sampler.start()
        idle_rss = sampler.sample()

        job = IndexJob()
        indexer = threading.Thread(target=run_index, args=(url, doc, job))
        indexer.start()
        time.sleep(1.0)  # the upload is in and the indexer has started before users arrive
        pool = load_questions(args.users * args.questions)
        calls, users_seconds = run_users(url, pool, args.users, args.questions)
        indexer.join()
        # The same questions again with the indexer idle: what indexing costs the users.
        quiet, _ = run_users(url, pool, args.users, args.questions)
        peak = sampler.stop()

        during = [c for c in calls if job.start <= c.start and c.end <= job.end]
        errors = [c for c in calls + quiet if c.error]
        result: dict[str, Any] = {
            "users": args.users,
            "questions": len(calls) + len(quiet),
            "errors": len(errors) + (1 if job.error else 0),
            "error_samples": [c.error for c in errors[:5]] + ([job.error] if job.error else []),
            "latency_ms": latency_ms(calls),  # the users who arrived while a document was indexed
            "latency_ms_during_indexing": latency_ms(during),
            "latency_ms_indexer_idle": latency_ms(quiet),
            "throughput_qps": round(len(calls) / users_seconds, 2) if users_seconds else None,
            "indexing": {
                "seconds": round(job.end - job.start, 1),
                "status": job.status.strip()[:200],
                "paragraphs": args.paragraphs,
            },
            "server_startup_seconds": round(startup, 1),
            "server_rss_mb": {
                "idle": round(idle_rss / 1048576, 1),
                "peak": round(peak / 1048576, 1),
            },
            "cpus": os.cpu_count(),
            "loadavg": round(os.getloadavg()[0], 2),
            "store": home.name,  # the folder's name only: no path of this machine in results
        }
        print(json.dumps(result, ensure_ascii=False, indent=2))
        if result["errors"]:
            log.flush()
            tail = (work / "server.log").read_text(errors="replace").splitlines()[-60:]
            print("server log (last lines):\n" + "\n".join(tail), file=sys.stderr)
        return 1 if result["errors"] else 0
    finally:
        if proc is not None:
            stop_server(proc)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
