"""The published PDFs, from the approved version only (publication.frozen):

    document_pdf(publication)  -> bytes, the document in its official layout (plans/pdf.py)
    notice_pdf(publication)    -> bytes, the one-page 公示 of a grassroots list for the
                                  village notice board: the problems, measures, owners and
                                  deadlines, the date, and where to give opinions
    kept_document(publication), kept_notice(publication)
                               -> rectify.models.Rendering, the same printed once on the
                                  worker and kept for good: a snapshot never changes
    prepare(publication)       queue both ahead, as it is published

WeasyPrint loads nothing but our own static files (rectify.fetcher); user text reaches the
templates only as text.
"""

from django.tasks import task
from django.template.loader import render_to_string

from oversight.rules import Scope
from plans.words import ITEM_FIELDS, NUMBER, text_label
from rectify import renderings
from rectify.dates import chinese_date

from . import frozen
from .models import Publication
from .words import NOTICE_INTRO, NOTICE_OPINIONS, NOTICE_PERIOD, NOTICE_TITLE

_render = renderings.write_pdf


def document_html(publication):
    return render_to_string("plans/pdf/document.html", {"doc": frozen.printed(publication)})


def document_pdf(publication):
    return _render(document_html(publication))


def notice_html(publication, rows):
    snapshot = publication.version.snapshot
    unit = snapshot.get("unit_name") or publication.document.team.name
    return render_to_string(
        "publication/pdf/notice.html",
        {
            "title": NOTICE_TITLE % {"title": snapshot.get("title", "")},
            "intro": NOTICE_INTRO,
            "headers": (
                NUMBER,
                text_label("problems"),
                *(ITEM_FIELDS[name] for name in ("measures", "owner", "deadline")),
            ),
            "rows": rows,
            "unit": unit,
            "opinions": NOTICE_OPINIONS % {"unit": unit},
            "period": NOTICE_PERIOD % {"date": chinese_date(publication.published_on)},
            "date": chinese_date(publication.published_on),
        },
    )


def notice_pdf(publication, rows):
    return _render(notice_html(publication, rows))


def _published(publication_id):
    return Publication.objects.select_related("document__team", "version").get(pk=publication_id)


# A publication prints its frozen version, so one stamp serves for good.
def kept_document(publication, retry=False):
    subject = f"publication.document:{publication.pk}"
    return renderings.ensure(
        subject, f"v{publication.version_id}", print_document, publication.pk, retry=retry
    )


def kept_notice(publication, retry=False):
    subject = f"publication.notice:{publication.pk}"
    return renderings.ensure(subject, f"v{publication.version_id}", print_notice, publication.pk, retry=retry)


def prepare(publication):
    """Queue the publication's PDFs, so the first reader finds them printed: those of the
    public site only (an internal publication has none to read)."""
    if publication.scope not in (Scope.PUBLIC, Scope.MASSES):
        return
    kept_document(publication)
    if publication.scope == Scope.MASSES:
        kept_notice(publication)


@task()
def print_document(rendering_id, publication_id):
    renderings.render(rendering_id, lambda: document_html(_published(publication_id)))


@task()
def print_notice(rendering_id, publication_id):
    def build():
        publication = _published(publication_id)
        return notice_html(publication, frozen.measures(publication.version.snapshot))

    renderings.render(rendering_id, build)


def filename(publication, notice=False):
    name = frozen.pdf.pdf_filename(publication.document)
    return name.replace(".pdf", "公示.pdf") if notice else name
