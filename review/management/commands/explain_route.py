import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from orgs.models import AuthorityKind
from plans.words import DocumentKind
from review import routing
from review.management.subject_options import (
    add_subject_arguments,
    describe,
    given_options,
    matches,
    subject_from,
)


def mode_label(mode):
    return _("审阅（通过或退回）") if mode == routing.REVIEW else _("送阅（不影响流转）")


class Command(BaseCommand):
    help = _(
        "按湘群办发〔2014〕31号第四、五部分，说明一类文件由谁、按什么顺序审阅；"
        "--table 列出全部组合，供人工核对。"
    )

    def add_arguments(self, parser):
        add_subject_arguments(parser, _("列出全部组合的审阅顺序（可用上面的选项筛选）"))

    def handle(self, *args, **options):
        given = given_options(options)
        if options["table"]:
            return self.table(given, options["json"])
        return self.one(given, options["json"])

    # One subject ----------------------------------------------------------------

    def one(self, given, as_json):
        subject = subject_from(given)
        try:
            steps = routing.route(subject)
        except routing.Unrouted as error:
            raise CommandError(str(error)) from None
        if as_json:
            self.stdout.write(
                json.dumps({"steps": [step.as_json() for step in steps]}, ensure_ascii=False, indent=2)
            )
            return
        self.stdout.write(describe(subject))
        carried = routing.CARRIED_BY.get(subject.kind)
        if carried:
            self.stdout.write(
                _("作为%(plan)s的附件一并报送、一并审阅，不单独报送。依据：%(basis)s")
                % {"plan": DocumentKind(carried[0]).label, "basis": carried[1]}
            )
        for step in steps:
            self.stdout.write(
                _("第%(stage)d步  %(mode)s  %(authority)s（%(code)s）")
                % {
                    "stage": step.stage,
                    "mode": mode_label(step.mode),
                    "authority": AuthorityKind(step.authority).label,
                    "code": step.authority,
                }
            )
            self.stdout.write("        " + _("依据：%(basis)s") % {"basis": step.basis})

    # The whole table --------------------------------------------------------------

    def table(self, given, as_json):
        rows = [(subject, steps) for subject, steps in routing.table() if matches(subject, given)]
        if as_json:
            data = [
                {"subject": subject.as_json(), "steps": [step.as_json() for step in steps]}
                for subject, steps in rows
            ]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        # Each sentence printed once, at the end; the rows cite it by number.
        notes = {}
        for subject, steps in rows:
            stages = {}
            for step in steps:
                number = notes.setdefault(step.basis, len(notes) + 1)
                mode = _("审阅") if step.mode == routing.REVIEW else _("送阅")
                stages.setdefault(step.stage, []).append(
                    f"{mode}:{AuthorityKind(step.authority).label}[{number}]"
                )
            chain = " → ".join(" + ".join(names) for names in stages.values())
            carried = routing.CARRIED_BY.get(subject.kind)
            if carried:
                number = notes.setdefault(carried[1], len(notes) + 1)
                chain = _("随%(plan)s一并报送[%(note)d]：%(chain)s") % {
                    "plan": DocumentKind(carried[0]).label,
                    "note": number,
                    "chain": chain,
                }
            self.stdout.write(describe(subject))
            self.stdout.write("    " + chain)
        self.stdout.write("")
        self.stdout.write(_("共 %(n)d 种组合。依据：") % {"n": len(rows)})
        for basis, number in notes.items():
            self.stdout.write(f"[{number}] {basis}")
