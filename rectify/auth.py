"""Django's model backend, loading the user's person with the user: every page shows the
person's name in its menu, and would otherwise ask for it in a query of its own. And how
a user is named wherever a page says who did something."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


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
