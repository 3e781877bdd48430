"""A filer weighs a problem 急 in the editor; the choice is saved as it is made."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from plans.models import Item
from plans.words import Priority

from .conftest import login
from .factories import filled_team_plan

pytestmark = pytest.mark.browser


def test_the_filer_marks_a_problem_urgent(page, live_server, cast, artifacts):
    plan = filled_team_plan(cast)
    problem = plan.items.get(section="problems", category="political_discipline")
    login(page, live_server, "filer")
    page.goto(live_server.url + reverse("plans:document", args=[plan.pk]))
    select = page.locator(f"#priority-{problem.uid}")
    expect(select).to_have_value("normal")
    expect(page.locator(f"label[for=priority-{problem.uid}]")).to_have_text("轻重缓急")
    select.select_option("urgent")
    expect(page.locator(f"#fb-{problem.uid}")).to_contain_text("已保存")
    problem.refresh_from_db()
    assert problem.priority == Priority.URGENT
    assert Item.objects.get(pk=problem.pk).revision == 2
    page.locator(f"#item-{problem.uid}").screenshot(path=str(artifacts / "editor-priority.png"))
    page.reload()
    expect(page.locator(f"#priority-{problem.uid}")).to_have_value("urgent")
