"""Bulk writing: a county's documents, inputs, items and their links, then the review
rows, in bulk inserts; and the stamping that puts back when each thing happened over
Django's auto_now_add."""

import datetime as dt
from types import SimpleNamespace

from django.db import connection

from plans.models import Document, Input, Item
from plans.words import Status
from review.models import Comment, Event, Notification, Review, Step, Version

from .reviews import documents_of

BATCH = 2000


class WritingMixin:
    """County's writing: everything planned in memory, inserted in bulk."""

    # Writing it all ---------------------------------------------------------------------------

    def write(self, papers, filer):
        documents = [paper.document for paper in papers]
        attachments = [a for paper in papers for a in paper.attachments]
        every = papers + attachments
        Input.objects.bulk_create([i for paper in every for i in paper.inputs], batch_size=BATCH)
        Document.objects.bulk_create(documents, batch_size=BATCH)
        for paper in papers:
            for attachment in paper.attachments:
                attachment.document.parent = paper.document
        Document.objects.bulk_create([a.document for a in attachments], batch_size=BATCH)
        Item.objects.bulk_create([item for paper in every for item in paper.items], batch_size=BATCH)
        through = {"answers": [], "addresses": [], "claims": []}
        for paper in every:
            for item in paper.items:
                links = paper.links.get(id(item), {})
                through["answers"] += [
                    Item.answers.through(item_id=item.pk, input_id=i.pk) for i in links.get("answers", ())
                ]
                for name in ("addresses", "claims"):
                    through[name] += [
                        getattr(Item, name).through(from_item_id=item.pk, to_item_id=other.pk)
                        for other in links.get(name, ())
                    ]
        for name, rows in through.items():
            getattr(Item, name).through.objects.bulk_create(rows, batch_size=BATCH)
            self.seeder.counts[f"links:{name}"] += len(rows)
        self.seeder.counts["inputs"] += sum(len(paper.inputs) for paper in every)
        self.seeder.counts["items"] += sum(len(paper.items) for paper in every)
        for paper in every:
            self.seeder.counts["documents"] += 1
            self.seeder.counts[f"kind:{paper.document.kind}"] += 1
            self.seeder.counts[f"status:{paper.document.status}"] += 1
        self._reviews(papers, filer)

    def _reviews(self, papers, filer):
        rows = SimpleNamespace(
            reviews=[], versions=[], steps=[], events=[], comments=[], notes=[], doc_times=[]
        )
        for paper in papers:
            if paper.document.status == Status.DRAFT:
                created = self.seeder.now - dt.timedelta(days=self.rng.uniform(1, 45))
                updated = min(self.seeder.now, created + dt.timedelta(days=self.rng.uniform(0, 10)))
                rows.doc_times += [(created, updated, d.pk) for d in documents_of(paper)]
            else:
                self.add_review(paper, filer, rows)
        Review.objects.bulk_create(rows.reviews, batch_size=BATCH)
        Version.objects.bulk_create(rows.versions, batch_size=BATCH // 4)
        Step.objects.bulk_create([step for step, _people in rows.steps], batch_size=BATCH)
        assigned = [
            Step.assignees.through(step_id=step.pk, user_id=user)
            for step, people in rows.steps
            for user in people
        ]
        Step.assignees.through.objects.bulk_create(assigned, batch_size=BATCH)
        Event.objects.bulk_create(rows.events, batch_size=BATCH)
        Comment.objects.bulk_create(rows.comments, batch_size=BATCH)
        Notification.objects.bulk_create(rows.notes, batch_size=BATCH)
        # Django stamps auto_now_add with the moment of insertion; put back when each happened.
        _stamp(Review, "submitted_at", rows.reviews)
        _stamp(Version, "created_at", rows.versions)
        _stamp(Event, "at", rows.events)
        _stamp(Notification, "created_at", rows.notes)
        _stamp_documents(rows.doc_times)
        for name, value in (
            ("reviews", rows.reviews),
            ("versions", rows.versions),
            ("steps", rows.steps),
            ("step_assignees", assigned),
            ("events", rows.events),
            ("comments", rows.comments),
            ("notifications", rows.notes),
        ):
            self.seeder.counts[name] += len(value)


def _stamp(model, column, rows):
    """Set COLUMN of ROWS (each with .moment) in one executemany."""
    adapt = connection.ops.adapt_datetimefield_value
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {connection.ops.quote_name(column)} = %s WHERE id = %s",
            [(adapt(row.moment), row.pk) for row in rows],
        )


def _stamp_documents(times):
    adapt = connection.ops.adapt_datetimefield_value
    table = connection.ops.quote_name(Document._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET created_at = %s, updated_at = %s WHERE id = %s",
            [(adapt(created), adapt(updated), pk) for created, updated, pk in times],
        )
