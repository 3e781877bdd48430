"""The dashboard's pages: where it starts, a region's figures, who has not filed, and
each table as Excel. A region comes only through orgs.policy: outside the user's reach
it does not exist (404); visible to a member but not overseen, it is refused (403)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from orgs import policy
from orgs.models import Org, OrgKind
from orgs.policy import Right
from orgs.tree import ancestors_of, subtree
from oversight.bulletin_access import issued_for

from . import board as boards
from . import sheets, tables, words
from .charts import chart_data
from .figures import ALL, KINDS
from .refresh import note_change
from .unfiled import STATES, describe, unfiled

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNFILED_PER_PAGE = 50


def supervises(user):
    """Does USER oversee anything (a jurisdiction, or everything)? Reads the reach the
    request computes anyway."""
    reach = policy.reach(user)
    return reach.everything or bool(reach.spans)


def _region(user, code):
    region = policy.get_or_404(user, Org, code=code, kind=OrgKind.REGION)
    policy.require(user, Right.OVERSEE, region)
    return region


def _kind(request):
    kind = request.GET.get("kind", ALL)
    return kind if kind in KINDS else ALL


def stamp(board):
    """The time of the figures, as the page and the files say it."""
    if board.as_of is None:
        return str(words.NOT_YET)
    moment = timezone.localtime(board.as_of)
    shown = moment.strftime("%H:%M") if moment.date() == board.today else f"{moment:%Y-%m-%d %H:%M}"
    return str(words.LIVE if board.live else words.AS_OF) % {"time": shown}


def _crumbs(user, region):
    reach = policy.reach(user)
    return [(org, reach.covers(org)) for org in ancestors_of([region]).get(region.pk, [])]


@require_GET
def index(request):
    """Where the dashboard starts: the user's one region, or a list of them."""
    user = request.user
    reach = policy.reach(user)
    regions = policy.orgs(user).filter(kind=OrgKind.REGION)
    if reach.everything:
        regions = regions.filter(parent__isnull=True)
    else:
        regions = regions.filter(pk__in=[span.org_id for span in reach.spans])
    regions = list(regions.order_by("tree_id", "lft"))
    if not regions:
        raise PermissionDenied(_("督导看板供负有督导审阅职责的同志使用：您没有督导的地区。"))
    if len(regions) == 1:
        return redirect(boards.dashboard_url(regions[0]))
    return render(request, "dashboard/index.html", {"regions": regions, "paths": ancestors_of(regions)})


@require_GET
def region(request, code):
    user = request.user
    region = _region(user, code)
    board = boards.build(region, _kind(request))
    by_name = tables.region_tables(board)
    total = board.total.figure(board.kind)
    summary = [("must", words.MUST, total.must)] + [
        (code, label, getattr(total, code)) for code, label in words.STATE_COLUMNS
    ]
    return render(
        request,
        "dashboard/region.html",
        {
            "board": board,
            "region": region,
            "tables": by_name,
            "summary": summary,
            "kinds": [(kind, words.kind_label(kind)) for kind in board.kinds],
            "kind_label": words.kind_label(board.kind),
            "sources": tables.unanswered_sources(board),
            "stamp": stamp(board),
            "chart": chart_data(board, by_name),
            "crumbs": _crumbs(user, region),
            "words": words,
            "bulletins": bulletins_naming(user, region),
        },
    )


def bulletins_naming(user, region, count=5):
    """The latest issued bulletins the user reads that name a body in REGION: what the
    provincial office told this region's offices (点名通报), on their dashboard."""
    within = Org.objects.filter(subtree(region))
    return list(issued_for(user).filter(regions__in=within).distinct()[:count])


@require_POST
def refresh(request, code):
    """Ask for the figures to be counted again (on the tasks worker, never here)."""
    region = _region(request.user, code)
    note_change()
    messages.success(request, _("已安排重新统计，稍后刷新本页即可看到最新数字。"))
    return redirect(boards.dashboard_url(region))


def _download(content, name):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@require_GET
def export(request, code, name):
    """One table of a region's page as an Excel file."""
    region = _region(request.user, code)
    if name not in words.TABLES or name == "unfiled":
        raise Http404
    limit = boards.OLDEST_EXPORTED if name == "oldest" else 0
    board = boards.build(region, _kind(request), oldest_limit=limit)
    table = getattr(tables, name)(board)
    return _download(sheets.workbook(table, region, stamp(board)), sheets.filename(region, table))


def _unfiled_table(rows):
    table = tables.Table(
        "unfiled",
        [
            tables.Column(str(words.UNIT), tables.TEXT),
            tables.Column(str(words.TEAM), tables.TEXT),
            tables.Column(str(words.PERSON), tables.TEXT),
            tables.Column(str(words.KIND), tables.TEXT),
            tables.Column(str(words.STATE), tables.TEXT),
            tables.Column(str(words.UPDATED), tables.DATE),
        ],
        note=str(words.TABLE_NOTES["unfiled"]),
    )
    for row in rows:
        row = describe(row)
        updated = row["updated_at"]
        table.add(
            [
                row["org_name"],
                tables.Cell(row["team_name"], reverse("plans:team_documents", args=[row["team_ref"]])),
                row["person_name"],
                row["kind_label"],  # a draft is its filers' alone: nothing to link to
                str(words.UNFILED_STATES[row["state"]]),
                timezone.localtime(updated).replace(tzinfo=None, microsecond=0) if updated else None,
            ]
        )
    return table


def _unfiled_filters(request):
    state = request.GET.get("state") or None
    return _kind(request), state if state in STATES else None


@require_GET
def unfiled_list(request, code):
    user = request.user
    region = _region(user, code)
    kind, state = _unfiled_filters(request)
    page = Paginator(unfiled(region, kind, state), UNFILED_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "dashboard/unfiled.html",
        {
            "region": region,
            "page": page,
            "table": _unfiled_table(page.object_list),
            "kind": kind,
            "state": state or "",
            "kinds": [(k, words.kind_label(k)) for k in (ALL, *KINDS)],
            "states": list(words.UNFILED_STATES.items()),
            "crumbs": _crumbs(user, region),
            "words": words,
            "now": timezone.localtime().strftime("%H:%M"),
        },
    )


@require_GET
def unfiled_export(request, code):
    region = _region(request.user, code)
    kind, state = _unfiled_filters(request)
    table = _unfiled_table(unfiled(region, kind, state))
    moment = str(words.LIVE) % {"time": timezone.localtime().strftime("%Y-%m-%d %H:%M")}
    return _download(sheets.workbook(table, region, moment), sheets.filename(region, table))
