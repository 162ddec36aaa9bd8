"""Pages every user has: home, password change, language choice, and the error pages."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import LanguageForm, TokenForm
from .selectors import manages_a_top_organization
from .services import language_set as set_language
from .services import password_changed


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        form.user._history_user = self.request.user  # the history row names who changed it
        response = super().form_valid(form)
        password_changed(user=self.request.user)
        update_session_auth_hash(self.request, self.request.user)
        messages.success(self.request, _("Your password has been changed."))
        return response


@login_required
def profile(request: HttpRequest, new_token: str = "") -> HttpResponse:
    form = LanguageForm(initial={"language": request.user.language})
    tokens = request.user.api_tokens.filter(revoked_at__isnull=True).order_by("-created_at")
    return render(
        request,
        "core/profile.html",
        {
            "form": form,
            "token_form": TokenForm(),
            "tokens": tokens,
            "new_token": new_token,
            "keeps_calendar": manages_a_top_organization(request.scope),
        },
    )


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """A personal API token, shown once on the page that answers this request."""
    form = TokenForm(request.POST)
    if not form.is_valid():
        return redirect("profile")
    try:
        _token, plain = services.api_token_create(
            actor=request.user, user=request.user, name=form.cleaned_data["name"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("profile")
    return profile(request, new_token=plain)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(request.user.api_tokens, pk=pk, revoked_at__isnull=True)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token revoked."))
    return redirect("profile")


@login_required
@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    if form.is_valid():
        set_language(user=request.user, language=form.cleaned_data["language"])
    return redirect(reverse("profile"))


def error_404(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


class LogoutView(auth_views.LogoutView):
    pass
