"""API authentication: a personal token (Authorization: Bearer dv_…) or the browser's session.
Either way the request carries the user's own scope (core.access)."""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from ninja.security import HttpBearer, django_auth

from . import access
from .models import ApiToken
from .services import token_hash


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=token_hash(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        user = found.user
        if user.must_change_password:
            return None  # a printed password not yet changed: the account is not in use yet
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = user
        request.scope = SimpleLazyObject(lambda: access.scope_for(user))
        return user


# A token, or the browser's session (CSRF-checked for writes).
AUTH = [TokenAuth(), django_auth]
