"""The Content-Security-Policy: every page the product answers carries it, it lets no
script run but our own files, and the pages themselves write no script into the markup
(the templates are scanned for it in tests/test_templates.py)."""

import re

import pytest
from django.urls import reverse

from plans.documents import open_team_document

from .test_templates import TEMPLATES, inline_script

HEADER = "Content-Security-Policy"


def directives(response):
    policy = response[HEADER]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def assert_strict(response):
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["style-src-elem"] == ["'self'"]  # no <style> element
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"] and policy["base-uri"] == ["'none'"]


def test_signed_in_pages_carry_the_policy_and_write_no_script(client, cast):
    document = open_team_document(cast.committee, cast.filer)
    client.force_login(cast.filer)
    urls = [
        reverse("home"),
        reverse("plans:document", args=[document.pk]),
        reverse("plans:register", args=[cast.committee.pk]),
        reverse("review:inbox"),
        reverse("ledger:mine"),
        reverse("password_change"),
        reverse("org_detail", args=[cast.csx.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)
        html = response.content.decode()
        assert inline_script(html) == [], url
        assert not re.search(r"<style\b", html), url


def test_fragments_errors_and_downloads_carry_it_too(client, cast):
    document = open_team_document(cast.committee, cast.filer)
    client.force_login(cast.filer)
    for response in [
        client.get(reverse("review:waiting"), HTTP_HX_REQUEST="true"),
        client.get(reverse("plans:export", args=[document.pk])),
        client.get("/no-such-page/"),
    ]:
        assert_strict(response)


@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_the_login_page_the_public_site_and_the_admin_carry_it(client, cast, who):
    if who == "admin":
        client.force_login(cast.admin)
        urls = [reverse("admin:index"), reverse("admin:orgs_org_changelist")]
    else:
        urls = [reverse("login"), reverse("publication:public")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)


def test_htmx_is_told_to_add_no_style_and_evaluate_nothing(client, cast):
    """htmx would otherwise write a <style> element for its indicators (refused by
    style-src-elem) and may evaluate hx-trigger filters and js: values (refused by
    script-src); the indicators' rules are in static/css/rectify.css."""
    client.force_login(cast.filer)
    for html in [
        client.get(reverse("home")).content.decode(),
        client.get(reverse("publication:public")).content.decode(),
    ]:
        config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'", html)
        assert config and '"includeIndicatorStyles": false' in config.group(1)
        assert '"allowEval": false' in config.group(1)


def test_no_page_template_has_a_style_element():
    """style-src-elem refuses a <style> written into a page: the looks are in static/css.
    The PDFs' templates are read by WeasyPrint, not a browser, and keep theirs."""
    offending = [
        str(path.relative_to(TEMPLATES))
        for path in sorted(TEMPLATES.rglob("*.html"))
        if "pdf" not in path.relative_to(TEMPLATES).parts and re.search(r"<style\b", path.read_text("utf-8"))
    ]
    assert offending == []
