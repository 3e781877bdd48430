"""The fixed cast every test reuses: a small Hunan tree and the people on it.

    湖南省 (43)
    ├── 长沙市 (4301)                      team: 中共长沙市委常委班子
    │   ├── 长沙县 (430121)                teams: 县委常委班子, 县政府班子
    │   │   ├── 星沙街道 (430121001)       team: 街道党工委班子
    │   │   │   └── 开元路社区 (430121001001)  team: 社区党委
    │   │   └── 长沙县教育局 (unit)        team: 局党组班子
    │   └── 芙蓉区 (430102)
    └── 株洲市 (4302)
        └── 攸县 (430223)                  team: 攸县县委常委班子
            └── 网岭镇 (430223101)
                └── 网岭村 (430223101201)

People: the filer of 长沙县委; 县委书记 (party secretary); a 县委常委 (member);
the 县长 (principal of the county government); the provincial supervision group
stationed at 长沙市; the provincial office; the outsider (filer of 攸县县委);
a system administrator; and a user with no role at all.
"""

import importlib
import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.urls import reverse
from guardian.shortcuts import assign_perm

from orgs import stamps
from orgs.models import (
    Authority,
    AuthorityKind,
    Level,
    Org,
    OrgKind,
    Person,
    Position,
    Rank,
    Role,
    Team,
    TeamKind,
)

from .test_import import hunan_slice, run, write

# Playwright's sync API runs an event loop in the test thread; the live server's
# database calls from that thread are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "cast-password"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_at_once(settings):
    """Tasks run as soon as they are queued (after the transaction commits), in the test's
    own process; tests of the worker's queue choose the database backend themselves."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _a_new_process():
    """Each test starts with nothing kept between requests (orgs.stamps), as a server
    just started: the queries it counts are those of a first request."""
    stamps.forget_all()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Files kept through the storage (the ledger's evidence, the demo's among them) go to
    the test's own directory, never to the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


def region(code, name, level, parent=None):
    return Org.objects.create(code=code, name=name, level=level, kind=OrgKind.REGION, parent=parent)


def user(username, **extra):
    account = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    return account


def seat(person, team, title, role=Role.MEMBER, rank=Rank.CHU, order=0):
    return Position.objects.create(
        person=person, team=team, title=title, role=role, rank=rank, sort_order=order
    )


@pytest.fixture
def cast(db):
    # What migrations wrote is gone after a live-server test flushed the database:
    # put the special-rectification catalogue back (idempotent).
    importlib.import_module("plans.migrations.0002_special_tasks").seed(django_apps, None)
    o = SimpleNamespace()
    o.hunan = region("43", "湖南省", Level.PROVINCE)
    o.changsha = region("4301", "长沙市", Level.CITY, o.hunan)
    o.csx = region("430121", "长沙县", Level.COUNTY, o.changsha)
    o.xingsha = region("430121001", "星沙街道", Level.TOWNSHIP, o.csx)
    o.kaiyuan = region("430121001001", "开元路社区居委会", Level.VILLAGE, o.xingsha)
    o.furong = region("430102", "芙蓉区", Level.COUNTY, o.changsha)
    o.edu = Org.objects.create(name="长沙县教育局", kind=OrgKind.ORGAN, level=Level.COUNTY, parent=o.csx)
    o.zhuzhou = region("4302", "株洲市", Level.CITY, o.hunan)
    o.youxian = region("430223", "攸县", Level.COUNTY, o.zhuzhou)
    o.wangling = region("430223101", "网岭镇", Level.TOWNSHIP, o.youxian)
    o.wangling_village = region("430223101201", "网岭村委会", Level.VILLAGE, o.wangling)

    o.cs_committee = Team.objects.create(
        org=o.changsha, kind=TeamKind.PARTY_COMMITTEE, name="中共长沙市委常委班子"
    )
    o.committee = Team.objects.create(org=o.csx, kind=TeamKind.PARTY_COMMITTEE, name="中共长沙县委常委班子")
    o.government = Team.objects.create(org=o.csx, kind=TeamKind.GOVERNMENT, name="长沙县人民政府党组班子")
    o.xingsha_committee = Team.objects.create(
        org=o.xingsha, kind=TeamKind.PARTY_COMMITTEE, name="中共星沙街道工作委员会班子"
    )
    o.kaiyuan_committee = Team.objects.create(
        org=o.kaiyuan, kind=TeamKind.PARTY_COMMITTEE, name="中共开元路社区委员会"
    )
    o.edu_team = Team.objects.create(org=o.edu, kind=TeamKind.UNIT, name="中共长沙县教育局党组班子")
    o.yx_committee = Team.objects.create(
        org=o.youxian, kind=TeamKind.PARTY_COMMITTEE, name="中共攸县县委常委班子"
    )

    o.filer = user("filer", first_name="王丽")
    assign_perm("orgs.file_team", o.filer, o.committee)

    o.secretary = user("secretary")
    o.secretary_person = Person.objects.create(name="夏海波", user=o.secretary)
    seat(o.secretary_person, o.committee, "县委书记", role=Role.PRINCIPAL)

    o.member = user("member")
    o.member_person = Person.objects.create(name="欧阳明辉", user=o.member)
    seat(o.member_person, o.committee, "县委常委、组织部部长", order=4)

    o.principal = user("principal")
    o.principal_person = Person.objects.create(name="杨沅江", user=o.principal)
    seat(o.principal_person, o.government, "县长", role=Role.PRINCIPAL)

    o.deputy_person = Person.objects.create(name="蔡湘云")
    seat(o.deputy_person, o.government, "副县长", order=2)
    o.yx_person = Person.objects.create(name="谭卫平")
    seat(o.yx_person, o.yx_committee, "县委书记", role=Role.PRINCIPAL)

    o.group = user("group")
    o.group_body = Authority.objects.create(kind=AuthorityKind.PROVINCIAL_GROUP, name="省委派驻长沙市督导组")
    o.group_body.group.user_set.add(o.group)
    assign_perm("orgs.oversee_org", o.group_body.group, o.changsha)

    o.office = user("office")
    o.office_body = Authority.objects.create(kind=AuthorityKind.PROVINCIAL_OFFICE, name="省委教育实践活动办")
    o.office_body.group.user_set.add(o.office)
    assign_perm("orgs.oversee_org", o.office_body.group, o.hunan)

    o.outsider = user("outsider")
    assign_perm("orgs.file_team", o.outsider, o.yx_committee)

    o.admin = user("admin", is_staff=True, is_superuser=True)
    o.nobody = user("nobody")

    # Each insertion renumbered the tree in the database; bring every org up to date.
    for value in vars(o).values():
        if isinstance(value, Org):
            value.refresh_from_db()
    return o


@pytest.fixture
def demo_tree(db, tmp_path):
    """The parts of the shipped Hunan data the demo stands on: 长沙县 and 攸县 with their cities."""
    rows = hunan_slice("430121")
    for stem, (_header, records) in hunan_slice("430223").items():
        codes = {r["code"] for r in rows[stem][1]}
        rows[stem][1].extend(r for r in records if r["code"] not in codes)
    run(write(tmp_path / "demo", rows))


@pytest.fixture
def leaders(cast):
    """省委有关领导, to whom the province's plans are sent for reading (the cast has none
    otherwise, which tests of missing reviewers rely on); returns its member."""
    cast.leaders_body = Authority.objects.create(kind=AuthorityKind.PROVINCIAL_LEADERS, name="省委有关领导")
    cast.leader = user("leader", first_name="谢建国")
    cast.leaders_body.group.user_set.add(cast.leader)
    return cast.leader


def fresh(account):
    """The same account as a new request would load it, with no cached reach."""
    return get_user_model().objects.get(pk=account.pk)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
# Run on every page a browser test loads, once it has loaded: axe-core's WCAG 2 A and AA
# rules, the findings sent back to the test through a binding.
AXE_ON_LOAD = """
window.addEventListener("load", () => {
  if (window.top !== window || !window.axe || !window.rectifyAxe) return;
  window.axe
    .run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
    .then((result) => window.rectifyAxe(location.pathname + location.search, result.violations.map((v) => ({
      rule: v.id,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((node) => node.target.join(" ") + "  " + node.html.slice(0, 160)),
      count: v.nodes.length,
    }))));
});
"""


@pytest.fixture
def page(page):
    """pytest-playwright's page, checked by axe-core on every page it loads: the test
    fails when any page it visited breaks a WCAG 2 A or AA rule (the script comes with
    the project, tests/vendor/axe-core)."""
    found = {}
    page.expose_binding("rectifyAxe", lambda source, url, violations: found.setdefault(url, violations))
    page.add_init_script(path=str(AXE))
    page.add_init_script(script=AXE_ON_LOAD)
    yield page
    from playwright.sync_api import Error

    try:
        page.wait_for_timeout(50)  # a last page's findings still on their way
    except Error:
        pass  # the test closed its page: what it found has come
    broken = {url: violations for url, violations in found.items() if violations}
    assert not broken, "axe-core (WCAG 2 A/AA): " + "; ".join(
        f"{url}: " + ", ".join(f"{v['rule']} ×{v['count']} ({v['help']}: {v['nodes']})" for v in violations)
        for url, violations in broken.items()
    )


def login(page, live_server, username, password=PASSWORD, accept_dialogs=True):
    """Log PAGE in afresh as USERNAME (browser tests). Confirmation dialogs (删除…) are
    accepted, as the person clicking would, unless ACCEPT_DIALOGS is false: the test
    answers them itself."""
    from playwright.sync_api import expect

    if accept_dialogs and not getattr(page, "_accepts_dialogs", False):
        page.on("dialog", lambda dialog: dialog.accept())
        page._accepts_dialogs = True
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_contain_text("您好")


def csp_violations(page):
    """What PAGE's browser refuses under the Content-Security-Policy from now on (browser
    tests): Chromium says so on the console for each script, style or load it refuses."""
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return refused


@pytest.fixture
def artifacts():
    """Where browser tests leave their screenshots, to be looked at."""
    path = Path(__file__).resolve().parent.parent / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path
