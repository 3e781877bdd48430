"""Checks before submission: the notice's grounds for returning a plan, one rule each.

Section 四 names the grounds on which a reviewer returns a document, and in this order:

    凡是没有做到“四个回应”，整改措施不具体、针对性不强，没有具体明确整改责任人和整改时限的，
    都要打回修改完善。

Each ground is a small function registered below in that order; after them come the
rules of an incomplete document (a block left empty, a category not used, section 二's
meeting, the two attachments, 附件1's catalogue). Every rule quotes the sentence of the
notice it implements, verbatim (tests/test_checks.py finds each in docs/notice.txt), and
returns its findings: an error blocks submission, a hint only warns. Rules are
registered as Django registers its system checks (django/core/checks/registry.py):

    @register("deadline", ReturnReason.NO_DEADLINE, _("每条措施明确整改时限"), quote="…")
    def deadline(subject):
        return [error(…), …]

`check(document)` runs every rule that applies to the document, in order, into a
Checklist; the filer's checklist, submission and the reviewers all call it. What several
rules read (the items, the four responses) is loaded once per document, by `CheckedDocument`;
a page that has loaded the items already hands them over (`check(document, loaded)`).
"""

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orgs.models import Person
from rectify.dates import chinese_date

from .documents import CAMPAIGN_YEAR, attachments_of, items_by_document, linked, responses
from .models import SpecialTask
from .structure import is_party_committee_plan, structure_of
from .words import CATEGORY_SHORT, INCOMPLETE, Batch, DocumentKind, ReturnReason

# The links of an item the rules read: a measure's problems (targeted, rows_touched).
CHECKED_LINKS = ("addresses",)

ERROR = "error"
HINT = "hint"

# A deadline further than this after the plan's date is no longer a deadline of this
# campaign: the notice asks for a 时间表 of rectification, and even its 长期目标 are
# written in the plan's own term, not for a later one. Words such as 长期坚持 carry no
# date and are never measured against it.
DEADLINE_HORIZON_YEARS = 3

# General phrases that say nothing by themselves ("进一步加强", "切实提高" …).
GENERAL = "进一步|切实|不断|认真|努力|积极|全面|深入|大力|着力|坚决|持续|继续|逐步"
WEAK = (
    "加强|提高|增强|完善|强化|改进|推进|落实|提升|加大|转变|树立|坚持|重视|注重|改善|端正|发扬|克服|杜绝|防止"
)
VAGUE = re.compile(rf"(?:{GENERAL})?(?:{WEAK})")
# What makes a measure concrete: a number or quantity, a date, a named document, or
# an action somebody can be seen to have done.
QUANTITY = "个|项|次|名|人|家|天|日|周|月|年|%|％|万|元|户|条|篇|场|期|批|份|所|座|台|辆|处|件|起|笔|小时|公里|平方米|亩|轮"
CONCRETE = re.compile(
    rf"\d|[一二三四五六七八九十百千两半]+(?:{QUANTITY})|每[年季月周天日]|[底末]前|月底|年底|《"
    r"|制定|出台|印发|修订|建立|清理|清退|腾退|查处|召开|走访|整治|取消|压缩|退还|公开|公示|撤销|追回|收回"
    r"|问责|约谈|建成|开通|关停|督办|通报|审计|核查|排查|回访|公布|设立|配备|减少|精简|停止|不再|严禁|一律"
)


@dataclass(frozen=True)
class Finding:
    rule: str
    reason: str  # a ReturnReason, or INCOMPLETE
    severity: str
    message: str
    items: tuple = ()  # uids of the items concerned
    inputs: tuple = ()  # uids of the inputs concerned
    source: str | None = None


@dataclass(frozen=True)
class Rule:
    """One line of the checklist: a rule as it applied to one document."""

    code: str
    label: str
    findings: tuple = ()

    @property
    def state(self):
        if any(f.severity == ERROR for f in self.findings):
            return ERROR
        if self.findings:
            return HINT
        return "ok"


@dataclass
class Checklist:
    document: object
    rules: list = field(default_factory=list)
    attachments: list = field(default_factory=list)  # (document, Checklist)
    # What the rules read, for the page that shows the checklist: the items by section,
    # and the four responses where the document must give them.
    sections: dict = field(default_factory=dict)
    responses: list = field(default_factory=list)

    @property
    def findings(self):
        return [finding for rule in self.rules for finding in rule.findings]

    @property
    def errors(self):
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def hints(self):
        return [f for f in self.findings if f.severity == HINT]

    @property
    def passed(self):
        """No hard failure: the document may be submitted."""
        return not self.errors

    def for_item(self, uid):
        return self.by_item.get(str(uid), [])

    @cached_property
    def by_item(self):
        """{item uid: [its findings]}, for the flags of every row at once."""
        found = {}
        for finding in self.findings:
            for uid in finding.items:
                found.setdefault(uid, []).append(finding)
        return found


def error(message, items=(), inputs=(), source=None):
    """A finding that blocks submission; its rule and reason are its rule's."""
    return Finding("", "", ERROR, message, items, inputs, source)


def hint(message, items=(), inputs=(), source=None):
    """A finding that only warns."""
    return Finding("", "", HINT, message, items, inputs, source)


# The registry ------------------------------------------------------------------------


def always(subject):
    return True


@dataclass(frozen=True)
class Registered:
    """A rule as registered: its code, the ground its findings give, its line in the
    checklist, the sentence of the notice it implements, and the function that finds.

    A rule `per` part of a document (the four responses: one line per source) is run
    once for each (key, part) PER gives; its code is "code:key" and LABEL is a function
    of the part."""

    code: str
    reason: str
    label: object
    quote: str
    find: object
    applies: object = always
    per: object = None

    def rules(self, subject):
        if not self.applies(subject):
            return []
        if self.per is None:
            return [self._rule(self.code, self.label, self.find(subject))]
        return [
            self._rule(f"{self.code}:{key}", self.label(part), self.find(subject, part))
            for key, part in self.per(subject)
        ]

    def _rule(self, code, label, findings):
        return Rule(code, label, tuple(replace(f, rule=code, reason=self.reason) for f in findings))


RULES = []


def register(code, reason, label, quote, applies=always, per=None):
    """Register the decorated function as the rule CODE, after those registered before."""

    def add(find):
        RULES.append(Registered(code, reason, label, quote, find, applies, per))
        return find

    return add


class CheckedDocument:
    """A document as the rules read it; what several rules need is loaded once. LOADED
    ({document id: its items by section}, documents.items_by_document's) spares the
    queries for the document and its attachments when the caller has them already."""

    def __init__(self, document, loaded=None):
        self.document = document
        self.kind = document.kind
        # Section 五's lighter individual measures drop the category per block.
        self.structure = structure_of(document)
        self.loaded = loaded if loaded is not None else {}

    @cached_property
    def sections(self):
        if self.document.pk not in self.loaded:
            # A committee's plan is checked with its attachments: their items come in
            # the same queries as its own.
            wanted = [self.document]
            if self.party_committee_plan:
                wanted += [attachment for attachment in self._attachments if attachment.pk not in self.loaded]
            self.loaded.update(items_by_document(wanted, links=CHECKED_LINKS))
        return self.loaded[self.document.pk]

    @cached_property
    def _attachments(self):
        return attachments_of(self.document)

    @cached_property
    def lists(self):
        """(section, its filled items) for every list of the document, in order."""
        return [
            (section, [item for item in self.sections.get(section.code, []) if _item_filled(item)])
            for section in self.structure.sections
            if section.is_list
        ]

    @cached_property
    def responses(self):
        return responses(self.document)

    @cached_property
    def members(self):
        """{person id: name} of those who hold a seat in the document's team now."""
        return dict(
            Person.objects.filter(
                positions__team_id=self.document.team_id, positions__active=True
            ).values_list("pk", "name")
        )

    @cached_property
    def party_committee_plan(self):
        return self.kind == DocumentKind.TEAM_PLAN and is_party_committee_plan(self.document.team)

    @cached_property
    def attachments(self):
        """(attachment, its Checklist) for each attachment, in the notice's order; the
        items of those not loaded yet are read together."""
        attachments = self._attachments
        missing = [attachment for attachment in attachments if attachment.pk not in self.loaded]
        if missing:
            self.loaded.update(items_by_document(missing, links=CHECKED_LINKS))
        return [(attachment, check(attachment, self.loaded)) for attachment in attachments]


def check(document, loaded=None):
    """DOCUMENT's Checklist: every rule that applies to it, in order; a party
    committee's plan carries its attachments' checklists too. LOADED: see CheckedDocument."""
    subject = CheckedDocument(document, loaded)
    checklist = Checklist(document)
    for registered in RULES:
        checklist.rules.extend(registered.rules(subject))
    if subject.party_committee_plan:
        checklist.attachments = subject.attachments
    checklist.sections = subject.sections
    if subject.structure.needs_four_responses:
        checklist.responses = subject.responses
    return checklist


def rows_touched(checklist, item, addressed_before=()):
    """The uids of the rows whose flags a save of ITEM may have changed, CHECKLIST being
    the document's after the save and ADDRESSED_BEFORE the uids of the problems ITEM
    addressed before it. A row's flags come from these rules only:

    - concrete, owner, deadline: each row on its own (deadline also reads the plan's
      date, which a row's save does not change);
    - targeted: a problem is flagged when no measure addresses it (so the problems ITEM
      addressed before or addresses now), a measure when it addresses none while the
      list it answers has a problem (so every row answering ITEM's section when ITEM
      may be its only filled problem), and an individual's 为官不为 problems together;
    - complete: the blank rows of a section are named together with their count (so
      every blank row of ITEM's section);
    - four_responses flags inputs, not rows.

    The checklist itself is always recomputed whole; only the rows sent are chosen here."""
    uid = str(item.uid)
    structure = structure_of(checklist.document)
    sections = checklist.sections
    touched = {uid, *(str(u) for u in addressed_before)}
    rows = sections.get(item.section, [])
    now = next((row for row in rows if str(row.uid) == uid), None)
    if now is not None:
        touched.update(str(problem.uid) for problem in linked(now, "addresses"))
    touched.update(str(row.uid) for row in rows if not _item_filled(row))
    others = [row for row in rows if str(row.uid) != uid and _item_filled(row)]
    if not others:
        for section in structure.sections:
            if section.addresses == item.section:
                touched.update(str(row.uid) for row in sections.get(section.code, []))
    if checklist.document.kind == DocumentKind.INDIVIDUAL:
        touched.update(str(row.uid) for row in sections.get("problems", []) if row.inaction)
    return touched


# The grounds of section 四, in its order -------------------------------------------------


def _response_label(response):
    return _("回应%(source)s（%(answered)d/%(total)d）") % {
        "source": response.label,
        "answered": response.answered + response.explained,
        "total": response.total,
    }


@register(
    "four_responses",
    ReturnReason.FOUR_RESPONSES,
    _response_label,
    quote="领导班子整改方案和领导干部个人整改措施，要认真回应征求到的群众意见，回应对照检查材料查摆的突出问题，"
    "回应专题民主生活会提出的批评意见，回应上级党组织和督导组点明的问题",
    applies=lambda subject: subject.structure.needs_four_responses,
    per=lambda subject: [(response.source, response) for response in subject.responses],
)
def four_responses(subject, response):
    """Every input of one source is answered by a problem, or explained in writing."""
    if response.unanswered:
        return [
            error(
                _("%(ground)s：%(source)s有 %(n)d 条既未列入问题清单、也没有书面说明：%(which)s")
                % {
                    "ground": ReturnReason.FOUR_RESPONSES.label,
                    "source": response.label,
                    "n": len(response.unanswered),
                    "which": "；".join(_excerpt(entry.text) for entry in response.unanswered[:5]),
                },
                inputs=tuple(str(entry.uid) for entry in response.unanswered),
                source=response.source,
            )
        ]
    if not response.total:
        return [
            hint(
                _("尚未登记%(source)s，无法核对是否回应。") % {"source": response.label},
                source=response.source,
            )
        ]
    return []


@register(
    "concrete",
    ReturnReason.NOT_CONCRETE,
    gettext_lazy("整改措施具体、可操作"),
    quote="整改措施要直面问题、务实管用，突出针对性和可操作性，每一条都必须具体明确整改举措、整改时限。",
)
def concrete(subject):
    """Measures that say something one can do, and no problem of a list without its measures."""
    findings = []
    for section, items in subject.lists:
        fields = section.fields
        for item in items:
            measure_text = item.measures if "measures" in fields else item.text
            if (section.addresses or "measures" in fields) and is_vague(measure_text):
                findings.append(
                    hint(
                        _("%(ground)s：“%(item)s”只有原则性表述，没有具体举措、数量、时间或责任人。")
                        % {"ground": ReturnReason.NOT_CONCRETE.label, "item": _excerpt(measure_text, 30)},
                        items=(str(item.uid),),
                    )
                )
            if "measures" in fields and not item.measures.strip():
                findings.append(
                    error(
                        _("问题没有明确整改措施：%(item)s") % {"item": _label(item)}, items=(str(item.uid),)
                    )
                )
    return findings


@register(
    "targeted",
    ReturnReason.NOT_TARGETED,
    gettext_lazy("问题与措施一一对应，针对性强"),
    quote="对存在的“为官不为”问题也要有针对性地制定整改措施。",
    applies=lambda subject: (
        any(s.addresses for s in subject.structure.sections) or subject.kind == DocumentKind.INDIVIDUAL
    ),
)
def targeted(subject):
    """Every problem has a measure against it and every measure names its problem;
    an individual's "为官不为" problems have measures of their own."""
    findings = []
    filled = dict((section.code, items) for section, items in subject.lists)
    for section, items in subject.lists:
        if not section.addresses:
            continue
        problems = filled.get(section.addresses, [])
        addressed = {problem.pk for item in items for problem in linked(item, "addresses")}
        for problem in problems:
            if problem.pk not in addressed:
                findings.append(
                    error(
                        _("%(ground)s：问题“%(item)s”没有对应的整改措施。")
                        % {"ground": ReturnReason.NOT_TARGETED.label, "item": _excerpt(problem.text)},
                        items=(str(problem.uid),),
                    )
                )
        for item in items:
            if problems and not linked(item, "addresses") and item.category != "special_and_institutions":
                findings.append(
                    hint(
                        _("整改措施“%(item)s”没有注明针对哪条问题。") % {"item": _excerpt(item.text)},
                        items=(str(item.uid),),
                    )
                )
    if subject.kind == DocumentKind.INDIVIDUAL:
        problems = [p for p in filled.get("problems", []) if p.inaction]
        if problems and not any(m.inaction for m in filled.get("measures", [])):
            findings.append(
                error(
                    _("列出了“为官不为”问题，但没有针对性的整改措施。"),
                    items=tuple(str(p.uid) for p in problems),
                )
            )
    return findings


@register(
    "owner",
    ReturnReason.NO_OWNER,
    gettext_lazy("每条措施明确责任人、责任单位"),
    quote="整个整改方案的落实由主要领导负总责，按照归口认领、个人担责、牵头整改的原则，"
    "逐条落实到班子成员头上，明确整改责任人、责任单位。",
    applies=lambda subject: any(
        "owner" in s.fields or "unit" in s.fields for s in subject.structure.sections if s.is_list
    ),
)
def owner(subject):
    """Every measure names who carries it out: a person, or for a task a unit. A team
    plan's measure is 落实到班子成员头上: its 责任人 is a member of the team or a unit
    (a warning otherwise), and where the section asks for a 责任单位 too, one is named."""
    findings = []
    for section, items in subject.lists:
        fields = section.fields
        for item in items:
            named = item.owner_id or item.owner_text.strip()
            if "owner" in fields and not named:
                findings.append(
                    error(
                        _("%(ground)s：%(item)s")
                        % {"ground": ReturnReason.NO_OWNER.label, "item": _label(item)},
                        items=(str(item.uid),),
                    )
                )
            if "unit" in fields and "owner" not in fields and not item.unit.strip():
                findings.append(
                    error(_("没有明确责任主体：%(item)s") % {"item": _label(item)}, items=(str(item.uid),))
                )
            if not named or "owner" not in fields:
                continue
            if subject.kind == DocumentKind.TEAM_PLAN:
                findings.extend(_not_of_the_team(subject, item))
            if "unit" in fields and not item.unit.strip() and not _names_a_unit(item.owner_text):
                findings.append(
                    hint(_("没有明确责任单位：%(item)s") % {"item": _label(item)}, items=(str(item.uid),))
                )
    return findings


# A 责任人 that names a body rather than a person: 县委办, 县纪委, 县财政局, 星沙街道 …
UNIT_NAME = re.compile(
    r"(?:委员会|委|办公室|办|局|部|院|厅|中心|公司|所|站|队|室|处|科|组|会|府|馆|社|庭|署|团|联|校|街道|乡|镇|村|社区)$"
)
# Several owners in one cell: "夏海波、欧阳明辉", "县委办，县财政局".
OWNERS_SPLIT = re.compile(r"[、，,；;/／\s]+")


def _names_a_unit(text):
    parts = [part for part in OWNERS_SPLIT.split(text.strip()) if part]
    return bool(parts) and all(UNIT_NAME.search(part) for part in parts)


def _not_of_the_team(subject, item):
    """A team plan's 责任人 who is neither a member of the team nor a unit, as a warning
    naming the row: 逐条落实到班子成员头上 (section 二)."""
    members = subject.members
    if item.owner_id:
        if item.owner_id in members:
            return []
        strangers = [item.owner.name]
    else:
        strangers = [
            part
            for part in OWNERS_SPLIT.split(item.owner_text.strip())
            if part and not UNIT_NAME.search(part) and not any(name in part for name in members.values())
        ]
    if not strangers:
        return []
    return [
        hint(
            _("责任人“%(who)s”不是本班子成员，也不是单位：%(item)s。整改措施要逐条落实到班子成员头上。")
            % {"who": "、".join(strangers), "item": _label(item)},
            items=(str(item.uid),),
        )
    ]


@register(
    "deadline",
    ReturnReason.NO_DEADLINE,
    gettext_lazy("每条措施明确整改时限"),
    quote="明确整改落实的路线图、任务书、责任人和时间表",
)
def deadline(subject):
    """Every measure has a deadline, a date or words such as 长期坚持 (the phased tasks
    of 第二块 are dated by their phase); a dated one falls after the plan's date and
    within DEADLINE_HORIZON_YEARS of it."""
    findings = []
    dated = subject.document.dated
    start = dated or dt.date(CAMPAIGN_YEAR, 1, 1)
    horizon = _years_after(dated or dt.date(CAMPAIGN_YEAR, 12, 31), DEADLINE_HORIZON_YEARS)
    for section, items in subject.lists:
        if "deadline" not in section.fields:
            continue
        for item in items:
            if not (item.deadline or item.deadline_text.strip()):
                if section.code != "phase_tasks":
                    findings.append(
                        error(
                            _("%(ground)s：%(item)s")
                            % {"ground": ReturnReason.NO_DEADLINE.label, "item": _label(item)},
                            items=(str(item.uid),),
                        )
                    )
                continue
            written = item.deadline_text or chinese_date(item.deadline)
            if item.deadline and item.deadline < start:
                since = (
                    _("方案日期%(date)s") % {"date": chinese_date(dated)}
                    if dated
                    else _("%(year)d年") % {"year": CAMPAIGN_YEAR}
                )
                findings.append(
                    hint(
                        _("整改时限“%(deadline)s”早于%(since)s，请核对：%(item)s")
                        % {"deadline": written, "since": since, "item": _label(item)},
                        items=(str(item.uid),),
                    )
                )
            elif item.deadline and item.deadline > horizon:
                findings.append(
                    hint(
                        _("整改时限“%(deadline)s”远在方案日期%(n)d年以后，请核对年份：%(item)s")
                        % {"deadline": written, "n": DEADLINE_HORIZON_YEARS, "item": _label(item)},
                        items=(str(item.uid),),
                    )
                )
    return findings


def _years_after(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# An incomplete document --------------------------------------------------------------


@register(
    "complete",
    INCOMPLETE,
    gettext_lazy("各部分内容完整"),
    quote="总体要按照六大块来制定。",
)
def complete(subject):
    """Every required block written, every category of a list used, no blank rows."""
    findings = []
    for section in subject.structure.sections:
        items = subject.sections.get(section.code, [])
        if section.single:
            if section.required and not (items and items[0].text.strip()):
                findings.append(error(_("缺少“%(title)s”。") % {"title": section.title}))
            continue
        filled = [item for item in items if _item_filled(item)]
        if section.required and not filled:
            findings.append(error(_("“%(title)s”还没有内容。") % {"title": section.title}))
            continue
        for category in section.categories:
            if not any(item.category == category for item in filled):
                findings.append(
                    error(
                        _("“%(title)s”缺少%(category)s的内容。")
                        % {"title": section.title, "category": CATEGORY_SHORT[category]}
                    )
                )
        empty = [item for item in items if not _item_filled(item)]
        if empty:
            findings.append(
                hint(
                    _("“%(title)s”有 %(n)d 条空白，提交前请填写或删除。")
                    % {"title": section.title, "n": len(empty)},
                    items=tuple(str(item.uid) for item in empty),
                )
            )
    return findings


@register(
    "meeting",
    INCOMPLETE,
    gettext_lazy("党委书记主持制定，常委会议集体研究讨论"),
    quote="市州、县市区委领导班子整改方案由党委书记主持制定，召开常委会议集体研究讨论。",
    applies=lambda subject: subject.party_committee_plan,
)
def meeting(subject):
    document = subject.document
    findings = []
    if not document.presided_by_secretary:
        findings.append(error(_("须注明由党委书记主持制定。")))
    if not (document.meeting_name.strip() and document.meeting_date):
        findings.append(error(_("须注明集体研究讨论的常委会议名称和日期。")))
    return findings


@register(
    "attachments",
    INCOMPLETE,
    gettext_lazy("专项整治工作方案、制度建设计划作为附件"),
    quote="要专门形成专项整治工作方案和制度建设计划，并作为领导班子整改方案的附件上报",
    applies=lambda subject: subject.party_committee_plan,
)
def attachments(subject):
    """Each attachment passes its own checks."""
    return [
        error(
            _("附件《%(title)s》尚有 %(n)d 项未通过检查。")
            % {"title": attachment.title, "n": len(result.errors)}
        )
        for attachment, result in subject.attachments
        if not result.passed
    ]


@register(
    "catalogue",
    INCOMPLETE,
    gettext_lazy("纳入中央新增7个项目和基层干部不正之风问题"),
    quote="并把中央新增加、我省尚未纳入专项整治的7个项目，以及中组发〔2014〕13号和湘组发〔2014〕9号文件明确的"
    "整治村及社区等基层干部办事不公、损害群众利益等违法违纪行为特别是涉黑涉恶问题，纳入专项整治范围",
    applies=lambda subject: subject.kind == DocumentKind.SPECIAL_RECTIFICATION,
)
def catalogue(subject):
    """附件1 takes in every task of the catalogue marked required."""
    chosen = {item.special_task_id for item in subject.sections.get("tasks", []) if item.special_task_id}
    missing = SpecialTask.objects.filter(required=True).exclude(pk__in=chosen).order_by("batch", "position")
    return [
        error(
            _("须纳入专项整治范围：%(task)s（%(batch)s）")
            % {"task": task.name, "batch": Batch(task.batch).label}
        )
        for task in missing
    ]


# Helpers ---------------------------------------------------------------------------------


def is_vague(text):
    """A measure made only of general phrases, with no action, quantity, date or name."""
    text = text.strip()
    return bool(text) and bool(VAGUE.search(text)) and not CONCRETE.search(text)


def _excerpt(text, length=24):
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length] + "…"


def _label(item):
    """An item as a finding names it: the start of its text, measures or task."""
    return _excerpt(item.text or item.measures or (item.special_task.name if item.special_task_id else ""))


def _item_filled(item):
    return bool(item.text.strip() or item.measures.strip() or item.special_task_id)
