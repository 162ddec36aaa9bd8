"""Template context for every page: the user's unread notification count, counted only when shown."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .notifications import unread_count


def notifications(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: one COUNT query when base.html renders the nav, none for htmx fragments.
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
