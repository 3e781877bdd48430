"""Every change in oversight, and nothing else makes one.

Each function takes the acting user, runs in a transaction, locks the row it changes,
checks that the user may act (a member of the checking body; the filer for an answer;
the provincial office for a bulletin) and that the row is still in the state the page
showed (its revision), moves it, and writes an append-only Event. Who must hear of it is
told after the transaction commits (review.notices). Refusals raise the review errors
(NotAllowed, Stale, NotReady) with a message in Chinese.

    open_check     a body opens a spot check of a region in its jurisdiction, for the
                   document classes section 六 (or 五) gives it; a draw picks the
                   townships at once, with the seed typed in
    pick / unpick  a document (named by its filer) added to or taken from an open check
    close_check    the check ends; its checkers no longer read its documents
    record_finding a checker records a finding on a sampled document or one of its items
    answer         the filer answers a finding that requires rectification
    accept / keep_open   the checker accepts the answer, or keeps the finding open
    save_bulletin  the provincial office drafts or edits a bulletin of findings
    issue          the bulletin gets its number, its text is frozen, the regions named
                   are told
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs import policy
from orgs.models import (
    Authority,
    AuthorityKind,
    Level,
    Org,
    OrgGroupGrant,
    OrgKind,
    OrgUserGrant,
    Position,
    Role,
    Team,
    TeamKind,
)
from orgs.policy import Span
from orgs.tree import subtree
from plans.access import fills_document
from plans.models import Document, Item
from plans.words import DocumentKind, Status
from review.moves import NotAllowed, NotReady, Stale
from review.notices import Message, post
from review.transitions import authors

from . import draw as draws
from . import rules, sampling
from .models import Bulletin, Event, Finding, Sample, SpotCheck
from .words import (
    BULLETIN_NUMBER,
    Action,
    BulletinState,
    CheckState,
    FindingGround,
    FindingState,
    Method,
    Severity,
)

CHECK_LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY)


# Who ------------------------------------------------------------------------------------


def bodies_of(user):
    """The checking bodies USER belongs to: those section 六 or 五 gives a class of
    documents to check."""
    kinds = {rule.authority for rule in rules.RULES}
    return Authority.objects.filter(group__user=user, kind__in=kinds).order_by("kind", "name")


def is_checker(user, spot_check):
    return spot_check.authority.group.user_set.filter(pk=user.pk).exists()


def _require_checker(user, spot_check):
    if not is_checker(user, spot_check):
        raise NotAllowed(_("您不是%(body)s的成员，不能办理这次抽查。") % {"body": spot_check.authority.name})


def covers(authority, org):
    """Is ORG within AUTHORITY's jurisdiction?"""
    return any(Span(top.pk, top.tree_id, top.lft, top.rght).covers(org) for top in authority.jurisdiction())


def is_office(user):
    return policy.in_provincial_office(user)


def _lock_check(pk, revision=None):
    spot_check = SpotCheck.objects.select_for_update().select_related("authority", "region").get(pk=pk)
    if revision is not None and int(revision) != spot_check.revision:
        raise Stale(_("这次抽查刚刚有了变化，请刷新页面后再操作。"))
    return spot_check


def _bump(model, obj, **changes):
    changes["revision"] = obj.revision + 1
    touched = model.objects.filter(pk=obj.pk, revision=obj.revision).update(**changes)
    if touched != 1:
        raise Stale(_("内容刚刚有了变化，请刷新页面后再操作。"))
    for name, value in changes.items():
        setattr(obj, name, value)


def _event(action, actor, **fields):
    return Event.objects.create(action=action, actor=actor, **fields)


def _link(name, *args):
    return reverse(f"oversight:{name}", args=args)


# Spot checks --------------------------------------------------------------------------


def open_check(user, authority, region, classes, title="", method=Method.HAND, percent=None, seed=""):
    """Open a spot check of REGION for CLASSES (rule codes of AUTHORITY); a draw picks its
    townships now. Returns the SpotCheck."""
    if not authority.group.user_set.filter(pk=user.pk).exists():
        raise NotAllowed(_("您不是%(body)s的成员。") % {"body": authority.name})
    if region.kind != OrgKind.REGION or region.level not in CHECK_LEVELS:
        raise NotReady(_("抽查地区须是省、市州或县市区。"))
    if not covers(authority, region):
        raise NotAllowed(
            _("%(region)s不在%(body)s的督导范围内。") % {"region": region.name, "body": authority.name}
        )
    allowed = {rule.code: rule for rule in rules.rules_for(authority.kind)}
    chosen = [allowed[code] for code in dict.fromkeys(classes) if code in allowed]
    if not chosen or len(chosen) != len(set(classes)):
        raise NotReady(_("请选择通知第六部分规定由%(body)s抽查的文件类别。") % {"body": authority.name})
    if method == Method.DRAW:
        drawing = [rule for rule in chosen if rule.draws_townships]
        if not drawing:
            raise NotReady(_("随机抽样只用于调阅乡镇、街道党委班子的整改方案和党委书记的整改措施。"))
        if percent is None or not str(seed).strip():
            raise NotReady(_("随机抽样须先填写抽样比例和随机种子。"))
    elif method != Method.HAND:
        raise NotReady(_("抽查方式无效。"))
    title = title.strip() or _("%(body)s对%(region)s的抽查") % {"body": authority.name, "region": region.name}
    with transaction.atomic():
        spot_check = SpotCheck.objects.create(
            authority=authority,
            region=region,
            title=title[:200],
            classes=[rule.code for rule in chosen],
            method=method,
            opened_by=user,
        )
        _event(Action.OPEN, user, spot_check=spot_check, data={"classes": spot_check.classes})
        if method == Method.DRAW:
            _draw(user, spot_check, drawing, int(percent), str(seed).strip())
    return spot_check


def _draw(user, spot_check, drawing, percent, seed):
    try:
        result = draws.draw_region(spot_check.region, percent, seed)
    except ValueError as error:
        raise NotReady(str(error)) from None
    codes = [code for stratum in result.strata for code in stratum.drawn]
    townships = list(Org.objects.filter(code__in=codes, kind=OrgKind.REGION, level=Level.TOWNSHIP))
    now = timezone.now()
    spot_check.percent, spot_check.seed, spot_check.drawn, spot_check.drawn_at = (
        percent,
        seed,
        result.as_json(),
        now,
    )
    spot_check.save(update_fields=["percent", "seed", "drawn", "drawn_at"])
    by_township = {}
    for township in townships:
        for entry in sampling.expected(drawing, [township], whole=False):
            by_township.setdefault(entry.key, (entry, township))
    Sample.objects.bulk_create(
        Sample(
            spot_check=spot_check,
            team_id=entry.team_id,
            kind=entry.kind,
            person_id=entry.person_id,
            rule=entry.rule,
            township=township,
            added_by=user,
        )
        for entry, township in by_township.values()
    )
    _event(Action.DRAW, user, spot_check=spot_check, data=result.as_json())


def candidates(spot_check, within=None):
    """[Expected] documents the check may pick by hand: its classes in its region (or in
    WITHIN, a region inside it)."""
    chosen = [rules.rule(code) for code in spot_check.classes]
    return sampling.expected(chosen, [within or spot_check.region])


def pick(user, check_id, revision, team_id, kind, person_id=None):
    """Add the document of (TEAM_ID, KIND, PERSON_ID) to an open check, by hand."""
    with transaction.atomic():
        spot_check = _lock_check(check_id, revision)
        _require_checker(user, spot_check)
        if not spot_check.is_open:
            raise Stale(_("这次抽查已经结束。"))
        key = (team_id, kind, person_id)
        match = next((entry for entry in candidates(spot_check) if entry.key == key), None)
        if match is None:
            raise NotAllowed(_("这份文件不在这次抽查的地区和文件类别之内。"))
        if Sample.objects.filter(
            spot_check=spot_check, team_id=key[0], kind=kind, person_id=person_id
        ).exists():
            raise Stale(_("这份文件已经选定。"))
        sample = Sample.objects.create(
            spot_check=spot_check,
            team_id=key[0],
            kind=kind,
            person_id=person_id,
            rule=match.rule,
            added_by=user,
        )
        _bump(SpotCheck, spot_check)
        _event(
            Action.PICK, user, spot_check=spot_check, data={"team": key[0], "kind": kind, "person": person_id}
        )
    return sample


def unpick(user, check_id, revision, sample_id):
    with transaction.atomic():
        spot_check = _lock_check(check_id, revision)
        _require_checker(user, spot_check)
        if not spot_check.is_open:
            raise Stale(_("这次抽查已经结束。"))
        sample = Sample.objects.filter(pk=sample_id, spot_check=spot_check).first()
        if sample is None:
            raise Stale(_("这份文件已经取消选定。"))
        if sample.township_id is not None:
            raise NotAllowed(_("随机抽中的文件不能取消：抽样结果须按公布的种子可以复算。"))
        if Finding.objects.filter(
            spot_check=spot_check, document__team_id=sample.team_id, document__kind=sample.kind
        ).exists():
            raise NotAllowed(_("已对这份文件记录了发现问题，不能取消选定。"))
        data = {"team": sample.team_id, "kind": sample.kind, "person": sample.person_id}
        sample.delete()
        _bump(SpotCheck, spot_check)
        _event(Action.UNPICK, user, spot_check=spot_check, data=data)


def close_check(user, check_id, revision):
    with transaction.atomic():
        spot_check = _lock_check(check_id, revision)
        _require_checker(user, spot_check)
        if not spot_check.is_open:
            raise Stale(_("这次抽查已经结束。"))
        _bump(SpotCheck, spot_check, state=CheckState.CLOSED, closed_by=user, closed_at=timezone.now())
        _event(Action.CLOSE, user, spot_check=spot_check)


# Findings -----------------------------------------------------------------------------


def _sampled(spot_check, document):
    kind, person_id = document.kind, document.person_id
    if document.parent_id is not None:
        kind, person_id = DocumentKind.TEAM_PLAN, None
    return Sample.objects.filter(
        spot_check=spot_check, team_id=document.team_id, kind=kind, person_id=person_id
    ).exists()


def record_finding(
    user, check_id, document_id, ground, severity, text, requires_rectification=False, item_uid=None
):
    text = (text or "").strip()
    if ground not in FindingGround.values:
        raise NotReady(_("请选择问题类型。"))
    if severity not in Severity.values:
        raise NotReady(_("请选择严重程度。"))
    if not text:
        raise NotReady(_("请写明发现的问题。"))
    with transaction.atomic():
        spot_check = _lock_check(check_id)
        _require_checker(user, spot_check)
        if not spot_check.is_open:
            raise Stale(_("这次抽查已经结束，不能再记录发现问题。"))
        document = Document.objects.select_related("team__org").get(pk=document_id)
        if not _sampled(spot_check, document) or document.status == Status.DRAFT:
            raise NotAllowed(_("这份文件不在这次抽查之内，或尚未报送。"))
        item_text = ""
        if item_uid:
            item = Item.objects.filter(document=document, uid=item_uid).first()
            if item is None:
                raise Stale(_("这一条已被删除或移动，请刷新页面。"))
            item_text = " ".join(part for part in (item.text, item.measures) if part)[:1000]
        finding = Finding.objects.create(
            spot_check=spot_check,
            document=document,
            item_uid=item_uid or None,
            item_text=item_text,
            ground=ground,
            severity=severity,
            text=text,
            requires_rectification=bool(requires_rectification),
            state=FindingState.OPEN if requires_rectification else FindingState.RECORDED,
            created_by=user,
        )
        _event(Action.FIND, user, spot_check=spot_check, finding=finding, document=document, text=text)
        if finding.requires_rectification:
            post(
                [
                    Message(
                        authors(document),
                        _("%(body)s抽查《%(title)s》发现问题，要求整改：%(text)s")
                        % {"body": spot_check.authority.name, "title": document.title, "text": text[:80]},
                    )
                ],
                reverse("plans:document", args=[document.pk]),
                document,
            )
    return finding


def _lock_finding(pk, revision):
    finding = (
        Finding.objects.select_for_update().select_related("spot_check__authority", "document").get(pk=pk)
    )
    if revision is not None and int(revision) != finding.revision:
        raise Stale(_("这条发现问题刚刚有了变化，请刷新页面后再操作。"))
    return finding


def answer(user, finding_id, revision, text):
    """The filer's answer to a finding that requires rectification."""
    text = (text or "").strip()
    if not text:
        raise NotReady(_("请写明整改情况。"))
    with transaction.atomic():
        finding = _lock_finding(finding_id, revision)
        if not fills_document(user, finding.document):
            raise NotAllowed(_("只有本文件的填报人可以答复。"))
        if finding.state != FindingState.OPEN:
            raise Stale(_("这条发现问题现在不需要答复。"))
        _bump(
            Finding,
            finding,
            state=FindingState.ANSWERED,
            answer=text,
            answered_by=user,
            answered_at=timezone.now(),
        )
        _event(
            Action.ANSWER,
            user,
            spot_check=finding.spot_check,
            finding=finding,
            document=finding.document,
            text=text,
        )
        post(
            [
                Message(
                    list(finding.spot_check.authority.group.user_set.filter(is_active=True)),
                    _("《%(title)s》已答复发现问题的整改情况") % {"title": finding.document.title},
                )
            ],
            _link("check", finding.spot_check_id),
            finding.document,
        )


def decide(user, finding_id, revision, accept, note=""):
    """The checker accepts the answer (ACCEPT) or keeps the finding open."""
    note = (note or "").strip()
    with transaction.atomic():
        finding = _lock_finding(finding_id, revision)
        _require_checker(user, finding.spot_check)
        if finding.state != FindingState.ANSWERED:
            raise Stale(_("这条发现问题还没有答复，或已经处理。"))
        if accept:
            _bump(Finding, finding, state=FindingState.ACCEPTED)
            action = Action.ACCEPT
        else:
            if not note:
                raise NotReady(_("仍需整改的，请写明理由。"))
            _bump(Finding, finding, state=FindingState.OPEN)
            action = Action.KEEP_OPEN
        _event(
            action, user, spot_check=finding.spot_check, finding=finding, document=finding.document, text=note
        )
        if not accept:
            post(
                [
                    Message(
                        authors(finding.document),
                        _("《%(title)s》的发现问题仍需整改：%(note)s")
                        % {"title": finding.document.title, "note": note[:80]},
                    )
                ],
                reverse("plans:document", args=[finding.document_id]),
                finding.document,
            )


# Bulletins ----------------------------------------------------------------------------


def _require_office(user):
    if not is_office(user):
        raise NotAllowed(_("点名通报由省委教育实践活动办印发。"))


def reportable_findings(user):
    """The findings the provincial office may name: those of spot checks in its
    jurisdiction."""
    offices = Authority.objects.filter(group__user=user, kind=AuthorityKind.PROVINCIAL_OFFICE)
    q = None
    for office in offices:
        for top in office.jurisdiction():
            clause = subtree(top, "document__team__org__")
            q = clause if q is None else q | clause
    if q is None:
        return Finding.objects.none()
    return Finding.objects.filter(q)


def save_bulletin(user, bulletin_id, revision, title, dated, opening, closing, finding_ids):
    """Create (BULLETIN_ID None) or edit a draft bulletin."""
    _require_office(user)
    title = (title or "").strip()
    if not title:
        raise NotReady(_("请填写通报标题。"))
    if not isinstance(dated, dt.date):
        raise NotReady(_("请填写成文日期。"))
    with transaction.atomic():
        findings = list(reportable_findings(user).filter(pk__in=finding_ids))
        if len(findings) != len(set(finding_ids)):
            raise NotAllowed(_("所选的发现问题不在您的督导范围内。"))
        if bulletin_id is None:
            bulletin = Bulletin.objects.create(
                year=dated.year, title=title, dated=dated, opening=opening, closing=closing, created_by=user
            )
            action = Action.DRAFT_BULLETIN
        else:
            bulletin = Bulletin.objects.select_for_update().get(pk=bulletin_id)
            if bulletin.issued:
                raise Stale(_("通报已经印发，不能再修改。"))
            if int(revision) != bulletin.revision:
                raise Stale(_("通报刚刚有人修改过，请刷新页面后再改。"))
            _bump(
                Bulletin,
                bulletin,
                year=dated.year,
                title=title,
                dated=dated,
                opening=opening,
                closing=closing,
            )
            action = Action.EDIT_BULLETIN
        bulletin.findings.set(findings)
        _event(action, user, bulletin=bulletin, data={"findings": sorted(f.pk for f in findings)})
    return bulletin


def content_of(bulletin):
    """What the bulletin says, body by body: the named bodies (the regions and teams of
    the documents) with what was found. Frozen into `content` when issued."""
    findings = bulletin.findings.select_related(
        "document__team__org__parent__parent", "document__person", "spot_check__authority"
    ).order_by("document__team__org__tree_id", "document__team__org__lft", "document_id", "id")
    bodies = {}
    for finding in findings:
        document = finding.document
        region = region_of(document.team.org)
        entry = bodies.setdefault(
            document.pk,
            {
                "region": region.code,
                "region_name": region.name,
                "team": document.team.name,
                "document": document.title,
                "person": document.person.name if document.person_id else "",
                "findings": [],
            },
        )
        entry["findings"].append(
            {
                "ground": finding.ground,
                "ground_label": str(FindingGround(finding.ground).label),
                "severity": finding.severity,
                "severity_label": str(Severity(finding.severity).label),
                "text": finding.text,
                "item": finding.item_text,
                "checker": finding.spot_check.authority.name,
            }
        )
    return {"bodies": list(bodies.values())}


def region_of(org):
    """The region an org belongs to: itself, or the region a unit hangs under."""
    while org.kind != OrgKind.REGION and org.parent_id is not None:
        org = org.parent
    return org


def issue(user, bulletin_id, revision):
    """Number the bulletin, freeze what it says and tell the offices of the regions named."""
    _require_office(user)
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin_id)
        if bulletin.issued:
            raise Stale(_("通报已经印发。"))
        if int(revision) != bulletin.revision:
            raise Stale(_("通报刚刚有人修改过，请刷新页面后再印发。"))
        content = content_of(bulletin)
        if not content["bodies"]:
            raise NotReady(_("通报还没有选入任何发现问题。"))
        # The number is the next of the year, under the lock of the year's bulletins.
        list(Bulletin.objects.select_for_update().filter(year=bulletin.year).values_list("pk", flat=True))
        number = (Bulletin.objects.filter(year=bulletin.year).aggregate(n=Max("number"))["n"] or 0) + 1
        content["number"] = str(BULLETIN_NUMBER % {"year": bulletin.year, "number": number})
        try:
            with transaction.atomic():
                _bump(
                    Bulletin,
                    bulletin,
                    number=number,
                    state=BulletinState.ISSUED,
                    content=content,
                    issued_by=user,
                    issued_at=timezone.now(),
                )
        except IntegrityError:
            raise Stale(_("文号刚被另一份通报占用，请再印发一次。")) from None
        codes = {body["region"] for body in content["bodies"]}
        regions = list(Org.objects.filter(code__in=codes))
        bulletin.regions.set(regions)
        _event(Action.ISSUE, user, bulletin=bulletin, data={"number": content["number"]})
        post(
            [
                Message(
                    readers_of(regions, Document.objects.filter(findings__bulletins=bulletin).distinct()),
                    _("%(number)s %(title)s") % {"number": content["number"], "title": bulletin.title},
                )
            ],
            _link("bulletin", bulletin.pk),
        )
    return bulletin


def readers_of(regions, documents=()):
    """The offices of REGIONS: who supervises each, from the region itself up to its city
    (an oversee grant to a body or a person, and the party secretary: a township named is
    its county's and its city's business too, as the notice is addressed to the cities'
    offices and groups), the filers of each region's party committee, and the filers of
    the DOCUMENTS named."""
    users = set()
    for region in regions:
        chain = Org.objects.filter(
            tree_id=region.tree_id, lft__lte=region.lft, rght__gte=region.rght, kind=OrgKind.REGION
        ).exclude(level=Level.PROVINCE)
        grants = Q(content_object__in=chain, permission__codename=policy.OVERSEE_PERM)
        users |= set(OrgGroupGrant.objects.filter(grants).values_list("group__user", flat=True))
        users |= set(OrgUserGrant.objects.filter(grants).values_list("user", flat=True))
        users |= set(
            Position.objects.filter(
                team__org__in=chain, team__kind=TeamKind.PARTY_COMMITTEE, role=Role.PRINCIPAL, active=True
            ).values_list("person__user", flat=True)
        )
        for committee in Team.objects.filter(org=region, kind=TeamKind.PARTY_COMMITTEE):
            users |= policy.filers_of(committee.pk)
    for document in documents:
        users |= policy.filers_of(document.team_id)
    return list(get_user_model().objects.filter(pk__in={u for u in users if u}, is_active=True))
