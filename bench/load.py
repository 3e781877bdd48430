"""The load scenario of make bench, for locust: a province at once.

Run by bench/loadrun.py (never by hand, though it can be): `locust -f bench/load.py
--headless ... FilerUser ReviewerUser OfficeUser`, or `FloorUser` for the bare view under
the same offered load. It reads the cast the bench wrote (BENCH_CAST: sessions of real
users of the scale data, the documents and items they work on) and the pace (BENCH_PACE):

    none     no pause at all: the server's saturation
    busy     1–3 s between requests, people working hard
    people   5–15 s between requests: a save after each pause in typing, a page now and then

The mix: filers (weight 5) autosave an item of their own draft, as the editor does after
each pause in typing, and now and then open the document; reviewers (2) open their inbox
and the document they are to decide; the office (1) browses the dashboard, the tree,
search and a county's ledger.
"""

import itertools
import json
import os
import random
import re
from html.parser import HTMLParser

from locust import FastHttpUser, between, constant, task

CAST = json.loads(open(os.environ["BENCH_CAST"], encoding="utf-8").read())
PACES = {"none": constant(0), "busy": between(1, 3), "people": between(5, 15)}
PACE = PACES[os.environ.get("BENCH_PACE", "busy")]
_turns = {role: itertools.count() for role in ("filers", "reviewers", "office")}
REVISION = re.compile(rb'name="revision"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="revision"')


def take(role):
    """The next member of the cast in ROLE: each simulated user its own, while they last."""
    members = CAST[role]
    return members[next(_turns[role]) % len(members)]


class Form(HTMLParser):
    """The named fields of the first form of a page, as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.fields, self.depth, self.done, self.textarea, self.select = {}, 0, False, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.done:
            return
        if tag == "form":
            self.depth += 1
        name = attrs.get("name")
        if not self.depth or not name:
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                self.fields[name] = attrs.get("value", "on" if kind == "checkbox" else "")
        elif tag == "textarea":
            self.textarea = name
            self.fields[name] = ""
        elif tag == "select":
            self.select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields[self.select] = attrs.get("value", "")

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form" and self.depth:
            self.depth -= 1
            self.done = not self.depth


class Member(FastHttpUser):
    abstract = True
    wait_time = PACE
    role = ""

    def on_start(self):
        self.who = take(self.role)
        self.headers = {"Cookie": self.who["cookie"]}
        self.htmx = {**self.headers, "HX-Request": "true", "X-CSRFToken": CAST["csrf"]}


class FilerUser(Member):
    """Types into an item of a draft and autosaves it; opens the document now and then."""

    weight = 5
    role = "filers"

    def on_start(self):
        super().on_start()
        self.typed = 0
        self.fields = None

    def _load(self):
        with self.client.get(
            f"/items/{self.who['item']}/",
            headers=self.htmx,
            name="editor: item form (once)",
            catch_response=True,
        ) as response:
            form = Form()
            form.feed(response.text or "")
            if "revision" not in form.fields:
                response.failure("no editable form for the item")
                return
            self.fields = form.fields

    @task(6)
    def save(self):
        if self.fields is None:
            self._load()
            if self.fields is None:
                return
        self.typed += 1
        text = self.fields.get(self.who["field"], "")
        self.fields[self.who["field"]] = re.sub(r"（第\d+稿）$", "", text) + f"（第{self.typed}稿）"
        with self.client.post(
            f"/items/{self.who['item']}/save/",
            data=self.fields,
            headers=self.htmx,
            name="editor: save",
            catch_response=True,
        ) as response:
            found = REVISION.search(response.content or b"")
            if response.status_code != 200 or not found:
                response.failure(f"save answered {response.status_code}")
                self.fields = None  # read the item again, as the page would after a conflict
                return
            self.fields["revision"] = (found.group(1) or found.group(2)).decode()
            answered_checklist = b'id="checklist' in (response.content or b"")
        if not answered_checklist:
            # The editor asks for the checklist after a save that did not bring it.
            self.client.get(
                f"/documents/{self.who['document']}/checklist/", headers=self.htmx, name="editor: checklist"
            )

    @task(1)
    def open_document(self):
        self.client.get(f"/documents/{self.who['document']}/", headers=self.headers, name="editor: page")


class ReviewerUser(Member):
    weight = 2
    role = "reviewers"

    @task
    def inbox(self):
        self.client.get("/inbox/", headers=self.headers, name="review: inbox")

    @task
    def document(self):
        self.client.get(f"/documents/{self.who['document']}/", headers=self.headers, name="review: document")


class OfficeUser(Member):
    weight = 1
    role = "office"

    @task(2)
    def dashboard(self):
        self.client.get(random.choice(CAST["dashboards"]), headers=self.headers, name="office: dashboard")

    @task
    def home(self):
        self.client.get("/", headers=self.headers, name="office: home")

    @task
    def tree(self):
        self.client.get(random.choice(CAST["trees"]), headers=self.headers, name="office: tree")

    @task
    def search(self):
        self.client.get(random.choice(CAST["searches"]), headers=self.headers, name="office: search")

    @task
    def ledger(self):
        self.client.get(random.choice(CAST["ledgers"]), headers=self.headers, name="office: ledger")


class FloorUser(Member):
    """The bare view (bench/urls.py), signed in, under the same users and pace."""

    role = "office"

    @task
    def floor(self):
        self.client.get(CAST["floor"], headers=self.headers, name="floor")
