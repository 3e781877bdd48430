"""Deployment settings and the intranet rule: no page asks another origin for anything."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

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


def test_interface_settings(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_I18N and settings.USE_TZ


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


def test_templates_load_vendored_assets_that_exist():
    base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    assets = re.findall(r"{% static '([^']+)' %}", base)
    assert assets
    for asset in assets:
        assert (ROOT / "static" / asset).is_file(), asset
