"""seed_demo: the demo cast on the real tree, its logins, and its guard in production."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from devdata import demo
from ledger.models import Entry, Evidence
from ledger.words import Action, EntryState
from orgs import policy
from orgs.models import Authority, Org, Person, Position, Team, TeamKind
from orgs.policy import Right


def seed(**options):
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def counts():
    return [m.objects.count() for m in (Org, Team, Person, Position, Authority, get_user_model())]


@pytest.fixture
def seeded(demo_tree, settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return seed()


def test_demo_teams_people_and_bodies(seeded):
    for code in ("4301", "430121", "4302", "430223"):
        kinds = set(Team.objects.filter(org__code=code).values_list("kind", flat=True))
        assert kinds == {"party_committee", "congress", "government", "cppcc", "court", "procuratorate"}, code
    committee = Team.objects.get(org__code="430121", kind=TeamKind.PARTY_COMMITTEE)
    assert committee.name == "中共长沙县委常委班子"
    assert committee.positions.get(role="principal").title == "县委书记"
    # The county head sits in the party committee and leads the government.
    head = Person.objects.get(user__username="csx_head")
    assert set(head.positions.values_list("title", flat=True)) == {"县委副书记、县长", "县长"}
    units = Org.objects.filter(parent__code="430121").exclude(kind="region")
    assert {u.name for u in units} == {"长沙县教育局", "长沙县公安局", "长沙县政务服务中心"}
    assert Team.objects.filter(org__code="430121001").exists()
    assert Team.objects.filter(org__code="430121001001").exists()
    group = Authority.objects.get(name="省委派驻长沙市督导组")
    assert [o.code for o in group.jurisdiction()] == ["4301"]


def test_every_login_is_printed_with_the_password(seeded):
    assert demo.PASSWORD in seeded
    printed = set(re.findall(r"^  (\w+)\s", seeded, re.M))
    users = set(get_user_model().objects.values_list("username", flat=True))
    assert printed == users
    assert {"admin", "csx_filer", "csx_secretary", "cs_group", "province_office", "outsider"} <= printed


def test_second_run_changes_nothing(seeded):
    before = counts()
    again = seed()
    assert counts() == before
    assert again == seeded


def test_refuses_in_production_unless_asked(demo_tree, settings):
    settings.DEBUG = False
    before = counts()
    with pytest.raises(CommandError, match="生产环境"):
        seed()
    assert counts() == before
    seed(allow_production=True)
    assert counts() != before


def test_needs_the_tree_first(db, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="import_divisions"):
        seed()
    assert Team.objects.count() == 0


@pytest.mark.parametrize(
    "username, sees",
    [
        ("csx_filer", "中共长沙县委常委班子"),
        ("csx_secretary", "我的辖区"),
        ("csx_member", "我的职务"),
        ("cs_group", "省委派驻长沙市督导组"),
        ("province_office", "湖南省"),
        ("outsider", "中共攸县县委常委班子"),
        ("ky_filer", "中共开元路社区委员会"),
        ("admin", "进入管理后台"),
    ],
)
def test_each_demo_login_reaches_its_home(seeded, client, username, sees):
    # Through the login page, as a person signs in (the lockout's check needs the request).
    signed_in = client.post(reverse("login"), {"username": username, "password": demo.PASSWORD})
    assert signed_in.status_code == 302, signed_in.content.decode()
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert sees in response.content.decode()


def test_outsider_reaches_nothing_in_changsha(seeded):
    outsider = get_user_model().objects.get(username="outsider")
    changsha = Org.objects.get(code="4301")
    assert not policy.can(outsider, Right.VIEW, changsha)
    assert not policy.orgs(outsider).filter(code__startswith="4301").exists()
    assert not policy.teams(outsider).filter(org__code__startswith="4301").exists()


def test_every_demo_document_has_somebody_at_every_step(seeded):
    """Each demo team's plan and each of its leaders' measures routes to people who can
    log in: nothing a demo user submits is refused for a missing reviewer."""
    from plans.documents import open_individual_document, open_team_document
    from plans.structure import has_individual_measures
    from review.assignees import missing

    checked = 0
    for team in Team.objects.select_related("org"):
        documents = [open_team_document(team)]
        if has_individual_measures(team):
            documents += [
                open_individual_document(team, position.person)
                for position in team.positions.filter(active=True)
            ]
        for document in filter(None, documents):
            assert missing(document) == [], (document.title, missing(document))
            checked += 1
    assert checked > 100


def test_the_demo_has_a_ledger_in_every_state(seeded):
    """长沙县人民政府's plan is approved; its measures are reported on: one done and waiting
    (with a PDF of minutes), one closed, one sent back with the reason."""
    entries = list(
        Entry.objects.filter(document__team__org__code="430121").order_by("document_id", "position")
    )
    states = [entry.state for entry in entries[:4]]
    assert states == [EntryState.OPEN, EntryState.DONE, EntryState.CLOSED, EntryState.OPEN]
    assert entries[0].last_report_at is not None
    assert entries[3].events.filter(action=Action.SEND_BACK).exists()
    kept = Evidence.objects.get()
    assert kept.content_type == "application/pdf" and kept.file.read(5) == b"%PDF-"
    before = Entry.objects.count()
    seed()
    assert Entry.objects.count() == before


def test_the_rights_to_view_and_file_never_reach_past_the_scope(seeded):
    """A document's page and an item's changes read the row by its key and ask the right
    (plans/views/common.py), asking the scope only when the right says no. So on every
    demo document, for one account of every kind, the view right answers exactly as the
    scope does, and whoever may file a document may see it."""
    from plans.models import Document
    from plans.words import Status

    call_command("seed_scale", "--within", "430121", stdout=io.StringIO(), stderr=io.StringIO())
    call_command("seed_oversight", stdout=io.StringIO(), stderr=io.StringIO())
    documents = list(Document.objects.select_related("team__org", "person", "parent"))
    assert {Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.APPROVED} <= {d.status for d in documents}
    accounts = {}
    for account in get_user_model().objects.filter(is_active=True).order_by("username"):
        kind = re.sub(r"^\d+_", "", account.username)
        accounts.setdefault(kind, account)
    assert len(accounts) > 8, sorted(accounts)
    answers = set()
    for account in accounts.values():
        account = get_user_model().objects.get(pk=account.pk)
        visible = set(policy.visible(account, Document).values_list("pk", flat=True))
        for document in documents:
            viewing = policy.can(account, Right.VIEW, document)
            assert viewing == (document.pk in visible), (account.username, document.title, viewing)
            answers.add(viewing)
            if policy.can(account, Right.FILE, document):
                assert document.pk in visible, (account.username, document.title)
    assert answers == {True, False}
