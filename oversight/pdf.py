"""The named bulletin (点名通报) as the page shows it and as it prints, in the GB/T 9704
layout of the plans (static/css/official.css):

    printed(bulletin)             -> Printed, what both the page and the PDF show
    kept_pdf(bulletin, retry)     -> rectify.models.Rendering, the print printed once on the
                                     worker and kept (rectify.renderings): for good once
                                     issued, a draft's until what it says changes
    render_bulletin_pdf(bulletin) -> bytes, printed here
    bulletin_filename(bulletin)   -> "湘群办通报〔2014〕1号 关于….pdf"

An issued bulletin prints from its frozen `content` only; a draft from the findings it
gathers now (transitions.content_of), with the 征求意见稿 mark and no number. Its title,
date, opening and closing never change once issued (models.Bulletin refuses).

As for the plans, user text reaches the template only as text, and WeasyPrint loads
nothing but our own static files (rectify.fetcher).
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.tasks import task
from django.template.loader import render_to_string

from plans.pdf import chinese_numeral, paragraphs, pdf_filename
from rectify import renderings
from rectify.dates import chinese_date

from . import transitions
from .models import Bulletin
from .words import (
    ADDRESSEES,
    BODY_INTRO,
    DRAFT_MARK,
    ISSUER,
    ISSUER_LINES,
    ON_ITEM,
    PERSON_SUFFIX,
)

# How much of an item a finding quotes.
QUOTE = 60


@dataclass
class PrintedFinding:
    number: int
    ground_label: str
    severity: str
    severity_label: str
    text: str
    on_item: str = ""
    checker: str = ""


@dataclass
class PrintedBody:
    region: str  # 长沙县
    heading: str  # （一）长沙县：中共长沙县委常委班子
    intro: str  # 抽查《…》，发现以下问题：
    findings: list = field(default_factory=list)


@dataclass
class Printed:
    title: str
    number: str  # "" for a draft
    draft: bool
    date: str
    opening: list
    bodies: list
    closing: list
    issuer: str
    issuer_lines: tuple
    addressees: str
    draft_mark: str  # "" once issued


def _quote(item):
    item = " ".join(item.split())
    return item if len(item) <= QUOTE else item[: QUOTE - 1] + "…"


def _body(number, body):
    name = body["team"]
    if body.get("person"):
        name += str(PERSON_SUFFIX % {"person": body["person"]})
    findings = [
        PrintedFinding(
            number=n,
            ground_label=finding["ground_label"],
            severity=finding["severity"],
            severity_label=finding["severity_label"],
            text=finding["text"],
            on_item=str(ON_ITEM % {"item": _quote(finding["item"])}) if finding.get("item") else "",
            checker=finding.get("checker", ""),
        )
        for n, finding in enumerate(body["findings"], start=1)
    ]
    return PrintedBody(
        region=body["region_name"],
        heading=f"（{chinese_numeral(number)}）{body['region_name']}：{name}",
        intro=str(BODY_INTRO % {"document": body["document"]}),
        findings=findings,
    )


def printed(bulletin):
    """What BULLETIN says, ready to lay out: frozen if issued, as it stands if a draft."""
    content = bulletin.content if bulletin.issued else transitions.content_of(bulletin)
    return Printed(
        title=bulletin.title,
        number=content.get("number", "") if bulletin.issued else "",
        draft=not bulletin.issued,
        date=chinese_date(bulletin.dated),
        opening=paragraphs(bulletin.opening),
        bodies=[_body(n, body) for n, body in enumerate(content["bodies"], start=1)],
        closing=paragraphs(bulletin.closing),
        issuer=str(ISSUER),
        issuer_lines=tuple(str(line) for line in ISSUER_LINES),
        addressees=str(ADDRESSEES),
        draft_mark="" if bulletin.issued else str(DRAFT_MARK),
    )


def render_html(bulletin):
    return render_to_string("oversight/pdf/bulletin.html", {"doc": printed(bulletin)})


def render_bulletin_pdf(bulletin):
    return renderings.write_pdf(render_html(bulletin))


def stamp(bulletin):
    """What changes whenever BULLETIN's print would. An issued bulletin never changes; a
    draft says what its findings say now, so its stamp is a digest of all it prints (the
    same findings the page reads)."""
    if bulletin.issued:
        return "issued"
    said = [
        bulletin.title,
        str(bulletin.dated),
        bulletin.opening,
        bulletin.closing,
        transitions.content_of(bulletin),
    ]
    return (
        "draft-" + hashlib.sha256(json.dumps(said, ensure_ascii=False, default=str).encode()).hexdigest()[:20]
    )


def kept_pdf(bulletin, retry=False):
    subject = f"oversight.bulletin:{bulletin.pk}"
    return renderings.ensure(subject, stamp(bulletin), print_bulletin, bulletin.pk, retry=retry)


@task()
def print_bulletin(rendering_id, bulletin_id):
    renderings.render(rendering_id, lambda: render_html(Bulletin.objects.get(pk=bulletin_id)))


def bulletin_filename(bulletin):
    name = pdf_filename(bulletin)
    if bulletin.issued and bulletin.content:
        return f"{bulletin.content['number']}{name}"
    return f"{DRAFT_MARK}{name}"
