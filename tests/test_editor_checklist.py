"""One request per save: a change's answer carries the checklist and the flags of the rows
it may have altered (checks.rows_touched), as htmx out-of-band swaps. After each change,
the page as the answers left it equals the page loaded afresh: the same checklist, the
same flags on every row."""

import re

import pytest
from django.urls import reverse

from plans.forms import LINK_FIELDS
from plans.models import Document, Item
from plans.structure import structure_of
from rectify.dates import deadline_label

from .factories import filled_individual, filled_team_plan

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
FLAGS = re.compile(
    r'<span class="flags ms-1" id="flags-([0-9a-f-]+)"[^>]*>((?:<span class="badge[^>]*>[^<]*</span> )*)</span>'
)
STAMP = re.compile(r' data-stamp="\d+"')


def card(html):
    """The checklist card in HTML: from its opening div to the one that closes it."""
    start = html.index('<div class="card checklist"')
    depth = 0
    for tag in re.finditer(r"<(/?)div\b", html[start:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return STAMP.sub("", html[start : start + tag.end() + 1])
    raise AssertionError("the checklist card does not close")


class Page:
    """The editor as the browser holds it: loaded once, then changed by each answer's
    out-of-band swaps as htmx applies them."""

    def __init__(self, client, document):
        self.client = client
        self.document = document
        html = self.get()
        self.checklist = card(html)
        self.flags = dict(FLAGS.findall(html))

    def get(self):
        return self.client.get(reverse("plans:document", args=[self.document.pk])).content.decode()

    def apply(self, response):
        assert response.status_code == 200, response.content.decode()
        html = response.content.decode()
        assert '<div id="checklist" hx-swap-oob="innerHTML">' in html
        self.checklist = card(html)
        for uid, flags in FLAGS.findall(html):
            self.flags[uid] = flags
        return html

    def assert_fresh(self):
        html = self.get()
        assert self.checklist == card(html)
        fresh = dict(FLAGS.findall(html))
        assert {uid: flags for uid, flags in self.flags.items() if uid in fresh} == fresh

    def save(self, item, **changes):
        """Post ITEM's row as its form would, with CHANGES (None: a field left out, as an
        unticked box is)."""
        item.refresh_from_db()
        spec = structure_of(item.document).section(item.section)
        data = {"revision": item.revision}
        for name in spec.fields:
            if name in LINK_FIELDS:
                continue
            if name == "owner":
                data[name] = item.owner_name
            elif name == "deadline":
                data[name] = deadline_label(item.deadline, item.deadline_text)
            elif name == "inaction":
                if item.inaction:
                    data[name] = "on"
            elif name == "special_task":
                data[name] = item.special_task_id or ""
            else:
                data[name] = getattr(item, name)
        for name, value in changes.items():
            if value is None:
                data.pop(name, None)
            else:
                data[name] = value
        return self.apply(self.client.post(reverse("plans:item_save", args=[item.pk]), data, **HX))


def signed_in(client, account):
    client.force_login(account)
    return client


def addressing(pks):
    return {"links": "addresses", "addresses": [str(pk) for pk in pks]}


def test_after_each_save_the_page_equals_a_fresh_one(cast, client):
    plan = filled_team_plan(cast, problems=6)
    page = Page(signed_in(client, cast.filer), plan)
    problems = list(plan.items.filter(section="problems").order_by("position"))
    measures = list(plan.items.filter(section="measures").order_by("position"))
    steps = [
        # A row's own flags: no owner, no deadline, a vague measure.
        lambda: page.save(measures[0], owner="", deadline=""),
        lambda: page.save(measures[1], text="进一步加强作风建设"),
        # A measure stops addressing its problem, which is then flagged; then another
        # measure takes it up.
        lambda: page.save(measures[2], **addressing([])),
        lambda: page.save(measures[3], **addressing([problems[2].pk, problems[3].pk])),
        # A problem emptied is a blank row; a second one changes the count both show.
        lambda: page.save(problems[4], text=""),
        lambda: page.save(problems[5], text=""),
        lambda: page.save(problems[5], text="又写上了问题"),
        # The plan's date moves the deadlines' checks on every row.
        lambda: page.apply(
            page.client.post(
                reverse("plans:header_save", args=[plan.pk]),
                {
                    "revision": Document.objects.get(pk=plan.pk).revision,
                    "unit_name": "中共长沙县委",
                    "dated": "2016-01-01",
                },
                **HX,
            )
        ),
        lambda: page.save(measures[0], owner="罗沅江", deadline="2014年12月底前"),
    ]
    for step in steps:
        step()
        page.assert_fresh()


def test_emptying_the_only_problem_flags_every_measure(cast, client):
    plan = filled_team_plan(cast, problems=1)
    page = Page(signed_in(client, cast.filer), plan)
    *others, last = plan.items.filter(section="problems").order_by("position")
    measures = list(plan.items.filter(section="measures"))
    for measure in measures:
        page.save(measure, **addressing([]))
    for problem in others:
        page.save(problem, text="")
    page.assert_fresh()
    html = page.save(last, text="")
    # A measure naming no problem is hinted at only while the list has a problem: with
    # the last one gone, every measure's row is sent.
    assert all(f'id="flags-{measure.uid}"' in html for measure in measures)
    page.assert_fresh()
    page.save(last, text="重新写上的问题")
    page.assert_fresh()


def test_an_individuals_inaction_flags_its_problems_together(cast, client):
    measures = filled_individual(cast)
    page = Page(signed_in(client, cast.member), measures)
    inaction = list(Item.objects.filter(document=measures, section="measures", inaction=True))
    assert inaction
    for measure in inaction:
        page.save(measure, inaction=None)
        page.assert_fresh()
    page.save(inaction[0], inaction="on")
    page.assert_fresh()


def test_rows_added_moved_and_deleted_bring_the_checklist_too(cast, client):
    plan = filled_team_plan(cast, problems=2)
    page = Page(signed_in(client, cast.filer), plan)
    client = page.client
    page.apply(
        client.post(
            reverse("plans:item_add", args=[plan.pk]), {"section": "problems", "category": "four_winds"}, **HX
        )
    )
    page.assert_fresh()
    added = plan.items.filter(section="problems").order_by("-pk").first()
    page.apply(client.post(reverse("plans:item_move", args=[added.pk]), {"step": "up"}, **HX))
    page.assert_fresh()
    page.apply(client.post(reverse("plans:item_delete", args=[added.pk]), {"revision": added.revision}, **HX))
    page.assert_fresh()


def test_the_script_no_longer_asks_for_the_checklist_after_a_save(cast, client):
    from django.contrib.staticfiles import finders

    script = open(finders.find("js/editor.js"), encoding="utf-8").read()
    assert "/checklist/" not in script and "document-changed" not in script
    plan = filled_team_plan(cast, problems=1)
    html = signed_in(client, cast.filer).get(reverse("plans:document", args=[plan.pk])).content.decode()
    # Only a change made elsewhere (the register, a review's move) asks for it.
    assert 'hx-trigger="document-changed from:body delay:700ms"' in html


def test_each_row_says_what_its_text_is_and_a_reader_sees_it_written(cast, client):
    """The rows are drawn from one skeleton per section (plans/views/rows.py): each keeps
    its section's words and its own values, editable or read-only."""
    plan = filled_team_plan(cast, problems=2)
    problem = plan.items.filter(section="problems").first()
    measure = plan.items.filter(section="measures").first()
    Item.objects.filter(pk=problem.pk).update(text="<b>张三</b>\n第二行")
    html = signed_in(client, cast.filer).get(reverse("plans:document", args=[plan.pk])).content.decode()
    assert f'for="text-{problem.uid}">问题</label>' in html
    assert f'for="text-{measure.uid}">整改措施</label>' in html
    assert "&lt;b&gt;张三&lt;/b&gt;\n第二行</textarea>" in html and "<b>张三</b>" not in html
    Document.objects.filter(pk=plan.pk).update(status="submitted")
    html = client.get(reverse("plans:document", args=[plan.pk])).content.decode()
    assert (
        f'id="form-{problem.uid}"' in html
        and "hx-post" not in html.split(f'id="form-{problem.uid}"')[1][:200]
    )
    assert "&lt;b&gt;张三&lt;/b&gt;<br>第二行" in html
