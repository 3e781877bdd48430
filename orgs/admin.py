"""Administration of the tree, its teams and people, the reviewing bodies and the grants.

Grants are django-guardian object permissions: "督导审阅" on an org (reaching its
subtree) and "填报" on a team; each org and team page has guardian's 对象权限 button,
and a reviewing body's page edits its members and jurisdiction directly.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdmin
from guardian.shortcuts import assign_perm, remove_perm
from mptt.admin import MPTTModelAdmin

from audit.models import Action
from audit.record import record
from rectify.posted import number

from .models import BODY_KINDS, Authority, AuthorityKind, Level, Org, OrgKind, Person, Position, Team
from .policy import FILE_PERM, OVERSEE_PERM

User = get_user_model()


PERM_WORDS = {FILE_PERM: _("填报"), OVERSEE_PERM: _("督导审阅")}


def _sync_grants(actor, perm, current, wanted):
    """Give and withdraw PERM so that exactly the (holder, object) pairs in WANTED hold it;
    each grant given or withdrawn is an audit entry of ACTOR's."""
    for holder, obj in wanted - current:
        assign_perm(f"orgs.{perm}", holder, obj)
        _granted(actor, Action.GRANT_ADDED, perm, holder, obj)
    for holder, obj in current - wanted:
        remove_perm(f"orgs.{perm}", holder, obj)
        _granted(actor, Action.GRANT_REMOVED, perm, holder, obj)


def _granted(actor, action, perm, holder, obj):
    state = {"holder": str(holder), "right": str(PERM_WORDS.get(perm, perm)), "on": str(obj)}
    record(
        actor,
        action,
        org_id=obj.pk if isinstance(obj, Org) else obj.org_id,
        subject=f"{holder} · {PERM_WORDS.get(perm, perm)} · {obj}",
        subject_type="grant",
        before=state if action == Action.GRANT_REMOVED else None,
        after=state if action == Action.GRANT_ADDED else None,
    )


class UserChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return f"{user.username}（{user.first_name}）" if user.first_name else user.username


def _id(value):
    """An id from an address of guardian's pages, as the text guardian reads; one that is
    not an id finds nothing."""
    if number(value) is None:
        raise Http404
    return value


class Guarded(GuardedModelAdmin):
    """guardian's 对象权限 pages, whose addresses take any text as an id: what is not one
    answers 404 (the page that says it does not exist) instead of a 500 from the query."""

    def obj_perms_manage_view(self, request, object_pk):
        return super().obj_perms_manage_view(request, _id(object_pk))

    def obj_perms_manage_user_view(self, request, object_pk, user_id):
        return super().obj_perms_manage_user_view(request, _id(object_pk), _id(user_id))

    def obj_perms_manage_group_view(self, request, object_pk, group_id):
        return super().obj_perms_manage_group_view(request, _id(object_pk), _id(group_id))


@admin.register(Org)
class OrgAdmin(Guarded, MPTTModelAdmin):
    list_display = ("name", "code", "level", "kind", "parent")
    list_filter = ("level", "kind")
    search_fields = ("name", "code")
    autocomplete_fields = ("parent",)
    list_per_page = 100
    fields = ("parent", "kind", "level", "code", "name")
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        # A region's level comes from the division codes; a unit's from its region.
        if obj is not None and obj.kind == OrgKind.REGION:
            return ("kind", "level")
        return ()

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # The parent picker only offers regions above the village level.
        if request.GET.get("field_name") == "parent":
            queryset = queryset.filter(kind=OrgKind.REGION).exclude(level=Level.VILLAGE)
        return queryset, may_have_duplicates

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("kind", OrgKind.ORGAN)
        initial.setdefault("level", Level.COUNTY)
        return initial


class PositionInline(admin.TabularInline):
    model = Position
    extra = 1
    autocomplete_fields = ("person",)
    fields = ("person", "role", "title", "rank", "wrote_self_inspection", "active", "sort_order")


class TeamForm(forms.ModelForm):
    filers = UserChoices(
        label=_("填报人"),
        queryset=User.objects.filter(is_active=True).order_by("username"),
        required=False,
        widget=FilteredSelectMultiple(_("填报人"), is_stacked=False),
        help_text=_("可填报本班子整改文件的账号。"),
    )

    class Meta:
        model = Team
        fields = ("org", "kind", "name")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["filers"].initial = list(
                User.objects.filter(
                    teamusergrant__content_object=self.instance,
                    teamusergrant__permission__codename=FILE_PERM,
                )
            )


@admin.register(Team)
class TeamAdmin(Guarded):
    form = TeamForm
    list_display = ("name", "kind", "org")
    list_filter = ("kind",)
    search_fields = ("name", "org__name", "org__code")
    autocomplete_fields = ("org",)
    list_select_related = ("org",)
    inlines = (PositionInline,)

    @transaction.atomic
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        team = form.instance
        wanted = set(form.cleaned_data["filers"])
        current = set(
            User.objects.filter(
                teamusergrant__content_object=team, teamusergrant__permission__codename=FILE_PERM
            )
        )
        _sync_grants(
            request.user, FILE_PERM, {(user, team) for user in current}, {(user, team) for user in wanted}
        )


class PersonPositionInline(PositionInline):
    autocomplete_fields = ("team",)
    fields = ("team", "role", "title", "rank", "wrote_self_inspection", "active", "sort_order")

    def get_formset(self, request, obj=None, **kwargs):
        """A non-party member's new positions start unmarked: they wrote no 对照检查材料."""
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None and not obj.party_member:
            formset.form.base_fields["wrote_self_inspection"].initial = False
        return formset


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "party_member", "user")
    search_fields = ("name", "user__username")
    list_filter = ("party_member",)
    autocomplete_fields = ("user",)
    inlines = (PersonPositionInline,)


class AuthorityForm(forms.ModelForm):
    members = UserChoices(
        label=_("成员"),
        queryset=User.objects.filter(is_active=True).order_by("username"),
        required=False,
        widget=FilteredSelectMultiple(_("成员"), is_stacked=False),
    )
    jurisdiction = forms.ModelMultipleChoiceField(
        label=_("辖区"),
        queryset=Org.objects.filter(
            kind=OrgKind.REGION, level__in=[Level.PROVINCE, Level.CITY, Level.COUNTY]
        ),
        required=False,
        widget=FilteredSelectMultiple(_("辖区"), is_stacked=False),
        help_text=_("如省委派驻督导组所联系的市州；每一项都含其全部下级。"),
    )

    class Meta:
        model = Authority
        fields = ("kind", "name")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["members"].initial = list(self.instance.group.user_set.all())
            self.fields["jurisdiction"].initial = list(self.instance.jurisdiction())


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    form = AuthorityForm
    list_display = ("name", "kind", "jurisdiction_names", "member_count")
    list_filter = ("kind",)
    search_fields = ("name",)

    @admin.display(description=_("辖区"))
    def jurisdiction_names(self, obj):
        return "、".join(org.name for org in obj.jurisdiction())

    @admin.display(description=_("成员数"))
    def member_count(self, obj):
        return obj.group.user_set.count()

    def changelist_view(self, request, extra_context=None):
        """Say which reviewing bodies the chains name but nobody holds: a document routed
        to them cannot be submitted until they have members."""
        staffed = set(
            Authority.objects.filter(group__user__is_active=True).values_list("kind", flat=True).distinct()
        )
        empty = [label for kind, label in AuthorityKind.choices if kind in BODY_KINDS and kind not in staffed]
        if empty:
            messages.warning(
                request,
                _("以下审阅机构尚无成员，审阅链经过它们的文件不能报送：%(names)s")
                % {"names": "、".join(str(name) for name in empty)},
            )
        return super().changelist_view(request, extra_context)

    @transaction.atomic
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        authority = form.instance
        authority.group.user_set.set(form.cleaned_data["members"])
        group = authority.group
        _sync_grants(
            request.user,
            OVERSEE_PERM,
            {(group, org) for org in authority.jurisdiction()},
            {(group, org) for org in form.cleaned_data["jurisdiction"]},
        )


admin.site.site_header = _("整改方案填报审阅系统 · 管理")
admin.site.site_title = _("整改方案填报审阅系统")
admin.site.index_title = _("系统管理")
