"""The form of a draft bulletin, and the findings it offers, grouped as the page lists
them: region, then the document found wanting, then its findings. It validates and
normalises; transitions.save_bulletin changes the draft."""

from dataclasses import dataclass, field

from django import forms
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from .models import Bulletin
from .transitions import region_of, reportable_findings
from .words import BulletinState


def _label(name):
    return Bulletin._meta.get_field(name).verbose_name


@dataclass
class DocumentGroup:
    document: object
    findings: list = field(default_factory=list)


@dataclass
class RegionGroup:
    region: object
    documents: list = field(default_factory=list)


def offered_findings(user):
    """The findings USER may name, in tree order, each with the issued bulletins that
    named it already (`issued_in`)."""
    issued = Bulletin.objects.filter(state=BulletinState.ISSUED).only("year", "number", "content")
    return list(
        reportable_findings(user)
        .select_related("document__team__org__parent__parent", "document__person", "spot_check__authority")
        .prefetch_related(Prefetch("bulletins", queryset=issued, to_attr="issued_in"))
        .order_by("document__team__org__tree_id", "document__team__org__lft", "document_id", "id")
    )


def grouped(findings):
    """FINDINGS (in tree order) as [RegionGroup] of [DocumentGroup]."""
    regions = {}
    for finding in findings:
        document = finding.document
        region = region_of(document.team.org)
        group = regions.setdefault(region.pk, RegionGroup(region))
        if not group.documents or group.documents[-1].document.pk != document.pk:
            group.documents.append(DocumentGroup(document))
        group.documents[-1].findings.append(finding)
    return list(regions.values())


class BulletinForm(forms.Form):
    title = forms.CharField(label=_label("title"), max_length=200)
    dated = forms.DateField(
        label=_label("dated"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    opening = forms.CharField(
        label=_label("opening"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    closing = forms.CharField(
        label=_label("closing"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    findings = forms.TypedMultipleChoiceField(
        label=_label("findings"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("所选的发现问题不在您的督导范围内，或已不存在，请刷新页面。")},
    )

    def __init__(self, *args, offered=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["findings"].choices = [(finding.pk, finding.pk) for finding in offered]
        for name in ("title", "dated", "opening", "closing"):
            self.fields[name].widget.attrs.setdefault("class", "form-control")

    @property
    def chosen(self):
        """The ids of the findings ticked (as posted, or as the draft has them)."""
        if self.is_bound:
            values = self.data.getlist("findings") if hasattr(self.data, "getlist") else []
        else:
            values = self.initial.get("findings") or []
        return {str(value) for value in values}
