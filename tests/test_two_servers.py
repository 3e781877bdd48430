"""Two application servers and one tasks worker on one database, as a deployment behind a
load balancer runs them (README: 多台服务器部署): whatever one server is asked, the other
answers alike, because nothing is kept in one process.

The module makes a database of its own (on SQLite a file both servers open; on PostgreSQL,
when DATABASE_URL names one, a fresh database beside it, dropped at the end), migrates it,
imports the demo's part of the Hunan tree and seeds the demo cast and a few documents
(tests/servers_seed.py); then it queues the worker's heartbeat (`manage.py heartbeat`) and
starts two gunicorns with the repository's gunicorn.conf.py and `manage.py db_worker`,
with the demo's settings, on free ports. Everything below goes
through them over HTTP as a browser would: logged in with the demo password, the CSRF
token from its cookie, htmx's header on the editor's saves. What the database holds at the
end is read by a process of its own (`manage.py shell`).

Select it alone with `pytest -m servers`.
"""

import http.client
import http.cookies
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import dj_database_url
import pytest

from .test_import import hunan_slice, write

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.servers

RATE_LIMIT = 8  # the public site's pages a minute per address, for these servers
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HX = {"HX-Request": "true"}
# What review says to the second of two decisions on one step (review/transitions.py),
# whichever of its checks meets the first decision's change.
STALE = (
    "页面打开后审阅情况已有变化（可能已有人作出决定，或已重新报送），请刷新页面后再操作。",
    "这一环节刚被他人作出决定。",
    "审阅状态刚被他人改变，请刷新页面后再操作。",
    "文件状态刚刚变化，请刷新页面。",
)
# What approving says when the same reviewer's return, on the other server, has already
# kept its 总体意见 as a draft (review/views.py keeps what a return form carries first):
# the approval is refused rather than drop what was written.
UNSENT = "您还有写好但未送出的批注或总体意见，请选择随审阅通过送达，或者放弃。"
APPROVED = "已审阅通过。"
RETURNED = "已退回修改，填报人会在相应条目旁看到您的意见。"
CONFLICT = "您的版本（尚未保存）"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The database --------------------------------------------------------------------------------


def _admin_connection(config):
    import psycopg

    return psycopg.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        autocommit=True,
    )


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """The URL of a database of this module's own, on the engine the suite runs on."""
    outer = os.environ.get("DATABASE_URL", "")
    config = dj_database_url.parse(outer) if outer else {"ENGINE": "django.db.backends.sqlite3"}
    if config["ENGINE"] != "django.db.backends.postgresql":
        yield f"sqlite:///{tmp_path_factory.mktemp('servers') / 'servers.sqlite3'}"
        return
    name = f"rectify_servers_{os.getpid()}"
    with _admin_connection(config) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(outer)
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        with _admin_connection(config) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def is_postgres(url):
    return url.startswith(("postgres", "postgresql"))


# The processes -------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    port: int


@dataclass
class Deployment:
    a: Server
    b: Server
    seed: dict
    url: str
    env: dict
    sessions: dict = field(default_factory=dict)

    def logged_in(self, server, username):
        """USERNAME's browser, logged in through SERVER once for the module: a login checks
        a real password hash, a second's work."""
        key = (server.name, username)
        if key not in self.sessions:
            self.sessions[key] = Browser().log_in(server, username, self.seed["password"])
        return self.sessions[key]

    def shell(self, code):
        """Run CODE in `manage.py shell` on the deployment's database; its printed JSON."""
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-v0", "-c", code],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.strip().splitlines()[-1])


def _manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _wait_until_up(server, process, log):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, f"{server.name} stopped:\n{log.read_text()}"
        try:
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
            connection.request("GET", "/healthz?only=database")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{server.name} never answered:\n{log.read_text()}")


@pytest.fixture(scope="module")
def deployment(database, tmp_path_factory):
    work = tmp_path_factory.mktemp("deployment")
    clean = ("DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "TASKS_BACKEND", "MEDIA_ROOT")
    env = {name: value for name, value in os.environ.items() if name not in clean}
    env.update(
        DEMO="1",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database,
        MEDIA_ROOT=str(work / "media"),  # one directory for both: the demo's storage
        PUBLIC_RATE_LIMIT=str(RATE_LIMIT),
        GUNICORN_WORKERS="2",
        GUNICORN_ACCESSLOG="0",
    )
    # The demo's part of the Hunan tree (as tests/conftest.py's demo_tree), not all of it.
    rows = hunan_slice("430121")
    for stem, (_header, records) in hunan_slice("430223").items():
        codes = {row["code"] for row in rows[stem][1]}
        rows[stem][1].extend(row for row in records if row["code"] not in codes)
    divisions = write(work / "divisions", rows)
    seeded = _manage(
        env, "shell", "-v0", "-c", f"from tests.servers_seed import main; main({str(divisions)!r})"
    )
    seed = json.loads(seeded.strip().splitlines()[-1])
    _manage(env, "heartbeat")

    a, b = Server("A", free_port()), Server("B", free_port())
    processes = []
    try:
        for server in (a, b):
            log = work / f"{server.name}.log"
            command = [sys.executable, "-m", "gunicorn", "rectify.wsgi", "-c", "gunicorn.conf.py"]
            command += ["--bind", f"127.0.0.1:{server.port}"]
            processes.append(
                (
                    subprocess.Popen(
                        command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
                    ),
                    server,
                    log,
                )
            )
        worker_log = work / "worker.log"
        worker = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--interval",
                "0.5",
                "--no-reload",
                "--no-startup-delay",
            ],
            cwd=ROOT,
            env=env,
            stdout=worker_log.open("w"),
            stderr=subprocess.STDOUT,
        )
        for process, server, log in processes:
            _wait_until_up(server, process, log)
        processes.append((worker, None, worker_log))
        yield Deployment(a, b, seed, database, env)
    finally:
        for process, server, _log in processes:
            # gunicorn stops at once on SIGINT (SIGTERM waits for its graceful_timeout);
            # the worker stops on SIGTERM between two tasks.
            process.send_signal(signal.SIGINT if server else signal.SIGTERM)
        for process, _server, _log in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# A browser -----------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")


def _multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, filename, content in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Browser:
    """One person's browser: its cookies (the session, the CSRF token) go to whichever
    server it asks, as a load balancer sends a person's requests now to one, now to the
    other. Redirects are followed on the server that answered."""

    def __init__(self, source="127.0.0.1"):
        self.cookies = {}
        self.source = source

    def request(self, server, method, path, fields=None, files=None, headers=None, follow=True):
        connection = http.client.HTTPConnection(
            "127.0.0.1", server.port, timeout=60, source_address=(self.source, 0)
        )
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if method == "POST":
            sent["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            if files:
                body, sent["Content-Type"] = _multipart(fields or {}, files)
            else:
                body = urlencode(fields or {}, doseq=True)
                sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        answer = Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        connection.close()
        if follow and answer.status in (301, 302, 303):
            return self.request(server, "GET", urlsplit(answer.headers["location"]).path)
        return answer

    def get(self, server, path, **options):
        return self.request(server, "GET", path, **options)

    def post(self, server, path, fields=None, **options):
        return self.request(server, "POST", path, fields, **options)

    def log_in(self, server, username, password):
        self.get(server, "/accounts/login/")
        page = self.post(
            server, "/accounts/login/", {"username": username, "password": password}, follow=False
        )
        assert page.status == 302 and "sessionid" in self.cookies, page.text
        return self


def race(*calls):
    """Make CALLS at the same moment, each from its own thread; their answers in order."""
    barrier = threading.Barrier(len(calls))
    answers = [None] * len(calls)

    def run(index, call):
        barrier.wait(timeout=30)
        try:
            answers[index] = call()
        except Exception as error:  # the answer is what is tested
            answers[index] = error

    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    return answers


def said(answer, *messages):
    return any(message in answer.text for message in messages)


# The tests -----------------------------------------------------------------------------------


def test_both_servers_say_healthy_once_the_worker_beat(deployment):
    deadline = time.monotonic() + 60
    while True:
        answers = [Browser().get(server, "/healthz") for server in (deployment.a, deployment.b)]
        if all(answer.status == 200 for answer in answers) or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    for answer in answers:
        assert answer.status == 200, answer.text
        health = json.loads(answer.body)
        assert health["database"] == "ok" and health["worker"] == "ok" and health["heartbeat"]
        assert "set-cookie" not in answer.headers
    # One chain of beats, however often it was started.
    _manage(deployment.env, "heartbeat")
    waiting = deployment.shell(
        "import json; from rectify.heartbeat import waiting; print(json.dumps(waiting().count()))"
    )
    assert waiting == 1


def test_a_database_restart_costs_no_request(deployment):
    """Every connection the servers and the worker hold is cut, as a restart of PostgreSQL
    cuts them; the next requests are answered all the same (CONN_HEALTH_CHECKS). On SQLite
    there is no server to restart: the same requests are made, and answered."""
    reader = deployment.logged_in(deployment.a, deployment.seed["filer"])
    path = "/"  # the home page: the session, the user, their teams and what waits for them
    for server in (deployment.a, deployment.b, deployment.a, deployment.b):
        assert reader.get(server, path).status == 200  # each process now holds a connection
    if is_postgres(deployment.url):
        name = urlsplit(deployment.url).path.lstrip("/")
        config = dj_database_url.parse(deployment.url)
        with _admin_connection(config) as admin:
            cut = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %s", [name]
            ).fetchone()[0]
        assert cut >= 2
    for server in (deployment.a, deployment.b, deployment.a, deployment.b, deployment.a, deployment.b):
        assert reader.get(server, path).status == 200
    assert json.loads(Browser().get(deployment.a, "/healthz?only=database").body) == {"database": "ok"}


def test_the_same_decision_on_both_servers_is_made_once(deployment):
    seed = deployment.seed
    decision = seed["same_decision"]
    on_a = deployment.logged_in(deployment.a, decision["reviewer"])
    on_b = deployment.logged_in(deployment.b, decision["reviewer"])
    path = f"/steps/{decision['step']}/approve/"
    fields = {"revision": decision["revision"]}
    answers = race(
        lambda: on_a.post(deployment.a, path, fields),
        lambda: on_b.post(deployment.b, path, fields),
    )
    assert all(isinstance(answer, Answer) and answer.status == 200 for answer in answers), answers
    assert sorted(said(answer, APPROVED) for answer in answers) == [False, True]
    loser = next(answer for answer in answers if not said(answer, APPROVED))
    assert said(loser, *STALE), loser.text
    held = deployment.shell(
        "import json; from review.models import Event, Step; "
        f"step = Step.objects.get(pk={decision['step']}); "
        "print(json.dumps([step.state, Event.objects.filter(step=step).count()]))"
    )
    assert held == ["approved", 1]


def test_approve_on_one_server_and_return_on_the_other_one_wins(deployment):
    seed = deployment.seed
    decision = seed["approve_or_return"]
    on_a = deployment.logged_in(deployment.a, decision["reviewer"])
    on_b = deployment.logged_in(deployment.b, decision["reviewer"])
    step = decision["step"]
    answers = race(
        lambda: on_a.post(deployment.a, f"/steps/{step}/approve/", {"revision": decision["revision"]}),
        lambda: on_b.post(
            deployment.b,
            f"/steps/{step}/return/",
            {"revision": decision["revision"], "reason": "not_concrete", "note": "措施要写具体"},
        ),
    )
    assert all(isinstance(answer, Answer) and answer.status == 200 for answer in answers), answers
    approved, returned = said(answers[0], APPROVED), said(answers[1], RETURNED)
    assert approved != returned, [answer.text[-2000:] for answer in answers]
    if approved:
        assert said(answers[1], *STALE), answers[1].text[-2000:]
    else:
        assert said(answers[0], *STALE, UNSENT), answers[0].text[-2000:]
    held = deployment.shell(
        "import json; from review.models import Event, Step; "
        f"step = Step.objects.get(pk={step}); "
        "print(json.dumps([step.state, list(Event.objects.filter(step=step).values_list('action', flat=True))]))"
    )
    assert held == (["approved", ["approve"]] if approved else ["returned", ["return"]])


def test_edits_through_both_servers_are_all_kept_or_told(deployment):
    seed = deployment.seed
    # One login, its session read by both servers.
    filer = deployment.logged_in(deployment.a, seed["filer"])
    first, second, third = seed["rows"]

    def save(server, row, text, revision=None):
        fields = {"revision": row["revision"] if revision is None else revision, "category": row["category"]}
        return filer.post(server, f"/items/{row['id']}/save/", {**fields, "text": text}, headers=HX)

    answers = race(
        lambda: save(deployment.a, first, "经服务器甲保存的整改措施"),
        lambda: save(deployment.b, second, "经服务器乙保存的整改措施"),
    )
    assert [answer.status for answer in answers] == [200, 200], [a.text for a in answers]

    answers = race(
        lambda: save(deployment.a, third, "甲写的同一条"),
        lambda: save(deployment.b, third, "乙写的同一条"),
    )
    assert sorted(answer.status for answer in answers) == [200, 409], [a.text for a in answers]
    kept = "甲写的同一条" if answers[0].status == 200 else "乙写的同一条"
    told = answers[1] if answers[0].status == 200 else answers[0]
    assert CONFLICT in told.text and kept in told.text  # theirs shown beside mine, nothing lost
    texts = deployment.shell(
        "import json; from plans.models import Item; "
        f"print(json.dumps([Item.objects.get(pk=pk).text for pk in {[first['id'], second['id'], third['id']]}]))"
    )
    assert texts == ["经服务器甲保存的整改措施", "经服务器乙保存的整改措施", kept]


def test_a_publish_on_one_server_is_public_on_the_other_at_once(deployment):
    seed = deployment.seed
    visitor = Browser()
    before = visitor.get(deployment.b, "/public/")
    assert before.status == 200 and seed["approved"]["title"] not in before.text  # and kept
    filer = deployment.logged_in(deployment.a, seed["approved"]["filer"])
    published = filer.post(
        deployment.a,
        f"/documents/{seed['approved']['document']}/publish/",
        {"after": 0, "channel": "长沙县人民政府门户网站", "published_on": "2014-09-30"},
    )
    assert published.status == 200 and "已公开" in published.text, published.text[-3000:]
    after = visitor.get(deployment.b, "/public/")
    assert after.status == 200 and seed["approved"]["title"] in after.text


def test_the_rate_limit_counts_the_requests_to_both_servers(deployment):
    """Eight pages a minute from one address, asked of A and B in turn: the ninth is refused
    whichever server it reaches, though each server saw only four or five. An address
    of its own for each try (the loopback answers all of 127/8); a try that crossed into
    a new minute is made again."""
    servers = (deployment.a, deployment.b)
    for attempt in range(3):
        visitor = Browser(source=f"127.0.0.{10 + attempt}")
        minute = time.time() // 60
        statuses = [visitor.get(servers[n % 2], "/public/").status for n in range(RATE_LIMIT + 2)]
        if time.time() // 60 == minute:
            break
    assert statuses == [200] * RATE_LIMIT + [429, 429]


def test_a_file_sent_to_one_server_is_read_from_the_other(deployment):
    seed = deployment.seed
    filer = deployment.logged_in(deployment.a, seed["approved"]["filer"])
    entry = seed["entry"]
    content = PDF + f"% {uuid.uuid4()}\n".encode()
    reported = filer.request(
        deployment.a,
        "POST",
        f"/ledger/entries/{entry['id']}/report/",
        {"revision": entry["revision"], "text": "整改进展，附会议纪要。"},
        files=[("files", "会议纪要.pdf", content)],
    )
    assert reported.status == 200 and "已报告整改进展" in reported.text, reported.text[-3000:]
    page = filer.get(deployment.b, f"/ledger/entries/{entry['id']}/")
    link = re.search(r"/ledger/evidence/[0-9a-f-]{36}/", page.text)
    assert link, page.text[-3000:]
    download = filer.get(deployment.b, link.group(0))
    assert download.status == 200 and download.body == content
