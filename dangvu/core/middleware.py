"""Request middleware: the user's language, the forced password change, and the lazily built scope."""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from . import access


class UserLanguageMiddleware:
    """Vietnamese whatever the browser asks for; English only when the user chose it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = "vi"
        if user is not None and user.is_authenticated and user.language in {"vi", "en"}:
            language = user.language
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class PasswordChangeRequiredMiddleware:
    """A user with a printed (initial or reset) password must choose their own before anything else."""

    ALLOWED_NAMES = ("password_change", "logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in self.ALLOWED_NAMES}
            if request.path not in allowed and not request.path.startswith("/static/"):
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "password change required"}, status=403)
                return redirect("password_change")
        return self.get_response(request)


class ScopeMiddleware:
    """`request.scope`: what the user may reach, computed once per request and only when asked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = SimpleLazyObject(lambda: access.scope_for(request.user))
        return self.get_response(request)
