from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("documents/<int:pk>/submit/", views.submit, name="submit"),
    path("documents/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("documents/<int:pk>/resubmit/", views.resubmit, name="resubmit"),
    path("documents/<int:pk>/changes/", views.changes, name="changes"),
    path("steps/<int:pk>/approve/", views.approve, name="approve"),
    path("steps/<int:pk>/return/", views.return_for_revision, name="return"),
    path("steps/<int:pk>/draft/", views.save_draft, name="draft"),
    path("steps/<int:pk>/read/", views.mark_read, name="read"),
    path("comments/<int:pk>/address/", views.address, name="address"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/waiting/", views.waiting, name="waiting"),
    path("inbox/read/", views.read_many, name="read_many"),
    path("inbox/notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/", views.notification, name="notification"),
]
