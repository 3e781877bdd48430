from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("documents/<id:pk>/submit/", views.submit, name="submit"),
    path("documents/<id:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("documents/<id:pk>/resubmit/", views.resubmit, name="resubmit"),
    path("documents/<id:pk>/changes/", views.changes, name="changes"),
    path("steps/<id:pk>/approve/", views.approve, name="approve"),
    path("steps/<id:pk>/return/", views.return_for_revision, name="return"),
    path("steps/<id:pk>/draft/", views.save_draft, name="draft"),
    path("steps/<id:pk>/read/", views.mark_read, name="read"),
    path("comments/<id:pk>/address/", views.address, name="address"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/waiting/", views.waiting, name="waiting"),
    path("inbox/read/", views.read_many, name="read_many"),
    path("inbox/notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/<id:pk>/", views.notification, name="notification"),
]
