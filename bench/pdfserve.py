"""A plan's PDF through the bench's server: the first reader's wait (the worker renders
it once, the page polls) and the kept file served to every later reader, beside the
floor."""

import time

from bench.http import percentile

REPEAT = 10


def _fetch(browser, url, deadline=180):
    """Milliseconds until URL answers with the PDF, following the waiting page."""
    started = time.perf_counter()
    while time.perf_counter() - started < deadline:
        status, body, _ms = browser.get(url)
        if status == 200 and body.startswith(b"%PDF"):
            return (time.perf_counter() - started) * 1000
        assert status in (200, 202), (url, status, body[:300])
        if "PDF没有生成出来".encode() in body:
            browser.get(f"{url}?retry=1")  # as the reader would click 重新生成
        time.sleep(0.2)
    raise AssertionError(f"{url}: no PDF after {deadline} s")


def measure(measure, browser, url):
    first = _fetch(browser, url)
    kept = [_fetch(browser, url) for _ in range(REPEAT)]
    figures = measure.page(browser, url, REPEAT)
    return {
        "url": url,
        "first_reader_ms": round(first, 1),
        "kept_p50_ms": percentile(kept, 0.5),
        "kept_served": figures,
    }
