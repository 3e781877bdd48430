"""The demo's oversight: a spot check drawn with its seed, one picked by hand, findings on
what they read (one answered by its filer), and an issued bulletin, made through
oversight/transitions.py as the users would make them. Run after seed_scale has filled
the demo cities, so the sampled bodies have filed; a second run adds nothing."""

import datetime as dt

from django.contrib.auth import get_user_model

from orgs import policy
from orgs.models import Authority, AuthorityKind, Org, Position
from oversight import sampling, transitions
from oversight.models import Finding, SpotCheck
from oversight.words import Method
from plans.words import Status

# A draw's seed is typed in before the draw and published with it: here, as an office
# would, the number of a public lottery drawn that day.
SEED = "2014094-0815"
DRAW_PERCENT = 20


def _user(username):
    return get_user_model().objects.get(username=username)


def _filed(spot_check):
    """The sampled documents that have been filed, in sample order."""
    samples = list(spot_check.samples.order_by("id"))
    documents = sampling.documents_for(samples)
    found = []
    for sample in samples:
        document = documents.get((sample.team_id, sample.kind, sample.person_id))
        if document is not None and document.status != Status.DRAFT:
            found.append(document)
    return found


def _item(document):
    return document.items.exclude(measures="").order_by("section", "position").first()


def seed():
    """Create the demo's spot checks, findings and bulletin; return what was made, or None
    when they exist already."""
    if SpotCheck.objects.exists():
        return None
    group_user, office_user = _user("cs_group"), _user("province_office")
    group = Authority.objects.get(name="省委派驻长沙市督导组")
    office = Authority.objects.get(kind=AuthorityKind.PROVINCIAL_OFFICE)

    # 省委派驻长沙市督导组 调阅 a fifth of the townships of each county of 长沙市 (section 六).
    drawn = transitions.open_check(
        group_user,
        group,
        Org.objects.get(code="4301"),
        ["provincial_group.township_committee_plans", "provincial_group.township_secretaries"],
        title="调阅长沙市乡镇、街道党委整改方案和党委书记整改措施（按20%比例）",
        method=Method.DRAW,
        percent=DRAW_PERCENT,
        seed=SEED,
    )
    found = []
    filed = _filed(drawn)
    texts = [
        ("no_deadline", "serious", "整改时限只写“长期坚持”，近期能完成的事项也没有具体时限。", True),
        ("not_targeted", "general", "整改措施与查摆出的问题对应不上，多为通用表述。", False),
    ]
    for document, (ground, severity, text, requires) in zip(filed, texts, strict=False):
        item = _item(document)
        found.append(
            transitions.record_finding(
                group_user,
                drawn.pk,
                document.pk,
                ground,
                severity,
                text,
                requires_rectification=requires,
                item_uid=item.uid if item else None,
            )
        )

    # 省委教育实践活动办 抽查 the 人大、政府、政协 plans of 长沙's counties, picked by hand.
    picked = transitions.open_check(
        office_user,
        office,
        Org.objects.get(code="4301"),
        ["provincial_office.county_three_plans"],
        title="抽查长沙市县市区人大、政府、政协领导班子整改方案",
    )
    chosen = 0
    for entry in transitions.candidates(picked):
        if chosen == 3:
            break
        picked.refresh_from_db()
        transitions.pick(office_user, picked.pk, picked.revision, entry.team_id, entry.kind, entry.person_id)
        chosen += 1
    picked.refresh_from_db()
    for document in _filed(picked)[:1]:
        found.append(
            transitions.record_finding(
                office_user,
                picked.pk,
                document.pk,
                "four_responses",
                "general",
                "没有回应专题民主生活会提出的批评意见。",
                requires_rectification=True,
            )
        )

    # One finding answered by its filer, waiting for the group to accept it.
    for finding in Finding.objects.filter(pk__in=[f.pk for f in found], requires_rectification=True):
        # Its filers, or a member of the team (members fill in the team's plan too).
        team_id = finding.document.team_id
        people = Position.objects.filter(team_id=team_id, active=True, person__user__isnull=False)
        filers = sorted(policy.filers_of(team_id)) or sorted(people.values_list("person__user", flat=True))
        if filers:
            filer = get_user_model().objects.get(pk=filers[0])
            transitions.answer(filer, finding.pk, finding.revision, "已逐条补充具体完成时限，报督导组审核。")
            break

    bulletin = None
    if found:
        bulletin = transitions.save_bulletin(
            office_user,
            None,
            None,
            "关于整改方案抽查发现问题的通报",
            dt.date(2014, 8, 25),
            "按照湘群办发〔2014〕31号文件要求，省委教育实践活动办和省委派驻各市州督导组对部分县市区、乡镇的整改方案和整改措施进行了抽查。现将发现的问题通报如下。",
            "被通报的单位要对照问题逐条整改，于9月10日前将整改情况报省委教育实践活动办。",
            [f.pk for f in found],
        )
        bulletin = transitions.issue(office_user, bulletin.pk, bulletin.revision)
    return {"checks": 2, "findings": len(found), "bulletin": bulletin}
