"""Django's model backend, loading the user's person with the user: every page shows the
person's name in its menu, and would otherwise ask for it in a query of its own. How a
user is named wherever a page says who did something. And the login page's answer to an
account or address that django-axes has locked out."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


class Backend(ModelBackend):
    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("person").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


def display_name(user):
    """What the pages call USER: the person's name, else the account's full name, else the
    username. Load the person with the user (select_related("…person")) where many are named."""
    if user is None:
        return ""
    person = getattr(user, "person", None)  # no person: RelatedObjectDoesNotExist is an AttributeError
    return (person.name if person else "") or user.get_full_name() or user.username


def locked_out(request, response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login page again, empty, saying in Chinese that this
    account or this computer is locked out, for how long and who can unlock it (429)."""
    context = {
        "form": AuthenticationForm(request),
        "locked_out": True,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "next": request.POST.get("next", ""),
    }
    return render(request, "registration/login.html", context, status=429)


# django-axes ships no Chinese catalogue; its records are named here for the admin
# (系统管理), where the administrator reads the attempts and unlocks by deleting one.
LOCKOUT_NAMES = {
    "AccessAttempt": (_("登录失败计数"), _("登录失败计数（删除即解锁）")),
    "AccessFailureLog": (_("登录失败记录"), _("登录失败记录")),
    "AccessLog": (_("登录记录"), _("登录记录")),
    "AccessAttemptExpiration": (_("失败计数到期时间"), _("失败计数到期时间")),
}
LOCKOUT_FIELDS = {
    "username": _("用户名"),
    "ip_address": _("IP 地址"),
    "user_agent": _("浏览器"),
    "http_accept": _("HTTP Accept"),
    "path_info": _("网址"),
    "attempt_time": _("时间"),
    "failures_since_start": _("失败次数"),
    "locked_out": _("已锁定"),
    "get_data": _("GET 数据"),
    "post_data": _("POST 数据"),
    "logout_time": _("退出时间"),
}


def name_lockout_records(apps):
    config = apps.get_app_config("axes")
    config.verbose_name = _("登录锁定")
    for model in config.get_models():
        singular, plural = LOCKOUT_NAMES.get(model.__name__, (None, None))
        if singular:
            model._meta.verbose_name, model._meta.verbose_name_plural = singular, plural
        for field in model._meta.fields:
            if field.name in LOCKOUT_FIELDS:
                field.verbose_name = LOCKOUT_FIELDS[field.name]
