"""Login required everywhere, except that an htmx request whose session has expired
gets a 401 with a message instead of the login page swapped into the form; a signed-in
session ends after a while without a request; nothing a signed-in user is shown is kept
by a browser or proxy cache; and a request too large to read is refused in Chinese,
beside the row it was sent from."""

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
from django.utils.translation import gettext as _


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


class RequestTooBig:
    """Reads a POST's form before anything else does: one over DATA_UPLOAD_MAX_MEMORY_SIZE
    (or with too many fields) is answered with the reason in Chinese, 413, and changes
    nothing. Django would raise RequestDataTooBig in the CSRF check and show its own page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            try:
                request.POST  # noqa: B018  (reading it is the check)
            except (RequestDataTooBig, TooManyFieldsSent):
                message = too_big_message()
                if request.htmx:
                    return HttpResponse(
                        format_html('<span class="text-danger" role="alert">{}</span>', message), status=413
                    )
                return render(
                    request, "refused.html", {"heading": _("提交的内容太多"), "reason": message}, status=413
                )
        return self.get_response(request)
