"""The only way WeasyPrint may load anything while printing a document: our own static files.

Printed documents carry text that users typed. Autoescaping keeps that text from
becoming markup, and this fetcher is the second wall: whatever URL the renderer asks
for, it answers only with a file of the product's own static files and refuses the
rest, so no document can make the server read a file of its disk or open a
connection (file://, http(s)://, ftp://, path traversal, and data: URLs too: nothing
we print needs them, so there is no reason to parse them).

    HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFetcher()).write_pdf()

Templates link their stylesheet with `{% static %}` ("/static/css/official.css"); with
BASE_URL as the base it becomes "https://rectify.invalid/static/css/official.css". The
host is reserved (RFC 2606 `.invalid`) and never looked up: the fetcher maps the path
below STATIC_URL to a file found by django.contrib.staticfiles' finders (development,
tests) or under STATIC_ROOT (production after collectstatic, hashed names included),
and opens no connection whatever the URL says.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "https://rectify.invalid/"


class FetchRefused(ValueError):
    """A URL outside our static files was asked for; nothing was read or opened."""


def static_prefix():
    """The absolute URL below which our static files live when printing."""
    return urljoin(BASE_URL, str(settings.STATIC_URL))


def static_path(url):
    """The relative static path URL names (css/official.css), or raise FetchRefused."""
    prefix = static_prefix()
    if not isinstance(url, str) or not url.startswith(prefix):
        raise FetchRefused(f"not one of our static files: {url!r}")
    parts = urlsplit(url)
    relative = unquote(parts.path[len(urlsplit(prefix).path) :])
    segments = relative.split("/")
    if (
        not relative
        or relative.startswith("/")
        or "\\" in relative
        or "\x00" in relative
        or any(segment in ("", ".", "..") for segment in segments)
    ):
        raise FetchRefused(f"not a plain static path: {url!r}")
    return relative


def find_static(relative):
    """The file of RELATIVE among the static files, or None. The finders and the
    storage join paths safely (a path outside their roots raises)."""
    found = finders.find(relative)
    if found:
        return Path(found)
    root = Path(settings.STATIC_ROOT).resolve()
    candidate = (root / relative).resolve()
    if candidate.is_relative_to(root) and candidate.is_file():
        return candidate
    return None


class StaticFetcher(URLFetcher):
    """A WeasyPrint (70) URL fetcher that serves our static files and refuses the rest.

    `fetched` and `refused` list the URLs asked for, so a caller (or a test) can see
    what the renderer tried to load."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols=(), allow_redirects=False, **kwargs)
        self.fetched = []
        self.refused = []

    def fetch(self, url, headers=None):
        try:
            relative = static_path(url)
            path = find_static(relative)
            if path is None:
                raise FetchRefused(f"no such static file: {relative}")
        except FetchRefused:
            self.refused.append(url)
            raise
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if content_type.startswith("text/"):
            content_type += "; charset=utf-8"
        self.fetched.append(url)
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    def open(self, url, data=None, timeout=None):
        # Never fall through to urllib's handlers, whatever the caller passes.
        return self.fetch(getattr(url, "full_url", url))
