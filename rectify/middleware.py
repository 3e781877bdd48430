"""Login required everywhere, except that an htmx request whose session has expired
gets a 401 with a message instead of the login page swapped into the form; a signed-in
session ends after a while without a request; nothing a signed-in user is shown is kept
by a browser or proxy cache; a request too large to read, or carrying characters no one
types, is refused in Chinese, beside the row it was sent from; and no refusal leaves the
page blank."""

import re
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponse
from django.shortcuts import render, resolve_url
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class LoginRequired(LoginRequiredMiddleware):
    def handle_no_permission(self, request, view_func):
        if request.htmx:
            message = format_html(
                '<span class="text-danger">{} <a href="{}" target="_blank" rel="noopener">{}</a>{}</span>',
                _("登录已过期，刚才输入的内容已保存在本机浏览器中。请"),
                resolve_url(self.get_login_url(view_func)),
                _("在新窗口重新登录"),
                _("，然后回到本页继续输入，内容会自动保存。"),
            )
            return HttpResponse(message, status=401)
        return super().handle_no_permission(request, view_func)


# The session notes the time of a request at most once in this many seconds: a note is a
# write of the session row, and the editor sends a request on every pause in typing.
IDLE_NOTE_SECONDS = 60


def note_sign_in(sender, request, user, **kwargs):
    """Signing in counts as a request, noted with the login's own write of the session."""
    if request is not None and hasattr(request, "session"):
        request.session["seen"] = int(time.time())


class IdleTimeout:
    """Signs a user out whose last request came more than SESSION_IDLE_MINUTES ago, so a
    computer left signed in (an office shared by several cadres) does not stay so. The
    time is noted in the session at most once a minute, so the idle time allowed is
    between SESSION_IDLE_MINUTES and a minute more. The next page is the login page, which
    says why; an htmx request gets LoginRequired's 401."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            seen = request.session.get("seen")
            if seen is not None and now - seen > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
                messages.info(
                    request,
                    _("您已超过 %(minutes)s 分钟没有操作，为安全起见已自动退出，请重新登录。")
                    % {"minutes": settings.SESSION_IDLE_MINUTES},
                )
            elif seen is None or now - seen >= IDLE_NOTE_SECONDS:
                request.session["seen"] = now
        return self.get_response(request)


class NoStoreWhenSignedIn:
    """Whatever is answered to a signed-in user (pages, fragments, downloads) is marked
    no-store, so that nothing of it stays in the browser's cache or a proxy's for the next
    person at the same computer. Static files (answered by WhiteNoise before this) and the
    public site's pages for visitors keep their own caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


def megabytes(size):
    """2621440 -> '2.5 MB'."""
    return f"{size / 1024 / 1024:.1f} MB"


def too_big_message():
    return _(
        "这次提交的内容太多（超过 %(limit)s），没有保存，也没有改动任何内容。"
        "您填写的文字仍在本机浏览器中；请把过长的内容删减或分成几条后再保存。"
    ) % {"limit": megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}


def _refuse(request, heading, message, status, back=None):
    if request.htmx:
        return HttpResponse(
            format_html('<span class="text-danger" role="alert">{}</span>', message), status=status
        )
    context = {"heading": heading, "reason": message, "back": back}
    return render(request, "refused.html", context, status=status)


def _back(request):
    """The page the request was sent from, when it is one of ours, to try again from."""
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        return referer
    return None


# Room in a request for what is sent beside its files: the form's other fields (a
# report's text of up to 5,000 characters) and the multipart headers.
FORM_ROOM = 64 * 1024


def accepts_upload(limit):
    """Marks a view that takes uploaded files of at most LIMIT bytes in all (a number, or
    a function of no arguments, read at each request so settings can change it). A
    request to it whose body is larger is refused before any of the body is read; a
    view not marked takes no more than DATA_UPLOAD_MAX_MEMORY_SIZE (RequestTooBig)."""

    def mark(view):
        view.upload_limit = limit
        return view

    return mark


def _length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class RequestTooBig:
    """Refuses a POST too large before anything reads it, 413 with the limit in Chinese,
    changing nothing: over the view's upload limit (accepts_upload) or, for the others,
    over DATA_UPLOAD_MAX_MEMORY_SIZE, by the length the request declares (Django reads
    no more than that); then reads the form before anything else does, so one with too
    many fields is refused the same way, not with Django's RequestDataTooBig page from
    the CSRF check. Runs as the view is known, before the CSRF check reads the form."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST":
            return None
        limit = getattr(view_func, "upload_limit", None)
        if limit is not None:
            limit = limit() if callable(limit) else limit
            if _length(request) > limit + FORM_ROOM:
                message = _(
                    "文件超过 %(limit)s，没有上传，也没有改动任何内容。请删去多余的内容后再上传。"
                ) % {"limit": f"{limit / 1024 / 1024:g} MB"}  # "5 MB", as the import page says it
                return _refuse(request, _("文件太大"), message, 413, back=_back(request))
        elif _length(request) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE + FORM_ROOM:
            return _refuse(request, _("提交的内容太多"), too_big_message(), 413)
        try:
            request.POST  # noqa: B018  (reading it is the check)
        except (RequestDataTooBig, TooManyFieldsSent):
            return _refuse(request, _("提交的内容太多"), too_big_message(), 413)
        return None


# What no one types into a page or a form: NUL, which PostgreSQL cannot store, anywhere;
# and in an address (path or query) the other control characters, which no search or
# filter holds and a spreadsheet cannot (the ledger's Excel writes its filters).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _texts(query):
    """The names and values of a QueryDict (an uploaded file is neither)."""
    return [*query, *(value for _name, values in query.lists() for value in values)]


class UnreadableInput:
    """A request with such a character is answered 400 with the reason in Chinese, and
    changes nothing: no view, form or query sees it. Runs as the view is known, after
    RequestTooBig has refused a body too large to read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        address = [request.path, *_texts(request.GET)]
        posted = _texts(request.POST) if request.method == "POST" else []
        if any(CONTROL.search(text) for text in address) or any("\x00" in text for text in posted):
            message = _("地址或表单中有无法识别的字符（如控制字符），没有执行任何操作。请从页面上重新操作。")
            return _refuse(request, _("无法读取这个请求"), message, 400)
        return None


# What a refusal says when the view said nothing: Django's require_POST and friends
# answer 405 with an empty body, which a person sees as a blank page.
SAID = {
    400: gettext_lazy("无法处理这个请求。请从页面上重新操作。"),
    404: gettext_lazy("您访问的内容不存在，或不在您的权限范围内。"),
    405: gettext_lazy("这个地址只用于页面上的按钮和表单，不能直接打开。请回到页面上操作。"),
}


class RefusalsSayWhy:
    """A 4xx answer with no body gets one: the reason in Chinese (a page, or the line an
    htmx request shows)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        status = response.status_code
        if 400 <= status < 500 and not response.streaming and not response.content:
            reason = str(SAID.get(status, SAID[400]))
            refused = _refuse(request, _("无法完成这个请求"), reason, status)
            for header in ("Allow", "Retry-After"):
                if header in response:
                    refused[header] = response[header]
            return refused
        return response
