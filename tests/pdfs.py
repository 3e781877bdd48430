"""Fetching a PDF as a reader does (rectify/renderings.py): the first answer may be the page
that waits while the worker prints it; the tests run tasks at once, as soon as the request's
transaction commits, so the next request finds the PDF kept.

    response = get_pdf(client, url)   # the PDF (or the 404, 429 … the view answered)
    response.getvalue()               # its bytes, streamed or not
    response = get_pdf_in(page, url)  # the same through a browser's request context

A live server commits as it goes, so there the worker's task has run before the first
answer is sent: that answer is still the waiting page (it was written before), the next
is the PDF.
"""

from urllib.parse import urlsplit

from django.test import TestCase

WAITING = 202


def get_pdf(client, url, **extra):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.get(url, **extra)
    if response.status_code != WAITING:
        return response
    assert "正在生成PDF" in response.content.decode()
    path = urlsplit(url).path  # without ?retry=1
    polled = client.get(path, {"wait": "1"}, **extra)
    if polled.status_code == 200 and "HX-Redirect" not in polled:
        return polled  # printing failed: the page says so
    assert polled.status_code == 200 and polled["HX-Redirect"] == path, polled.content.decode()
    return client.get(path, **extra)


def get_pdf_in(page, url):
    response = page.request.get(url)
    if response.status == WAITING:
        assert "正在生成PDF" in response.text()
        response = page.request.get(url)
    return response
