import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from orgs.models import AuthorityKind
from oversight import rules
from plans.words import DocumentKind
from review import routing
from review.management.subject_options import (
    add_subject_arguments,
    describe,
    given_options,
    matches,
    subject_from,
)


def how_much(check):
    """抽查 or, where the notice sets a share, 按20%左右的比例."""
    if check.share is None:
        return _("抽查")
    return _("按%(percent)d%%左右的比例调阅") % {"percent": round(check.share * 100)}


def scope_label(publication):
    return f"{rules.Scope(publication.scope).label}（{publication.scope}）"


def as_json(checks, publication):
    return {"checks": [check.as_json() for check in checks], "publication": publication.as_json()}


class Command(BaseCommand):
    help = _(
        "按湘群办发〔2014〕31号第五、六、七部分，说明一类文件由哪些机构抽查、在什么范围公开；"
        "--table 列出全部组合，供人工核对。"
    )

    def add_arguments(self, parser):
        add_subject_arguments(parser, _("列出全部组合的抽查机构和公开范围（可用上面的选项筛选）"))

    def handle(self, *args, **options):
        given = given_options(options)
        if options["table"]:
            return self.table(given, options["json"])
        return self.one(given, options["json"])

    # One subject ----------------------------------------------------------------

    def one(self, given, as_json_output):
        subject = subject_from(given)
        try:
            checks, publication = rules.checks(subject), rules.publication(subject)
        except rules.Unchecked as error:
            raise CommandError(str(error)) from None
        if as_json_output:
            self.stdout.write(json.dumps(as_json(checks, publication), ensure_ascii=False, indent=2))
            return
        self.stdout.write(describe(subject))
        carried = routing.CARRIED_BY.get(subject.kind)
        if carried:
            self.stdout.write(
                _("作为%(plan)s的附件，随方案一并抽查、一并公开。依据：%(basis)s")
                % {"plan": DocumentKind(carried[0]).label, "basis": carried[1]}
            )
        if not checks:
            self.stdout.write(_("抽查：第五、六部分未列入抽查范围（由审阅机构逐级把关）。"))
        for check in checks:
            self.stdout.write(
                _("抽查  %(authority)s（%(code)s）  %(how)s")
                % {
                    "authority": AuthorityKind(check.authority).label,
                    "code": check.authority,
                    "how": how_much(check),
                }
            )
            self.stdout.write("        " + _("依据：%(basis)s") % {"basis": check.basis})
        self.stdout.write(_("公开  %(scope)s") % {"scope": scope_label(publication)})
        self.stdout.write("        " + _("依据：%(basis)s") % {"basis": publication.basis})

    # The whole table --------------------------------------------------------------

    def table(self, given, as_json_output):
        rows = [row for row in rules.table() if matches(row[0], given)]
        if as_json_output:
            data = [
                {"subject": subject.as_json(), **as_json(checks, publication)}
                for subject, checks, publication in rows
            ]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        # Each sentence printed once, at the end; the rows cite it by number.
        notes = {}
        for subject, checks, publication in rows:
            bodies = []
            for check in checks:
                number = notes.setdefault(check.basis, len(notes) + 1)
                share = "" if check.share is None else f"（{round(check.share * 100)}%）"
                bodies.append(f"{AuthorityKind(check.authority).label}{share}[{number}]")
            number = notes.setdefault(publication.basis, len(notes) + 1)
            published = f"{rules.Scope(publication.scope).label}[{number}]"
            carried = routing.CARRIED_BY.get(subject.kind)
            if carried:
                number = notes.setdefault(carried[1], len(notes) + 1)
                published += _("，随%(plan)s[%(note)d]") % {
                    "plan": DocumentKind(carried[0]).label,
                    "note": number,
                }
            self.stdout.write(describe(subject))
            self.stdout.write("    " + _("抽查：%(bodies)s") % {"bodies": " + ".join(bodies) or _("无")})
            self.stdout.write("    " + _("公开：%(scope)s") % {"scope": published})
        self.stdout.write("")
        self.stdout.write(_("共 %(n)d 种组合。依据：") % {"n": len(rows)})
        for basis, number in notes.items():
            self.stdout.write(f"[{number}] {basis}")
