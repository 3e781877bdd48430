"""Export then import gives back the same document: every demo document of every kind
(seed_demo and seed_publication's, a township cadre's lighter measures, and what the
samples leave out: several measures of one problem with their own owners and units,
measures that answer no problem, the four responses, an individual's claims) is
exported, its lists emptied, the workbook imported back, and every field compared.
A blank problem cell in an office's file is the problem above, as a blank category is."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from devdata import demo, publication, samples
from orgs.models import Position, Role, TeamKind
from plans import editing
from plans.documents import inputs_for, open_team_document, read_deadline
from plans.models import Document, Item
from plans.spreadsheets import SheetError, export_filename, export_workbook, import_reading, read_workbook
from plans.structure import structure_of
from plans.words import Category, DocumentKind, Priority, Source, Status

from .sheets_samples import xlsx

C = Category
# The lists the notice's tables hold (a team plan's 分阶段整改主要任务 is written on its page).
TABLES = ("problems", "measures", "entries", "tasks")
TEAM_HEADER = ["序号", "问题类别", "问题清单", "整改任务和措施", "责任人", "整改时限"]


def fields_of(document):
    """Every item of DOCUMENT's tables as plain data, by the fields its structure gives each
    section; links by the text of what they point at (an import makes new rows)."""
    rows = []
    for section in structure_of(document).sections:
        if section.code not in TABLES:
            continue
        items = document.items.filter(section=section.code).select_related("owner", "special_task")
        for item in items.prefetch_related("answers", "addresses", "claims"):
            row = {"section": section.code}
            for name in section.fields:
                if name == "owner":
                    row["owner"] = (item.owner_id, item.owner_text)
                elif name == "deadline":
                    row["deadline"] = deadline(document, item)
                elif name == "special_task":
                    row["special_task"] = (item.special_task_id, item.text)
                elif name in ("answers", "addresses", "claims"):
                    row[name] = sorted(linked.text for linked in getattr(item, name).all())
                else:
                    row[name] = getattr(item, name)
            rows.append(row)
    return sorted(rows, key=lambda row: json.dumps(row, ensure_ascii=False, sort_keys=True))


def deadline(document, item):
    """ITEM's deadline as the page saves it: a deadline typed as words (2014年10月底前) has
    its date too. (The demo's community list was written without the dates.)"""
    date = item.deadline
    if date is None and item.deadline_text:
        date = read_deadline(document, item.deadline_text).date
    return (str(date), item.deadline_text)


def reopened(document):
    """DOCUMENT as a draft again, so that its filer may import into it (the demo approved
    most of its documents)."""
    Document.objects.filter(pk=document.pk).update(status=Status.DRAFT)
    document.refresh_from_db()
    return document


def filer_of(document):
    return document.person.user if document.person_id else document.updated_by


def emptied(document):
    """DOCUMENT with no list items: the empty copy the workbook is imported into."""
    Item.objects.filter(document=document, section__in=TABLES).delete()
    return document


def imported(document, data):
    """DATA imported into DOCUMENT emptied of its tables' rows; how many rows it had."""
    reading = read_workbook(data)
    assert reading.errors == [], (document.title, reading.errors)
    return import_reading(filer_of(document), emptied(document), reading)


def richer(documents):
    """What the demo's samples leave out, added through the editing functions."""
    plan = reopened(one(documents, DocumentKind.TEAM_PLAN))
    user = plan.updated_by
    problem = plan.items.filter(section="problems", category=C.FOUR_WINDS).first()
    editing.save_item(user, problem, problem.revision, {"priority": Priority.URGENT})
    for values in (
        {"text": "每周五为无会日", "owner_text": "王某某（县委办主任）", "unit": "县委办、县政府办"},
        {"text": "文件一律控制在3000字以内", "owner_text": "", "unit": "", "deadline_text": "长期坚持"},
    ):
        owner = None if values["owner_text"] else problem.addressed_by.first().owner
        editing.add_item(
            user,
            plan,
            "measures",
            {"category": C.FOUR_WINDS, "owner": owner, **values},
            {"addresses": [problem]},
        )
    editing.add_item(
        user,
        plan,
        "measures",
        {"category": C.MASS_INTERESTS, "text": "开通县长热线，群众来电24小时内回复", "unit": "县信访局"},
    )
    # One measure against two problems of different categories.
    eight_rules = plan.items.filter(section="problems", category=C.EIGHT_RULES).first()
    editing.add_item(
        user,
        plan,
        "measures",
        {"category": C.EIGHT_RULES, "text": "会议和接待一律执行统一标准，每季度公开一次"},
        {"addresses": [eight_rules, problem]},
    )
    simplified = reopened(
        next(document for document in documents if document.kind == DocumentKind.SIMPLIFIED_PLAN)
    )
    editing.add_item(
        simplified.updated_by,
        simplified,
        "measures",
        {"text": "每季度开展一次警营开放日", "owner_text": "政治处主任", "deadline_text": "长期坚持"},
    )
    member = reopened(one(documents, DocumentKind.INDIVIDUAL))
    owner = member.person.user
    problems = list(member.items.filter(section="problems").order_by("position"))
    editing.save_item(
        owner,
        problems[0],
        problems[0].revision,
        {"priority": Priority.IMPORTANT},
        {
            "answers": list(inputs_for(member)),
            "claims": list(plan.items.filter(section="problems").order_by("position")[:2]),
        },
    )
    editing.add_item(
        owner,
        member,
        "measures",
        {
            "category": C.EIGHT_RULES,
            "text": "不再参加任何形式的公款宴请",
            "note": "本人承诺",
            "deadline_text": "长期坚持",
        },
    )
    editing.add_item(
        owner,
        member,
        "measures",
        {"category": C.EIGHT_RULES, "text": "下基层轻车简从", "deadline": dt.date(2014, 9, 30)},
        {"addresses": [problems[1], problems[2]]},
    )


def lighter_measures():
    """A township cadre's individual measures: section 五's lighter format (条目式)."""
    position = (
        Position.objects.filter(team__org__code="430121001", role=Role.MEMBER, active=True)
        .select_related("person", "team")
        .first()
    )
    person = position.person
    if person.user_id is None:
        person.user = demo._user(f"cadre{person.pk}", person.name, [], "")
        person.save(update_fields=["user"])
    document = samples.fill_individual(person.user, position.team, person)
    assert structure_of(document).lighter
    return document


@pytest.fixture
def documents(demo_tree, settings):
    """Every document of the demo, and a township cadre's lighter measures."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.seed()
    publication.seed()
    lighter_measures()
    return list(Document.objects.select_related("team__org", "person").order_by("id"))


def one(documents, kind, team=TeamKind.PARTY_COMMITTEE, code="430121"):
    return next(
        document
        for document in documents
        if document.kind == kind and document.team.kind == team and document.team.org.code == code
    )


def test_every_demo_document_comes_back_field_for_field(documents):
    assert {document.kind for document in documents} == set(DocumentKind.values)
    richer(documents)
    exported = [
        (document, fields_of(reopened(document)), export_workbook(document)) for document in documents
    ]
    # The plans before the individual measures that claim their problems (by their text).
    for document, before, data in sorted(exported, key=lambda each: each[0].kind == DocumentKind.INDIVIDUAL):
        assert imported(document, data) > 0
        assert fields_of(document) == before, document.title

    plan = one(documents, DocumentKind.TEAM_PLAN)
    shared = plan.items.get(section="measures", text="每周五为无会日")
    assert (
        shared.owner is None
        and shared.owner_text == "王某某（县委办主任）"
        and shared.unit == "县委办、县政府办"
    )
    assert shared.addresses.get().addressed_by.count() == 4  # with the one against two problems
    both = plan.items.get(section="measures", text__startswith="会议和接待一律")
    assert sorted(both.addresses.values_list("category", flat=True)) == [C.EIGHT_RULES, C.FOUR_WINDS]
    loose = plan.items.get(section="measures", text__startswith="开通县长热线")
    assert loose.category == C.MASS_INTERESTS and not loose.addresses.exists()
    member = one(documents, DocumentKind.INDIVIDUAL)
    claimed = member.items.filter(section="problems").exclude(claims=None).get()
    assert set(claimed.claims.values_list("document_id", flat=True)) == {plan.pk}
    assert claimed.answers.count() == inputs_for(member).count() > 0
    special = one(documents, DocumentKind.SPECIAL_RECTIFICATION)
    assert special.items.exclude(special_task=None).count() == special.items.count() > 0


def test_the_command_writes_what_the_browser_downloads(cast, client, tmp_path):
    plan = samples.fill_team_plan(cast.filer, cast.committee, [cast.secretary_person, cast.member_person])
    client.force_login(cast.filer)
    downloaded = client.get(reverse("plans:export", args=[plan.pk])).content
    path = tmp_path / "清单.xlsx"
    out = io.StringIO()
    call_command("export_list", str(plan.pk), "--out", str(path), stdout=out)
    assert "已导出《中共长沙县委常委班子整改方案》" in out.getvalue()
    assert read_workbook(path.read_bytes()).as_json() == read_workbook(downloaded).as_json()
    assert path.read_bytes()[:2] == b"PK" and export_filename(plan).endswith(".xlsx")

    with pytest.raises(CommandError, match="没有编号为 0 的整改文件"):
        call_command("export_list", "0", "--out", str(path))
    with pytest.raises(CommandError, match="不能查看"):
        call_command("export_list", str(plan.pk), "--out", str(path), "--user", "outsider")


def test_a_blank_problem_cell_is_the_problem_above(cast):
    data = xlsx(
        [
            TEAM_HEADER,
            [1, "“四风”方面", "会议多", "精简会议", "夏海波", "2014年10月底前"],
            [None, None, None, "压缩文件", "欧阳明辉", "2014年12月底前"],  # the problem above
            [None, None, "文件多", "控制篇幅", "夏海波", "长期坚持"],
            [None, None, "（不针对具体问题）", "每周五为无会日", "夏海波", "长期坚持"],
            [None, None, None, "无会日不安排检查", "夏海波", "长期坚持"],  # nothing above to repeat
            [2, "最后一公里", None, "推行代办制", "欧阳明辉", "长期坚持"],  # a new category: nothing above
        ]
    )
    reading = read_workbook(data)
    assert [(item.problem, item.measures) for item in reading.items] == [
        ("会议多", "精简会议"),
        ("会议多", "压缩文件"),
        ("文件多", "控制篇幅"),
        ("", "每周五为无会日"),
        ("", "无会日不安排检查"),
        ("", "推行代办制"),
    ]
    assert [error["row"] for error in reading.errors] == [6, 7]
    assert all(error["message"].endswith("请在问题栏填写“（不针对具体问题）”。") for error in reading.errors)

    plan = open_team_document(cast.committee, cast.filer)
    fixed = read_workbook(xlsx(_rows(data)[:5]))
    assert fixed.errors == []
    assert import_reading(cast.filer, plan, fixed) == 4
    problem = plan.items.get(section="problems", text="会议多")
    assert sorted(problem.addressed_by.values_list("text", flat=True)) == ["压缩文件", "精简会议"]
    assert not plan.items.get(section="measures", text="每周五为无会日").addresses.exists()


def _rows(data):
    return [[cell.value for cell in row] for row in load_workbook(io.BytesIO(data)).worksheets[0].iter_rows()]


def test_links_the_register_does_not_have_are_named(cast):
    plan = samples.fill_team_plan(cast.filer, cast.committee, [cast.secretary_person])
    data = export_workbook(plan)
    rows = _rows(data)
    rows[3][8] = "从没登记过的意见"
    rows[4][9] = "别处的问题"
    editing.add_input(cast.filer, cast.committee, Source.MASS_OPINION, "另一条意见")
    reading = read_workbook(xlsx(rows))
    before = fields_of(plan)
    with pytest.raises(SheetError, match="第4行：回应的意见“从没登记过的意见”不在本文件要回应的意见"):
        import_reading(cast.filer, plan, reading)
    with pytest.raises(SheetError, match="第5行：针对的问题“别处的问题”不是本表中的问题"):
        import_reading(cast.filer, plan, reading)
    assert fields_of(plan) == before


def test_every_refusal_ends_in_one_full_stop(cast):
    """Row errors of every kind, as the preview lists them and as the import refuses them."""
    data = xlsx(
        [
            [*TEAM_HEADER, "轻重缓急", "责任单位", "回应的意见"],
            [1, "“四风”方面", None, "精简会议", "夏海波", "2014年10月底前"],
            [None, None, "学习不够。", "加强学习", None, "尽快。"],
            [None, "其他问题。", "学习不够", "加强学习", None, None],
            [None, None, None, None, "李四", "2014年12月"],
            [2, "最后一公里", "会议多", "精简会议", "张" * 101, None, "很急。", "办" * 201, "没登记的意见。"],
        ]
    )
    reading = read_workbook(data)
    plan = open_team_document(cast.committee, cast.filer)
    messages = [error["message"] for error in reading.errors]
    assert len(messages) >= 7
    with pytest.raises(SheetError) as refused:
        import_reading(cast.filer, plan, reading)
    for message in [*messages, refused.value.message]:
        assert message.endswith("。") and "。。" not in message, message
