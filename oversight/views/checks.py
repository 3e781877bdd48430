"""Spot checks (抽查): the list, opening one (picking the region and the classes section
六 gives the body, by hand or by a draw with its seed), the check's page (what was drawn,
how it was drawn, what has been filed, the reads, the findings), picking documents by
hand, closing it, and its table as Excel. Every change is a call into
oversight/transitions.py; spot checks come through the policy (outside reach 404)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from orgs import policy
from orgs.models import Level, Org, OrgKind, Person, Team
from orgs.tree import subtree
from plans.words import DocumentKind, Status
from rectify.once import once
from rectify.tables import download
from review.moves import NotAllowed, TransitionError

from .. import rules, sampling, transitions
from ..models import Finding, Reading, SpotCheck
from ..words import FindingState, Method
from .findings import number, revision, run

CANDIDATES_PAGE = 50


def _check(user, pk):
    return policy.get_or_404(user, SpotCheck, related=("authority", "region"), pk=pk)


@require_GET
def index(request):
    user = request.user
    bodies = list(transitions.bodies_of(user))
    checks = list(
        policy.visible(user, SpotCheck)
        .select_related("authority", "region")
        .annotate(
            sample_count=Count("samples", distinct=True),
            finding_count=Count("findings", distinct=True),
        )
        .order_by("state", "-opened_at", "-id")[:200]
    )
    awaiting = list(
        Finding.objects.filter(state=FindingState.ANSWERED, spot_check__authority__group__user=user)
        .select_related("document", "spot_check")
        .order_by("answered_at")[:50]
    )
    if not (bodies or checks or policy.reach(user).spans):
        raise PermissionDenied(_("抽查由督导组和教育实践活动办开展。"))
    return render(
        request,
        "oversight/index.html",
        {
            "bodies": bodies,
            "checks": checks,
            "awaiting": awaiting,
            "office": transitions.is_office(user),
        },
    )


def _regions(authority):
    """The regions AUTHORITY may check: its jurisdiction down to the counties."""
    q = Q(pk__in=[])
    for top in authority.jurisdiction():
        q |= subtree(top)
    return list(
        Org.objects.filter(q, kind=OrgKind.REGION, level__in=transitions.CHECK_LEVELS).order_by(
            "tree_id", "lft"
        )
    )


def _choices(bodies):
    """For each body, the regions it may check and the classes section 六 gives it."""
    return [{"body": body, "regions": _regions(body), "rules": rules.rules_for(body.kind)} for body in bodies]


@require_http_methods(["GET", "POST"])
@once
def new(request):
    user = request.user
    bodies = list(transitions.bodies_of(user))
    if not bodies:
        raise PermissionDenied(_("您不属于通知第六部分规定开展抽查的机构。"))
    form = {
        "body": str(bodies[0].pk) if len(bodies) == 1 else "",
        "method": Method.HAND,
        "percent": "20",
        "seed": "",
        "title": "",
        "classes": [],
        "region": "",
    }
    if request.method == "POST":
        body_pk = request.POST.get("body", "")
        if len(bodies) == 1:
            body_pk = str(bodies[0].pk)
        form = {
            "body": body_pk,
            "region": request.POST.get(f"region-{body_pk}", ""),
            "classes": request.POST.getlist(f"classes-{body_pk}"),
            "method": request.POST.get("method", Method.HAND),
            "percent": request.POST.get("percent", "").strip(),
            "seed": request.POST.get("seed", "").strip(),
            "title": request.POST.get("title", ""),
        }
        body = next((b for b in bodies if str(b.pk) == form["body"]), None)
        region = Org.objects.filter(pk=form["region"] if form["region"].isdigit() else 0).first()
        try:
            if body is None or region is None:
                raise NotAllowed(_("请选择开展抽查的机构和抽查地区。"))
            percent = None
            if form["method"] == Method.DRAW:
                if not form["percent"].isdigit() or not 1 <= int(form["percent"]) <= 100:
                    raise TransitionError(_("抽样比例须是 1 到 100 之间的整数。"))
                percent = int(form["percent"])
            spot_check = transitions.open_check(
                user, body, region, form["classes"], form["title"], form["method"], percent, form["seed"]
            )
        except TransitionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已开展抽查。"))
            return redirect("oversight:check", spot_check.pk)
    return render(
        request,
        "oversight/new.html",
        {"choices": _choices(bodies), "form": form, "methods": Method.choices, "single": len(bodies) == 1},
    )


def _status(document):
    if document is None or document.status == Status.DRAFT:
        return "unfiled"
    return document.status


def _names(samples):
    teams = {t.pk: t for t in Team.objects.filter(pk__in={s.team_id for s in samples}).select_related("org")}
    people = dict(
        Person.objects.filter(pk__in={s.person_id for s in samples if s.person_id}).values_list("pk", "name")
    )
    return teams, people


def rows_of(spot_check):
    """The samples of SPOT_CHECK with their teams, people, documents and findings."""
    samples = list(spot_check.samples.select_related("township").order_by("id"))
    teams, people = _names(samples)
    documents = sampling.documents_for(samples)
    counts = dict(
        Finding.objects.filter(spot_check=spot_check)
        .values_list("document_id")
        .annotate(n=Count("id"))
        .values_list("document_id", "n")
    )
    rows = []
    for sample in samples:
        document = documents.get((sample.team_id, sample.kind, sample.person_id))
        rows.append(
            {
                "sample": sample,
                "team": teams[sample.team_id],
                "person": people.get(sample.person_id, ""),
                "kind": DocumentKind(sample.kind).label,
                "rule": _rule_label(sample.rule),
                "document": document,
                "status": _status(document),
                "findings": counts.get(document.pk, 0) if document else 0,
            }
        )
    return rows


def _rule_label(code):
    try:
        return rules.rule(code).label
    except KeyError:
        return code


STATUS_LABELS = {
    "unfiled": _("未报送"),
    Status.SUBMITTED: Status.SUBMITTED.label,
    Status.RETURNED: Status.RETURNED.label,
    Status.APPROVED: Status.APPROVED.label,
}


def _draw(spot_check):
    """The kept draw, with the names of its areas and townships."""
    if not spot_check.drawn:
        return None
    codes = {s["area"] for s in spot_check.drawn["strata"]} | {
        code for s in spot_check.drawn["strata"] for code in s["drawn"]
    }
    names = dict(Org.objects.filter(code__in=codes).values_list("code", "name"))
    return {
        "seed": spot_check.drawn["seed"],
        "percent": spot_check.drawn["percent"],
        "strata": [
            {
                "area": stratum["area"],
                "area_name": names.get(stratum["area"], ""),
                "population": stratum["population"],
                "drawn": [(code, names.get(code, "")) for code in stratum["drawn"]],
            }
            for stratum in spot_check.drawn["strata"]
        ],
        "total": sum(len(s["drawn"]) for s in spot_check.drawn["strata"]),
    }


def _candidates(request, spot_check, picked):
    """A page of the documents the check may still pick, narrowed to a county and a name."""
    within_code = request.GET.get("within", "")
    within = None
    if within_code:
        within = Org.objects.filter(subtree(spot_check.region), code=within_code, kind=OrgKind.REGION).first()
    counties = Org.objects.filter(
        subtree(spot_check.region), kind=OrgKind.REGION, level__in=[Level.CITY, Level.COUNTY]
    ).order_by("lft")
    entries = [e for e in transitions.candidates(spot_check, within) if e.key not in picked]
    query = request.GET.get("q", "").strip()
    if query:
        team_ids = set(
            Team.objects.filter(pk__in={e.team_id for e in entries}, name__icontains=query).values_list(
                "pk", flat=True
            )
        )
        person_ids = set(
            Person.objects.filter(
                pk__in={e.person_id for e in entries if e.person_id}, name__icontains=query
            ).values_list("pk", flat=True)
        )
        entries = [e for e in entries if e.team_id in team_ids or e.person_id in person_ids]
    page = Paginator(entries, CANDIDATES_PAGE).get_page(request.GET.get("page"))
    teams = {t.pk: t for t in Team.objects.filter(pk__in={e.team_id for e in page}).select_related("org")}
    people = dict(
        Person.objects.filter(pk__in={e.person_id for e in page if e.person_id}).values_list("pk", "name")
    )
    return {
        "page": page,
        "rows": [
            {
                "entry": e,
                "team": teams[e.team_id],
                "person": people.get(e.person_id, ""),
                "kind": DocumentKind(e.kind).label,
                "rule": _rule_label(e.rule),
            }
            for e in page
        ],
        "counties": counties,
        "within": within_code,
        "q": query,
    }


@require_GET
def detail(request, pk):
    user = request.user
    spot_check = _check(user, pk)
    checker = transitions.is_checker(user, spot_check)
    rows = rows_of(spot_check)
    picked = {(r["sample"].team_id, r["sample"].kind, r["sample"].person_id) for r in rows}
    findings = list(
        policy.visible(user, Finding)
        .filter(spot_check=spot_check)
        .select_related("document", "created_by")
        .order_by("id")
    )
    for finding in findings:
        finding.deciding = checker and finding.state == FindingState.ANSWERED
    return render(
        request,
        "oversight/check.html",
        {
            "check": spot_check,
            "checker": checker,
            "rules": [rules.rule(code) for code in spot_check.classes],
            "draw": _draw(spot_check),
            "rows": rows,
            "status_labels": STATUS_LABELS,
            "unfiled": sum(1 for r in rows if r["status"] == "unfiled"),
            "findings": findings,
            "readings": list(
                Reading.objects.filter(spot_check=spot_check)
                .select_related("document", "user")
                .order_by("-at")[:30]
            ),
            "reading_count": Reading.objects.filter(spot_check=spot_check).count(),
            "candidates": _candidates(request, spot_check, picked)
            if checker and spot_check.is_open
            else None,
        },
    )


@require_POST
@once
def pick(request, pk):
    spot_check = _check(request.user, pk)
    # Back to the page of candidates the pick was made from: this check's own page only.
    page = reverse("oversight:check", args=[spot_check.pk])
    wanted = str(request.POST.get("next", ""))
    back = redirect(wanted if wanted.startswith((page + "?", page + "#")) else page + "#candidates")
    return run(
        request,
        lambda: transitions.pick(
            request.user,
            spot_check.pk,
            revision(request),
            number(request.POST.get("team")),
            request.POST.get("kind", ""),
            number(request.POST.get("person")),
        ),
        _("已选定。"),
        back,
    )


@require_POST
def unpick(request, pk):
    spot_check = _check(request.user, pk)
    return run(
        request,
        lambda: transitions.unpick(
            request.user, spot_check.pk, revision(request), number(request.POST.get("sample"))
        ),
        _("已取消选定。"),
        redirect("oversight:check", spot_check.pk),
    )


@require_POST
def close(request, pk):
    spot_check = _check(request.user, pk)
    return run(
        request,
        lambda: transitions.close_check(request.user, spot_check.pk, revision(request)),
        _("抽查已结束，抽查文件不再能调阅。"),
        redirect("oversight:check", spot_check.pk),
    )


@require_GET
def export(request, pk):
    spot_check = _check(request.user, pk)
    headers = [
        _("地区"),
        _("班子"),
        _("干部"),
        _("文件类别"),
        _("抽查类别"),
        _("抽中乡镇"),
        _("状态"),
        _("发现问题"),
    ]
    rows = [
        [
            row["team"].org.name,
            row["team"].name,
            row["person"],
            str(row["kind"]),
            str(row["rule"]),
            row["sample"].township.name if row["sample"].township_id else "",
            str(STATUS_LABELS[row["status"]]),
            row["findings"],
        ]
        for row in rows_of(spot_check)
    ]
    return download(_("抽查文件"), headers, rows, f"{spot_check.title}.xlsx")
