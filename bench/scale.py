"""Scale data for make bench: seed_scale on the bench's own database.

seed(fraction) runs `manage.py seed_scale --fraction F` in a child process on the
database this process uses (DATABASE_URL; the bench sets it before django.setup()),
so the seconds and the peak memory are the command's own, and returns them with the
rows the database then holds, for the pages measured on top of it. Call it after the
Hunan tree is imported (and, usually, after seed_demo).
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage_measured(*args, env):
    """Run manage.py in a child process; return (seconds, its peak RSS in MB, stdout)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=out, stderr=err
        )
        _pid, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        if os.waitstatus_to_exitcode(status):
            sys.exit(f"manage.py {' '.join(args)} failed:\n{err.read().decode()}")
        return round(elapsed, 2), round(usage.ru_maxrss / 1024, 1), out.read().decode()


def _rows():
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from ledger.models import Entry
    from ledger.models import Report as LedgerReport
    from orgs.models import Org, Person, Position, Team
    from plans.models import Document, Input, Item
    from review.models import Comment, Event, Notification, Review, Step, Version

    def by(field):
        return dict(Document.objects.order_by().values_list(field).annotate(n=Count("pk")))

    return {
        "orgs": Org.objects.count(),
        "teams": Team.objects.count(),
        "people": Person.objects.count(),
        "positions": Position.objects.count(),
        "users": get_user_model().objects.count(),
        "inputs": Input.objects.count(),
        "documents": Document.objects.count(),
        "documents_by_kind": by("kind"),
        "documents_by_status": by("status"),
        "items": Item.objects.count(),
        "item_links": Item.answers.through.objects.count()
        + Item.addresses.through.objects.count()
        + Item.claims.through.objects.count(),
        "reviews": Review.objects.count(),
        "versions": Version.objects.count(),
        "steps": Step.objects.count(),
        "step_assignees": Step.assignees.through.objects.count(),
        "events": Event.objects.count(),
        "comments": Comment.objects.count(),
        "notifications": Notification.objects.count(),
        "ledger_entries": Entry.objects.count(),
        "ledger_entries_by_state": dict(
            Entry.objects.order_by().values_list("state").annotate(n=Count("pk"))
        ),
        "ledger_reports": LedgerReport.objects.count(),
    }


def seed(fraction):
    """Run seed_scale at FRACTION on the bench database; return its figures:
    {"fraction", "seconds", "peak_rss_mb", "summary" (the command's last line), "rows"}."""
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    seconds, peak, output = manage_measured(
        "seed_scale", "--fraction", str(fraction), env={**os.environ, "DEBUG": "1"}
    )
    lines = output.strip().splitlines()
    return {
        "fraction": fraction,
        "seconds": seconds,
        "peak_rss_mb": peak,
        "summary": lines[-1] if lines else "",
        "rows": _rows(),
    }
