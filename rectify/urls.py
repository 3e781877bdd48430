from django.contrib import admin
from django.urls import include, path

from .admin import fonts_page
from .health import healthz

urlpatterns = [
    path("", include("orgs.urls")),
    path("", include("plans.urls")),
    path("", include("review.urls")),
    path("", include("oversight.urls")),
    path("", include("ledger.urls")),
    path("", include("publication.urls")),
    path("", include("dashboard.urls")),
    path("", include("audit.urls")),
    path("admin/fonts/", admin.site.admin_view(fonts_page), name="admin_fonts"),
    path("admin/", admin.site.urls),
    # For load balancers and monitoring (README: 多台服务器部署).
    path("healthz", healthz, name="healthz"),
]

handler403 = "rectify.views.permission_denied"
