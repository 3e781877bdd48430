"""Who reads a published individual measures (section 七: 领导班子成员个人整改措施和清单，
可在班子或单位内部公开): every member of the team, once it is published, and only while
the publication stands. Before, only the leader and the team's filers see it
(plans.access); bodies that read the jurisdiction see it as they see every submitted
document.

Registered with orgs.policy when the app is ready (PublicationConfig.ready imports this
module), beside what plans and review register for documents.
"""

from django.db.models import Exists, OuterRef, Q

from orgs import policy
from orgs.policy import Right
from oversight.rules import Scope
from plans.models import Document
from plans.words import DocumentKind

from .models import Publication


def _published_within():
    return Publication.objects.live().filter(document=OuterRef("pk"), scope=Scope.INTERNAL)


@policy.scope(Document)
def _published_measures(user, r):
    if not r.team_ids:
        return Q(pk__in=[])
    return Q(kind=DocumentKind.INDIVIDUAL, team_id__in=r.team_ids) & Q(Exists(_published_within()))


@policy.right(Document, Right.VIEW)
def _read_published(user, r, document):
    return (
        document.kind == DocumentKind.INDIVIDUAL
        and document.team_id in r.memberships
        and Publication.objects.live().filter(document=document, scope=Scope.INTERNAL).exists()
    )
