"""PDFs printed once on the worker and kept (rectify/renderings.py, rectify.Rendering).

The tasks run at once in these tests (tests/conftest.py), as soon as the request that
queued them commits; the printing itself runs in a forked child, as on the worker."""

import datetime as dt
import os
import threading

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oversight.rules import Scope
from plans import editing
from publication import pdf as printing
from rectify import renderings
from rectify.models import Rendering, RenderingState

from .factories import filled_team_plan
from .pdfs import WAITING, get_pdf

# _fresh_cache: the public pages' cache emptied around each test, as test_publication does.
from .test_publication import _fresh_cache, no_cookies, publish, village_list  # noqa: F401


@pytest.fixture
def plan(cast):
    return filled_team_plan(cast)


def url_of(plan):
    return reverse("plans:pdf", args=[plan.pk])


def of(plan):
    return Rendering.objects.filter(subject=f"plans.document:{plan.pk}")


def test_a_pdf_is_printed_once_and_then_served_from_storage(cast, plan, client):
    client.force_login(cast.filer)
    first = get_pdf(client, url_of(plan))
    content = first.getvalue()  # streamed: read once
    assert first["Content-Type"] == "application/pdf" and content.startswith(b"%PDF")
    [rendering] = of(plan)
    assert rendering.state == RenderingState.READY and rendering.attempts == 1
    assert default_storage.exists(rendering.file.name) and rendering.size == len(content)
    assert rendering.html_ms is not None and rendering.pdf_ms is not None
    # Asked again (by another reader too): the kept file, nothing printed or queued.
    client.force_login(cast.secretary)
    for _ in range(2):
        again = client.get(url_of(plan))
        assert again.status_code == 200 and again.getvalue() == content
        assert again["Content-Disposition"] == first["Content-Disposition"]
    assert list(of(plan)) == [rendering] and of(plan).get().attempts == 1


def test_a_kept_file_lost_from_the_storage_is_printed_again_on_request(cast, plan, client):
    client.force_login(cast.filer)
    content = get_pdf(client, url_of(plan)).getvalue()
    [rendering] = of(plan)
    default_storage.delete(rendering.file.name)  # a shared disk not mounted, an old backup
    lost = client.get(url_of(plan))
    assert lost.status_code == 200 and lost["Content-Type"].startswith("text/html")
    assert "PDF没有生成出来" in lost.content.decode() and f"{url_of(plan)}?retry=1" in lost.content.decode()
    assert of(plan).get().state == RenderingState.FAILED
    again = get_pdf(client, f"{url_of(plan)}?retry=1")
    assert again["Content-Type"] == "application/pdf" and again.getvalue()[:4] == content[:4]
    assert of(plan).get().state == RenderingState.READY and of(plan).get().attempts == 2


def test_the_first_answer_waits_for_the_worker(cast, plan, client):
    client.force_login(cast.filer)
    waiting = client.get(url_of(plan))  # the task is queued, to run once this commits
    assert waiting.status_code == WAITING
    html = waiting.content.decode()
    assert "正在生成PDF……" in html and f'hx-get="{url_of(plan)}?wait=1"' in html
    assert "<script>" not in html  # htmx attributes only, no inline script
    polled = client.get(url_of(plan), {"wait": "1"})
    assert polled.status_code == WAITING and "hx-trigger" in polled.content.decode()
    assert of(plan).get().state == RenderingState.QUEUED


def test_a_draft_edited_prints_anew_and_the_old_print_is_pruned(cast, plan, client):
    client.force_login(cast.filer)
    get_pdf(client, url_of(plan))
    [old] = of(plan)
    editing.save_header(cast.filer, plan, plan.revision, {"meeting_name": "县委常委会第十次会议"})
    printed = get_pdf(client, url_of(plan))
    assert printed["Content-Type"] == "application/pdf"
    [new] = of(plan)
    assert new.pk != old.pk and new.key != old.key and new.state == RenderingState.READY
    assert not default_storage.exists(old.file.name) and default_storage.exists(new.file.name)
    # Another document's print is not touched.
    other = Rendering.objects.create(key="plans.document:0@x", subject="plans.document:0")
    plan.refresh_from_db()
    editing.save_header(cast.filer, plan, plan.revision, {"meeting_name": "县委常委会第十一次会议"})
    get_pdf(client, url_of(plan))
    assert Rendering.objects.filter(pk=other.pk).exists() and of(plan).count() == 1


def test_nobody_outside_the_document_s_reach_gets_its_kept_pdf(cast, plan, client):
    client.force_login(cast.filer)
    get_pdf(client, url_of(plan))
    for account in (cast.outsider, cast.group):
        client.force_login(account)
        for query in ({}, {"wait": "1"}, {"retry": "1"}):
            assert client.get(url_of(plan), query).status_code == 404
    assert of(plan).count() == 1 and of(plan).get().attempts == 1
    assert client.post(url_of(plan)).status_code in (404, 405)


def fail_printing(html):
    raise ValueError("字体缺失")


def test_a_failed_print_says_so_and_is_printed_again_on_request(cast, plan, client, monkeypatch):
    client.force_login(cast.filer)
    monkeypatch.setattr(renderings, "write_pdf", fail_printing)  # the child inherits it
    failed = get_pdf(client, url_of(plan))
    assert failed.status_code == 200 and failed["Content-Type"].startswith("text/html")
    html = failed.content.decode()
    assert "PDF没有生成出来" in html and f"{url_of(plan)}?retry=1" in html
    assert "hx-trigger" not in html  # no more polling
    [rendering] = of(plan)
    assert rendering.state == RenderingState.FAILED and "字体缺失" in rendering.error
    # Asking again without saying so prints nothing.
    assert "PDF没有生成出来" in client.get(url_of(plan)).content.decode()
    assert of(plan).get().attempts == 1
    monkeypatch.undo()
    retried = get_pdf(client, f"{url_of(plan)}?retry=1")
    assert retried["Content-Type"] == "application/pdf"
    rendering = of(plan).get()
    assert rendering.state == RenderingState.READY and rendering.attempts == 2 and rendering.error == ""


def die(html):
    os._exit(3)


def test_a_printing_process_that_dies_fails_the_rendering_not_the_worker(cast, plan, client, monkeypatch):
    client.force_login(cast.filer)
    monkeypatch.setattr(renderings, "write_pdf", die)
    assert "PDF没有生成出来" in get_pdf(client, url_of(plan)).content.decode()
    rendering = of(plan).get()
    assert rendering.state == RenderingState.FAILED and "exit code 3" in rendering.error


def test_a_print_lost_by_a_stopped_worker_can_be_asked_again(cast, plan, client):
    client.force_login(cast.filer)
    assert client.get(url_of(plan)).status_code == WAITING  # queued; its task never runs
    of(plan).update(queued_at=timezone.now() - renderings.STUCK_AFTER - dt.timedelta(minutes=1))
    assert "PDF没有生成出来" in client.get(url_of(plan)).content.decode()
    assert get_pdf(client, f"{url_of(plan)}?retry=1")["Content-Type"] == "application/pdf"
    assert of(plan).count() == 1


# The worker prints from its one thread; here the immediate backend prints from a request's.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_print_once(cast, plan):
    url = url_of(plan)
    start = threading.Barrier(2)
    answers = []

    def ask(account):
        try:
            client = Client()
            client.force_login(account)
            start.wait()
            answers.append(client.get(url).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(account,)) for account in (cast.filer, cast.secretary)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 2 and set(answers) <= {200, WAITING}
    [rendering] = of(plan)
    assert rendering.state == RenderingState.READY and rendering.attempts == 1


# The public site ---------------------------------------------------------------------


def test_a_public_pdf_waits_without_a_cookie_and_is_not_cached_while_waiting(cast, leaders, client):
    listing = village_list(cast)
    publication = publish(cast.filer, listing, "开元路社区公示栏")  # queued; its task not run yet
    assert publication.scope == Scope.MASSES
    for name in ("publication:public_pdf", "publication:public_notice"):
        url = reverse(name, args=[publication.pk])
        waiting = client.get(url)
        assert waiting.status_code == WAITING and "正在生成PDF……" in waiting.content.decode()
        no_cookies(waiting)
        html = waiting.content.decode()
        assert "csrf" not in html.lower() and 'method="post"' not in html.lower()
        assert "public" not in waiting.get("Cache-Control", "")
        polled = client.get(url, {"wait": "1"})
        assert polled.status_code == WAITING
        no_cookies(polled)
    # The worker prints them; the next reader gets the PDFs, cacheable, without a cookie.
    for rendering in Rendering.objects.filter(subject__startswith="publication.").order_by("pk"):
        task = printing.print_notice if "notice" in rendering.subject else printing.print_document
        task.call(rendering.pk, publication.pk)
    for name in ("publication:public_pdf", "publication:public_notice"):
        url = reverse(name, args=[publication.pk])
        pdf = client.get(url)
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF") and "public" in pdf["Cache-Control"]
        no_cookies(pdf)
        assert "inline; filename*=UTF-8''" in pdf["Content-Disposition"]
    assert Rendering.objects.filter(subject__startswith="publication.").count() == 2


def test_publishing_prints_the_public_pdfs_ahead_once(
    cast, leaders, client, django_capture_on_commit_callbacks
):
    listing = village_list(cast)
    with django_capture_on_commit_callbacks(execute=True):
        publication = publish(cast.filer, listing, "开元路社区公示栏")
    kept = Rendering.objects.filter(subject__startswith="publication.")
    assert sorted(kept.values_list("subject", "state")) == [
        (f"publication.document:{publication.pk}", RenderingState.READY),
        (f"publication.notice:{publication.pk}", RenderingState.READY),
    ]
    first = client.get(reverse("publication:public_notice", args=[publication.pk]))
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    cache.clear()  # past the page cache: still the kept file, nothing printed again
    again = client.get(reverse("publication:public_notice", args=[publication.pk]))
    assert again.content == first.content
    assert sorted(kept.values_list("attempts", flat=True)) == [1, 1]
