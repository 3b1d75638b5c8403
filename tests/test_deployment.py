"""A deployment several users share, for real: a ``chroma run`` server, a folder indexed into
it with ``vigilance index``, then ``vigilance api`` and ``vigilance serve`` answering from it
behind a login, every one a process on 127.0.0.1, as ``deploy/compose.yaml`` runs them in
containers (no container runtime is needed here); ``deploy/run-local.sh`` started and stopped
with Ctrl-C; and the compose file kept in step with the command line and the pinned Chroma."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import click
import httpx
import pytest
import yaml

from assistant.cli import main as cli
from indexer.settings import REPO_ROOT
from tests.conftest import free_port, vigilance
from tests.test_http_api import running
from tests.test_server_mode import chroma_server  # noqa: F401  (a fixture: the Chroma server)

DEPLOY = REPO_ROOT / "deploy"
AUTH = ("delegate", "s3cret")

ACT = """Fictional Lakeland Public Procurement (Forced Labour) Act 2025

PART 2
Exclusion of bidders

Section 4
(1) A contracting authority must exclude from a tender any bidder that has been convicted of forced labour by a final judgment within the previous five years.
(2) A contracting authority may admit the bidder again once it proves that it has paid the workers concerned what they were owed.
"""
GUIDANCE = """# Fictional Northmere guidance on supplier audits

1. Buyers of the fictional county of Northmere audit the payslips of a sample of each cleaning supplier's workers every year.
"""
UPLOAD = """# Fictional Brackenford catering contracts rules

1. Suppliers of school meals to the fictional city of Brackenford must pay the recruitment fees of their migrant cooks themselves and never charge them to the workers.
"""
EXCLUDE = "Must a contracting authority exclude a bidder convicted of forced labour?"
AUDIT = "How often are the payslips of cleaning workers audited?"
FEES = "Who pays the recruitment fees of migrant cooks?"


@pytest.fixture
def laws(tmp_path) -> Path:
    """A user's folder of two small documents."""
    folder = tmp_path / "laws"
    folder.mkdir()
    (folder / "lakeland-act.txt").write_text(ACT, encoding="utf-8")
    (folder / "northmere-guidance.md").write_text(GUIDANCE, encoding="utf-8")
    return folder


def top_hit(client: httpx.Client, path: str, question: str) -> dict:
    response = client.post(path, json={"question": question, "k": 3}, auth=AUTH)
    assert response.status_code == 200, response.text
    hits = response.json()["hits"]
    assert hits, f"nothing found for {question!r}"
    return hits[0]


@pytest.mark.slow
def test_the_api_and_the_app_share_one_chroma_server(chroma_server, laws, tmp_path):  # noqa: F811
    server = {"VIGILANCE_CHROMA_URL": chroma_server}
    # Three homes: the processes share the server, not a disk. This needs the manifest kept
    # in the server (issue 14): kept on the indexer's disk, a process on another home finds
    # the passages but lists no document and counts no passage.
    indexer_home, api_home, app_home = (tmp_path / name for name in ("index", "api", "app"))
    api_home.mkdir()
    app_home.mkdir()

    indexed = vigilance(
        "index", str(laws), "-q", home=indexer_home, VIGILANCE_EMBED_CACHE="off", **server
    )
    assert indexed.returncode == 0, indexed.stderr
    assert "2 indexed" in indexed.stderr and "0 failed" in indexed.stderr
    assert not (indexer_home / "store" / "chroma").exists()  # the passages are on the server
    listed = vigilance("docs", "--json", home=indexer_home, **server)
    assert listed.returncode == 0, listed.stderr
    passages = sum(json.loads(line)["passages"] for line in listed.stdout.splitlines())
    assert passages >= 2

    login = {**server, "VIGILANCE_AUTH": ":".join(AUTH)}
    with (
        running(api_home, "api", **login) as api_server,
        running(app_home, "serve", **login) as app_server,
        httpx.Client(base_url=api_server.url, timeout=120) as api,
        httpx.Client(base_url=app_server.url, timeout=120) as app,
    ):
        # Both report the passages the indexer wrote to the server.
        health = api.get("/health")
        assert health.status_code == 200
        assert health.json() == {"status": "ok", "passages": passages}
        assert app.get("/api/health").json() == health.json()

        # Without the login, nothing but /health: in the API, the app's API and the app.
        assert api.post("/search", json={"question": EXCLUDE}).status_code == 401
        assert app.post("/api/search", json={"question": EXCLUDE}).status_code == 401
        assert app.get("/config").status_code == 401

        # The API finds a passage of each indexed document, with its locator.
        act = top_hit(api, "/search", EXCLUDE)
        assert (act["source_path"], act["locator"]) == ("lakeland-act.txt", "s. 4(1)")
        assert "convicted of forced labour" in act["text"]
        audit = top_hit(api, "/search", AUDIT)
        assert audit["source_path"] == "northmere-guidance.md"
        assert "payslips" in audit["text"]

        # A document uploaded through the API is found, listed and counted through the app.
        form = {"title": "Brackenford catering rules", "type": "guidance", "year": "2025"}
        files = {"file": ("Brackenford catering rules.md", UPLOAD.encode(), "text/markdown")}
        added = api.post("/documents", data=form, files=files, auth=AUTH)
        assert added.status_code == 201, added.text
        doc_id = added.json()["document"]["doc_id"]
        fees = top_hit(app, "/api/search", FEES)
        assert fees["doc_id"] == doc_id and "recruitment fees" in fees["text"]
        listed_by_app = app.get("/api/documents", auth=AUTH).json()["documents"]
        assert doc_id in {d["doc_id"] for d in listed_by_app}
        grown = passages + added.json()["passages"]
        assert app.get("/api/health").json()["passages"] == grown
        assert api.get("/health").json()["passages"] == grown

        # Answers are cited: every [n] has its citation, and the exclusion rule is one.
        asked = api.post("/ask", json={"question": EXCLUDE}, auth=AUTH)
        assert asked.status_code == 200, asked.text
        answer = asked.json()
        assert answer["supported"]
        markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer["answer"])}
        assert markers and markers == {c["n"] for c in answer["citations"]}
        assert ("lakeland-act.txt", "s. 4(1)") in {
            (c["source_path"], c["locator"]) for c in answer["citations"]
        }

        # A removal through the app is seen by the API. (The uploaded file itself stays in
        # the API's home: deploy/compose.yaml gives both services one home volume.)
        removed = app.delete(f"/api/documents/{doc_id}", auth=AUTH)
        assert removed.status_code == 200, removed.text
        assert removed.json()["removed"] == doc_id
        after = api.post("/search", json={"question": FEES, "k": 3}, auth=AUTH).json()["hits"]
        assert doc_id not in {h["doc_id"] for h in after}
        assert api.get("/health").json()["passages"] == passages

        # The app's page opens after the login.
        logged_in = app.post("/login", data={"username": AUTH[0], "password": AUTH[1]})
        assert logged_in.status_code == 200, logged_in.text
        assert app.get("/config").status_code == 200
        page = app.get("/")
        assert page.status_code == 200 and "Vigilance" in page.text


# -- deploy/run-local.sh ----------------------------------------------------------------------
def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.slow
def test_run_local_serves_a_folder_and_ctrl_c_stops_everything(laws, tmp_path):
    from evals.load import wait_until_up

    data = tmp_path / "deployment"
    ports = {name: free_port() for name in ("CHROMA_PORT", "API_PORT", "APP_PORT")}
    clean = {k: v for k, v in os.environ.items() if not k.startswith("VIGILANCE_")}
    env = {
        **clean,
        **{name: str(port) for name, port in ports.items()},
        # the environment these tests run in, whatever its path
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{clean.get('PATH', '')}",
        "DEPLOY_DATA": str(data),
        "VIGILANCE_AUTH": ":".join(AUTH),
    }
    output = tmp_path / "run-local.out"
    with output.open("w") as out:
        # As a terminal starts it: a process group of its own, Ctrl-C not ignored.
        script = subprocess.Popen(
            ["bash", str(DEPLOY / "run-local.sh"), str(laws)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
    api_url = f"http://127.0.0.1:{ports['API_PORT']}"
    app_url = f"http://127.0.0.1:{ports['APP_PORT']}"
    servers: dict[str, int] = {}
    try:
        for url in (f"{api_url}/health", f"{app_url}/"):
            try:
                wait_until_up(url, script, 150, output)
            except RuntimeError as exc:
                pytest.fail(str(exc))
        servers = {
            name: int((data / "run" / f"{name}.pid").read_text())
            for name in ("chroma", "api", "app")
        }
        assert all(alive(pid) for pid in servers.values()), servers

        health = httpx.get(f"{api_url}/health", timeout=30).json()
        assert health["passages"] >= 2
        with httpx.Client(base_url=app_url, timeout=120) as app:
            assert app.post("/api/search", json={"question": EXCLUDE}).status_code == 401
            act = top_hit(app, "/api/search", EXCLUDE)
            assert (act["source_path"], act["locator"]) == ("lakeland-act.txt", "s. 4(1)")
        said = output.read_text()
        assert f"app      {app_url}/" in said and "Ctrl-C stops it" in said
        assert (data / "chroma").is_dir() and (data / "home").is_dir()

        os.killpg(script.pid, signal.SIGINT)  # what Ctrl-C in its terminal does
        assert script.wait(timeout=60) == 130
        assert not [name for name, pid in servers.items() if alive(pid)]
        assert not list((data / "run").glob("*.pid"))
        assert {p.name for p in (data / "logs").iterdir()} == {"chroma.log", "api.log", "app.log"}
    finally:
        if script.poll() is None:
            script.terminate()  # the script stops the servers it started...
            try:
                script.wait(timeout=60)
            except subprocess.TimeoutExpired:  # ...unless stuck in its indexing step
                os.killpg(script.pid, signal.SIGKILL)
                script.wait()
        pidfiles = (data / "run").glob("*.pid") if (data / "run").is_dir() else []
        for pid in {*servers.values(), *(int(f.read_text()) for f in pidfiles)}:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


# -- deploy/compose.yaml ----------------------------------------------------------------------
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def pinned(package: str) -> str:
    lock = (REPO_ROOT / "requirements.lock").read_text(encoding="utf-8")
    (version,) = re.findall(rf"^{re.escape(package)}==(\S+)$", lock, flags=re.MULTILINE)
    return version


def test_compose_runs_the_pinned_chroma_inside_its_network_only():
    chroma = compose()["services"]["chroma"]
    assert chroma["image"] == f"chromadb/chroma:{pinned('chromadb')}"  # client and server agree
    assert "ports" not in chroma  # reached by the other services, not from outside
    assert "chroma-data:/data" in chroma["volumes"]
    assert chroma["command"][chroma["command"].index("--path") + 1] == "/data"


@pytest.mark.parametrize("name", ["api", "app", "indexer"])
def test_compose_services_run_commands_the_cli_has_against_the_server(name):
    spec = compose()
    service = spec["services"][name]
    program, *args = service["command"]
    assert program == "vigilance"
    # The command line as the container runs it: an unknown command, option or value fails.
    with click.Context(cli) as ctx:
        command = cli.get_command(ctx, args[0])
        assert command is not None, f"vigilance has no command {args[0]!r}"
        command.make_context(args[0], list(args[1:]))
    assert service["environment"]["VIGILANCE_CHROMA_URL"] == "http://chroma:8000"
    assert service["env_file"] == "vigilance.env"  # the login, kept out of this file
    home = service["environment"]["VIGILANCE_HOME"]
    assert f"vigilance-home:{home}" in service["volumes"]  # uploads and cache, shared
    assert set(spec["volumes"]) == {"chroma-data", "vigilance-home"}
    assert service["depends_on"]["chroma"]["condition"] == "service_healthy"


def test_compose_publishes_the_api_and_the_app_on_this_machine_only():
    services = compose()["services"]
    assert services["api"]["ports"] == ["127.0.0.1:8080:8080"]
    assert services["app"]["ports"] == ["127.0.0.1:7860:7860"]
    assert "ports" not in services["indexer"] and services["indexer"]["profiles"] == ["index"]
    example = (DEPLOY / "vigilance.env.example").read_text(encoding="utf-8")
    assert re.search(r"^VIGILANCE_AUTH=\S+:\S+$", example, flags=re.MULTILINE)


def test_the_image_installs_as_make_install_does():
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    (torch,) = re.findall(r'"(torch==[^"]+)"', makefile)
    steps = [torch, "-r requirements.lock", "--no-deps -e ."]
    at = [dockerfile.find(step) for step in steps]
    assert -1 not in at, dict(zip(steps, at, strict=True))
    assert at == sorted(at), "torch first, then the lock, then the project"
    assert "--index-url https://download.pytorch.org/whl/cpu" in dockerfile
    assert dockerfile.startswith("#") and "FROM python:3.11-slim" in dockerfile
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", ".git", "deploy/vigilance.env"} <= set(ignored)  # no login in the image
