"""Section 五's lighter individual measures: the cadres of 县市区直属单位 and 乡镇、街道 list
their problems and measures 条目式. Their lists have no category, so the editor offers no
block, the checklist asks for none, the PDF prints two numbered lists, and the Excel is the
notice's individual table without the category headings, read back as it was written.
A county leader's measures keep section 三's blocks everywhere."""

import datetime as dt

import pytest
from django.urls import reverse

from orgs.models import Person, Rank
from plans import editing
from plans.checks import check
from plans.documents import open_individual_document, snapshot
from plans.pdf import render_pdf
from plans.sheets.export import export_workbook
from plans.sheets.importing import import_reading
from plans.sheets.reading import read_workbook
from plans.structure import LIGHTER_INDIVIDUAL, STRUCTURES, structure_named, structure_of
from plans.words import Category, DocumentKind, Priority
from review.diff import compare

from .conftest import seat, user
from .factories import filled_individual
from .test_pdf import keep, text_of
from .test_spreadsheets import clear_lists, lists, sheet_of

pytestmark = pytest.mark.django_db

PROBLEMS = (
    ("下基层调研偏少，联系群众不够紧密", Priority.URGENT, False),
    ("参加会议多，到村组解决实际问题少", Priority.NORMAL, False),
    ("对群众反映的低保评定问题推诿拖延", Priority.IMPORTANT, True),
)
MEASURES = (
    ("每月到联系村走访2次，年底前完成1篇调研报告", dt.date(2014, 12, 31), "2014年12月底前"),
    ("精简会议，每周至少两天在村组现场办公", None, "长期坚持"),
    ("低保评定一律张榜公示，群众反映的问题7日内答复", dt.date(2014, 10, 31), "2014年10月底前"),
)


def township_cadre(cast, name="罗建军", username="luojianjun"):
    person = Person.objects.create(name=name, user=user(username))
    seat(person, cast.xingsha_committee, "街道党工委委员", rank=Rank.KE, order=2)
    return person


def listed_measures(cast, person):
    """PERSON's measures written 条目式: three problems, weighed, each with a measure."""
    document = open_individual_document(cast.xingsha_committee, person, person.user)
    for (problem_text, priority, inaction), (text, deadline, deadline_text) in zip(
        PROBLEMS, MEASURES, strict=True
    ):
        problem = editing.add_item(
            person.user,
            document,
            "problems",
            {"text": problem_text, "priority": priority, "inaction": inaction},
        )
        editing.add_item(
            person.user,
            document,
            "measures",
            {"text": text, "deadline": deadline, "deadline_text": deadline_text, "inaction": inaction},
            links={"addresses": [problem]},
        )
    return document


@pytest.fixture
def cadre(cast):
    return township_cadre(cast)


@pytest.fixture
def lighter(cast, cadre):
    return listed_measures(cast, cadre)


def test_a_township_cadre_s_measures_are_written_in_the_lighter_format(cast, lighter):
    assert structure_of(lighter) is LIGHTER_INDIVIDUAL
    for section in LIGHTER_INDIVIDUAL.sections:
        assert "category" not in section.fields and section.categories == ()
    assert structure_of(filled_individual(cast)) is STRUCTURES[DocumentKind.INDIVIDUAL]


def test_the_editor_offers_no_category_picker_to_a_township_cadre(client, cadre, lighter):
    client.force_login(cadre.user)
    html = client.get(reverse("plans:document", args=[lighter.pk])).content.decode()
    assert 'name="category"' not in html
    # One list per 版块, added to without a category.
    assert "list-problems-all" in html and "list-measures-all" in html
    assert "加强理论武装、严守政治纪律" not in html
    for text, _priority, _inaction in PROBLEMS:
        assert text in html


def test_a_county_leader_s_editor_keeps_the_blocks(cast, client):
    document = filled_individual(cast)
    client.force_login(cast.member)
    html = client.get(reverse("plans:document", args=[document.pk])).content.decode()
    assert 'name="category"' in html
    assert "list-measures-theory_and_discipline" in html


def test_the_lighter_measures_pass_the_checklist_without_categories(lighter):
    assert not lighter.items.exclude(category="").exists()
    result = check(lighter)
    assert result.passed, [finding.message for finding in result.errors]


def test_a_category_given_before_is_kept_but_not_shown_as_a_block(client, cadre, lighter):
    earlier = editing.add_item(
        cadre.user,
        lighter,
        "problems",
        {"text": "此前按几大块填写的问题", "category": Category.EIGHT_RULES},
    )
    client.force_login(cadre.user)
    html = client.get(reverse("plans:document", args=[lighter.pk])).content.decode()
    assert "此前按几大块填写的问题" in html
    assert "未分类" not in html and 'name="category"' not in html

    # Saving the row from the editor (which sends no category) keeps what it had.
    response = client.post(
        reverse("plans:item_save", args=[earlier.pk]),
        {"revision": earlier.revision, "text": "此前按几大块填写的问题（已改）"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    earlier.refresh_from_db()
    assert (earlier.text, earlier.category) == ("此前按几大块填写的问题（已改）", Category.EIGHT_RULES)
    # No block is asked for because of it (it still wants a measure, as any problem does).
    assert [f.message for f in check(lighter).errors if f.rule == "complete"] == []


def test_a_list_without_blocks_moves_across_categories_given_before(cadre, lighter):
    first = lighter.items.get(section="problems", text=PROBLEMS[0][0])
    editing.save_item(cadre.user, first, first.revision, {"category": Category.POLITICAL_DISCIPLINE})
    second = lighter.items.get(section="problems", text=PROBLEMS[1][0])
    assert editing.move_item(cadre.user, second, -1)
    order = list(lighter.items.filter(section="problems").order_by("position").values_list("text", flat=True))
    assert order[:2] == [PROBLEMS[1][0], PROBLEMS[0][0]]


def test_the_lighter_pdf_prints_two_numbered_lists(lighter, artifacts):
    text = text_of(keep(artifacts, "individual-lighter", render_pdf(lighter)))
    assert "一、问题清单" in text and "二、整改措施" in text
    # No block by category: no （一）… subheading, no category's name.
    assert "（一）" not in text
    for category in Category:
        assert str(category.label) not in text
    for number, (problem, _priority, _inaction) in enumerate(PROBLEMS, start=1):
        assert f"{number}．{problem}" in text
    for number, (measure, _deadline, _text) in enumerate(MEASURES, start=1):
        assert f"{number}．{measure}" in text
    assert "（轻重缓急：急）" in text


def test_a_county_leader_s_pdf_keeps_the_blocks(cast):
    text = text_of(render_pdf(filled_individual(cast)))
    assert "（一）遵守政治纪律方面存在的问题" in text
    assert "（一）加强理论武装、严守政治纪律方面的整改措施" in text


def test_the_lighter_excel_has_no_category_headings_and_re_imports_losslessly(cast, cadre, lighter):
    before = lists(lighter)
    data = export_workbook(lighter)
    sheet = sheet_of(data)
    # Title, name line, header, then one row per problem: no heading row between them.
    assert sheet.max_row == 3 + len(PROBLEMS)
    assert [sheet.cell(row, 1).value for row in range(4, 4 + len(PROBLEMS))] == [1, 2, 3]
    assert [sheet.cell(row, 6).value for row in range(4, 4 + len(PROBLEMS))] == ["急", "一般", "重"]

    clear_lists(cadre.user, lighter)
    assert import_reading(cadre.user, lighter, read_workbook(data)) == len(PROBLEMS)

    after = lists(lighter)
    assert after == before
    assert {row["category"] for row in after} == {""}


def test_a_county_leader_s_excel_keeps_its_category_headings(cast):
    sheet = sheet_of(export_workbook(filled_individual(cast)))
    assert sheet["A4"].value == "遵守政治纪律方面存在的问题"


def test_a_file_with_category_headings_goes_into_the_lighter_measures_as_a_list(cast, cadre):
    """The full format's table, headings and all, imported into lighter measures: every
    row kept, none under a category."""
    full = export_workbook(filled_individual(cast))
    document = open_individual_document(cast.xingsha_committee, cadre, cadre.user)
    assert import_reading(cadre.user, document, read_workbook(full)) == 3
    assert document.items.filter(section="problems").count() == 3
    assert document.items.filter(section="measures").count() == 3
    assert not document.items.exclude(category="").exists()


def test_a_snapshot_names_the_lighter_format_and_the_diff_reads_it(cadre, lighter):
    old = snapshot(lighter)
    assert old["lighter"] is True
    assert structure_named(old["kind"], old["lighter"]) is LIGHTER_INDIVIDUAL
    problem = lighter.items.get(section="problems", text=PROBLEMS[0][0])
    editing.save_item(cadre.user, problem, problem.revision, {"priority": Priority.NORMAL})
    diff = compare(old, snapshot(lighter))
    changed = [change for section in diff.sections for change in section.changes]
    assert [(change.kind, change.title) for change in changed] == [("changed", PROBLEMS[0][0])]
    assert [str(section.title) for section in diff.sections] == [
        str(section.title) for section in LIGHTER_INDIVIDUAL.sections
    ]


def test_a_snapshot_taken_before_it_named_its_format_is_of_its_kind(cast):
    document = filled_individual(cast)
    old = snapshot(document)
    assert old["lighter"] is False
    del old["lighter"]
    assert compare(old, snapshot(document)).empty
