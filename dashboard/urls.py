from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("dashboard/", views.index, name="index"),
    path("dashboard/<str:code>/", views.region, name="region"),
    path("dashboard/<str:code>/refresh/", views.refresh, name="refresh"),
    path("dashboard/<str:code>/unfiled/", views.unfiled_list, name="unfiled"),
    path("dashboard/<str:code>/unfiled.xlsx", views.unfiled_export, name="unfiled_export"),
    path("dashboard/<str:code>/<str:name>.xlsx", views.export, name="export"),
]
