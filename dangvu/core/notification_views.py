"""Notification pages: a user's own messages, and the office's page of e-mails that did not go."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import notifications, selectors
from .access import MANAGE

PAGE_SIZE = 30


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("trang"))


def _is_office(request: HttpRequest) -> bool:
    return request.scope.is_system or bool(request.scope.paths_for(MANAGE))


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.notifications_of(request.user))
    return render(
        request,
        "core/notifications.html",
        {"page": page, "is_office": _is_office(request)},
    )


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the message read and go where it points."""
    notification = selectors.notification_get(request.user, pk)
    notifications.mark_read(user=request.user, notification=notification)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("core:notifications")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    notifications.mark_all_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("core:notifications")


@login_required
def delivery_failures(request: HttpRequest) -> HttpResponse:
    """E-mails about the office's organisations that failed, or wait for another try."""
    if not _is_office(request):
        raise Http404
    page = _page(request, selectors.delivery_problems(request.scope))
    return render(request, "core/delivery_failures.html", {"page": page})


@login_required
@require_POST
def delivery_retry(request: HttpRequest, pk: int) -> HttpResponse:
    notification = selectors.delivery_problem_get(request.scope, pk)
    result = notifications.retry_now(actor=request.user, notification=notification)
    if result.sent:
        messages.success(request, _("The e-mail has been sent."))
    elif result.claimed:
        messages.error(request, _("The e-mail could not be sent again: see the error below."))
    else:
        messages.success(request, _("The e-mail will be sent within a minute."))
    return redirect("core:delivery_failures")
