"""The demo's publications (section 七), made through review's and publication's
transitions as the users would make them: 中共长沙县委's plan (returned once with a
comment, revised, approved) published on the county's site; 开元路社区's list approved by
星沙街道 and published to the masses on its notice board; the measures of 长沙县委常委、组织部
部长 published within the team. Run after seed_demo (and seed_scale, seed_oversight, which
fill the rest of the demo with drafts and reviews that must stay unpublished); a second run
adds nothing."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from ledger import access as ledger_access
from ledger import transitions as ledger
from ledger.models import Entry
from orgs.models import Level, Org, OrgKind, Person, Position, Role, Team, TeamKind
from orgs.tree import subtree
from oversight.rules import Scope
from plans import editing
from plans.documents import open_team_document
from plans.models import Document, Input
from plans.words import Source, Status
from publication import transitions as publishing
from publication.models import Publication
from review import transitions
from review.models import StepState
from review.moves import NotReady

from . import samples

PUBLISHED_ON = dt.date(2014, 9, 30)
EXPLAINED = "已在相关整改措施中一并解决，不再单列"
# What the reviewer wrote on the plan's first version, answered by the filer: review
# history, never shown in public.
REVIEW_COMMENT = "措施要量化，写明压缩到多少个会议"
REVIEW_ANSWER = "已量化为全年控制在55个以内"
# 开元路社区's list (section 五: 前段征求到的意见、自身查摆出来的问题).
COMMUNITY_REGISTER = {
    Source.MASS_OPINION: ("居民反映小区夜间路灯常年不亮", "老年居民办理证明要来回跑"),
    Source.SELF_INSPECTION: ("社区干部坐班时间不固定",),
}
COMMUNITY_ENTRIES = (
    (
        "开元路沿线路灯损坏，夜间出行不安全",
        "2014年10月底前更换损坏路灯12盏，公布报修电话",
        "刘娟",
        "2014年10月底前",
    ),
    ("为老服务不便，办事需多次往返", "设立代办岗，证明类事项一次办结", "陈红梅", "长期坚持"),
    ("社区干部坐班制度执行不严", "每周一公示坐班表，接受居民监督", "周建国", "2014年9月底前"),
)

LAMPS_MENDED = "已更换损坏路灯12盏，报修电话已在公开栏公布。"


def _user(username):
    return get_user_model().objects.get(username=username)


def _explain_rest(user, team, person=None):
    """Explain in writing every input of the register its document does not cite."""
    for entry in Input.objects.filter(team=team, person=person, explanation="", answered_by__isnull=True):
        editing.save_input(user, entry, entry.revision, {"explanation": EXPLAINED})


def _county_plan():
    filer = _user("csx_filer")
    team = Team.objects.get(org__code="430121", kind=TeamKind.PARTY_COMMITTEE)
    owners = [
        position.person for position in team.positions.filter(active=True).order_by("-role", "sort_order")
    ][:2]
    plan = samples.fill_team_plan(filer, team, owners)
    _explain_rest(filer, team)
    review = transitions.submit(filer, plan)
    step = review.steps.filter(state=StepState.PENDING).order_by("stage", "id").first()
    problem = plan.items.filter(section="problems").order_by("position").first()
    transitions.return_for_revision(
        step.assignees.order_by("pk").first(),
        step.pk,
        review.revision,
        [{"reason": "not_concrete"}],
        {problem.uid: REVIEW_COMMENT},
    )
    for comment in review.comments.all():
        transitions.address(filer, comment.pk, True, REVIEW_ANSWER)
    transitions.resubmit(filer, plan)
    return filer, samples.approve_through(plan)


def _community_list():
    filer = _user("ky_filer")
    team = Team.objects.get(org__code="430121001001")
    listing = open_team_document(team, filer)
    inputs = [
        editing.add_input(filer, team, source, text)
        for source, texts in COMMUNITY_REGISTER.items()
        for text in texts
    ]
    for n, (problem, measures, owner, deadline) in enumerate(COMMUNITY_ENTRIES):
        editing.add_item(
            filer,
            listing,
            "entries",
            {"text": problem, "measures": measures, "owner_text": owner, "deadline_text": deadline},
            links={"answers": [inputs[n]]},
        )
    listing.refresh_from_db()
    editing.save_header(filer, listing, listing.revision, {"dated": dt.date(2014, 8, 28)})
    listing.refresh_from_db()
    transitions.submit(filer, listing)
    samples.approve_through(listing)
    # The street lamps are mended and verified, so the board shows one entry 已完成.
    lamps = Entry.objects.filter(document=listing).order_by("position").first()
    ledger.report(filer, lamps.pk, lamps.revision, LAMPS_MENDED, done=True)
    lamps.refresh_from_db()
    verifier = ledger_access.verifiers(listing)[0]
    ledger.close(verifier, lamps.pk, lamps.revision)
    return filer, listing


def _member_measures():
    member = Person.objects.get(user__username="csx_member")
    team = Position.objects.get(person=member, role=Role.MEMBER, team__org__code="430121").team
    measures = samples.fill_individual(member.user, team, member)
    _explain_rest(member.user, team, member)
    transitions.submit(member.user, measures)
    return member.user, samples.approve_through(measures)


def publish_approved(region, by):
    """Publish, in bulk as seed_scale writes, every approved document under REGION that
    section 七 publishes in public or to the masses and that is not published yet: the
    version its approving review ended on, on the site of its own region. Returns the
    Publications written. For scale data only; a user's publication goes through
    publication.transitions."""
    documents = Document.objects.filter(
        subtree(region, "team__org__"), status=Status.APPROVED, parent__isnull=True, publications__isnull=True
    ).select_related("team__org", "person")
    rows = []
    for document in documents.iterator(chunk_size=500):
        try:
            scope = publishing.scope_of(document)
        except NotReady:
            continue
        version = publishing.approved_version(document)
        if scope.scope not in (Scope.PUBLIC, Scope.MASSES) or version is None:
            continue
        rows.append(
            Publication(
                document=document,
                version=version,
                scope=scope.scope,
                basis=scope.basis,
                channel=f"{document.team.org.name}门户网站",
                published_on=timezone.localdate(version.created_at),
                published_by=by,
            )
        )
    return Publication.objects.bulk_create(rows, batch_size=500)


def seed():
    """Publish the demo's documents; return how many were published, or None when they
    are already."""
    if Publication.objects.exists():
        return None
    made = []
    for build, channel in (
        (_county_plan, "长沙县人民政府门户网站、《长沙晚报》"),
        (_community_list, "开元路社区居务公开栏"),
        (_member_measures, "县委常委班子会议通报"),
    ):
        user, document = build()
        if document.status != Status.APPROVED:
            raise RuntimeError(f"{document} was not approved")
        made.append(publishing.publish(user, document.pk, 0, channel, PUBLISHED_ON))
    # What seed_scale approved in the cities it filled is on their sites too.
    office = _user("province_office")
    for city in Org.objects.filter(level=Level.CITY, kind=OrgKind.REGION).order_by("code"):
        made += publish_approved(city, office)
    return made
