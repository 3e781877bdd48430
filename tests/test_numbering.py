"""One numbering of problems: "问题3" is the same problem in the editor's pickers, the
PDF and the Excel, counted once through the categories in the notice's order. (The
editor's own numbers, a CSS counter, are read in tests/test_browser_numbering.py.)"""

import re

import pytest
from django.urls import reverse

from plans import editing
from plans.documents import numbered_problems, problem_numbers
from plans.pdf import render_html, render_pdf
from plans.sheets.export import export_workbook
from plans.structure import structure_of
from plans.words import Category

from .factories import filled_individual, filled_team_plan
from .pdfread import lines
from .test_spreadsheets import sheet_of

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def plan(cast):
    """中共长沙县委's plan with a second 政治纪律 problem added last, after the others."""
    plan = filled_team_plan(cast)
    editing.add_item(
        cast.filer,
        plan,
        "problems",
        {"category": Category.POLITICAL_DISCIPLINE, "text": "后补的政治纪律问题"},
    )
    return plan


def test_problems_count_on_through_the_categories_in_the_notice_s_order(plan):
    problems = list(plan.items.filter(section="problems"))
    numbered = numbered_problems(structure_of(plan), problems)
    assert [problem.category for _n, problem in numbered[:3]] == [
        Category.POLITICAL_DISCIPLINE,
        Category.POLITICAL_DISCIPLINE,
        Category.EIGHT_RULES,
    ]
    assert numbered[1][1].text == "后补的政治纪律问题"
    assert [n for n, _problem in numbered] == list(range(1, len(problems) + 1))
    assert problem_numbers(structure_of(plan), problems) == {problem.pk: n for n, problem in numbered}


def test_the_picker_and_the_pdf_give_a_problem_the_same_number(cast, client, plan):
    problems = list(plan.items.filter(section="problems"))
    numbers = problem_numbers(structure_of(plan), problems)
    eight_rules = next(p for p in problems if p.category == Category.EIGHT_RULES)
    assert numbers[eight_rules.pk] == 3

    measure = plan.items.filter(section="measures").first()
    client.force_login(cast.filer)
    picker = client.get(reverse("plans:item_picker", args=[measure.pk, "addresses"]), **HX).content.decode()
    assert f"问题3：{eight_rules.text}" in picker
    assert "问题2：后补的政治纪律问题" in picker

    html = render_html(plan)
    table = html[html.index('class="list team-list"') : html.index("</table>")]
    assert f"3．{eight_rules.text}" in table
    assert "2．后补的政治纪律问题" in table


def test_the_printed_pdf_numbers_each_problem_as_the_documents_do(plan, tmp_path):
    """Read back from the PDF itself (poppler's text, line by line): each problem of the
    问题清单 begins with its number, and with no other."""
    numbered = numbered_problems(structure_of(plan), list(plan.items.filter(section="problems")))
    printed = "\n".join(
        line.text for _width, _height, found in lines(render_pdf(plan), tmp_path) for line in found
    )
    assert len(numbered) > 3
    for number, problem in numbered:
        opening = re.escape(problem.text[:4])
        assert re.findall(rf"(?<!\d)(\d+)．{opening}", printed) == [str(number)], problem.text


def test_an_individual_s_problems_are_numbered_alike_in_the_pdf_and_the_excel(cast):
    document = filled_individual(cast)
    numbered = numbered_problems(structure_of(document), list(document.items.filter(section="problems")))
    sheet = sheet_of(export_workbook(document))
    html = render_html(document)
    for number, problem in numbered:
        row = next(r for r in range(4, sheet.max_row + 1) if sheet.cell(r, 2).value == problem.text)
        assert sheet.cell(row, 1).value == number
        assert f"{number}．{problem.text}" in html
