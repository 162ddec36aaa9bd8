"""Request middleware: NUL characters refused, the user's language, the forced password change, and
the lazily built scope."""

from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from . import access


class RejectNullCharactersMiddleware:
    """A NUL character in the path, the query or a JSON body is refused with 400 before any view:
    no field holds one, and PostgreSQL refuses it in text with an error (a 500) where SQLite
    would store it. Form fields already refuse it (Django's ProhibitNullCharactersValidator)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._carries_null(request):
            message = _("The request contains a character that is not allowed.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _carries_null(request) -> bool:
        query = request.GET.lists()
        if "\x00" in request.path or any("\x00" in key + "".join(values) for key, values in query):
            return True
        if request.content_type == "application/json":
            body = request.body
            return b"\x00" in body or b"\\u0000" in body
        return False


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
