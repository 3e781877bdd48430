"""Importing a spreadsheet into a document, on the tasks worker.

    upload(user, document, file) -> Import     keep the file, queue its reading
    read_task(import_id)                       (worker) read and check it: the preview
    confirm(user, an_import)                   claim the preview, queue its writing
    write_task(import_id)                      (worker) write every row in one transaction
    prune() / pruned                           forget old imports and their files

An Import goes queued → reading → preview | refused, and once confirmed → writing →
done | failed. The file is kept through Django's storage (any server's worker reads it);
the preview is kept on the Import, never in the session. Each task claims its Import
with a conditional update, so a task run twice does its work once.

What protected the confirmation in the request protects it here: the confirmation
carries the Import's key (rectify/once.py: sent twice, it is answered as the first was);
only the user's latest upload for the document may be confirmed; the document must be
as it was at the upload (its updated_at), checked when confirming and again, under the
document's lock, when writing. A write that fails leaves the document as it was and says
why on the Import.

Progress is what other connections can see: the reading reports the rows read as it
goes (outside any transaction); the writing is one transaction, so its page says how
many rows are being written, not how far it has got.
"""

import datetime as dt
import logging

from django.core.cache import cache
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.record import record
from orgs import policy
from orgs.policy import Right

from . import spreadsheets
from .models import Import, ImportState
from .sheets.importing import stale_preview

logger = logging.getLogger(__name__)

S = ImportState
IN_PROGRESS = (S.QUEUED, S.READING, S.CONFIRMED, S.WRITING)
# Imports are kept this long after their upload, file and preview with them.
RETENTION = dt.timedelta(days=7)
# A reading or a writing that has said nothing for this long was cut off (the worker
# stopped): a writing's transaction rolled back with it, so nothing of it was written.
STALLED = dt.timedelta(hours=1)
PRUNE_EVERY = dt.timedelta(hours=1)
PRUNE_QUEUED = "plans.imports.prune_queued"


class NotConfirmed(spreadsheets.SheetError):
    """A confirmation refused; .message says why, in Chinese."""


def latest(user, document):
    """USER's latest upload for DOCUMENT, or None."""
    return Import.objects.filter(user=user, document=document).defer("reading").order_by("-id").first()


def superseded(an_import):
    """Whether a later upload of the same user for the same document replaced AN_IMPORT."""
    return Import.objects.filter(
        user_id=an_import.user_id, document_id=an_import.document_id, pk__gt=an_import.pk
    ).exists()


def upload(user, document, file):
    """Keep FILE (an uploaded .xlsx) for USER's import into DOCUMENT and queue its
    reading once the transaction commits. A file over MAX_BYTES raises SheetError and
    nothing is kept."""
    if file.size > spreadsheets.MAX_BYTES:
        raise spreadsheets.SheetError(
            _("文件太大（%(size).1f MB），上限是 %(limit)d MB。")
            % {"size": spreadsheets.megabytes(file.size), "limit": spreadsheets.MAX_MEGABYTES}
        )
    name = (file.name or "").rsplit("/", 1)[-1][:255] or "import.xlsx"
    an_import = Import(document=document, user=user, name=name, stamp=document.updated_at)
    # The stored name is generated: the uploaded one says nothing the storage should trust.
    an_import.file.save(f"{an_import.key}.xlsx", file, save=False)
    an_import.save()
    transaction.on_commit(lambda: read_task.enqueue(an_import.pk))
    if cache.add(PRUNE_QUEUED, True, timeout=PRUNE_EVERY.total_seconds()):
        transaction.on_commit(pruned.enqueue, robust=True)
    return an_import


def _claim(pk, was, becomes):
    return Import.objects.filter(pk=pk, state=was).update(state=becomes, changed_at=timezone.now()) == 1


def _finish(pk, state, **values):
    now = timezone.now()
    Import.objects.filter(pk=pk).update(state=state, finished_at=now, changed_at=now, **values)


@task()
def read_task(import_id):
    """Read and check an Import's file into its preview, saying how many rows it has
    read; a file that cannot be imported is refused with the reason."""
    if not _claim(import_id, S.QUEUED, S.READING):
        return
    an_import = Import.objects.select_related("document__team__org").get(pk=import_id)

    def progress(read, total):
        Import.objects.filter(pk=import_id).update(read=read, total=total, changed_at=timezone.now())

    try:
        with an_import.file.open("rb") as stored:
            data = stored.read()
        reading = spreadsheets.read_workbook(data, on_progress=progress)
        reading.errors = spreadsheets.check_reading(an_import.document, reading)
    except spreadsheets.SheetError as error:
        _finish(import_id, S.REFUSED, message=str(error.message))
        return
    except Exception:
        _finish(import_id, S.REFUSED, message=_("读取文件时出错，没有导入任何内容。请检查文件后重新上传。"))
        raise
    Import.objects.filter(pk=import_id).update(
        state=S.PREVIEW,
        reading=reading.as_json(rows=True),
        count=len(reading.items),
        changed_at=timezone.now(),
    )


def confirm(user, an_import):
    """Claim AN_IMPORT's preview for writing and queue the write once the transaction
    commits. Raises NotConfirmed (nothing changed but the Import's refusal) if it is not
    a preview any more, a later upload replaced it, or the document changed since."""
    if an_import.state != S.PREVIEW:
        raise NotConfirmed(_("没有待导入的内容（可能已经导入过）。请重新上传文件。"))
    if superseded(an_import):
        raise NotConfirmed(
            _("这份预览已被之后上传的文件替换，没有导入。请重新上传要导入的文件，核对预览后再确认。")
        )
    document = an_import.document
    if document.updated_at != an_import.stamp:
        _finish(an_import.pk, S.FAILED, message=str(stale_preview()))
        raise NotConfirmed(stale_preview())
    if not _claim(an_import.pk, S.PREVIEW, S.CONFIRMED):
        raise NotConfirmed(_("没有待导入的内容（可能已经导入过）。请重新上传文件。"))
    transaction.on_commit(lambda: write_task.enqueue(an_import.pk))


@task()
def write_task(import_id):
    """Write a confirmed Import's rows into its document in one transaction, and mark it
    done in the same one; whatever stops it leaves the document as it was and says why."""
    if not _claim(import_id, S.CONFIRMED, S.WRITING):
        return
    an_import = Import.objects.select_related("user", "document__team__org").get(pk=import_id)
    try:
        if not policy.can(an_import.user, Right.FILE, an_import.document):
            raise spreadsheets.SheetError(
                _("《%(title)s》%(status)s，现在不能修改。")
                % {"title": an_import.document.title, "status": an_import.document.get_status_display()}
                if not an_import.document.editable
                else _("您不是本文件的填报人，不能修改。")
            )
        reading = spreadsheets.Reading.from_json(an_import.reading)
        with transaction.atomic():
            count = spreadsheets.import_reading(
                an_import.user, an_import.document, reading, stamp=an_import.stamp
            )
            record(
                an_import.user,
                Action.IMPORTED,
                org_id=an_import.document.team.org_id,
                document_id=an_import.document_id,
                subject=an_import.document.title,
                subject_type="import",
                subject_id=an_import.pk,
                after={"file": an_import.name, "rows": count},
            )
            _finish(import_id, S.DONE, count=count)
    except spreadsheets.SheetError as error:
        _finish(import_id, S.FAILED, message=str(error.message))
    except Exception:
        _finish(import_id, S.FAILED, message=_("写入时出错，没有导入任何内容。请稍后重新上传并确认。"))
        raise


def prune(now=None):
    """Forget the imports uploaded longer than RETENTION ago, their files with them, and
    say of a reading or a writing stalled longer than STALLED that it was cut off;
    return how many were forgotten."""
    now = now or timezone.now()
    stalled = Import.objects.filter(changed_at__lt=now - STALLED)
    stalled.filter(state__in=(S.QUEUED, S.READING)).update(
        state=S.REFUSED,
        finished_at=now,
        changed_at=now,
        message=_("读取被中断，没有导入任何内容。请重新上传文件。"),
    )
    stalled.filter(state__in=(S.CONFIRMED, S.WRITING)).update(
        state=S.FAILED,
        finished_at=now,
        changed_at=now,
        message=_("写入被中断，没有导入任何内容。请重新上传并确认。"),
    )
    old = list(Import.objects.filter(created_at__lt=now - RETENTION).only("pk", "file"))
    for an_import in old:
        if an_import.file:
            an_import.file.delete(save=False)
    Import.objects.filter(pk__in=[an_import.pk for an_import in old]).delete()
    return len(old)


@task()
def pruned():
    """prune() on the tasks worker."""
    return prune()
