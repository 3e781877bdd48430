"""PDFs printed once on the tasks worker and kept (rectify.models.Rendering).

WeasyPrint takes about a second and 250 MB or more for a long plan, and a Python process
keeps what it grew to. So no web request prints: a view asks for the PDF of a thing at a
stamp of its content, and either serves the kept file or answers a small page that waits
for it. The worker builds the HTML (the database work) in its own process and hands it to
a child forked for this one PDF, which prints and exits: its memory goes back with it.

    ensure(subject, stamp, task, *args, retry=False) -> Rendering
        the rendering of SUBJECT ("plans.document:12") at STAMP (what changes whenever the
        print would: a draft's revisions; nothing for a frozen version), created and queued
        on TASK(rendering.pk, *args) once the transaction commits if it was not there; a
        failed (or stuck) one is queued again when RETRY. Two servers or a double click
        asking at once find the same row (the key is unique), so it prints once.
    answer(request, rendering, filename, ...) -> HttpResponse
        the kept PDF (inline, as FILENAME); while it is printed a page "正在生成PDF……"
        that asks again (htmx, `?wait=1` on the same address, so each view's own scoped
        getter answers the poll too) and opens the PDF when it is ready; if printing
        failed, a message and a link that asks again (`?retry=1`).
    render(rendering_id, build_html)
        the body of each app's task: claim the row (once), build the HTML here, print it in
        a child, keep the file through the default storage, mark it ready and prune the
        older renderings of the same subject (a draft's superseded prints).
    write_pdf(html) -> bytes
        WeasyPrint on our HTML with our fetcher (rectify.fetcher) and the deployment's
        fonts (rectify.fonts), its Chinese lines filling the text area (rectify.justify)
        and its tables' merged cells said again on each page (rectify.continued), in this
        process: what
        the child runs, and what tests and the bench call directly.

Immutable things (an approved version's print, a publication's frozen snapshot, an issued
bulletin) have one stamp, so they print once and are kept; a draft gets a new stamp with
each edit.

WeasyPrint is imported by the worker and the child only: a web process imports this module
to queue and serve, never to print, and does not carry WeasyPrint's 26 MB.
"""

import datetime as dt
import logging
import multiprocessing
import re
import time

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import render as render_page
from django.utils import timezone
from django.utils.http import content_disposition_header

from .models import Rendering, RenderingState

logger = logging.getLogger(__name__)

# A rendering queued or printing for longer than this is taken as lost (a worker stopped,
# a child killed): the page says so and offers to ask again.
STUCK_AFTER = dt.timedelta(minutes=10)
# How long the child may print one PDF before it is killed (well below STUCK_AFTER).
PRINT_TIMEOUT = 300
# How often the waiting page asks again, in seconds.
POLL_SECONDS = 2


class PrintFailed(Exception):
    """The child printed nothing: WeasyPrint raised, the child died, or it took too long."""


# The web side -------------------------------------------------------------------------


def key_of(subject, stamp):
    return f"{subject}@{stamp}"


def stuck(rendering, now=None):
    cutoff = (now or timezone.now()) - STUCK_AFTER
    if rendering.state == RenderingState.QUEUED:
        return rendering.queued_at < cutoff
    if rendering.state == RenderingState.RENDERING:
        return rendering.started_at is not None and rendering.started_at < cutoff
    return False


def _queue(rendering, task, args):
    transaction.on_commit(lambda: task.enqueue(rendering.pk, *args), robust=True)


def ensure(subject, stamp, task, *args, retry=False):
    """The Rendering of SUBJECT at STAMP, queued on TASK if new (or, with RETRY, failed or
    stuck)."""
    rendering, created = Rendering.objects.get_or_create(
        key=key_of(subject, stamp), defaults={"subject": subject}
    )
    if created:
        _queue(rendering, task, args)
    elif retry and (rendering.state == RenderingState.FAILED or stuck(rendering)):
        again = Rendering.objects.filter(pk=rendering.pk, state=rendering.state, attempts=rendering.attempts)
        if again.update(state=RenderingState.QUEUED, queued_at=timezone.now(), started_at=None, error=""):
            _queue(rendering, task, args)
        rendering.refresh_from_db()
    return rendering


def state_of(rendering):
    """ "ready", "failed" (a stuck one too) or "pending", as the waiting page says it."""
    if rendering.ready:
        return "ready"
    if rendering.state == RenderingState.FAILED or stuck(rendering):
        return "failed"
    return "pending"


def _lost(rendering):
    """A kept file the storage no longer has (a shared disk not mounted, media restored from
    an older backup): the rendering is failed, so that the reader is told and may ask for
    it again (?retry=1), never shown a 500."""
    logger.warning("The kept PDF %s is missing from the storage (%s).", rendering.key, rendering.file.name)
    Rendering.objects.filter(pk=rendering.pk, state=RenderingState.READY).update(
        state=RenderingState.FAILED, error=f"kept file missing: {rendering.file.name}"
    )
    rendering.state = RenderingState.FAILED
    return "failed"


def answer(request, rendering, filename, *, disposition=None, stream=True, frame="base.html", public=False):
    """The kept PDF, or the page (or, polled with ?wait, the part of it) that waits for it.

    DISPOSITION is the Content-Disposition to send (inline as FILENAME by default);
    STREAM=False reads the file into the answer, for a view whose answers are cached whole
    (the public site). FRAME is the template the waiting page extends; PUBLIC says it is
    the public site's (no session, no CSRF token: nothing sets a cookie)."""
    state = state_of(rendering)
    waiting = "wait" in request.GET
    if state == "ready" and not waiting:
        try:
            kept = rendering.file.open("rb")
        except OSError:
            state = _lost(rendering)
        else:
            if stream:
                response = FileResponse(kept, content_type="application/pdf")
            else:
                with kept:
                    response = HttpResponse(kept.read(), content_type="application/pdf")
            response["Content-Disposition"] = disposition or content_disposition_header(False, filename)
            return response
    context = {
        "state": state,
        "filename": filename,
        "pdf_url": request.path,
        "wait_url": f"{request.path}?wait=1",
        "retry_url": f"{request.path}?retry=1",
        "poll": f"every {POLL_SECONDS}s",
        "frame": frame,
        "public": public,
    }
    status = 202 if state == "pending" else 200
    if waiting:
        response = render_page(request, "renderings/_status.html", context, status=status)
        if state == "ready":
            response["HX-Redirect"] = request.path
        return response
    return render_page(request, "renderings/waiting.html", context, status=status)


# The worker side ----------------------------------------------------------------------


def write_pdf(html):
    """HTML printed by WeasyPrint in this process, loading nothing but our static files."""
    from weasyprint import HTML  # here, not at the top: web processes never print

    from .continued import continue_cells
    from .fetcher import BASE_URL, StaticFetcher
    from .fonts import font_configuration
    from .justify import justify

    source = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFetcher())
    document = source.render(font_config=font_configuration())
    return continue_cells(justify(document)).write_pdf()


def _child(html, sender):
    try:
        sender.send((True, write_pdf(html)))
    except BaseException as error:  # whatever it was, the parent must hear of it
        sender.send((False, f"{type(error).__name__}: {error}"))
    finally:
        sender.close()


def print_in_child(html, timeout=PRINT_TIMEOUT):
    """HTML printed in a child forked for it: the bytes, or PrintFailed. The child takes the
    memory WeasyPrint grows and gives it back when it exits; this process keeps none."""
    import weasyprint  # noqa: F401 - loaded once here, so each child starts with it

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(html, sender), name="rectify-print")
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise PrintFailed(f"printing took longer than {timeout} s")
        ok, result = receiver.recv()
    except EOFError:
        child.join(5)
        raise PrintFailed(f"the printing process ended without a PDF (exit code {child.exitcode})")
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if not ok:
        raise PrintFailed(result)
    return result


def _stored_name(subject):
    return re.sub(r"[^A-Za-z0-9_-]+", "-", subject).strip("-") + ".pdf"


def render(rendering_id, build_html, printer=print_in_child):
    """Print the Rendering RENDERING_ID from BUILD_HTML() and keep it; run once (a rendering
    claimed already, by a doubled task or another worker, is left to the one that has it).
    PRINTER turns the HTML into bytes (in a child, unless a test says otherwise)."""
    now = timezone.now()
    claimed = Rendering.objects.filter(pk=rendering_id, state=RenderingState.QUEUED).update(
        state=RenderingState.RENDERING, started_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return
    rendering = Rendering.objects.get(pk=rendering_id)
    try:
        started = time.perf_counter()
        html = build_html()
        built = time.perf_counter()
        content = printer(html)
        printed = time.perf_counter()
        name = default_storage.save(
            rendering.file.field.generate_filename(rendering, _stored_name(rendering.subject)),
            ContentFile(content),
        )
    except Exception as error:
        logger.exception("rendering %s failed", rendering.key)
        Rendering.objects.filter(pk=rendering_id, state=RenderingState.RENDERING).update(
            state=RenderingState.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        raise
    with transaction.atomic():
        done = Rendering.objects.filter(pk=rendering_id, state=RenderingState.RENDERING).update(
            state=RenderingState.READY,
            file=name,
            size=len(content),
            html_ms=round((built - started) * 1000),
            pdf_ms=round((printed - built) * 1000),
            finished_at=timezone.now(),
            error="",
        )
        if not done:  # pruned meanwhile by a newer print of the same subject
            transaction.on_commit(lambda: default_storage.delete(name))
            return
        prune(rendering.subject, before=rendering_id)


def prune(subject, before):
    """Remove the renderings of SUBJECT older than the one BEFORE (a draft's superseded
    prints), their files once the removal is committed."""
    older = Rendering.objects.filter(Q(subject=subject) & Q(pk__lt=before))
    files = [name for name in older.values_list("file", flat=True) if name]
    older.delete()
    if files:
        transaction.on_commit(lambda: [default_storage.delete(name) for name in files])
