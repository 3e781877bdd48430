"""Administration: move nodes, add units, manage teams, filers, bodies and grants."""

import pytest
from django.urls import reverse

from orgs import policy
from orgs.models import Level, Org, OrgKind, Team, TeamKind
from orgs.policy import Right

from .conftest import fresh
from .test_import import assert_tree_consistent


@pytest.fixture
def admin_client(client, cast):
    client.force_login(cast.admin)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "admin:orgs_org_changelist",
        "admin:orgs_team_changelist",
        "admin:orgs_person_changelist",
        "admin:orgs_authority_changelist",
        "admin:auth_user_changelist",
        "admin:orgs_org_add",
        "admin:orgs_team_add",
        "admin:orgs_authority_add",
    ],
)
def test_admin_pages_open_in_chinese(admin_client, url):
    response = admin_client.get(reverse(url))
    assert response.status_code == 200
    assert "整改方案填报审阅系统" in response.content.decode()


def test_org_search_in_admin(admin_client, cast):
    response = admin_client.get(reverse("admin:orgs_org_changelist"), {"q": "430121"})
    body = response.content.decode()
    assert "长沙县" in body and "芙蓉区" not in body


def test_only_staff_enter_the_admin(client, cast):
    client.force_login(cast.office)
    response = client.get(reverse("admin:orgs_org_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def org_form(org, **changes):
    data = {
        "parent": org.parent_id or "",
        "kind": org.kind,
        "level": org.level,
        "code": org.code or "",
        "name": org.name,
    }
    data.update(changes)
    return data


def test_move_a_unit_to_another_county(admin_client, cast):
    url = reverse("admin:orgs_org_change", args=[cast.edu.pk])
    response = admin_client.post(url, org_form(cast.edu, parent=cast.furong.pk))
    assert response.status_code == 302, response.content.decode()
    cast.edu.refresh_from_db()
    assert cast.edu.parent == cast.furong
    assert cast.edu in Org.objects.get(pk=cast.furong.pk).get_descendants()
    assert_tree_consistent()
    # The 长沙县 party secretary no longer reaches it; the 长沙市 group still does.
    assert not policy.can(fresh(cast.secretary), Right.VIEW, cast.edu)
    assert policy.can(fresh(cast.group), Right.VIEW, cast.edu)


def test_move_a_township_to_another_county(admin_client, cast):
    url = reverse("admin:orgs_org_change", args=[cast.xingsha.pk])
    response = admin_client.post(
        url, {"parent": cast.furong.pk, "code": cast.xingsha.code, "name": "星沙街道"}
    )
    assert response.status_code == 302, response.content.decode()
    kaiyuan = Org.objects.get(pk=cast.kaiyuan.pk)
    assert [a.name for a in kaiyuan.get_ancestors()] == ["湖南省", "长沙市", "芙蓉区", "星沙街道"]
    assert_tree_consistent()


def test_a_region_cannot_go_under_the_wrong_level(admin_client, cast):
    before = list(Org.objects.order_by("pk").values_list("pk", "parent_id", "lft", "rght"))
    url = reverse("admin:orgs_org_change", args=[cast.xingsha.pk])
    response = admin_client.post(
        url, {"parent": cast.changsha.pk, "code": cast.xingsha.code, "name": "星沙街道"}
    )
    assert response.status_code == 200
    assert "乡镇、街道的上级必须是县市区" in response.content.decode()
    assert list(Org.objects.order_by("pk").values_list("pk", "parent_id", "lft", "rght")) == before


def test_add_a_unit_under_a_region(admin_client, cast):
    response = admin_client.post(
        reverse("admin:orgs_org_add"),
        {
            "parent": cast.csx.pk,
            "kind": OrgKind.ENFORCEMENT,
            "level": Level.CITY,
            "code": "",
            "name": "长沙县市场监督管理局",
        },
    )
    assert response.status_code == 302, response.content.decode()
    unit = Org.objects.get(name="长沙县市场监督管理局")
    assert unit.level == Level.COUNTY  # a unit takes its region's level
    assert unit.code is None
    assert unit.parent == cast.csx
    assert_tree_consistent()


def test_a_unit_cannot_hang_under_a_unit(admin_client, cast):
    response = admin_client.post(
        reverse("admin:orgs_org_add"),
        {"parent": cast.edu.pk, "kind": OrgKind.ORGAN, "level": Level.COUNTY, "code": "", "name": "某科室"},
    )
    assert response.status_code == 200
    assert "单位必须挂在所属地区之下" in response.content.decode()
    assert not Org.objects.filter(name="某科室").exists()


def team_form(team, **changes):
    data = {
        "org": team.org_id,
        "kind": team.kind,
        "name": team.name,
        "filers": [],
        "positions-TOTAL_FORMS": "0",
        "positions-INITIAL_FORMS": "0",
        "positions-MIN_NUM_FORMS": "0",
        "positions-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_grant_and_withdraw_a_filer(admin_client, cast):
    url = reverse("admin:orgs_team_change", args=[cast.government.pk])
    data = team_form(cast.government, filers=[cast.nobody.pk])
    # Existing positions are part of the inline formset.
    positions = list(cast.government.positions.all())
    data["positions-TOTAL_FORMS"] = data["positions-INITIAL_FORMS"] = str(len(positions))
    for index, position in enumerate(positions):
        data.update(
            {
                f"positions-{index}-id": position.pk,
                f"positions-{index}-team": cast.government.pk,
                f"positions-{index}-person": position.person_id,
                f"positions-{index}-role": position.role,
                f"positions-{index}-title": position.title,
                f"positions-{index}-rank": position.rank,
                f"positions-{index}-active": "on",
                f"positions-{index}-sort_order": position.sort_order,
            }
        )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    assert policy.can(fresh(cast.nobody), Right.FILE, cast.government)
    data["filers"] = []
    admin_client.post(url, data)
    assert not policy.can(fresh(cast.nobody), Right.FILE, cast.government)


def test_a_team_kind_must_suit_the_org(admin_client, cast):
    response = admin_client.post(
        reverse("admin:orgs_team_add"), team_form(Team(org=cast.edu, kind=TeamKind.COURT, name="错误的班子"))
    )
    assert response.status_code == 200
    assert "长沙县教育局不设法院班子" in response.content.decode()


def test_station_a_group_over_another_city(admin_client, cast):
    url = reverse("admin:orgs_authority_change", args=[cast.group_body.pk])
    response = admin_client.post(
        url,
        {
            "kind": cast.group_body.kind,
            "name": cast.group_body.name,
            "members": [cast.group.pk, cast.nobody.pk],
            "jurisdiction": [cast.changsha.pk, cast.zhuzhou.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert policy.can(fresh(cast.group), Right.OVERSEE, cast.youxian)
    assert policy.can(fresh(cast.nobody), Right.OVERSEE, cast.csx)
    admin_client.post(
        url,
        {
            "kind": cast.group_body.kind,
            "name": cast.group_body.name,
            "members": [cast.group.pk],
            "jurisdiction": [cast.zhuzhou.pk],
        },
    )
    assert not policy.can(fresh(cast.group), Right.VIEW, cast.csx)
    assert not policy.can(fresh(cast.nobody), Right.VIEW, cast.youxian)


def test_object_permissions_page_of_guardian(admin_client, cast):
    response = admin_client.get(reverse("admin:orgs_org_permissions", args=[cast.changsha.pk]))
    assert response.status_code == 200
    assert "authority:省委派驻长沙市督导组" in response.content.decode()


def test_the_catalogue_is_kept_in_admin_and_documents_are_only_looked_up(cast, client):
    from plans.models import SpecialTask
    from plans.words import Batch

    from .factories import filled_team_plan

    plan = filled_team_plan(cast)
    client.force_login(cast.admin)
    response = client.post(
        "/admin/plans/specialtask/add/",
        {
            "batch": Batch.FIRST,
            "name": "整治“会所中的歪风”",
            "position": 1,
            "required": "",
            "already_included": "",
        },
    )
    assert response.status_code == 302
    assert SpecialTask.objects.filter(batch=Batch.FIRST, name="整治“会所中的歪风”").exists()
    page = client.get(f"/admin/plans/document/{plan.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200 and plan.title in html
    # The chain and who is missing from it: nobody is 省委有关领导 in this cast.
    assert "省委派驻该市州督导组" in html and "group" in html and "尚未指定人员" in html
    bodies = client.get("/admin/orgs/authority/").content.decode()
    assert "以下审阅机构尚无成员" in bodies and "省委有关领导" in bodies
    assert client.post(f"/admin/plans/document/{plan.pk}/change/", {"status": "approved"}).status_code == 403
    plan.refresh_from_db()
    assert plan.status == "draft"
