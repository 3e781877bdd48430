"""The ledger's today: what is due, overdue and escalated is reckoned from it.

`today()` is the local date and `now()` the current time, unless settings.LEDGER_TODAY
names a date (an ISO string or a date): then the ledger lives on that day, at the current
time of day. Tests set it through pytest-django's `settings` fixture to move the clock;
nothing else should.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone


def today():
    fixed = getattr(settings, "LEDGER_TODAY", None)
    if not fixed:
        return timezone.localdate()
    return fixed if isinstance(fixed, dt.date) else dt.date.fromisoformat(fixed)


def now():
    moment = timezone.localtime()
    day = today()
    if day == moment.date():
        return moment
    return timezone.make_aware(dt.datetime.combine(day, moment.time().replace(tzinfo=None)))
