"""The dashboard's figures, rolled up from the documents, steps and events by a task.

A live GROUP BY over every document of the province costs far more than a page may; so
the refresh task (dashboard/refresh.py) counts everything at once, sums it up the tree
and writes one Tally per region, scope and document kind. The dashboard of a province,
city or county reads only its own rows and its children's; townships and villages are
few enough to count live.

Freshness is the one row that says when the figures were counted and whether a newer
count is queued or running, so the page can show the time of its figures.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from orgs.models import Org


class Scope(models.TextChoices):
    ALL = "all", _("全域")  # the region's whole subtree
    OWN = "own", _("本级")  # the region's own teams and the units hanging directly under it


class Tally(models.Model):
    """What one region holds of one document kind (or of every kind but the attachments,
    KIND ""), as of Freshness.computed_at.

    must         documents due (dashboard.due): each team's kinds (routing.filed_kinds),
                 one individual measures per person who wrote 对照检查材料, at their
                 highest seat
    not_started  of those, the ones nobody has opened yet
    draft …      of those, the opened ones by status: must = not_started + draft +
                 submitted + returned + approved (measures kept under a lower seat count
                 nowhere)
    returns      how many times documents were returned (review events), and GROUNDS
                 how often each ground was given ({ReturnReason: n, "four_responses:
                 <Source>": n})
    pending      steps deciding now, by authority ({AuthorityKind: n}): where the
                 documents under review stand
    waiting      (KIND "", scope all) open steps by authority, mode and local date reached
                 ({"authority:mode": {"YYYY-MM-DD": n}}), so "overdue" is judged when read
    days         (KIND "", scope all) submissions by local date ({"YYYY-MM-DD": n})
    oldest       (KIND "", scope all) the open steps that have waited longest, oldest
                 first: [{"step", "document", "title", "team", "authority", "mode",
                 "reached_at"}]
    measures …   the measures of the approved documents (the ledger): how many, and of
                 those measures_open + measures_done + measures_closed = measures;
                 measures_escalated (督办, not closed) and measures_standing (长期坚持)
                 cut across them. KIND "" counts every kind's, the attachments' too
    deadlines    the open measures that are not standing, by deadline ({"YYYY-MM-DD": n}),
                 so that "overdue" (ledger/overdue.py) is judged when read
    categories   (KIND "", scope all, regions with pages) the measures by category:
                 {category or "": {"measures": n, …, "deadlines": {…}}}

    Every rolled-up region has its KIND "" row of scope all, zeros and all, and each row
    carries its region's PARENT: a page reads its region's rows and its children's, with
    their names, in one indexed query.
    """

    region = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey(
        Org, on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=False
    )
    scope = models.CharField(max_length=3, choices=Scope)
    kind = models.CharField(max_length=24, blank=True)
    must = models.PositiveIntegerField(default=0)
    not_started = models.PositiveIntegerField(default=0)
    draft = models.PositiveIntegerField(default=0)
    submitted = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)
    approved = models.PositiveIntegerField(default=0)
    returns = models.PositiveIntegerField(default=0)
    grounds = models.JSONField(default=dict, blank=True)
    pending = models.JSONField(default=dict, blank=True)
    waiting = models.JSONField(default=dict, blank=True)
    days = models.JSONField(default=dict, blank=True)
    oldest = models.JSONField(default=list, blank=True)
    measures = models.PositiveIntegerField(default=0)
    measures_open = models.PositiveIntegerField(default=0)
    measures_done = models.PositiveIntegerField(default=0)
    measures_closed = models.PositiveIntegerField(default=0)
    measures_escalated = models.PositiveIntegerField(default=0)
    measures_standing = models.PositiveIntegerField(default=0)
    deadlines = models.JSONField(default=dict, blank=True)
    categories = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("看板数字")
        verbose_name_plural = _("看板数字")
        indexes = [models.Index(fields=["parent", "scope", "kind"], name="tally_children")]
        constraints = [
            models.UniqueConstraint(fields=["region", "scope", "kind"], name="tally_unique"),
            models.CheckConstraint(condition=Q(scope__in=Scope.values), name="tally_scope_valid"),
            models.CheckConstraint(
                condition=Q(
                    must=F("not_started") + F("draft") + F("submitted") + F("returned") + F("approved")
                ),
                name="tally_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(measures=F("measures_open") + F("measures_done") + F("measures_closed")),
                name="tally_measures_add_up",
            ),
        ]

    def __str__(self):
        return f"{self.region_id} {self.scope} {self.kind or '*'}"


class Freshness(models.Model):
    """One row (pk 1): when the tallies were counted, and whether a count is due.

    computed_at  the moment the figures were read: the time the page shows
    took         seconds the last count took
    queued_at    a refresh was put on the tasks queue then and has not started
    running_since  a refresh is counting now
    dirty        something changed since the running count began reading: it counts again
    """

    ONE = 1

    computed_at = models.DateTimeField(null=True, blank=True)
    took = models.FloatField(default=0)
    queued_at = models.DateTimeField(null=True, blank=True)
    running_since = models.DateTimeField(null=True, blank=True)
    dirty = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("看板更新状态")
        verbose_name_plural = _("看板更新状态")

    def __str__(self):
        return f"{self.computed_at}"

    @property
    def updating(self):
        return self.queued_at is not None or self.running_since is not None
