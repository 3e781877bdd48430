from .views import supervises


def dashboard(request):
    """Whether to offer the dashboard in the menu: asked only when the menu is drawn, from
    the reach the request computes anyway (orgs.policy keeps it on the user)."""
    user = getattr(request, "user", None)
    return {"dashboard_menu": (lambda: supervises(user)) if user is not None else False}
