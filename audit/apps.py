from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "操作记录"

    def ready(self):
        from . import admin_log  # records every change made in the admin

        admin_log.watch_admins()
