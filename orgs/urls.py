from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Each user changes their own password; other sessions of the account end with it.
    # Templates of our own names, so that the admin keeps its own password pages.
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(template_name="registration/password_change.html"),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_changed.html"),
        name="password_change_done",
    ),
    path("orgs/", views.org_list, name="org_list"),
    path("orgs/search/", views.org_search, name="org_search"),
    path("orgs/<id:pk>/", views.org_detail, name="org_detail"),
    path("teams/<id:pk>/", views.team_detail, name="team_detail"),
    path("people/<id:pk>/", views.person_detail, name="person_detail"),
]
