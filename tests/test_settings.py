"""Deployment settings, the language and clock the interface speaks in, and the intranet
rule: no page asks another origin for anything, and every asset it loads is served here."""

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import pytest
from django.urls import reverse

from plans.documents import open_team_document
from plans.models import Document

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    clean = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    environment = {k: v for k, v in os.environ.items() if k not in clean}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k8#Qz1v$Lr7pW2nXe9tYb4uHc6mJd3sFg5aK0iOo8lPq1wRt7yUe2",
    "ALLOWED_HOSTS": "rectify.example.gov.cn",
}


def test_check_deploy_passes_in_production_configuration():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="0", ALLOWED_HOSTS="x")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    "url, engine, name",
    [
        ("", "django.db.backends.sqlite3", str(ROOT / "db.sqlite3")),
        ("postgres://rectify@db.example:5432/rectify", "django.db.backends.postgresql", "rectify"),
    ],
)
def test_database_comes_from_database_url(url, engine, name):
    code = "from django.conf import settings as s; d = s.DATABASES['default']; print(d['ENGINE']); print(d['NAME'])"
    environment = {"DATABASE_URL": url} if url else {}
    result = manage("shell", "--no-imports", "-c", code, **environment)
    assert result.stdout.split() == [engine, name], result.stderr


@pytest.mark.parametrize(
    "url, prepared, options",
    [
        (
            "postgres://rectify@db.example:5432/rectify",
            "",
            {"server_side_binding": True, "prepare_threshold": 5},
        ),
        ("postgres://rectify@db.example:5432/rectify", "0", {}),
        (
            "postgres://rectify@db.example:5432/rectify?sslmode=require",
            "",
            {"sslmode": "require", "server_side_binding": True, "prepare_threshold": 5},
        ),
        ("", "1", {"init_command", "transaction_mode", "timeout"}),
    ],
)
def test_postgresql_keeps_the_plans_of_repeated_queries_unless_a_pooler_forbids(url, prepared, options):
    code = "from django.conf import settings as s; import json; print(json.dumps(s.DATABASES['default'].get('OPTIONS', {})))"
    environment = {"DATABASE_URL": url, "DATABASE_PREPARED": prepared}
    result = manage("shell", "--no-imports", "-c", code, **environment)
    found = json.loads(result.stdout or "null")
    assert (set(found) if isinstance(options, set) else found) == options, result.stderr


def test_on_postgresql_a_query_asked_again_is_prepared(db):
    """What the setting above is for: the fifth time a query is asked on a connection,
    PostgreSQL holds it prepared (and its plan kept) for the next ones."""
    from django.db import connection

    from orgs.models import Org

    for pk in range(6):
        list(Org.objects.filter(pk=pk, name="准备"))
    if connection.vendor != "postgresql":
        assert "server_side_binding" not in connection.settings_dict["OPTIONS"]
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%orgs_org%"])
        assert cursor.fetchone()[0] >= 1


def test_the_interface_is_chinese_whatever_the_browser_asks(client, cast):
    """A browser set to English still gets Chinese pages, and the messages Django's own
    forms produce are Chinese too."""
    client.force_login(cast.filer)
    response = client.post(
        reverse("plans:register", args=[cast.committee.pk]),
        {"source": "mass_opinion", "text": ""},
        HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9",
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html and "四个回应" in html
    assert "这个字段是必填项。" in html and "This field is required" not in html


def test_times_are_shown_in_beijing_time(client, cast):
    """A document saved at 16:30 UTC was saved at half past midnight the next day in Changsha."""
    document = open_team_document(cast.committee, cast.filer)
    Document.objects.filter(pk=document.pk).update(updated_at=dt.datetime(2014, 8, 25, 16, 30, tzinfo=dt.UTC))
    client.force_login(cast.filer)
    html = client.get(reverse("plans:document", args=[document.pk])).content.decode()
    assert "最后修改 2014-08-26 00:30" in html


EXTERNAL = re.compile(r"""(?:src|href|action|hx-get|hx-post)\s*=\s*["'](?:https?:)?//""", re.I)


@pytest.mark.parametrize("role", ["office", "filer", "admin"])
def test_pages_only_reference_our_own_origin(client, cast, role):
    client.force_login(getattr(cast, role))
    urls = [
        reverse("home"),
        reverse("org_list"),
        reverse("org_detail", args=[cast.csx.pk]),
        reverse("org_search") + "?q=长沙",
        reverse("team_detail", args=[cast.committee.pk]),
        reverse("person_detail", args=[cast.secretary_person.pk]),
    ]
    for url in urls:
        response = client.get(url)
        if response.status_code == 200:
            assert not EXTERNAL.search(response.content.decode()), url
    client.logout()
    assert not EXTERNAL.search(client.get(reverse("login")).content.decode())


def test_admin_references_only_our_own_origin(client, cast):
    client.force_login(cast.admin)
    for url in [reverse("admin:index"), reverse("admin:orgs_team_change", args=[cast.committee.pk])]:
        assert not EXTERNAL.search(client.get(url).content.decode()), url


def test_vendored_styles_fetch_nothing_remote():
    for css in (ROOT / "static").rglob("*.css"):
        for target in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8")):
            assert not re.match(r"(https?:)?//", target), (css, target)
            if not target.startswith("data:"):
                assert (css.parent / target.split("?")[0].split("#")[0]).exists(), (css, target)


def _served(client, url):
    response = client.get(url)
    return response.status_code, b"".join(response) if response.streaming else response.content


def test_every_asset_a_page_loads_is_served(client, cast):
    """The scripts, stylesheets and the fonts the stylesheets load, as a browser would
    ask for them, all come from the app itself."""
    document = open_team_document(cast.committee, cast.filer)
    pages = [client.get(reverse("login"))]
    client.force_login(cast.filer)
    pages += [client.get(reverse("home")), client.get(reverse("plans:document", args=[document.pk]))]
    wanted = set()
    for page in pages:
        assert page.status_code == 200
        wanted |= set(re.findall(r'(?:src|href)="(/static/[^"]+)"', page.content.decode()))
    assert any(url.endswith(".js") for url in wanted) and any(url.endswith(".css") for url in wanted)
    fetched = set()
    while wanted - fetched:
        url = min(wanted - fetched)
        fetched.add(url)
        status, body = _served(client, url)
        assert status == 200 and body, url
        if url.endswith(".css"):
            for target in re.findall(r"url\(\s*['\"]?([^'\")]+)", body.decode("utf-8")):
                if not target.startswith("data:"):
                    wanted.add(urljoin(url, target).split("#")[0])
    assert any(".woff2" in url for url in fetched)


# The demo never shows Django's technical pages ------------------------------------------

# What the demo's pages answer: run in a fresh process with `make demo`'s environment, on an
# empty database, with one page that fails as a bug would.
DEMO_PAGES = """
import json
from django.contrib.auth.decorators import login_not_required
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import clear_url_caches, path
import rectify.urls

call_command("migrate", "plans", verbosity=0)
call_command("migrate", "sessions", verbosity=0)

@login_not_required
def broken(request):
    raise RuntimeError("a bug")

rectify.urls.urlpatterns.append(path("broken/", broken))
clear_url_caches()
client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
answers = {"debug": settings.DEBUG}
for url in ("/no-such-page/", "/broken/", "/static/css/official.css"):
    response = client.get(url)
    body = b"".join(response) if response.streaming else response.content
    answers[url] = [response.status_code, body.decode("utf-8", "replace")]
response = Client(HTTP_HOST="elsewhere.example").get("/")
answers["bad host"] = [response.status_code, response.content.decode()]
print(json.dumps(answers))
"""


def demo_environment():
    """`make demo`'s environment, as the Makefile gives it."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    line = re.search(r"^DEMO_ENV := (.+)$", makefile, re.MULTILINE).group(1)
    assert "$(DEMO_ENV) $(PY) manage.py runserver" in makefile
    return dict(pair.split("=", 1) for pair in line.replace("$(HOST)", "127.0.0.1").split())


def test_the_demo_shows_the_product_s_own_404_and_500_pages(tmp_path):
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        DEMO_PAGES,
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        **demo_environment(),
    )
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert answers["debug"] is False

    status, page = answers["/no-such-page/"]
    assert status == 404
    assert "页面不存在" in page and '<html lang="zh-CN">' in page
    assert "Page not found" not in page and "Django" not in page and "urlpatterns" not in page

    status, page = answers["/broken/"]
    assert status == 500
    assert "系统错误" in page and "请联系系统管理员" in page
    assert "a bug" not in page and "Traceback" not in page and "RuntimeError" not in page
    # Its stylesheet is the vendored one, served by the demo itself.
    assert '/static/vendor/bootstrap/bootstrap.min.css"' in page

    status, page = answers["bad host"]
    assert status == 400 and "请求有误" in page and "Bad Request" not in page

    status, stylesheet = answers["/static/css/official.css"]
    assert status == 200 and "@page" in stylesheet


def test_the_demo_is_served_over_plain_http_with_a_key_of_its_own():
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SECRET_KEY.startswith('demo-'), "
        "s.MAILERS['default']['BACKEND'].endswith('console.EmailBackend'))"
    )
    result = manage("shell", "--no-imports", "-c", code, **demo_environment())
    assert result.stdout.split() == ["False", "False", "False", "True", "True"], result.stderr
