from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("orgs.urls")),
    path("", include("plans.urls")),
    path("", include("review.urls")),
    path("", include("oversight.urls")),
    path("", include("ledger.urls")),
    path("", include("publication.urls")),
    path("", include("dashboard.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "rectify.views.permission_denied"
