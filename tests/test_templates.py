"""No JavaScript inside a template: every script is a file under static/js/, so a page
runs under a policy that forbids inline script (an intranet's proxy may set one), and a
confirmation asks through the form's data-confirm (static/js/once.js)."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# Inside a tag: an on…= handler (onclick, onsubmit …) or htmx's hx-on, a javascript: URL,
# or a <script> with no src.
TAG = re.compile(r"<[a-zA-Z][^>]*>", re.S)
HANDLER = re.compile(r"\s(?:hx-on[-:\w]*|on[a-z]+)\s*=", re.I)
SCRIPT_URL = re.compile(r"""=\s*["']?\s*javascript:""", re.I)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)


def inline_script(text):
    """The pieces of TEXT that are script written into the page."""
    found = [match.group(0) for match in INLINE_SCRIPT.finditer(text)]
    for tag in TAG.findall(text):
        if HANDLER.search(tag) or SCRIPT_URL.search(tag):
            found.append(tag)
    return found


def test_the_scan_finds_what_it_looks_for():
    assert inline_script("""<button type="submit" onclick="return confirm('删?')">删除</button>""")
    assert inline_script("""<form\n  method="post" onSubmit="go()">""")
    assert inline_script("""<div hx-on::after-request="this.reset()">""")
    assert inline_script("""<a href="javascript:void(0)">""")
    assert inline_script("""<script>alert(1)</script>""")
    assert not inline_script("""<form class="once" data-confirm="确定删除这一条吗？">""")
    assert not inline_script("""<script src="/static/js/once.js" defer></script>""")
    assert not inline_script("""<input name="once" value="k"><p>onclick= is only a word here</p>""")


@pytest.mark.parametrize(
    "path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_no_template_has_inline_script(path):
    assert inline_script(path.read_text(encoding="utf-8")) == []
