"""The public site over the demo, crawled as an anonymous visitor: every link under
/public/ is followed (pages and PDFs), and nothing but what was published is found: no
draft's title, no review comment or answer, no input of the four-responses register, no
finding, no name of a person the published lists do not carry, and no response sets a
session or CSRF cookie.

The demo is built as `make demo` builds it (seed_demo, seed_scale, seed_oversight,
seed_publication), on the demo's slice of the Hunan tree, with the scale data of 长沙县."""

import io
import re
import subprocess
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from oversight.models import Finding
from oversight.rules import Scope
from plans.models import Document, Input
from plans.words import Status
from publication.models import Publication
from review.models import Comment, Event

from .pdfs import get_pdf

LINK = re.compile(r'href="([^"#]+)"')


@pytest.fixture
def demo(demo_tree, settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    settings.PUBLIC_RATE_LIMIT = 100_000
    cache.clear()
    # Publishing queues the public PDFs; the tasks run as the seeds commit, as a worker would.
    # (What seed_publication publishes in bulk is printed when first read, in the crawl.)
    with django_capture_on_commit_callbacks(execute=True):
        for command, *args in (
            ("seed_demo",),
            ("seed_scale", "--within", "430121"),
            ("seed_oversight",),
            ("seed_publication",),
        ):
            call_command(command, *args, stdout=io.StringIO(), stderr=io.StringIO())
    yield
    cache.clear()


def pdf_text(content, tmp_path):
    path = tmp_path / "page.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def crawl(tmp_path):
    """{url: text} of everything reachable from /public/, and the responses."""
    client = Client()
    seen, queue, texts = set(), ["/public/"], {}
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = get_pdf(client, url)  # a page, or a PDF once the worker printed it
        assert response.status_code == 200, url
        assert not response.cookies, (url, response.cookies)
        assert "sessionid" not in str(response.get("Set-Cookie", "")) and "csrftoken" not in str(
            response.get("Set-Cookie", "")
        )
        assert "public" in response["Cache-Control"], url
        if response["Content-Type"] == "application/pdf":
            texts[url] = pdf_text(response.content, tmp_path)
            continue
        html = response.content.decode()
        texts[url] = html
        assert "csrfmiddlewaretoken" not in html and 'method="post"' not in html.lower()
        for link in LINK.findall(html):
            target = urljoin(url, link.replace("&amp;", "&"))
            if urlsplit(target).path.startswith("/public/"):
                queue.append(target)
    return texts


def published_text():
    """Everything the live public publications' approved versions say, joined."""
    parts = []
    for publication in Publication.objects.live().filter(scope__in=[Scope.PUBLIC, Scope.MASSES]):
        stack = [publication.version.snapshot]
        while stack:
            snapshot = stack.pop()
            parts.append(snapshot.get("title", ""))
            for rows in (snapshot.get("sections") or {}).values():
                for row in rows:
                    parts.extend(
                        str(row.get(name) or "") for name in ("text", "measures", "owner", "unit", "note")
                    )
            stack.extend(snapshot.get("attachments") or [])
    return "\n".join(parts)


def test_the_public_site_shows_only_what_was_published(demo, tmp_path):
    published = Publication.objects.live()
    assert {p.scope for p in published} == {Scope.PUBLIC, Scope.MASSES, Scope.INTERNAL}
    texts = crawl(tmp_path)
    everything = "\n".join(texts.values())
    public = published.filter(scope__in=[Scope.PUBLIC, Scope.MASSES])
    # Each published document's PDF, and each list's 公示 besides: the demo's three and
    # what seed_publication published of the county's scale data.
    pdfs = [url for url in texts if url.endswith(("/pdf/", "/notice/"))]
    assert len(pdfs) == public.count() + public.filter(scope=Scope.MASSES).count() > 3
    for publication in public:
        assert publication.document.title in everything
    # The masses follow the community's list: the mended lamps 已完成, the rest 整改中.
    [board] = [
        text
        for url, text in texts.items()
        if "开元路沿线路灯损坏" in text and not url.endswith(("/pdf/", "/notice/")) and "?" not in url
    ]
    assert "已完成" in board and "整改中" in board and "长期坚持" in board
    said = published_text()

    # No document is there but those published in public: no draft, nothing under review
    # or returned, no approved document left unpublished, no measures published within a team.
    shown = set(public.values_list("document_id", flat=True)) | set(
        Document.objects.filter(parent__in=public.values("document")).values_list("pk", flat=True)
    )
    hidden = Document.objects.exclude(pk__in=shown)
    assert hidden.filter(status=Status.DRAFT).exists() and hidden.filter(kind="individual").exists()
    for title in hidden.values_list("title", flat=True).distinct():
        if title not in said:
            assert title not in everything, title

    # No review comment, answer or note, no finding, no register input or explanation.
    private = [
        *Comment.objects.values_list("text", flat=True),
        *Comment.objects.exclude(answer="").values_list("answer", flat=True),
        *Event.objects.exclude(comment="").values_list("comment", flat=True),
        *Finding.objects.values_list("text", flat=True),
        *Input.objects.exclude(explanation="").values_list("explanation", flat=True),
    ]
    assert Comment.objects.filter(review__document__in=public.values("document")).exists()
    assert Input.objects.filter(team__documents__in=public.values("document")).exists()
    for text in filter(None, (t.strip() for t in private)):
        assert text not in everything, text
    # An input may be stated by the problem that answers it; otherwise it is not there.
    for text in Input.objects.values_list("text", flat=True):
        if text not in said:
            assert text not in everything, text

    # No person is named but those the published lists name.
    from orgs.models import Person

    for name in Person.objects.values_list("name", flat=True):
        if name not in said and len(name) >= 2:
            assert name not in everything, name
