"""The organisation tree, its teams and people, and the bodies that review them.

The tree follows the national division codes (省 → 市州 → 县市区 → 乡镇街道 → 村社区);
units (直属机关, 企事业单位 …) hang under the region they belong to. It is a nested set
(django-mptt), so "everything under 长沙县" is one range on (tree_id, lft, rght).
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from mptt.models import MPTTModel, TreeForeignKey


class Level(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市州")
    COUNTY = "county", _("县市区")
    TOWNSHIP = "township", _("乡镇、街道")
    VILLAGE = "village", _("村、社区")


LEVELS = list(Level)
CODE_LENGTHS = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.VILLAGE: 12,
}


def level_above(level):
    index = LEVELS.index(level)
    return LEVELS[index - 1] if index else None


class OrgKind(models.TextChoices):
    REGION = "region", _("地区")
    ORGAN = "organ", _("直属机关")
    ENTERPRISE = "enterprise", _("企事业单位")
    ENFORCEMENT = "enforcement", _("执法监管部门")
    WINDOW = "window", _("窗口单位、服务行业")
    NONPUBLIC = "nonpublic", _("非公有制经济组织")
    SOCIAL = "social", _("社会组织")
    GRASSROOTS = "grassroots", _("其他基层组织")


class Org(MPTTModel):
    parent = TreeForeignKey(
        "self",
        verbose_name=_("上级"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    level = models.CharField(_("层级"), max_length=16, choices=Level)
    kind = models.CharField(_("类型"), max_length=16, choices=OrgKind, default=OrgKind.REGION)
    code = models.CharField(
        _("代码"),
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        help_text=_("地区填国家统计用区划代码；单位可不填。"),
    )
    name = models.CharField(_("名称"), max_length=100)

    class MPTTMeta:
        # MPTT's depth column would otherwise be called "level", which is ours.
        level_attr = "depth"

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        permissions = [("oversee_org", _("督导审阅（含全部下级）"))]
        indexes = [
            # A subtree is a range on lft within a tree.
            models.Index(fields=["tree_id", "lft"], name="org_subtree"),
            # Ancestors lie at a smaller depth with a smaller lft: this keeps their search
            # to the few thousand nodes above the villages, read from the index alone.
            models.Index(fields=["tree_id", "depth", "lft", "rght"], name="org_ancestors"),
            # The regions of a level (the inbox's cities, the tallies' counties and
            # townships) in code order, without a scan of the villages.
            models.Index(fields=["level", "kind", "code"], name="org_level"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="region") | Q(code__isnull=False),
                name="org_region_has_code",
            ),
            models.CheckConstraint(condition=Q(level__in=Level.values), name="org_level_valid"),
            models.CheckConstraint(condition=Q(kind__in=OrgKind.values), name="org_kind_valid"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_region(self):
        return self.kind == OrgKind.REGION

    @property
    def descendant_count(self):
        return (self.rght - self.lft - 1) // 2

    def clean(self):
        if self.code == "":
            self.code = None
        parent = self.parent
        if self.is_region:
            expected_parent_level = level_above(self.level)
            if expected_parent_level is None:
                if parent is not None:
                    raise ValidationError({"parent": _("省级地区不能有上级。")})
            elif parent is None or not parent.is_region or parent.level != expected_parent_level:
                raise ValidationError(
                    {
                        "parent": _("%(level)s的上级必须是%(above)s。")
                        % {"level": Level(self.level).label, "above": Level(expected_parent_level).label}
                    }
                )
            if self.code and (not self.code.isdigit() or len(self.code) != CODE_LENGTHS[self.level]):
                raise ValidationError(
                    {
                        "code": _("%(level)s的区划代码应为%(n)d位数字。")
                        % {"level": Level(self.level).label, "n": CODE_LENGTHS[self.level]}
                    }
                )
        else:
            if parent is None or not parent.is_region:
                raise ValidationError({"parent": _("单位必须挂在所属地区之下。")})
            self.level = parent.level

    def save(self, *args, **kwargs):
        if self.code == "":
            self.code = None
        if not self.is_region and self.parent_id is not None:
            self.level = self.parent.level
        super().save(*args, **kwargs)


class OrgUserGrant(UserObjectPermissionBase):
    """A grant to one user on one org; it reaches the org's whole subtree."""

    content_object = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="user_grants")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("用户授权（组织）")
        verbose_name_plural = _("用户授权（组织）")


class OrgGroupGrant(GroupObjectPermissionBase):
    """A grant to a group (an authority's members) on one org and its subtree."""

    content_object = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="group_grants")

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("用户组授权（组织）")
        verbose_name_plural = _("用户组授权（组织）")


class TeamKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("党委（常委）班子")
    CONGRESS = "congress", _("人大（常委会）班子")
    GOVERNMENT = "government", _("政府班子")
    CPPCC = "cppcc", _("政协班子")
    COURT = "court", _("法院班子")
    PROCURATORATE = "procuratorate", _("检察院班子")
    UNIT = "unit", _("单位领导班子")
    GRASSROOTS = "grassroots", _("基层组织班子")


# Teams list in the order the notice names them: 党委, 人大, 政府, 政协, 法院, 检察院 …
TEAM_KIND_ORDER = models.Case(
    *[models.When(kind=kind, then=models.Value(index)) for index, kind in enumerate(TeamKind)],
    default=models.Value(len(TeamKind)),
)

FOUR_BIG = (TeamKind.PARTY_COMMITTEE, TeamKind.CONGRESS, TeamKind.GOVERNMENT, TeamKind.CPPCC)
REGION_TEAMS = (*FOUR_BIG, TeamKind.COURT, TeamKind.PROCURATORATE)


def team_kinds_for(org):
    """The team kinds an org can have, from domain.md's table of teams."""
    if org.kind == OrgKind.REGION:
        if org.level == Level.TOWNSHIP:
            return (TeamKind.PARTY_COMMITTEE, TeamKind.CONGRESS, TeamKind.GOVERNMENT)
        if org.level == Level.VILLAGE:
            return (TeamKind.PARTY_COMMITTEE, TeamKind.GRASSROOTS)
        return REGION_TEAMS
    if org.kind in (OrgKind.ORGAN, OrgKind.ENTERPRISE, OrgKind.ENFORCEMENT, OrgKind.WINDOW):
        return (TeamKind.UNIT,)
    return (TeamKind.GRASSROOTS,)


class Team(models.Model):
    """A 领导班子: the body that files the team plan and whose members file their own."""

    org = models.ForeignKey(Org, verbose_name=_("所属组织"), on_delete=models.PROTECT, related_name="teams")
    kind = models.CharField(_("班子类型"), max_length=20, choices=TeamKind)
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("领导班子")
        verbose_name_plural = _("领导班子")
        permissions = [("file_team", _("填报本班子的整改文件"))]
        constraints = [
            models.UniqueConstraint(fields=["org", "kind"], name="team_one_per_kind_per_org"),
            models.CheckConstraint(condition=Q(kind__in=TeamKind.values), name="team_kind_valid"),
        ]
        ordering = ["org_id", TEAM_KIND_ORDER]

    def __str__(self):
        return self.name

    def clean(self):
        if self.org_id and self.kind and self.kind not in team_kinds_for(self.org):
            raise ValidationError(
                {
                    "kind": _("%(org)s不设%(kind)s。")
                    % {"org": self.org.name, "kind": TeamKind(self.kind).label}
                }
            )

    @property
    def principal(self):
        for position in self.positions.all():
            if position.active and position.role == Role.PRINCIPAL:
                return position
        return None


class TeamUserGrant(UserObjectPermissionBase):
    content_object = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="user_grants")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("用户授权（班子）")
        verbose_name_plural = _("用户授权（班子）")


class TeamGroupGrant(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="group_grants")

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("用户组授权（班子）")
        verbose_name_plural = _("用户组授权（班子）")


class Person(models.Model):
    """A cadre. A person may hold positions in several teams (县委副书记 and 县长)."""

    name = models.CharField(_("姓名"), max_length=50)
    party_member = models.BooleanField(_("中共党员"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )

    class Meta:
        verbose_name = _("干部")
        verbose_name_plural = _("干部")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    PRINCIPAL = "principal", _("主要负责同志")
    MEMBER = "member", _("班子成员")
    # Section 四's "其他在职党员领导干部" and section 五's "其他党员干部": cadres who write
    # 对照检查材料 and file individual measures without a seat in the team. They are
    # recorded in the team of the body they serve in, but they are not its members: they
    # do not fill in or own the team's plan and are never its principal.
    OTHER = "other", _("其他党员领导干部")


# The roles that are seats of the team (班子成员), the principal's included.
TEAM_SEATS = (Role.PRINCIPAL, Role.MEMBER)


class Rank(models.TextChoices):
    TING = "ting", _("厅级")
    CHU = "chu", _("处级")
    KE = "ke", _("科级")
    NONE = "none", _("无")


class Position(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("干部"), on_delete=models.CASCADE, related_name="positions"
    )
    team = models.ForeignKey(Team, verbose_name=_("班子"), on_delete=models.CASCADE, related_name="positions")
    role = models.CharField(_("班子职责"), max_length=16, choices=Role, default=Role.MEMBER)
    title = models.CharField(_("职务"), max_length=50, help_text=_("如：县委书记、副县长"))
    rank = models.CharField(_("级别"), max_length=8, choices=Rank, default=Rank.NONE)
    active = models.BooleanField(_("在职"), default=True)
    # Section 五: 按要求撰写了对照检查材料的…党员领导干部，都要制定…个人整改措施. Only a
    # position marked so asks its holder to file; on for party members, off otherwise
    # (PositionForm and the data say so when the position is made).
    wrote_self_inspection = models.BooleanField(
        _("撰写了对照检查材料"),
        default=True,
        help_text=_("按要求撰写了对照检查材料的，须制定个人整改措施。非中共党员一般不勾选。"),
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("职务")
        verbose_name_plural = _("职务")
        ordering = ["team_id", "-active", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team"],
                condition=Q(role="principal", active=True),
                name="position_one_principal_per_team",
                violation_error_message=_("一个班子只能有一位在职的主要负责同志。"),
            ),
            models.UniqueConstraint(
                fields=["team", "person"],
                condition=Q(active=True),
                name="position_once_per_team",
                violation_error_message=_("同一干部在一个班子中只能有一个在职职务。"),
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="position_role_valid"),
            models.CheckConstraint(condition=Q(rank__in=Rank.values), name="position_rank_valid"),
        ]

    def __str__(self):
        return f"{self.person.name}（{self.title}）"


class AuthorityKind(models.TextChoices):
    """The reviewing authorities of domain.md. The first five are resolved from positions
    on the tree; the others are bodies with members and a jurisdiction (Authority)."""

    TEAM_PRINCIPAL = "team_principal", _("本班子主要负责同志")
    PARTY_SECRETARY = "party_secretary", _("本级党委书记")
    UNIT_PRINCIPAL = "unit_principal", _("单位主要领导")
    SUPERVISING_LEADER = "supervising_leader", _("分管领导")
    TOWNSHIP_COMMITTEE = "township_committee", _("乡镇（街道）党委")
    LOCAL_GROUP = "local_group", _("市、县督导组")
    PROVINCIAL_GROUP = "provincial_group", _("省委派驻该市州督导组")
    PROVINCIAL_OFFICE = "provincial_office", _("省委教育实践活动办")
    PROVINCIAL_LEADERS = "provincial_leaders", _("省委有关领导")
    PROVINCIAL_CHIEF = "provincial_chief", _("省委主要领导")
    CENTRAL_GROUP = "central_group", _("中央第一巡回督导组")
    CENTRAL_OFFICE = "central_office", _("中央教育实践活动办")


BODY_KINDS = (
    AuthorityKind.LOCAL_GROUP,
    AuthorityKind.PROVINCIAL_GROUP,
    AuthorityKind.PROVINCIAL_OFFICE,
    AuthorityKind.PROVINCIAL_LEADERS,
    AuthorityKind.PROVINCIAL_CHIEF,
    AuthorityKind.CENTRAL_GROUP,
    AuthorityKind.CENTRAL_OFFICE,
)


# The bodies that read every submitted document of their jurisdiction, because they
# supervise it day to day: the 省、市、县三级督导组 (section 五: 加强督促指导) and the provincial
# office that runs the campaign. The others read what their chains send them (section 四)
# and, for the bodies section 六 names, what their spot checks draw (oversight.access):
# 省委有关领导 and 省委主要领导 are sent documents to read; the central group and office
# "抽查", which is reading a sample, not the whole province.
READS_JURISDICTION = (
    AuthorityKind.LOCAL_GROUP,
    AuthorityKind.PROVINCIAL_GROUP,
    AuthorityKind.PROVINCIAL_OFFICE,
)


class Authority(models.Model):
    """A reviewing body (督导组, 活动办 …). Its members are the users of its group; its
    jurisdiction is the orgs the group holds `oversee_org` on, each with its subtree."""

    kind = models.CharField(_("类别"), max_length=24, choices=[(k.value, k.label) for k in BODY_KINDS])
    name = models.CharField(_("名称"), max_length=100, unique=True)
    group = models.OneToOneField(
        Group, verbose_name=_("成员组"), on_delete=models.PROTECT, related_name="authority", editable=False
    )

    class Meta:
        verbose_name = _("审阅机构")
        verbose_name_plural = _("审阅机构")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in BODY_KINDS]), name="authority_kind_is_body"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.group_id is None:
            self.group = Group.objects.create(name=f"authority:{self.name}")
        elif self.group.name != f"authority:{self.name}":
            Group.objects.filter(pk=self.group_id).update(name=f"authority:{self.name}")
        super().save(*args, **kwargs)

    def jurisdiction(self):
        return Org.objects.filter(
            group_grants__group_id=self.group_id,
            group_grants__permission__codename="oversee_org",
        ).order_by("tree_id", "lft")


class Stamp(models.Model):
    """A token that database triggers replace with a new random number whenever a row
    it stands for is written, by any path (the ORM, a bulk update, raw SQL, an import):
    a process may keep what it computed from those rows for as long as the token is the
    one it read before computing (orgs.stamps). Random, not counted: a rolled-back change
    must never hand its number to the next one. The triggers are made by migration
    0005_stamp; the rows each token stands for are listed there."""

    name = models.CharField(max_length=40, primary_key=True)
    token = models.BigIntegerField()

    class Meta:
        verbose_name = _("版本戳")
        verbose_name_plural = _("版本戳")

    def __str__(self):
        return f"{self.name}: {self.token}"
