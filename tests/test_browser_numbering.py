"""One numbering of problems, as the filer sees it: the number the editor shows beside each
problem of a team plan (a CSS counter running on through the categories) is the number its
pickers give it and plans.documents.numbered_problems gives it, before and after a problem
is added to an earlier category."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from plans import editing
from plans.documents import numbered_problems
from plans.models import Item
from plans.structure import structure_of
from plans.words import Category

from .conftest import login
from .factories import filled_team_plan

pytestmark = pytest.mark.browser


def shown_numbers(page):
    """{row uid: the number the editor shows beside it}. The number is the ::before of the
    row's .num, a CSS counter: no DOM text holds it, so it is read from the text Chromium
    laid out, in a DOM snapshot."""
    snapshot = page.context.new_cdp_session(page).send("DOMSnapshot.captureSnapshot", {"computedStyles": []})
    strings, document = snapshot["strings"], snapshot["documents"][0]
    nodes, layout = document["nodes"], document["layout"]
    parents = nodes["parentIndex"]
    laid_out = {
        node: strings[text]
        for node, text in zip(layout["nodeIndex"], layout["text"], strict=True)
        if text >= 0
    }

    def attributes(node):
        pairs = nodes["attributes"][node]
        return {strings[pairs[i]]: strings[pairs[i + 1]] for i in range(0, len(pairs), 2)}

    shown = {}
    pseudo = nodes["pseudoType"]
    for node, kind in zip(pseudo["index"], pseudo["value"], strict=True):
        span = parents[node]
        if strings[kind] != "before" or "num" not in attributes(span).get("class", "").split():
            continue
        row = span
        while not attributes(row).get("id", "").startswith("item-"):
            row = parents[row]
        shown[attributes(row)["id"].removeprefix("item-")] = int(laid_out[node])
    return shown


def numbering(plan):
    """{problem uid: its number} as plans.documents numbers the plan's problems now."""
    problems = list(Item.objects.filter(document=plan, section="problems"))
    return {str(problem.uid): n for n, problem in numbered_problems(structure_of(plan), problems)}


def picked_numbers(page, measure):
    """{problem uid: the number in its label} in MEASURE's picker of the problems it addresses."""
    picker = page.locator(f"#item-{measure.uid} details.picker[data-name=addresses]")
    picker.locator("summary").click()
    expect(picker.locator("input[name=addresses]").first).to_be_attached()
    uids = {str(pk): str(uid) for pk, uid in Item.objects.filter(section="problems").values_list("pk", "uid")}
    found = {}
    for label in picker.locator("label").all():
        number = re.match(r"问题(\d+)：", label.inner_text().strip())
        found[uids[label.locator("input").get_attribute("value")]] = int(number.group(1))
    return found


def test_the_editor_the_picker_and_the_documents_number_a_problem_alike(page, live_server, cast, artifacts):
    plan = filled_team_plan(cast)
    # A second 政治纪律 problem written after the others: it is 2, and what followed moves on.
    late = editing.add_item(
        cast.filer,
        plan,
        "problems",
        {"category": Category.POLITICAL_DISCIPLINE, "text": "后补的政治纪律问题"},
    )
    expected = numbering(plan)
    assert expected[str(late.uid)] == 2 and len(expected) > 3
    measures = list(plan.items.filter(section="measures").order_by("position"))
    login(page, live_server, "filer")
    page.goto(live_server.url + reverse("plans:document", args=[plan.pk]))

    shown = shown_numbers(page)
    assert {uid: shown[uid] for uid in expected} == expected
    assert picked_numbers(page, measures[0]) == expected
    page.locator("#section-problems").screenshot(path=artifacts / "numbering-editor.png")

    # A problem added to the first category in the page: every later number moves on, alike.
    group = page.locator("#section-problems .group").filter(
        has=page.locator("#list-problems-political_discipline")
    )
    group.get_by_role("button", name=re.compile("添加一条")).click()
    expect(page.locator("#list-problems-political_discipline .row-item")).to_have_count(3)
    expected = numbering(plan)
    shown = shown_numbers(page)
    assert {uid: shown[uid] for uid in expected} == expected
    assert picked_numbers(page, measures[1]) == expected
