"""The production path, exercised with real processes (issue 14): `make serve`'s refusal
without the production environment, two gunicorn instances sharing one PostgreSQL and one
Redis, and readiness while the database goes away and comes back."""

import contextlib
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
DATABASE_URL = os.environ.get("DATABASE_URL", "")
# Each test process (pytest-xdist worker) has its own Redis database and PostgreSQL
# database: two of these tests running at once on two workers must not flush or drop what
# the other is using.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
WORKER_NUMBER = int(re.sub(r"\D", "", WORKER) or 0)
REDIS_URL = f"redis://127.0.0.1:6379/{10 + WORKER_NUMBER % 6}"


def redis_is_up() -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", 6379), 1):
        return True
    return False


needs_servers = pytest.mark.skipif(
    not DATABASE_URL.startswith("postgres") or not redis_is_up(),
    reason="runs where DATABASE_URL names a PostgreSQL server and Redis answers on 6379 "
    "(the PostgreSQL run of CI)",
)


def clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE",
                        "DATABASE_URL", "REDIS_URL", "PAGE_CACHE")}  # fmt: skip
    return {**env, **extra}


def test_make_serve_refuses_to_start_without_the_production_environment():
    refused = subprocess.run(["make", "--no-print-directory", "serve"], cwd=ROOT,
                             env=clean_env(), capture_output=True, text=True,
                             timeout=120)  # fmt: skip
    assert refused.returncode != 0
    assert "SECRET_KEY" in refused.stderr or "DATABASE_URL" in refused.stderr
    development = subprocess.run(["make", "--no-print-directory", "serve"], cwd=ROOT,
                                 env=clean_env(DEBUG="1"), capture_output=True, text=True,
                                 timeout=120)  # fmt: skip
    assert development.returncode == 2 and "make run is the development server" in (
        development.stderr
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


STATIC_ROOT = ROOT / "var" / "serve-test-static"


def production_env(database_url: str, port: int) -> dict:
    return clean_env(
        STATIC_ROOT=str(STATIC_ROOT),
        DEBUG="0", SECRET_KEY="serve-test-" + "x" * 50, DATABASE_URL=database_url,
        REDIS_URL=REDIS_URL, SITE_URL="http://127.0.0.1", ALLOWED_HOSTS="127.0.0.1",
        # plain HTTP here, as behind the proxy that ends TLS
        SECURE_SSL_REDIRECT="0", SECURE_COOKIES="0",
        MAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        WEB_WORKERS="2", PORT=str(port), LOG_LEVEL="warning",
    )  # fmt: skip


@contextlib.contextmanager
def gunicorn(env: dict):
    server = subprocess.Popen([str(VENV_BIN / "gunicorn"), "--config", "portal/gunicorn.conf.py",
                               "portal.wsgi:application"], cwd=ROOT, env=env)  # fmt: skip
    base = f"http://127.0.0.1:{env['PORT']}"
    try:
        for _ in range(150):
            with contextlib.suppress(OSError):
                if get(base + "/healthz")[0] == 200:
                    break
            time.sleep(0.2)
        else:
            raise AssertionError("gunicorn did not start")
        yield base, server
    finally:
        server.terminate()
        server.wait(timeout=60)


def get(url: str, session=None) -> tuple[int, str]:
    import requests

    response = (session or requests).get(url, timeout=10)
    return response.status_code, response.text


@pytest.fixture
def fresh_database():
    """An empty PostgreSQL database of its own, migrated, with the demo content."""
    import psycopg
    import redis

    server = DATABASE_URL.rsplit("/", 1)[0]
    name = f"portal_serve_test_{WORKER}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    redis.Redis.from_url(REDIS_URL).flushdb()
    url = f"{server}/{name}"
    env = clean_env(DEBUG="1", DATABASE_URL=url)
    for command in (["migrate", "--noinput", "-v0"], ["loaddemo"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True,
                       capture_output=True)  # fmt: skip
    # As `make serve` does: hashed, compressed static files for WhiteNoise to serve.
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT,
                   env=production_env(url, 0), check=True, capture_output=True)  # fmt: skip
    yield url
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@needs_servers
def test_two_app_servers_share_the_database_and_the_cache(fresh_database):
    """Publish through one gunicorn; the other serves the new version at once (its page
    cache lives in Redis, invalidated by the publication)."""
    import requests

    port_a, port_b = free_port(), free_port()
    with gunicorn(production_env(fresh_database, port_a)) as (a, _), \
            gunicorn(production_env(fresh_database, port_b)) as (b, _):  # fmt: skip
        status, before = get(b + "/therapies/car-t-cell-therapy/")
        assert status == 200
        # Static files: hashed names, compressed, cached for good.
        css = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', before)[1]
        static = requests.get(b + css, headers={"Accept-Encoding": "gzip, br"}, timeout=10)
        assert static.status_code == 200
        assert static.headers["Content-Encoding"] in ("gzip", "br")
        assert "immutable" in static.headers["Cache-Control"]
        assert "max-age=315360000" in static.headers["Cache-Control"]
        moderator = requests.Session()
        login = moderator.get(a + "/admin/login/", timeout=10)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text)[1]
        signed_in = moderator.post(a + "/admin/login/", timeout=10, data={
            "username": "moderator2", "password": "demo", "csrfmiddlewaretoken": token,
            "next": "/admin/"})  # fmt: skip
        assert signed_in.url.endswith("/admin/"), signed_in.text[:500]
        desk = moderator.get(a + "/admin/", timeout=10).text
        pattern = (
            r'href="(/admin/therapies/therapyarticle/\d+/versions/\d+/review/)"'
            r'[^>]*>Review<span class="visually-hidden"> CAR-T'
        )
        review = re.search(pattern, desk)[1]
        approve = review.replace("/review/", "/approve/")
        form = moderator.get(a + approve, timeout=10).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
        done = moderator.post(a + approve, timeout=10, headers={"Referer": a + approve},
                              data={"csrfmiddlewaretoken": token, "comment": ""})  # fmt: skip
        assert "Approve: done" in done.text, done.text[:800]
        status, after = get(b + "/therapies/car-t-cell-therapy/")
        assert status == 200 and after != before
        assert "Long-term outcomes" in after and "Long-term outcomes" not in before


class Forwarder:
    """A TCP forwarder to PostgreSQL that can be switched off and on: the database "goes
    away" for the app server while the real server keeps serving the rest of CI."""

    def __init__(self, target_port: int = 5432):
        self.port, self.target = free_port(), target_port
        self.listener, self.pairs = None, []

    def start(self):
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def stop(self):
        # shutdown() wakes the threads blocked in accept() and recv(); close() alone does not.
        for end in [self.listener, *(end for pair in self.pairs for end in pair)]:
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()
        self.pairs = []

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target))
            self.pairs.append((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.close()


@needs_servers
def test_readyz_is_503_while_the_database_is_away_and_200_once_it_is_back(fresh_database):
    forwarder = Forwarder(int(re.search(r":(\d+)/", fresh_database + "/")[1])
                          if re.search(r":(\d+)/", fresh_database) else 5432)  # fmt: skip
    forwarder.start()
    via_forwarder = re.sub(r"@[^/]+/", f"@127.0.0.1:{forwarder.port}/", fresh_database)
    with gunicorn(production_env(via_forwarder, free_port())) as (base, server):
        assert get(base + "/readyz")[0] == 200
        forwarder.stop()
        status, body = get(base + "/readyz")
        assert status == 503 and "default: unavailable" in body and "cache: ok" in body
        assert get(base + "/healthz") == (200, "ok\n")  # alive: nothing to restart
        forwarder.start()
        for _ in range(20):  # a pooled connection that died is replaced on the next request
            if get(base + "/readyz")[0] == 200:
                break
            time.sleep(0.5)
        assert get(base + "/readyz") == (200, "default: ok\ncache: ok\n")
        assert server.poll() is None  # the master never went down
