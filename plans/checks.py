"""Checks before submission, worded as the notice's grounds for returning a plan.

`check(document)` is the one function both the filer's checklist and the reviewers
call. Each rule yields findings; an error blocks submission, a hint only warns. The
return grounds are those of section 四 (domain.md `return_reason`): 没有做到“四个回应”,
整改措施不具体, 针对性不强, 没有具体明确整改责任人, 没有具体明确整改时限; an
incomplete document (an empty block, a missing meeting or attachment) is an error too.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .documents import attachments_of, items_by_section, responses
from .models import Batch, DocumentKind, SpecialTask
from .structure import STRUCTURES, is_party_committee_plan
from .words import CATEGORY_SHORT, INCOMPLETE, ReturnReason

ERROR = "error"
HINT = "hint"

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
    reason: str
    severity: str
    message: str
    items: tuple = ()  # uids of the items concerned
    inputs: tuple = ()  # uids of the inputs concerned
    source: str | None = None


@dataclass(frozen=True)
class Rule:
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
        uid = str(uid)
        return [f for f in self.findings if uid in f.items]


def is_vague(text):
    """A measure made only of general phrases, with no action, quantity, date or name."""
    text = text.strip()
    return bool(text) and bool(VAGUE.search(text)) and not CONCRETE.search(text)


def _excerpt(text, length=24):
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length] + "…"


def _has_owner(item):
    return bool(item.owner_id or item.owner_text.strip())


def _has_deadline(item):
    return bool(item.deadline or item.deadline_text.strip())


def check(document):
    structure = STRUCTURES[document.kind]
    sections = items_by_section(document)
    checklist = Checklist(document)
    add = checklist.rules.append

    # 四个回应 ------------------------------------------------------------------
    if structure.needs_four_responses:
        for response in responses(document):
            findings = []
            if response.unanswered:
                findings.append(
                    Finding(
                        f"four_responses:{response.source}",
                        ReturnReason.FOUR_RESPONSES,
                        ERROR,
                        _(
                            "没有做到“四个回应”：%(source)s有 %(n)d 条既未列入问题清单、也没有书面说明：%(which)s"
                        )
                        % {
                            "source": response.label,
                            "n": len(response.unanswered),
                            "which": "；".join(_excerpt(entry.text) for entry in response.unanswered[:5]),
                        },
                        inputs=tuple(str(entry.uid) for entry in response.unanswered),
                        source=response.source,
                    )
                )
            elif not response.total:
                findings.append(
                    Finding(
                        f"four_responses:{response.source}",
                        ReturnReason.FOUR_RESPONSES,
                        HINT,
                        _("尚未登记%(source)s，无法核对是否回应。") % {"source": response.label},
                        source=response.source,
                    )
                )
            add(
                Rule(
                    f"four_responses:{response.source}",
                    _("回应%(source)s（%(answered)d/%(total)d）")
                    % {
                        "source": response.label,
                        "answered": response.answered + response.explained,
                        "total": response.total,
                    },
                    tuple(findings),
                )
            )

    # Completeness: every block written, every category used ------------------
    findings = []
    for section in structure.sections:
        items = sections.get(section.code, [])
        if section.single:
            if section.required and not (items and items[0].text.strip()):
                findings.append(
                    Finding("complete", INCOMPLETE, ERROR, _("缺少“%(title)s”。") % {"title": section.title})
                )
            continue
        filled = [item for item in items if _item_filled(item)]
        if section.required and not filled:
            findings.append(
                Finding(
                    "complete", INCOMPLETE, ERROR, _("“%(title)s”还没有内容。") % {"title": section.title}
                )
            )
            continue
        for category in section.categories:
            if not any(item.category == category for item in filled):
                findings.append(
                    Finding(
                        "complete",
                        INCOMPLETE,
                        ERROR,
                        _("“%(title)s”缺少%(category)s的内容。")
                        % {"title": section.title, "category": CATEGORY_SHORT[category]},
                    )
                )
        empty = [item for item in items if not _item_filled(item)]
        if empty:
            findings.append(
                Finding(
                    "complete",
                    INCOMPLETE,
                    HINT,
                    _("“%(title)s”有 %(n)d 条空白，提交前请填写或删除。")
                    % {"title": section.title, "n": len(empty)},
                    items=tuple(str(item.uid) for item in empty),
                )
            )
    add(Rule("complete", _("各部分内容完整"), tuple(findings)))

    # 责任人, 时限, 具体, 针对性 ----------------------------------------------------
    owners, deadlines, vague, targeted = [], [], [], []
    for section in structure.sections:
        if section.single:
            continue
        items = [item for item in sections.get(section.code, []) if _item_filled(item)]
        fields = section.fields
        for item in items:
            label = _excerpt(
                item.text or item.measures or (item.special_task.name if item.special_task_id else "")
            )
            if "owner" in fields and not _has_owner(item):
                owners.append(
                    Finding(
                        "owner",
                        ReturnReason.NO_OWNER,
                        ERROR,
                        _("没有具体明确整改责任人：%(item)s") % {"item": label},
                        items=(str(item.uid),),
                    )
                )
            if "unit" in fields and "owner" not in fields and not item.unit.strip():
                owners.append(
                    Finding(
                        "owner",
                        ReturnReason.NO_OWNER,
                        ERROR,
                        _("没有明确责任主体：%(item)s") % {"item": label},
                        items=(str(item.uid),),
                    )
                )
            if "deadline" in fields and section.code != "phase_tasks" and not _has_deadline(item):
                deadlines.append(
                    Finding(
                        "deadline",
                        ReturnReason.NO_DEADLINE,
                        ERROR,
                        _("没有具体明确整改时限：%(item)s") % {"item": label},
                        items=(str(item.uid),),
                    )
                )
            measure_text = item.measures if "measures" in fields else item.text
            if (section.addresses or "measures" in fields) and is_vague(measure_text):
                vague.append(
                    Finding(
                        "concrete",
                        ReturnReason.NOT_CONCRETE,
                        HINT,
                        _("整改措施不具体：“%(item)s”只有原则性表述，没有具体举措、数量、时间或责任人。")
                        % {"item": _excerpt(measure_text, 30)},
                        items=(str(item.uid),),
                    )
                )
            if "measures" in fields and not item.measures.strip():
                vague.append(
                    Finding(
                        "concrete",
                        ReturnReason.NOT_CONCRETE,
                        ERROR,
                        _("问题没有明确整改措施：%(item)s") % {"item": label},
                        items=(str(item.uid),),
                    )
                )
        if section.addresses:
            problems = [p for p in sections.get(section.addresses, []) if _item_filled(p)]
            addressed = {problem.pk for item in items for problem in item.addresses.all()}
            for problem in problems:
                if problem.pk not in addressed:
                    targeted.append(
                        Finding(
                            "targeted",
                            ReturnReason.NOT_TARGETED,
                            ERROR,
                            _("针对性不强：问题“%(item)s”没有对应的整改措施。")
                            % {"item": _excerpt(problem.text)},
                            items=(str(problem.uid),),
                        )
                    )
            for item in items:
                if problems and not item.addresses.all() and item.category != "special_and_institutions":
                    targeted.append(
                        Finding(
                            "targeted",
                            ReturnReason.NOT_TARGETED,
                            HINT,
                            _("整改措施“%(item)s”没有注明针对哪条问题。") % {"item": _excerpt(item.text)},
                            items=(str(item.uid),),
                        )
                    )
    if document.kind == DocumentKind.INDIVIDUAL:
        problems = [p for p in sections.get("problems", []) if _item_filled(p) and p.inaction]
        measures = [m for m in sections.get("measures", []) if _item_filled(m) and m.inaction]
        if problems and not measures:
            targeted.append(
                Finding(
                    "targeted",
                    ReturnReason.NOT_TARGETED,
                    ERROR,
                    _("列出了“为官不为”问题，但没有针对性的整改措施。"),
                    items=tuple(str(p.uid) for p in problems),
                )
            )
    if _uses_owner(structure):
        add(Rule("owner", _("每条措施明确责任人、责任单位"), tuple(owners)))
    add(Rule("deadline", _("每条措施明确整改时限"), tuple(deadlines)))
    if _addresses(structure) or document.kind == DocumentKind.INDIVIDUAL:
        add(Rule("targeted", _("问题与措施一一对应，针对性强"), tuple(targeted)))
    add(Rule("concrete", _("整改措施具体、可操作"), tuple(vague)))

    # Section 二: the party committee's meeting and attachments -------------------
    if document.kind == DocumentKind.TEAM_PLAN and is_party_committee_plan(document.team):
        findings = []
        if not document.presided_by_secretary:
            findings.append(Finding("meeting", INCOMPLETE, ERROR, _("须注明由党委书记主持制定。")))
        if not (document.meeting_name.strip() and document.meeting_date):
            findings.append(
                Finding("meeting", INCOMPLETE, ERROR, _("须注明集体研究讨论的常委会议名称和日期。"))
            )
        add(Rule("meeting", _("党委书记主持制定，常委会议集体研究讨论"), tuple(findings)))
        findings = []
        for attachment in attachments_of(document):
            result = check(attachment)
            checklist.attachments.append((attachment, result))
            if not result.passed:
                findings.append(
                    Finding(
                        "attachments",
                        INCOMPLETE,
                        ERROR,
                        _("附件《%(title)s》尚有 %(n)d 项未通过检查。")
                        % {"title": attachment.title, "n": len(result.errors)},
                    )
                )
        add(Rule("attachments", _("专项整治工作方案、制度建设计划作为附件"), tuple(findings)))

    if document.kind == DocumentKind.SPECIAL_RECTIFICATION:
        chosen = {item.special_task_id for item in sections.get("tasks", []) if item.special_task_id}
        missing = (
            SpecialTask.objects.filter(required=True).exclude(pk__in=chosen).order_by("batch", "position")
        )
        findings = [
            Finding(
                "catalogue",
                INCOMPLETE,
                ERROR,
                _("须纳入专项整治范围：%(task)s（%(batch)s）")
                % {"task": task.name, "batch": Batch(task.batch).label},
            )
            for task in missing
        ]
        add(Rule("catalogue", _("纳入中央新增7个项目和基层干部不正之风问题"), tuple(findings)))
    return checklist


def _item_filled(item):
    return bool(item.text.strip() or item.measures.strip() or item.special_task_id)


def _uses_owner(structure):
    return any("owner" in s.fields or "unit" in s.fields for s in structure.sections if s.is_list)


def _addresses(structure):
    return any(s.addresses for s in structure.sections)
