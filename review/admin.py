"""Administration of review: the document list shows each document's chain and who
holds each step; a step nobody holds is what stops its filer from submitting."""

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from orgs.models import AuthorityKind
from plans.admin import DocumentAdmin
from plans.models import Document

from .moves import Situation
from .panel import preview


class DocumentWithChainAdmin(DocumentAdmin):
    fields = (*DocumentAdmin.fields, "route")
    readonly_fields = fields

    @admin.display(description=_("审阅链"))
    def route(self, obj):
        chain = preview(Situation(obj.parent if obj.parent_id else obj))
        if chain.error:
            return chain.error
        return format_html_join(
            mark_safe("<br>"),
            "{}. {}（{}）：{}",
            (
                (
                    step.stage,
                    AuthorityKind(step.authority).label,
                    step.mode,
                    "、".join(user.username for user in users) or _("尚未指定人员"),
                )
                for step, users in chain.steps
            ),
        )


admin.site.unregister(Document)
admin.site.register(Document, DocumentWithChainAdmin)
