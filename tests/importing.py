"""Importing a spreadsheet over HTTP as the pages do it: the upload, then the import's
page once the worker has read the file; the confirmation, then the page once the worker
has written it. Tasks run at commit (tests/conftest.py); a test's transaction never
commits, so the commits are captured and their callbacks run here."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from plans.models import Import

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def worked(post):
    """POST() with whatever it queued run, then its redirect followed; or its answer."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = post()
    if response.status_code != 302:
        return response
    return response.client.get(response["Location"])


def upload(client, document, data, name="清单.xlsx"):
    """Upload DATA as NAME; the page of the import once the worker has read it (or the
    upload form, refused)."""
    url = reverse("plans:import", args=[document.pk])
    return worked(lambda: client.post(url, {"file": SimpleUploadedFile(name, data, content_type=XLSX)}))


def latest(document):
    return Import.objects.filter(document=document).order_by("-id").first()


def confirm_url(an_import):
    return reverse("plans:import_confirm", args=[an_import.document_id, an_import.pk])


def confirm(client, document, key=None, an_import=None):
    """Press 确认导入 on the preview of the latest import of DOCUMENT (or AN_IMPORT): the
    form carries the import's key (or KEY). The page it leads to once the worker wrote."""
    an_import = an_import or latest(document)
    key = str(an_import.key) if key is None else key
    return worked(lambda: client.post(confirm_url(an_import), {"once": key}))
