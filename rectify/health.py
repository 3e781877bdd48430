"""/healthz: may a load balancer send this server requests, and is the work after them
being done?

    200 {"database": "ok", "worker": "ok", "heartbeat": "2014-09-30T08:00:00+08:00"}
    503 {"database": "error", "worker": "unknown", "heartbeat": null}
    503 {"database": "ok", "worker": "stale", "heartbeat": "…"}   (or "never": no beat yet)

The database answers if the one query here (the worker's last heartbeat, rectify/heartbeat.py)
does; the worker is "ok" when its last beat is younger than settings.HEARTBEAT_STALE_SECONDS.
`?only=database` leaves the worker out: a load balancer asks that, for a stopped worker is
no reason to stop sending a server requests (every server would be taken out at once);
monitoring asks the whole. No login, no session, no cookie, one query; never cached.
"""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import heartbeat


@login_not_required
@never_cache
@require_safe
def healthz(request):
    try:
        at = heartbeat.last()
    except DatabaseError:
        return JsonResponse({"database": "error", "worker": "unknown", "heartbeat": None}, status=503)
    answer = {"database": "ok"}
    if request.GET.get("only") != "database":
        if heartbeat.alive(at):
            answer["worker"] = "ok"
        else:
            answer["worker"] = "never" if at is None else "stale"
        answer["heartbeat"] = timezone.localtime(at).isoformat() if at else None
    healthy = answer.get("worker", "ok") == "ok"
    return JsonResponse(answer, status=200 if healthy else 503)
