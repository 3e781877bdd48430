"""The published PDFs, from the approved version only (publication.frozen):

    document_pdf(publication)  -> bytes, the document in its official layout (plans/pdf.py)
    notice_pdf(publication)    -> bytes, the one-page 公示 of a grassroots list for the
                                  village notice board: the problems, measures, owners and
                                  deadlines, the date, and where to give opinions

WeasyPrint loads nothing but our own static files (rectify.fetcher); user text reaches the
templates only as text.
"""

from django.template.loader import render_to_string
from weasyprint import HTML

from plans.words import ITEM_FIELDS, NUMBER, text_label
from rectify.dates import chinese_date
from rectify.fetcher import BASE_URL, StaticFetcher

from . import frozen
from .words import NOTICE_INTRO, NOTICE_OPINIONS, NOTICE_PERIOD, NOTICE_TITLE


def _render(html):
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFetcher()).write_pdf()


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


def filename(publication, notice=False):
    name = frozen.pdf.pdf_filename(publication.document)
    return name.replace(".pdf", "公示.pdf") if notice else name
