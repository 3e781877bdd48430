"""Writing to the audit: `record` is what every write path calls, inside its own
transaction, so a change and its entry are kept or dropped together."""

import datetime as dt
import uuid
from decimal import Decimal

from django.db import models

from rectify.auth import display_name

from .models import Entry


def plain(value):
    """VALUE as JSON holds it: dates as ISO text, rows by their names, lists kept."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return str(value)


def record(
    actor,
    action,
    *,
    org_id=None,
    document_id=None,
    subject="",
    subject_type="",
    subject_id=None,
    before=None,
    after=None,
):
    """One entry: ACTOR did ACTION to SUBJECT (in words; SUBJECT_TYPE and SUBJECT_ID name
    the row) in ORG_ID's region, on DOCUMENT_ID; BEFORE and AFTER are {field: value}."""
    person = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return Entry.objects.create(
        actor=person,
        actor_name=display_name(person)[:150] if person else "",
        action=action,
        org_id=org_id,
        document_id=document_id,
        subject=str(subject)[:200],
        subject_type=subject_type,
        subject_id=subject_id,
        before=plain(before) if before is not None else None,
        after=plain(after) if after is not None else None,
    )
