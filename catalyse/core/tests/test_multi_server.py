"""The multi-server deployment of docs/operations.md, started for real: two application servers (gunicorn on two
loopback ports, each with its own data directory, as on two machines) and one task worker (`db_worker`), sharing
PostgreSQL (the database and the search engine) and Redis (the cache: data versions, rendered visitors' pages,
counts, rate limits). The test prepares the database and talks to the servers over HTTP only.

The servers and the worker must see what this test commits: the test uses pytest-django's test database with
`transaction=True` and points them at the same database name.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection

import catalyse
from catalyse.accounts.models import Role, TokenScope
from catalyse.accounts.services import api_token_create
from catalyse.accounts.tests.factories import UserFactory
from catalyse.conftest import IN_CI
from catalyse.initiatives.tests.factories import InitiativeFactory
from catalyse.search.models import OutboxEntry

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(catalyse.__file__).resolve().parent.parent
# A database number of its own (one per parallel test process): the test empties it before and after, and nothing
# else on the machine uses it.
REDIS_URL = f"redis://127.0.0.1:6379/{13 + int(os.environ.get('PYTEST_XDIST_WORKER', 'gw0')[2:])}"
WITHIN_S = 2.0  # what a visitor of another server may wait for a change (docs/operations.md)
START_TIMEOUT_S = 30.0
# The directory's count of organisations of general interest (counts are cached for visitors).
PROFILE_COUNT = 'for="f-profile-interet_general">Structure d&#x27;intérêt général (association, SIAE, fondation) ' \
                '<span class="facet-count" data-count>{}</span>'


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Process:
    """A subprocess in its own process group (gunicorn's master and workers die together), logging to a file."""

    name: str
    popen: subprocess.Popen
    log: Path

    def send_signal(self, sig: int) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, sig)

    def wait(self) -> None:
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.send_signal(signal.SIGKILL)
            self.popen.wait(timeout=10)

    def tail(self) -> str:
        return f"--- {self.name} (exit {self.popen.poll()}) ---\n" + self.log.read_text(errors="replace")[-3000:]


@dataclass
class Server:
    process: Process
    url: str

    def get(self, path: str, *, token: str | None = None) -> tuple[int, str]:
        return self.request("GET", path, token=token)

    def request(self, method: str, path: str, *, token: str | None = None, body: dict | None = None) -> tuple[int, str]:
        """A fresh client each time (no cookie kept): for pages, an anonymous visitor."""
        headers = {"Accept-Language": "fr"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(req, timeout=10) as response:  # noqa: S310  (our own loopback server)
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")


class Deployment:
    """Two servers and a worker with production settings, on the test database and a Redis database of their own."""

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.processes: list[Process] = []
        db = connection.settings_dict
        database_url = "postgres://{}:{}@{}:{}/{}".format(
            urllib.parse.quote(db["USER"]), urllib.parse.quote(db["PASSWORD"]), db["HOST"] or "127.0.0.1",
            db["PORT"] or 5432, db["NAME"])
        hidden = {"CATALYSE_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG", "CATALYSE_TASKS_BACKEND_PATH",
                  "CATALYSE_SEARCH_INDEX_DIR", "CATALYSE_BROWSE_FROM_INDEX", "EMAIL_BACKEND"}
        self.env = {k: v for k, v in os.environ.items() if k not in hidden} | {
            "DJANGO_SETTINGS_MODULE": "catalyse.settings", "PYTHONPATH": str(ROOT),
            "DATABASE_URL": database_url, "REDIS_URL": REDIS_URL, "SECRET_KEY": secrets.token_urlsafe(40),
            "CATALYSE_SEARCH_BACKEND": "postgres", "CATALYSE_TASKS_BACKEND": "database",
            "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0", "LOG_LEVEL": "WARNING", "PYTHONUNBUFFERED": "1",
        }
        self.static = tmp_path / "static-collected"

    def _env(self, data_dir: Path) -> dict[str, str]:
        return self.env | {"CATALYSE_DATA_DIR": str(data_dir)}

    def _spawn(self, name: str, args: list[str], data_dir: Path) -> Process:
        data_dir.mkdir(parents=True, exist_ok=True)
        log = self.tmp_path / f"{name}.log"
        with log.open("ab") as out:
            popen = subprocess.Popen(  # noqa: S603
                [sys.executable, *args], cwd=ROOT, env=self._env(data_dir), stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True)
        process = Process(name, popen, log)
        self.processes.append(process)
        return process

    def collect_static(self) -> None:
        """Production settings serve hashed static names from a manifest: collect once, each server links it."""
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", "catalyse.manage", "collectstatic", "--noinput", "-v0"], cwd=ROOT,
            env=self._env(self.static), check=True, timeout=60, capture_output=True)

    def server(self, name: str) -> Server:
        data_dir = self.tmp_path / name
        data_dir.mkdir()
        (data_dir / "static").symlink_to(self.static / "static")
        port = _free_port()
        process = self._spawn(name, ["-m", "gunicorn", "catalyse.wsgi", "--workers", "1", "--threads", "4",
                                     "--timeout", "30", "--bind", f"127.0.0.1:{port}"], data_dir)
        return Server(process, f"http://127.0.0.1:{port}")

    def worker(self) -> Process:
        return self._spawn("worker", ["-m", "catalyse.manage", "db_worker"], self.tmp_path / "worker")

    def wait_until_serving(self, *servers: Server) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        for server in servers:
            while True:
                assert server.process.popen.poll() is None, self.logs()
                try:
                    if server.get("/a-propos/")[0] == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, f"{server.url} did not answer\n{self.logs()}"
                time.sleep(0.2)

    def logs(self) -> str:
        return "\n".join(p.tail() for p in self.processes)

    def stop(self) -> None:
        for process in self.processes:  # all at once: each shuts down gracefully meanwhile
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            process.wait()


def _redis_or_skip():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        if IN_CI:
            pytest.fail(f"Redis is required in CI but does not answer on 127.0.0.1:6379 ({exc})")
        pytest.skip("Redis does not answer on 127.0.0.1:6379; start redis-server (Debian package redis-server)")
    return client


@pytest.fixture
def deployment(tmp_path, territories, settings) -> Iterator[Deployment]:
    redis_client = _redis_or_skip()
    redis_client.flushdb()
    # This process writes the seed data and indexes it at once (its tasks run inline) into the shared engine.
    settings.CATALYSE_SEARCH_BACKEND = "postgres"
    deployment = Deployment(tmp_path)
    deployment.collect_static()
    try:
        yield deployment
    finally:
        # Before the transactional test's flush, which must not wait for the servers' connections.
        deployment.stop()
        redis_client.flushdb()


def _until(checks: dict[str, tuple[float, Callable[[], bool]]], within: float) -> dict[str, float]:
    """Poll each check (since, holds) in its own thread, as visitors arrive independently, until it holds or
    `within` seconds passed since its change; returns how long after its change a request that then began found
    it holding (missing: none did)."""
    def poll(name: str) -> float | None:
        since, holds = checks[name]
        while (asked := time.monotonic()) - since <= within:
            if holds():
                return asked - since
            time.sleep(0.05)
        return None

    with ThreadPoolExecutor(len(checks)) as pool:
        took = dict(zip(checks, pool.map(poll, checks), strict=True))
    return {name: t for name, t in took.items() if t is not None}


def _shows(server: Server, path: str, *texts: str, absent: tuple[str, ...] = ()) -> Callable[[], bool]:
    def holds() -> bool:
        status, html = server.get(path)
        return status == 200 and all(t in html for t in texts) and not any(t in html for t in absent)

    return holds


def _propose_organisation(server: Server, token: str, name: str) -> str:
    """Through the API of `server`; returns the organisation's page."""
    status, body = server.request("POST", "/api/v1/organisations", token=token, body={
        "name": name, "profile": "interet_general", "head_office": "62528"})
    assert status == 201, body
    return json.loads(body)["page"]


def test_a_change_on_one_server_shows_on_the_other_and_the_worker_survives_a_kill(deployment):
    animator = UserFactory(role=Role.ANIMATOR)  # what an animator writes is published at once
    _, token = api_token_create(user=animator, name="multi-serveurs", scope=TokenScope.WRITE)
    initiative = InitiativeFactory(title="Jardin partagé des Tilleuls")
    a, b = deployment.server("serveur-a"), deployment.server("serveur-b")
    worker = deployment.worker()
    deployment.wait_until_serving(a, b)
    # A first change once everything runs: the worker has started and loaded what it keeps in memory (the
    # territory referential) when it reaches the index.
    warm_up = _propose_organisation(a, token, "Fabrique Amorce")
    assert _until({"warm-up": (time.monotonic(), _shows(b, "/recherche/?q=Amorce", warm_up))}, START_TIMEOUT_S), \
        f"the worker never indexed a change\n{deployment.logs()}"

    # Server B's visitors' pages are rendered and cached (in Redis) before the change.
    page = f"/initiatives/{initiative.slug}/"
    for path in (page, "/initiatives/", "/recherche/?q=Marronniers"):
        assert b.get(path)[0] == 200, deployment.logs()
    assert "Tilleuls" in b.get(page)[1]
    assert PROFILE_COUNT.format(1) in b.get("/organisations/")[1]  # the warm-up organisation

    org_page = _propose_organisation(a, token, "Coopérative Zéphyrine")
    organisation_created = time.monotonic()
    version = json.loads(a.get(f"/api/v1/initiatives/{initiative.slug}", token=token)[1])["version"]
    status, body = a.request("PATCH", f"/api/v1/initiatives/{initiative.slug}", token=token,
                             body={"version": version, "title": "Jardin partagé des Marronniers"})
    assert status == 200, body
    initiative_edited = time.monotonic()

    checks = {
        "search (new organisation)": (organisation_created, _shows(
            b, "/recherche/?q=" + urllib.parse.quote("Zéphyrine"), org_page)),
        "directory (row and count)": (organisation_created, _shows(
            b, "/organisations/", org_page, PROFILE_COUNT.format(2))),
        "search (edited initiative)": (initiative_edited, _shows(b, "/recherche/?q=Marronniers", page)),
        "visitors' page": (initiative_edited, _shows(b, page, "Marronniers", absent=("Tilleuls",))),
        "initiatives list": (initiative_edited, _shows(b, "/initiatives/", "Marronniers")),
    }
    took = _until(checks, WITHIN_S)
    assert set(took) == set(checks), f"not on server B within {WITHIN_S} s: {set(checks) - set(took)}; {took}"

    # The worker dies without a chance to clean up; changes go on meanwhile and wait in the outbox.
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    pages = [_propose_organisation(a, token, f"Ondine {place}") for place in ("Nord", "Sud", "Est")]
    assert OutboxEntry.objects.filter(kind="organisation").count() >= len(pages)
    assert not _shows(b, "/recherche/?q=Ondine", pages[0])()

    deployment.worker()
    took = _until({"after the restart": (time.monotonic(), _shows(b, "/recherche/?q=Ondine", *pages))},
                  START_TIMEOUT_S)
    assert took, f"the changes made while the worker was down never reached the index\n{deployment.logs()}"
    deadline = time.monotonic() + 5
    while OutboxEntry.objects.exists():  # indexed, then deleted: gone a moment later
        assert time.monotonic() < deadline, list(OutboxEntry.objects.values_list("kind", "object_id"))
        time.sleep(0.1)
