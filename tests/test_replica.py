"""The read replica (issue 14): who reads from it, who from the primary, and a run with two
real databases."""

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from portal import routers

ROOT = Path(__file__).resolve().parents[1]
SESSION = "sessionid"


@pytest.fixture
def replica_on(monkeypatch):
    monkeypatch.setattr(routers, "replica_configured", lambda: True)


@pytest.mark.parametrize("method,path,cookies,reads_replica", [
    ("GET", "/", {}, True),
    ("HEAD", "/therapies/car-t-cell-therapy/", {}, True),
    ("GET", "/search/", {}, True),
    ("GET", "/trials/NCT01844505/", {SESSION: "x"}, False),  # signed in: staff
    ("GET", "/trials/", {routers.RECENT_WRITE_COOKIE: "1"}, False),  # just acted
    ("POST", "/review/abc/", {}, False),
    ("GET", "/admin/", {}, False),
    ("GET", "/admin/login/", {}, False),
    ("GET", "/review/abc/", {}, False),
    ("GET", "/markdownx/markdownify/", {}, False),
    ("GET", "/readyz", {}, False),
])  # fmt: skip
def test_who_reads_from_the_replica(replica_on, method, path, cookies, reads_replica):
    request = RequestFactory().generic(method, path)
    request.COOKIES.update(cookies)
    assert routers.wants_replica(request) is reads_replica


def test_nothing_reads_from_a_replica_that_is_not_configured():
    request = RequestFactory().get("/")
    assert routers.replica_configured() is False and routers.wants_replica(request) is False


def test_the_router_sends_reads_by_the_request_and_writes_to_the_primary():
    from therapies.models import TherapyArticle

    router = routers.ReplicaRouter()
    assert router.db_for_read(TherapyArticle) == "default"  # commands, workflow, worker
    with routers.replica_reads():
        assert router.db_for_read(TherapyArticle) == "replica"
        assert router.db_for_write(TherapyArticle) == "default"
    assert router.allow_migrate("default", "therapies") is True
    assert router.allow_migrate("replica", "therapies") is False


@pytest.mark.django_db
def test_a_request_that_could_write_makes_the_next_seconds_read_the_primary(client, replica_on):
    response = client.post("/review/not-a-token/", {"name": "x", "body": "y"})
    cookie = response.cookies[routers.RECENT_WRITE_COOKIE]
    assert cookie["max-age"] == routers.RECENT_WRITE_SECONDS and cookie["httponly"]
    assert routers.RECENT_WRITE_COOKIE not in client.get("/").cookies  # a GET sets none


@pytest.mark.django_db
def test_a_page_read_from_the_replica_just_after_a_publication_is_not_cached(
    client, replica_on, settings
):
    from tests.factories import TherapyArticleVersionFactory

    live = TherapyArticleVersionFactory(state="published")
    url = live.item.get_absolute_url()
    for _ in range(2):  # read from the replica within the lag: served, never stored
        response = client.get(url)
        assert response.status_code == 200 and "X-Page-Cache" not in response
    settings.REPLICA_MAX_LAG_SECONDS = 0  # the lag has passed
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"


def run(args, env):
    result = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True,
                            text=True)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


PROBE = """
import django
django.setup()
from django.test import Client
url = "/therapies/car-t-cell-therapy/"
def read(cookie=None):
    client = Client()
    if cookie:
        client.cookies[cookie] = "1"
    return client.get(url).content.decode()
anonymous, signed_in, just_acted = read(), read("sessionid"), read("portal_recent_write")
marker = "Renamed on the primary only"
print(marker in anonymous, marker in signed_in, marker in just_acted)
"""


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="two real databases need the PostgreSQL server of the PostgreSQL run",
)
def test_with_two_databases_readers_see_the_replica_and_whoever_acted_the_primary():
    """The "replica" is a copy of the primary taken before a change (as a lagging standby
    would be): an anonymous reader sees the copy; a signed-in reader, or one who has just
    posted, sees the primary."""
    import psycopg

    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    primary, replica = "portal_router_primary", "portal_router_replica"
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE",)}
    env.update(DEBUG="1", PAGE_CACHE="0", ALLOWED_HOSTS="testserver",
               DJANGO_SETTINGS_MODULE="portal.settings",
               DATABASE_URL=f"{server}/{primary}")  # fmt: skip
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        for name in (primary, replica):
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{primary}"')
    try:
        run(["manage.py", "migrate", "--noinput", "-v0"], env)
        run(["manage.py", "loaddemo"], env)
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{replica}" TEMPLATE "{primary}"')
        with psycopg.connect(f"{server}/{primary}", autocommit=True) as db:
            db.execute(
                "UPDATE therapies_therapyarticleversion SET title = 'Renamed on the primary "
                "only' WHERE state = 'published' AND item_id = (SELECT id FROM "
                "therapies_therapyarticle WHERE slug = 'car-t-cell-therapy')"
            )
        both = {**env, "DATABASE_REPLICA_URL": f"{server}/{replica}"}
        assert run(["-c", PROBE], both).split() == ["False", "True", "True"]
        # Without a replica configured, everyone reads the primary.
        assert run(["-c", PROBE], env).split() == ["True", "True", "True"]
    finally:
        with (
            contextlib.suppress(psycopg.Error),
            psycopg.connect(f"{server}/postgres", autocommit=True) as admin,
        ):
            for name in (primary, replica):
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


PG_BIN = (
    Path("/usr/lib/postgresql")
    / (
        sorted(os.listdir("/usr/lib/postgresql"))[-1]
        if Path("/usr/lib/postgresql").exists()
        else ""
    )
    / "bin"
)


def replication_allowed(server: str) -> str | None:
    """Why a streaming standby cannot be started here, or None."""
    if os.geteuid() != 0:
        return "starting a second PostgreSQL cluster needs root (to run it as postgres)"
    if not (PG_BIN / "pg_ctl").exists():
        return f"no PostgreSQL server binaries in {PG_BIN}"
    import psycopg

    with psycopg.connect(f"{server}/postgres") as db:
        rules = db.execute("SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = "
                           "ANY(database)").fetchone()[0]  # fmt: skip
    return None if rules else "pg_hba.conf has no replication entry (.ci/run adds one)"


@contextlib.contextmanager
def streaming_standby(server: str, port: int):
    """A hot standby of the local cluster, from pg_basebackup, streaming on `port`."""
    import tempfile

    import psycopg

    with psycopg.connect(f"{server}/postgres") as db:
        hba_file = db.execute("SHOW hba_file").fetchone()[0]  # the primary's rules

    base = Path(tempfile.mkdtemp(prefix="portal-standby-"))
    data = base / "data"
    subprocess.run(["chown", "postgres", str(base)], check=True)
    as_postgres = ["runuser", "-u", "postgres", "--"]
    subprocess.run([*as_postgres, "pg_basebackup", "-h", "127.0.0.1", "-U", "postgres",
                    "-D", str(data), "-R", "-X", "stream", "-c", "fast"], check=True)  # fmt: skip
    (data / "postgresql.conf").write_text(
        f"listen_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = "
        f"'{base}'\nhot_standby = on\nshared_buffers = 32MB\n"
        f"hba_file = '{hba_file}'\n"
    )
    subprocess.run(["chown", "postgres", str(data / "postgresql.conf")], check=True)
    subprocess.run([*as_postgres, str(PG_BIN / "pg_ctl"), "-D", str(data), "-l",
                    str(base / "log"), "start", "-w"], check=True, capture_output=True)  # fmt: skip
    try:
        yield f"postgres://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run([*as_postgres, str(PG_BIN / "pg_ctl"), "-D", str(data), "stop",
                        "-m", "fast"], capture_output=True)  # fmt: skip
        subprocess.run(["rm", "-rf", str(base)], check=False)


STREAM_PROBE = """
import django
django.setup()
from django.test import Client
page = Client().get("/therapies/car-t-cell-therapy/").content.decode()
print("Streamed to the standby" in page)
"""


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="a streaming standby is started from the PostgreSQL server of the PostgreSQL run",
)
def test_with_a_real_streaming_standby_readers_read_it_and_writes_go_to_the_primary():
    import socket
    import time

    import psycopg

    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    if why := replication_allowed(server):
        pytest.skip(why)
    name = "portal_stream_primary"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(DEBUG="1", PAGE_CACHE="0", ALLOWED_HOSTS="testserver",
               DJANGO_SETTINGS_MODULE="portal.settings",
               DATABASE_URL=f"{server}/{name}")  # fmt: skip
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    try:
        run(["manage.py", "migrate", "--noinput", "-v0"], env)
        run(["manage.py", "loaddemo"], env)
        with streaming_standby(server, port) as standby:
            replica_env = {**env, "DATABASE_REPLICA_URL": f"{standby}/{name}"}
            with psycopg.connect(f"{server}/{name}", autocommit=True) as primary:
                primary.execute(
                    "UPDATE therapies_therapyarticleversion SET title = 'Streamed to the "
                    "standby' WHERE state = 'published' AND item_id = (SELECT id FROM "
                    "therapies_therapyarticle WHERE slug = 'car-t-cell-therapy')"
                )
                sent = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
            with psycopg.connect(f"{standby}/{name}", autocommit=True) as replica:
                assert replica.execute("SELECT pg_is_in_recovery()").fetchone()[0]
                for _ in range(100):  # replayed: the standby has the change
                    done = replica.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn",
                                           [sent]).fetchone()[0]  # fmt: skip
                    if done:
                        break
                    time.sleep(0.1)
            assert run(["-c", STREAM_PROBE], replica_env).split()[-1] == "True"
            # Commands write to the primary: the standby is read-only and would refuse them.
            assert "publish_scheduled" in run(["manage.py", "worker", "--once"], replica_env)
            readiness = (
                "import django; django.setup(); from django.test import Client; "
                "print(Client().get('/readyz').content.decode())"
            )
            ready = run(["-c", readiness], replica_env)
            assert "default: ok" in ready and "replica: ok" in ready
    finally:
        with (
            contextlib.suppress(psycopg.Error),
            psycopg.connect(f"{server}/postgres", autocommit=True) as admin,
        ):
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
