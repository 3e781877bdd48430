"""The four-responses register in the browser's terms: typed in or pasted from a
spreadsheet column, supervision groups' entries beyond the filer's reach, answers and
written explanations, and per-source counts on the document."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection
from django.urls import reverse
from guardian.shortcuts import assign_perm

from audit.models import Action, Entry
from orgs.models import Person, Position
from plans import editing
from plans.documents import open_individual_document, open_team_document, responses
from plans.models import Input
from plans.words import Source

from .factories import filled_team_plan

pytestmark = pytest.mark.django_db


def register_url(team, person=None):
    url = reverse("plans:register", args=[team.pk])
    return url + (f"?person={person.pk}" if person else "")


def test_a_pasted_column_becomes_one_entry_per_line(cast, client):
    client.force_login(cast.filer)
    pasted = "会议多、文件多\r\n\r\n  下基层调研少  \n窗口单位办事难\n"
    response = client.post(register_url(cast.committee), {"source": "mass_opinion", "text": pasted})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "已登记 3 条征求到的群众意见。" in page and "共 3 行（征求到的群众意见）" in page
    texts = list(
        Input.objects.filter(team=cast.committee).order_by("position").values_list("text", flat=True)
    )
    assert texts == ["会议多、文件多", "下基层调研少", "窗口单位办事难"]
    assert all(entry.source == Source.MASS_OPINION for entry in Input.objects.all())
    page = client.get(register_url(cast.committee)).content.decode()
    assert "下基层调研少" in page and "未回应" in page


def test_an_empty_entry_is_refused_and_nothing_is_written(cast, client):
    client.force_login(cast.filer)
    response = client.post(register_url(cast.committee), {"source": "mass_opinion", "text": ""})
    assert response.status_code == 422
    assert not Input.objects.exists()
    response = client.post(register_url(cast.committee), {"source": "gossip", "text": "某条意见"})
    assert response.status_code == 422
    assert not Input.objects.exists()


def test_a_supervision_group_adds_what_it_pointed_out_and_the_filer_cannot_delete_it(cast, client):
    client.force_login(cast.group)
    # Whatever source the form says, a group's entry is what it pointed out.
    client.post(register_url(cast.committee), {"source": "mass_opinion", "text": "县委常委会议题过多过杂"})
    entry = Input.objects.get()
    assert entry.source == Source.SUPERIOR and entry.from_supervision and entry.created_by == cast.group

    client.force_login(cast.filer)
    page = client.get(register_url(cast.committee)).content.decode()
    assert "督导组点明" in page
    response = client.post(reverse("plans:input_delete", args=[entry.pk]), follow=True)
    assert "督导组点明的问题只能由点明它的督导组删除" in response.content.decode()
    assert Input.objects.filter(pk=entry.pk).exists()
    # The filer cannot rewrite it either, only explain why it is not a problem of the plan.
    client.post(
        reverse("plans:input_save", args=[entry.pk]),
        {"revision": entry.revision, "text": "改成别的", "explanation": "已纳入专项整治"},
        HTTP_HX_REQUEST="true",
    )
    entry.refresh_from_db()
    assert entry.text == "县委常委会议题过多过杂" and entry.explanation == "已纳入专项整治"

    client.force_login(cast.group)
    client.post(reverse("plans:input_delete", args=[entry.pk]))
    assert not Input.objects.filter(pk=entry.pk).exists()


def test_a_groups_entry_is_kept_by_that_group_alone(cast, client):
    """Section 六's least privilege: what a group pointed out is that group's to rewrite
    or delete; another body over the same region (the provincial office) may not, and
    is told whose it is; a fellow member of the group may, and the removal is audited."""
    client.force_login(cast.group)
    client.post(register_url(cast.committee), {"source": "superior", "text": "县委常委会议题过多过杂"})
    entry = Input.objects.get()
    assert entry.added_by_body == cast.group_body
    assert "省委派驻长沙市督导组" in client.get(register_url(cast.committee)).content.decode()

    client.force_login(cast.office)
    response = client.post(reverse("plans:input_delete", args=[entry.pk]), follow=True)
    assert (
        "这一条是省委派驻长沙市督导组点明的，只能由省委派驻长沙市督导组修改或删除。"
        in response.content.decode()
    )
    response = client.post(
        reverse("plans:input_save", args=[entry.pk]),
        {"revision": entry.revision, "text": "改成别的", "explanation": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.text == "县委常委会议题过多过杂"

    colleague = get_user_model().objects.create_user("colleague", password="x")
    cast.group_body.group.user_set.add(colleague)
    client.force_login(colleague)
    client.post(reverse("plans:input_delete", args=[entry.pk]))
    assert not Input.objects.filter(pk=entry.pk).exists()
    tombstone = Entry.objects.filter(action=Action.INPUT_DELETED).latest("id")
    assert tombstone.actor == colleague and "县委常委会议题过多过杂" in tombstone.before.values()
    assert tombstone.before["点明的督导机构"] == "省委派驻长沙市督导组"


def test_those_plans_are_only_sent_to_point_out_nothing(cast, client, leaders):
    """省委有关领导 read what is sent to them (section 四); they are not a supervising body
    of the region, so they add nothing to a team's register, even with the province in
    their grants."""
    assign_perm("orgs.oversee_org", cast.leaders_body.group, cast.hunan)
    client.force_login(leaders)
    response = client.post(register_url(cast.committee), {"source": "superior", "text": "领导点明的问题"})
    assert response.status_code in (403, 404)
    assert not Input.objects.exists()


def test_an_answered_entry_cannot_be_deleted(cast, client):
    plan = filled_team_plan(cast)
    cited = plan.items.filter(section="problems").first().answers.first()
    client.force_login(cast.filer)
    response = client.post(reverse("plans:input_delete", args=[cited.pk]), follow=True)
    assert "已有问题回应这条意见" in response.content.decode()
    assert Input.objects.filter(pk=cited.pk).exists()


def test_a_stale_edit_of_an_entry_is_refused(cast, client):
    entry = editing.add_input(cast.filer, cast.committee, Source.MASS_OPINION, "原来的意见")
    client.force_login(cast.filer)
    url = reverse("plans:input_save", args=[entry.pk])
    first = client.post(url, {"revision": 1, "text": "第一次改", "explanation": ""}, HTTP_HX_REQUEST="true")
    assert first.status_code == 200
    second = client.post(url, {"revision": 1, "text": "旧页面改", "explanation": ""}, HTTP_HX_REQUEST="true")
    assert second.status_code == 409
    entry.refresh_from_db()
    assert entry.text == "第一次改"


def test_strangers_do_not_reach_the_register(cast, client):
    entry = editing.add_input(cast.filer, cast.committee, Source.MASS_OPINION, "某条意见")
    client.force_login(cast.outsider)
    assert client.get(register_url(cast.committee)).status_code == 404
    assert (
        client.post(register_url(cast.committee), {"source": "mass_opinion", "text": "x"}).status_code == 404
    )
    assert client.post(reverse("plans:input_delete", args=[entry.pk])).status_code == 404
    assert Input.objects.count() == 1
    # The principal of another team in the same county sees the tree, not this register.
    client.force_login(cast.principal)
    assert client.get(register_url(cast.committee)).status_code == 404


def test_a_leaders_register_is_their_own(cast, client):
    document = open_individual_document(cast.committee, cast.member_person, cast.member)
    client.force_login(cast.member)
    client.post(
        register_url(cast.committee, cast.member_person),
        {"source": "life_meeting", "person": cast.member_person.pk, "text": "深入基层调研不够"},
    )
    entry = Input.objects.get()
    assert entry.person == cast.member_person
    counts = {r.source: (r.answered, r.total) for r in responses(document)}
    assert counts[Source.LIFE_MEETING] == (0, 1)
    # Another member may neither read nor write in it: it is the leader's own, as their
    # individual measures are until published within the team.
    colleague = get_user_model().objects.create_user("colleague")
    seat = Position.objects.create(
        person=Person.objects.create(name="罗建军", user=colleague), team=cast.committee, title="县委常委"
    )
    client.force_login(colleague)
    response = client.post(
        register_url(cast.committee, cast.member_person), {"source": "life_meeting", "text": "代填"}
    )
    assert response.status_code == 404 and seat.pk
    assert client.get(register_url(cast.committee, cast.member_person)).status_code == 404
    assert Input.objects.count() == 1
    # The county's party secretary is the party organisation above: what they add is
    # what the superior pointed out.
    client.force_login(cast.secretary)
    client.post(
        register_url(cast.committee, cast.member_person), {"source": "life_meeting", "text": "联系群众不够"}
    )
    pointed = Input.objects.get(text="联系群众不够")
    assert (
        pointed.source == Source.SUPERIOR
        and pointed.from_supervision
        and pointed.person == cast.member_person
    )


def test_the_document_counts_answers_per_source(cast, client):
    plan = filled_team_plan(cast)
    client.force_login(cast.filer)
    html = client.get(reverse("plans:document", args=[plan.pk])).content.decode()
    # Each source has one entry; each is cited by a problem.
    assert html.count(">1/1<") == 4
    editing.add_input(cast.filer, cast.committee, Source.MASS_OPINION, "新征求到的意见")
    html = client.get(reverse("plans:checklist", args=[plan.pk])).content.decode()
    assert ">1/2<" in html
    assert "没有做到“四个回应”：征求到的群众意见有 1 条" in html


def introduction(client, team, person=None):
    """The register page's opening sentence, and the page."""
    html = client.get(register_url(team, person)).content.decode()
    return re.search(r'<p[^>]*id="register-intro">(.*?)</p>', html, re.S).group(1), html


def test_the_introduction_names_what_this_document_is_asked_to_answer(cast, client):
    client.force_login(cast.group)
    # A community's list answers section 五's two: 前段征求到的意见、自身查摆出来的问题.
    community, html = introduction(client, cast.kaiyuan_committee)
    assert community == (
        "整改清单要认真回应前段征求到的意见、自身查摆出来的问题。每一条都要由列出的问题回应，或者书面说明理由。"
    )
    assert [s for s in Source.values if f'id="source-{s}"' in html] == ["mass_opinion", "self_inspection"]
    list_ = open_team_document(cast.kaiyuan_committee)
    assert [str(r.label) for r in responses(list_)] == ["前段征求到的意见", "自身查摆出来的问题"]
    # What a group points out there is still shown, and still to be answered.
    client.post(register_url(cast.kaiyuan_committee), {"source": "superior", "text": "村务公开不及时"})
    community, html = introduction(client, cast.kaiyuan_committee)
    assert "上级党组织" not in community and 'id="source-superior"' in html
    assert [r.source for r in responses(list_)] == [
        Source.MASS_OPINION,
        Source.SELF_INSPECTION,
        Source.SUPERIOR,
    ]
    # A county committee's plan and a leader's measures answer all four.
    four = "、".join(str(label) for label in Source.labels)
    county, html = introduction(client, cast.committee)
    assert county.startswith(f"领导班子整改方案要认真回应{four}。")
    assert all(f'id="source-{s}"' in html for s in Source.values)
    leader, _html = introduction(client, cast.committee, cast.member_person)
    assert leader.startswith(f"领导干部个人整改措施要认真回应{four}。")


def test_a_community_filer_registers_only_what_its_list_answers(cast, client):
    assign_perm("orgs.file_team", cast.filer, cast.kaiyuan_committee)
    client.force_login(cast.filer)
    _intro, html = introduction(client, cast.kaiyuan_committee)
    offered = re.findall(r'<option value="(\w+)"[^>]*>([^<]*)</option>', html)
    assert offered == [("mass_opinion", "前段征求到的意见"), ("self_inspection", "自身查摆出来的问题")]
    response = client.post(
        register_url(cast.kaiyuan_committee), {"source": "life_meeting", "text": "会风不实"}
    )
    assert response.status_code == 422 and not Input.objects.exists()
    html = response.content.decode()
    assert "这份文件不需要回应这一来源，请从列出的来源中选择。" in html and "会风不实" in html
    client.post(register_url(cast.kaiyuan_committee), {"source": "self_inspection", "text": "会风不实"})
    assert Input.objects.get().source == Source.SELF_INSPECTION


def opinions(count, start=1):
    """COUNT distinct 群众意见 of about thirty characters, as a column of a spreadsheet."""
    return [f"第{n}条：群众反映办事窗口排队时间长、部分干部服务态度生硬" for n in range(start, start + count)]


def test_a_column_of_180_opinions_over_5000_characters_goes_in_whole(cast, client):
    column = opinions(180)
    pasted = "\r\n".join(column)
    assert len(pasted.replace("\r\n", "\n")) > 5000 and len(pasted) > 4000
    client.force_login(cast.filer)
    response = client.post(register_url(cast.committee), {"source": "mass_opinion", "text": pasted})
    assert response.status_code == 302
    assert list(Input.objects.order_by("position").values_list("text", flat=True)) == column


def test_two_thousand_lines_report_each_line_added_duplicated_or_refused(cast, client):
    editing.add_input(cast.filer, cast.committee, Source.MASS_OPINION, "  会议多、文件多  ")
    # Another source's entry with the same words is no duplicate of an opinion.
    editing.add_input(cast.filer, cast.committee, Source.SELF_INSPECTION, "下基层调研少")
    lines = opinions(1994)
    lines[9] = "会议多、文件多"  # already on the register (line 10)
    lines[99] = "\t" + lines[4] + " "  # line 100 repeats line 5 of the paste
    lines[199] = lines[4]  # and so does line 200
    lines[299] = "长" * 4001  # longer than one entry may be
    lines[1499] = "下基层调研少"  # only on the register as another source's: added
    pasted = "\n".join([*lines[:1000], "", "   ", *lines[1000:]]) + "\n" + "\n".join(opinions(6, 5000))
    assert len(pasted.split("\n")) == 2002
    client.force_login(cast.filer)
    response = client.post(
        register_url(cast.committee), {"source": "mass_opinion", "text": pasted}, follow=True
    )
    html = response.content.decode()
    # 2,000 non-blank lines: 1996 added, 3 duplicates, 1 refused.
    assert "已登记 1996 条征求到的群众意见；3 条与已有的重复，未再登记；1 条未登记，原因见下。" in html
    assert "共 2000 行（征求到的群众意见）</div>" in html
    assert (
        "已登记 <strong>1996</strong> 条，重复未再登记 <strong>3</strong> 条，未登记 <strong>1</strong> 条。"
        in html
    )
    assert Input.objects.filter(source=Source.MASS_OPINION).count() == 1 + 1996
    assert Input.objects.filter(source=Source.MASS_OPINION, text=lines[4]).count() == 1
    assert Input.objects.filter(text="下基层调研少").count() == 2
    assert not Input.objects.filter(text__startswith="长长").exists()
    # Each line says what became of it, by its number in the paste (blank lines counted).
    assert (
        '<tr class="table-warning"><td>10</td><td>会议多、文件多</td><td>登记簿中已有相同的一条</td></tr>'
        in html
    )
    assert "<td>100</td><td>" + lines[4] + "</td><td>与这次粘贴的第 5 行相同</td>" in html
    assert "<td>200</td><td>" + lines[4] + "</td><td>与这次粘贴的第 5 行相同</td>" in html
    assert '<tr class="table-danger"><td>300</td>' in html
    assert "超过 4000 字（本行 4001 字），请分成几条登记。" in html
    assert "<td>1502</td><td>下基层调研少</td>" in html  # after the two blank lines
    # The refused line is back in the box, nothing else.
    box = html.split('id="id_text"', 1)[1].split(">", 1)[1].split("</textarea>", 1)[0]
    assert box.strip() == "长" * 4001
    # The entries keep the paste's order after what was there.
    texts = list(
        Input.objects.filter(source=Source.MASS_OPINION).order_by("position").values_list("text", flat=True)
    )
    assert texts[:3] == ["  会议多、文件多  ", lines[0], lines[1]] and texts[-1] == opinions(6, 5000)[-1]

    # The same paste again adds nothing: every line is now a duplicate or refused.
    again = client.post(register_url(cast.committee), {"source": "mass_opinion", "text": pasted}, follow=True)
    assert "已登记 <strong>0</strong> 条，重复未再登记 <strong>1999</strong> 条" in again.content.decode()
    assert Input.objects.filter(source=Source.MASS_OPINION).count() == 1997


def test_a_paste_beyond_the_limits_is_refused_whole_and_kept_in_the_box(cast, client):
    client.force_login(cast.filer)
    page = client.get(register_url(cast.committee)).content.decode()
    assert "一次最多粘贴 5000 行、共 200000 字；每条不超过 4000 字。" in page
    pasted = "\n".join(f"意见{n}" for n in range(5001))
    response = client.post(register_url(cast.committee), {"source": "mass_opinion", "text": pasted})
    assert response.status_code == 422
    html = response.content.decode()
    assert "一次最多粘贴 5000 行，这次有 5001 行。请分几次粘贴" in html
    assert "意见5000</textarea>" in html
    assert not Input.objects.exists()
    response = client.post(
        register_url(cast.committee), {"source": "mass_opinion", "text": "群众意见" * 50_001}
    )
    assert response.status_code == 422
    assert "一次最多粘贴 200000 字，这次有 200004 字" in response.content.decode()
    assert not Input.objects.exists()


@pytest.fixture
def refuse_line_60():
    """The database refuses the 60th line of a paste, as a worker killed halfway would
    leave it: a real failure of the INSERT, not a mock."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_line() RETURNS trigger AS $$ BEGIN "
                "IF NEW.text = '第60条：群众反映办事窗口排队时间长、部分干部服务态度生硬' "
                "THEN RAISE EXCEPTION 'worker killed'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_line BEFORE INSERT ON plans_input "
                "FOR EACH ROW EXECUTE FUNCTION refuse_line()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER refuse_line BEFORE INSERT ON plans_input "
                "WHEN NEW.text = '第60条：群众反映办事窗口排队时间长、部分干部服务态度生硬' "
                "BEGIN SELECT RAISE(ABORT, 'worker killed'); END"
            )
    yield
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TRIGGER refuse_line ON plans_input"
            if connection.vendor == "postgresql"
            else "DROP TRIGGER refuse_line"
        )
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION refuse_line()")


def test_a_paste_that_fails_halfway_leaves_nothing(cast, client, refuse_line_60):
    editing.add_input(cast.filer, cast.committee, Source.MASS_OPINION, "原有的意见")
    client.force_login(cast.filer)
    with pytest.raises(DatabaseError):
        client.post(
            register_url(cast.committee), {"source": "mass_opinion", "text": "\n".join(opinions(120))}
        )
    assert list(Input.objects.values_list("text", flat=True)) == ["原有的意见"]
