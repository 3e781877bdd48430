"""Pages of the tree: the home page of each role, an org with its teams and children,
search, a team, a person. Every object comes through the policy's scoped getters."""

from types import MappingProxyType

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import BooleanField, Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils.translation import gettext as _

from rectify.posted import number

from . import policy, stamps
from .models import Authority, Level, Org, OrgKind, Person, Position, Role, Team
from .tree import ancestors_of, subtree

CHILDREN_PER_PAGE = 50
RESULTS_PER_PAGE = 30


def _team_count():
    return Coalesce(
        Subquery(
            Team.objects.filter(org=OuterRef("pk"))
            .order_by()
            .values("org")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


def _with_principals(queryset):
    return queryset.select_related("org").prefetch_related(
        Prefetch(
            "positions",
            queryset=Position.objects.filter(active=True)
            .select_related("person")
            .order_by("-role", "sort_order", "id"),
        )
    )


def _paths(orgs):
    """{org id: [ancestor, …]} for a page of orgs, in one query whatever their depth."""
    return ancestors_of(orgs)


def home(request):
    user = request.user
    reach = policy.reach(user)

    filed_teams = _with_principals(Team.objects.filter(pk__in=reach.filed_team_ids))
    my_positions = (
        Position.objects.filter(person__user=user, active=True)
        .select_related("team__org")
        .order_by("team__org__tree_id", "team__org__lft", "sort_order")
    )
    authorities = Authority.objects.filter(group__user=user).order_by("kind", "name")

    span_tops = list(Org.objects.filter(pk__in=[s.org_id for s in reach.spans]).order_by("tree_id", "lft"))
    children = {}
    if span_tops:
        rows = Org.objects.filter(parent__in=span_tops, kind=OrgKind.REGION).order_by("code")
        for child in rows:
            children.setdefault(child.parent_id, []).append(child)
    jurisdictions = [(top, children.get(top.pk, [])) for top in span_tops]

    return render(
        request,
        "orgs/home.html",
        {
            "filed_teams": filed_teams,
            "positions": my_positions,
            "authorities": authorities,
            "jurisdictions": jurisdictions,
            "paths": _paths([t.org for t in filed_teams] + span_tops),
            "is_admin": user.is_superuser,
        },
    )


def org_list(request):
    """The tops of what the user reaches: where browsing starts."""
    reach = policy.reach(request.user)
    if reach.everything:
        tops = Org.objects.filter(parent__isnull=True)
    else:
        tops = Org.objects.filter(pk__in=[s.org_id for s in reach.spans] + list(reach.member_org_ids))
    tops = list(tops.annotate(team_count=_team_count()).order_by("tree_id", "lft"))
    return render(request, "orgs/org_list.html", {"tops": tops, "paths": _paths(tops)})


def org_detail(request, pk):
    user = request.user
    org = policy.get_or_404(user, Org, pk=pk)
    reach = policy.reach(user)
    oversees = policy.can(user, policy.Right.OVERSEE, org)

    children = (
        policy.orgs(user)
        .filter(parent=org)
        .annotate(team_count=_team_count())
        .order_by(F("code").asc(nulls_last=True), "kind", "name")
    )
    kind = request.GET.get("kind")
    if kind == "region":
        children = children.filter(kind=OrgKind.REGION)
    elif kind == "unit":
        children = children.exclude(kind=OrgKind.REGION)
    page = Paginator(children, CHILDREN_PER_PAGE).get_page(request.GET.get("page"))
    context = {"org": org, "page": page, "kind": kind or ""}
    if request.htmx and request.GET.get("part") == "children":
        return render(request, "orgs/_children.html", context)

    ancestors = ancestors_of([org]).get(org.pk, [])
    below = []
    if oversees and org.descendant_count:
        counts = _counts_below(org, reach.stamp)
        deeper = Level.values[Level.values.index(org.level) + 1 :]
        below = [(Level(level).label, counts[level]) for level in deeper if counts.get(level)]
        if counts.get("unit"):
            below.append((_("单位"), counts["unit"]))
    context.update(
        {
            "crumbs": [(a, reach.covers(a) or a.pk in reach.member_org_ids) for a in ancestors],
            "teams": _with_principals(policy.teams(user).filter(org=org)),
            "below": below,
            "oversees": oversees,
        }
    )
    return render(request, "orgs/org_detail.html", context)


# What lies below an org changes with the tree only, which the token of who holds what
# follows (orgs/stamps.py): the province's count reads every org, 12 ms at full scale.
KEPT_COUNTS = stamps.Kept(1024)


def _counts_below(org, stamp):
    """{level: regions of that level below ORG, "unit": units below it}, kept while the
    tree stays as it is: STAMP is the token of who holds what this request read first."""

    def count():
        counts = {}
        rows = Org.objects.filter(subtree(org, include_self=False)).order_by().values_list("level", "kind")
        for level, kind, n in rows.annotate(n=Count("pk")):
            key = level if kind == OrgKind.REGION else "unit"
            counts[key] = counts.get(key, 0) + n
        return MappingProxyType(counts)

    # ORG was read before the token: its numbers are in the key, so counts taken between
    # two trees are only ever found by a request that read ORG between them too.
    return KEPT_COUNTS.get((org.pk, org.tree_id, org.lft, org.rght), stamp, count)


def org_search(request):
    user = request.user
    query = request.GET.get("q", "").strip()
    within = None
    if request.GET.get("within"):
        within = policy.get_or_404(user, Org, pk=number(request.GET["within"]))
    page = None
    paths = {}
    if query:
        results = policy.orgs(user)
        if within is not None:
            results = results.filter(subtree(within))
        matches = _name_holds(query)
        if query.isdigit():
            # Each side of the OR has its index (the code's prefix, the name's pairs):
            # PostgreSQL reads both and joins what they found instead of every org. Where
            # it reads every org (a prefix such as 43, which all of Hunan shares), the
            # code is asked first and the pairs are worked out for no row it settles.
            matches = Q(code__startswith=query) | matches
        results = results.filter(matches).order_by("depth", F("code").asc(nulls_last=True), "name")
        page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        paths = _paths(page.object_list)
    context = {"query": query, "within": within, "page": page, "paths": paths}
    template = "orgs/_search_results.html" if request.htmx else "orgs/org_search.html"
    return render(request, template, context)


def grams(query):
    """The pairs of characters of QUERY: every name containing QUERY holds them all
    (orgs/migrations/0003_org_name_grams.py)."""
    return sorted({query[i : i + 2] for i in range(len(query) - 1)})


def _name_holds(query):
    """A Q for the names containing QUERY. On PostgreSQL it first asks for the names
    holding QUERY's pairs of characters, through the org_name_grams index; the LIKE
    decides. Only for a query of two characters or more, without upper or lower case
    (Chinese, digits, signs), where icontains' UPPER changes nothing the pairs could miss."""
    like = Q(name__icontains=query)
    if connection.vendor != "postgresql" or len(query) < 2 or query.upper() != query.lower():
        return like
    holds = RawSQL('org_name_grams("orgs_org"."name") @> %s::text[]', (grams(query),), BooleanField())
    # The LIKE first: where every org is read, it rules most out before the pairs of
    # each name are worked out.
    return like & Q(holds)


def team_detail(request, pk):
    user = request.user
    team = policy.get_or_404(user, Team, related=("org",), pk=pk)
    positions = team.positions.select_related("person").order_by("-active", "-role", "sort_order", "id")
    filers = team.user_grants.filter(permission__codename=policy.FILE_PERM).select_related("user")
    return render(
        request,
        "orgs/team_detail.html",
        {
            "team": team,
            "positions": positions,
            "filers": [grant.user for grant in filers],
            "crumbs": [*ancestors_of([team.org]).get(team.org.pk, []), team.org],
            "can_file": policy.can(user, policy.Right.FILE, team),
        },
    )


def person_detail(request, pk):
    user = request.user
    person = policy.get_or_404(user, Person, pk=pk)
    positions = (
        policy.positions(user)
        .filter(person=person)
        .select_related("team__org")
        .order_by("-active", "team__org__tree_id", "team__org__lft")
    )
    return render(
        request, "orgs/person_detail.html", {"person": person, "positions": positions, "Role": Role}
    )
