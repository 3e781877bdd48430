"""Publication (section 七): an approved document made public, to the team or unit, or to
the masses, as the notice says of its kind (oversight.rules.publication).

A Publication is one approved version published once: the version the approving review
ended on (review.models.Version, never changed), where it was published (the channel, by
name), when and by whom; withdrawn with a reason, it stays on record and a later
publication is a new row. At most one publication of a document is live. Every publish and
withdraw is an append-only Event. Nothing here assigns a state: publication/transitions.py
does, under a lock.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oversight.rules import Scope
from plans.models import Document
from review.models import Version

from .words import CHANNEL, PUBLISHED_ON, REASON, Action

CHANNEL_LIMIT = 200
REASON_LIMIT = 1000


class LiveQuerySet(models.QuerySet):
    def live(self):
        return self.filter(withdrawn_at__isnull=True)


class Publication(models.Model):
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="publications")
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(_("公开范围"), max_length=16, choices=Scope)
    basis = models.TextField(_("依据"))  # the sentence of section 七 the scope comes from
    channel = models.CharField(CHANNEL, max_length=CHANNEL_LIMIT)
    published_on = models.DateField(PUBLISHED_ON)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_reason = models.TextField(REASON, blank=True)
    # Bumped by every change: a form posted from an older page is refused.
    revision = models.PositiveIntegerField(default=1)

    objects = LiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("公开")
        verbose_name_plural = _("公开")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document"], condition=Q(withdrawn_at__isnull=True), name="publication_one_live"
            ),
            models.CheckConstraint(condition=Q(scope__in=Scope.values), name="publication_scope_valid"),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""),
                name="publication_withdrawn_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["scope", "withdrawn_at"], name="publication_listed")]

    def __str__(self):
        return f"{self.document} · {self.get_scope_display()}"

    @property
    def live(self):
        return self.withdrawn_at is None


class Event(models.Model):
    """One publish or withdraw; rows are only ever added."""

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("操作"), max_length=16, choices=Action)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(blank=True)  # the channel published in, or the reason withdrawn

    class Meta:
        verbose_name = _("公开记录")
        verbose_name_plural = _("公开记录")
        ordering = ["at", "id"]

    def __str__(self):
        return self.get_action_display()


class Generation(models.Model):
    """The number the public site's cached pages are kept under (publication.transitions
    .generation): one row, raised by each publish and withdraw in its own transaction, so
    every server reads the new number together with the change and none serves a page of
    before it."""

    ONE = 1

    value = models.BigIntegerField()

    class Meta:
        verbose_name = _("公开网站页面代次")
        verbose_name_plural = _("公开网站页面代次")

    def __str__(self):
        return str(self.value)


class Visits(models.Model):
    """How many pages of the public site one address asked for in one minute, counted by
    every server in one row (publication/views/public.py `_limited`); rows of past minutes
    are pruned as a new minute begins."""

    minute = models.BigIntegerField()  # minutes since the epoch
    address = models.CharField(max_length=45)  # an IPv4 or IPv6 address
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("公开网站访问计数")
        verbose_name_plural = _("公开网站访问计数")
        # minute first: the prune of past minutes reads this index too.
        constraints = [models.UniqueConstraint(fields=["minute", "address"], name="visits_per_minute")]

    def __str__(self):
        return f"{self.address} {self.minute}: {self.hits}"
