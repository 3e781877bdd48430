"""The pages: login, each role's home, the tree, search, teams and people."""

import re

import pytest
from django.urls import reverse

from orgs.models import Org, Person, Team


def login(client, account):
    client.force_login(account)
    return client


def text(response):
    return response.content.decode()


def plain(response):
    """The page's words without tags, as a reader sees them."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text(response)))


# Login and logout -------------------------------------------------------------


def test_anonymous_is_sent_to_the_chinese_login_page(client, cast):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    page = client.get(response["Location"])
    assert "用户登录" in text(page) and 'lang="zh-CN"' in text(page)


def test_login_with_password_lands_home(client, cast):
    response = client.post(reverse("login"), {"username": "filer", "password": "cast-password"})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_wrong_password_says_so_in_chinese(client, cast):
    response = client.post(reverse("login"), {"username": "filer", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in text(response)
    assert "_auth_user_id" not in client.session


def test_logout_is_post_only(client, cast):
    login(client, cast.filer)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.parametrize("name", ["org_list", "org_search"])
def test_every_page_needs_login(client, cast, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and reverse("login") in response["Location"]


# Home per role ----------------------------------------------------------------


@pytest.mark.parametrize(
    "role, present, absent",
    [
        (
            "filer",
            ["我填报的领导班子", "中共长沙县委常委班子", "夏海波", "欧阳明辉"],
            ["我的辖区", "系统管理"],
        ),
        ("member", ["我的职务", "县委常委、组织部部长"], ["我填报的领导班子", "我的辖区"]),
        ("secretary", ["我的职务", "县委书记", "我的辖区", "长沙县", "星沙街道"], ["我填报的领导班子"]),
        (
            "group",
            ["我的辖区", "省委派驻长沙市督导组", "长沙市", "长沙县", "芙蓉区"],
            ["株洲市", "我填报的领导班子"],
        ),
        ("office", ["我的辖区", "湖南省", "长沙市", "株洲市"], ["我填报的领导班子"]),
        ("outsider", ["我填报的领导班子", "中共攸县县委常委班子"], ["长沙", "我的辖区"]),
        ("admin", ["系统管理员", "进入管理后台"], ["我的辖区"]),
        ("nobody", ["尚未分配角色"], ["我的辖区", "我填报的领导班子"]),
    ],
)
def test_home_shows_each_role_its_own_place(client, cast, role, present, absent):
    response = login(client, getattr(cast, role)).get(reverse("home"))
    assert response.status_code == 200
    body = re.sub(r"<footer.*?</footer>", "", text(response), flags=re.S)
    for phrase in present:
        assert phrase in body, phrase
    for phrase in absent:
        assert phrase not in body, phrase


# The tree ---------------------------------------------------------------------


def test_office_browses_from_the_province_down_to_a_village(client, cast):
    login(client, cast.office)
    tops = client.get(reverse("org_list"))
    assert "湖南省" in text(tops)
    province = client.get(reverse("org_detail", args=[cast.hunan.pk]))
    assert "长沙市" in text(province) and "株洲市" in text(province)
    county = client.get(reverse("org_detail", args=[cast.csx.pk]))
    body = text(county)
    assert "中共长沙县委常委班子" in body and "夏海波（县委书记）" in body
    assert "星沙街道" in body and "长沙县教育局" in body
    assert "乡镇、街道 1" in plain(county) and "村、社区 1" in plain(county)
    village = client.get(reverse("org_detail", args=[cast.kaiyuan.pk]))
    assert village.status_code == 200
    assert "中共开元路社区委员会" in text(village)
    crumbs = re.search(r'<ol class="breadcrumb crumbs">(.*?)</ol>', text(village), re.S).group(1)
    assert [name for name in ["湖南省", "长沙市", "长沙县", "星沙街道"] if name in crumbs] == [
        "湖南省",
        "长沙市",
        "长沙县",
        "星沙街道",
    ]


def test_the_counts_below_an_org_follow_the_tree(client, cast):
    """The counts are kept between requests (orgs/views.py, _counts_below) and change
    with the tree: a village added, counted as a unit once it is one (a change that
    leaves every org where it was), then taken away again."""
    from orgs.models import Level, OrgKind

    login(client, cast.office)
    url = reverse("org_detail", args=[cast.changsha.pk])
    before = plain(client.get(url))
    assert "县市区 2" in before and "乡镇、街道 1" in before and "村、社区 1" in before
    added = Org.objects.create(
        code="430121001002", name="星沙新村", level=Level.VILLAGE, kind=OrgKind.REGION, parent=cast.xingsha
    )
    assert "村、社区 2" in plain(client.get(url))
    Org.objects.filter(pk=added.pk).update(kind=OrgKind.ORGAN)
    page = plain(client.get(url))
    assert "村、社区 1" in page and "单位 2" in page
    Org.objects.get(pk=added.pk).delete()
    assert "村、社区 1" in plain(client.get(url))


def test_children_are_paginated_and_filtered(client, cast, monkeypatch):
    from orgs import views

    monkeypatch.setattr(views, "CHILDREN_PER_PAGE", 1)
    login(client, cast.office)
    url = reverse("org_detail", args=[cast.csx.pk])
    first = text(client.get(url))
    assert "第 1 / 2 页" in first
    second = client.get(url, {"part": "children", "page": 2}, headers={"HX-Request": "true"})
    # The htmx request gets only the list, not the page around it.
    assert "<html" not in text(second) and "第 2 / 2 页" in text(second)
    units = text(client.get(url, {"kind": "unit"}))
    assert "长沙县教育局" in units and "星沙街道" not in units


def test_group_sees_the_province_only_as_a_crumb(client, cast):
    login(client, cast.group)
    assert client.get(reverse("org_detail", args=[cast.hunan.pk])).status_code == 404
    page = text(client.get(reverse("org_detail", args=[cast.changsha.pk])))
    assert "湖南省" in page
    assert reverse("org_detail", args=[cast.hunan.pk]) not in page


def test_filer_sees_own_org_but_not_below(client, cast):
    login(client, cast.filer)
    page = client.get(reverse("org_detail", args=[cast.csx.pk]))
    assert page.status_code == 200
    body = text(page)
    assert "中共长沙县委常委班子" in body
    assert "长沙县人民政府党组班子" not in body
    assert "星沙街道" not in body
    assert client.get(reverse("org_detail", args=[cast.xingsha.pk])).status_code == 404


def test_search_by_name_and_code_within_reach(client, cast):
    login(client, cast.group)
    by_name = text(client.get(reverse("org_search"), {"q": "星沙"}))
    assert "星沙街道" in by_name and "湖南省 › 长沙市 › 长沙县" in by_name
    by_code = text(client.get(reverse("org_search"), {"q": "4301210"}))
    assert "星沙街道" in by_code and "开元路社区居委会" in by_code
    outside = plain(client.get(reverse("org_search"), {"q": "攸县"}))
    assert "共找到 0 个" in outside, outside


def test_search_within_a_subtree(client, cast):
    login(client, cast.office)
    within = text(client.get(reverse("org_search"), {"q": "县", "within": cast.zhuzhou.pk}))
    assert "攸县" in within and "长沙县" not in within


def test_search_as_you_type_returns_only_results(client, cast):
    login(client, cast.office)
    response = client.get(reverse("org_search"), {"q": "网岭"}, headers={"HX-Request": "true"})
    assert "<html" not in text(response) and "网岭村委会" in text(response)


def test_team_and_person_pages(client, cast):
    login(client, cast.secretary)
    team = text(client.get(reverse("team_detail", args=[cast.government.pk])))
    assert "杨沅江" in team and "县长" in team and "主要负责同志" in team
    assert "您可以填报" not in team
    person = text(client.get(reverse("person_detail", args=[cast.principal_person.pk])))
    assert "长沙县人民政府党组班子" in person


def test_filer_is_told_they_can_file(client, cast):
    login(client, cast.filer)
    page = text(client.get(reverse("team_detail", args=[cast.committee.pk])))
    assert "您可以填报本班子的整改文件" in page and "王丽" in page


# Outside one's reach everything is 404, including guessed URLs ----------------


def test_outsider_opens_nothing_of_another_city(client, cast):
    login(client, cast.outsider)
    changsha = Org.objects.get(pk=cast.changsha.pk)
    for org in Org.objects.filter(tree_id=changsha.tree_id, lft__gte=changsha.lft, rght__lte=changsha.rght):
        assert client.get(reverse("org_detail", args=[org.pk])).status_code == 404, org
    for team in Team.objects.filter(org__code__startswith="4301"):
        assert client.get(reverse("team_detail", args=[team.pk])).status_code == 404, team
    for team in Team.objects.filter(org__parent__code__startswith="4301"):
        assert client.get(reverse("team_detail", args=[team.pk])).status_code == 404, team
    for person in Person.objects.exclude(name="谭卫平"):
        assert client.get(reverse("person_detail", args=[person.pk])).status_code == 404, person
    assert client.get(reverse("org_detail", args=[99999])).status_code == 404
    assert client.get(reverse("org_search"), {"q": "长沙", "within": cast.changsha.pk}).status_code == 404
    # Their own place opens.
    assert client.get(reverse("org_detail", args=[cast.youxian.pk])).status_code == 200
    assert client.get(reverse("team_detail", args=[cast.yx_committee.pk])).status_code == 200


def test_not_found_page_is_in_chinese(client, cast):
    login(client, cast.outsider)
    response = client.get(reverse("org_detail", args=[cast.csx.pk]))
    assert response.status_code == 404


# Query counts do not grow with the tree ----------------------------------------
#
# Each counts a user's first page in a server just started: the reach is read (the token
# of who holds what, then two unions: orgs.stamps), where a later page reads the token.


# An org with ancestors, teams and children costs the same at depth 1, 2 and 3; a
# village (no children to count) costs less.
@pytest.mark.parametrize("where, queries", [("changsha", 12), ("csx", 12), ("xingsha", 12), ("kaiyuan", 10)])
def test_org_page_query_count_does_not_grow_with_depth(
    client, cast, django_assert_num_queries, where, queries
):
    login(client, cast.office)
    url = reverse("org_detail", args=[getattr(cast, where).pk])
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", ["office", "group"])
def test_org_page_query_count_is_the_same_for_a_wide_or_narrow_reach(
    client, cast, django_assert_num_queries, role
):
    login(client, getattr(cast, role))
    with django_assert_num_queries(12):
        assert client.get(reverse("org_detail", args=[cast.csx.pk])).status_code == 200


# Matches at depth 1 (长沙市), 2 (长沙县, 攸县) and 4 (the villages) cost the same.
@pytest.mark.parametrize("query", ["长沙", "县", "村", "4301"])
def test_search_query_count_is_the_same_for_any_depth(client, cast, django_assert_num_queries, query):
    login(client, cast.office)
    with django_assert_num_queries(8):
        assert client.get(reverse("org_search"), {"q": query}).status_code == 200


# One of them counts the review steps waiting on the user (review.models.waiting_counts);
# the ledger's card costs the same whatever the number of measures: the documents and
# person the user reports for, the measures counted, the approved reviews that named the
# user, the user's supervision groups and (for a group's member) the documents they
# cover, the measures waiting to be verified.
@pytest.mark.parametrize("role, queries", [("office", 13), ("group", 15), ("filer", 15), ("secretary", 16)])
def test_home_query_count(client, cast, django_assert_num_queries, role, queries):
    login(client, getattr(cast, role))
    with django_assert_num_queries(queries):
        assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("team", ["committee", "kaiyuan_committee"])
def test_team_page_query_count(client, cast, django_assert_num_queries, team):
    login(client, cast.office)
    with django_assert_num_queries(9):
        assert client.get(reverse("team_detail", args=[getattr(cast, team).pk])).status_code == 200
