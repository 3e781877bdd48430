"""make bench's load scenario (bench/load.py) run against the bench's server.

write_cast(path, floor_url) picks the cast from the scale data: filers with a draft of
their own to type into, reviewers with a document waiting for them, the provincial
office, each with a session of its own. scenarios(port, cast) runs each offered load on
the bare view and on the product, one after the other, and returns requests per second
and p50 / p95 / p99 for both, as locust counted them.
"""

import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.http import CSRF, cookie_header, session_for

ROOT = Path(__file__).resolve().parent.parent
SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "1"))  # a factor on each scenario's length
# (name, users, pace, seconds, spawn rate): what the issue asks to be measured.
SCENARIOS = (
    ("saturation", int(os.environ.get("BENCH_SATURATION_USERS", "24")), "none", 30, 50),
    ("busy_50_users", 50, "busy", 45, 25),
    ("people_200_users", 200, "people", 90, 20),
)
ITEMS_PER_DOCUMENT = 20
MEMBERS = 250  # distinct filers / reviewers wanted (more than any scenario's users of the role)


def write_cast(path, floor_url):
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from orgs.models import Level, Org, TeamUserGrant
    from orgs.policy import FILE_PERM
    from plans.models import Document, Item
    from plans.words import DocumentKind, Status
    from review.models import Step, StepState

    User = get_user_model()
    # Each simulated filer types into an item no other one touches (two on one item would be
    # the conflict the editor reports, not the load): up to ITEMS_PER_DOCUMENT rows of each
    # draft, each in a session of its own, as several people of one office fill a plan.
    filers = []
    drafts = (
        Document.objects.filter(
            status__in=[Status.DRAFT, Status.RETURNED],
            kind__in=[DocumentKind.TEAM_PLAN, DocumentKind.SIMPLIFIED_PLAN, DocumentKind.GRASSROOTS_LIST],
        )
        .annotate(n=Count("items"))
        .filter(n__gt=0)
        .order_by("pk")
        .values_list("pk", "team_id")[: MEMBERS * 4]
    )
    grants = {}
    for team_id, user_id in TeamUserGrant.objects.filter(
        permission__codename=FILE_PERM, content_object_id__in={team for _pk, team in drafts}
    ).values_list("content_object_id", "user_id"):
        grants.setdefault(team_id, user_id)
    users = User.objects.in_bulk(set(grants.values()))
    for document, team in drafts:
        user = users.get(grants.get(team))
        if user is None:
            continue
        # Several people of the office fill one plan at once, each a row of their own.
        items = (
            Item.objects.filter(document_id=document)
            .exclude(text="")
            .order_by("section", "position")
            .values_list("pk", flat=True)[:ITEMS_PER_DOCUMENT]
        )
        for item in items:
            filers.append(
                {
                    "cookie": cookie_header(session_for(user)),
                    "document": document,
                    "item": item,
                    "field": "text",
                }
            )
        if len(filers) >= MEMBERS:
            break

    reviewers, seen = [], set()
    for user_id, document in (
        Step.objects.filter(state=StepState.PENDING)
        .values_list("assignees", "review__document_id")
        .order_by("review__document_id")[: MEMBERS * 4]
    ):
        if user_id is None or user_id in seen:
            continue
        seen.add(user_id)
        reviewers.append(
            {"cookie": cookie_header(session_for(User.objects.get(pk=user_id))), "document": document}
        )
        if len(reviewers) >= MEMBERS:
            break

    office = User.objects.get(username="province_office")
    province = Org.objects.get(code="43")
    cities = list(Org.objects.filter(level=Level.CITY).order_by("code")[:5])
    counties = list(Org.objects.filter(level=Level.COUNTY).order_by("code")[:10])
    cast = {
        "csrf": CSRF,
        "floor": floor_url,
        "filers": filers,
        "reviewers": reviewers,
        # Several sessions of the office's account: many people work in it at once.
        "office": [{"cookie": cookie_header(session_for(office))} for _ in range(10)],
        "dashboards": [f"/dashboard/{province.code}/"] + [f"/dashboard/{org.code}/" for org in cities],
        "trees": [f"/orgs/{province.pk}/"] + [f"/orgs/{org.pk}/" for org in cities + counties],
        "searches": ["/orgs/search/?q=星沙", "/orgs/search/?q=430121", "/orgs/search/?q=开福"],
        "ledgers": [f"/ledger/region/{org.code}/" for org in counties[:3]],
    }
    Path(path).write_text(json.dumps(cast, ensure_ascii=False), encoding="utf-8")
    return {"filers": len(filers), "reviewers": len(reviewers), "office_sessions": len(cast["office"])}


def _locust(port, cast_path, classes, users, pace, seconds, spawn_rate):
    with tempfile.TemporaryDirectory(prefix="rectify-load-") as folder:
        prefix = Path(folder) / "run"
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench" / "load.py"),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(spawn_rate),
                "--run-time",
                f"{max(5, round(seconds * SECONDS))}s",
                "--reset-stats",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "ERROR",
                "--exit-code-on-error",
                "0",
                *classes,
            ],
            cwd=ROOT,
            env={**os.environ, "BENCH_CAST": str(cast_path), "BENCH_PACE": pace},
            capture_output=True,
            text=True,
        )
        stats = Path(f"{prefix}_stats.csv")
        if completed.returncode or not stats.exists():
            sys.exit(f"locust failed:\n{completed.stderr[-3000:]}")
        rows = {row["Name"]: row for row in csv.DictReader(stats.open(encoding="utf-8"))}
    figures = {}
    for name, row in rows.items():
        figures[name] = {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "requests_per_s": round(float(row["Requests/s"]), 1),
            "p50_ms": _number(row["50%"]),
            "p95_ms": _number(row["95%"]),
            "p99_ms": _number(row["99%"]),
        }
    return figures


def _number(value):
    return None if value in ("", "N/A") else float(value)


def scenarios(port, cast_path):
    results = {}
    for name, users, pace, seconds, spawn_rate in SCENARIOS:
        floor = _locust(port, cast_path, ["FloorUser"], users, pace, seconds, spawn_rate)
        product = _locust(
            port, cast_path, ["FilerUser", "ReviewerUser", "OfficeUser"], users, pace, seconds, spawn_rate
        )
        mine, bare = product["Aggregated"], floor["Aggregated"]
        results[name] = {
            "users": users,
            "pace": pace,
            "floor": bare,
            "rectify": mine,
            "throughput_share_of_floor": round(mine["requests_per_s"] / bare["requests_per_s"], 2)
            if bare["requests_per_s"]
            else None,
            "p95_ratio_to_floor": round(mine["p95_ms"] / bare["p95_ms"], 2) if bare["p95_ms"] else None,
            "by_request": {key: value for key, value in product.items() if key != "Aggregated"},
        }
    return results
