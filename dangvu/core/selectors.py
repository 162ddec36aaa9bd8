"""Reads of core: the working calendar, a user's notifications and jobs, the delivery failures."""

from django.db.models import Q, QuerySet
from django.http import Http404

from . import access
from .access import MANAGE, VIEW, Scope
from .models import CalendarDay, EmailStatus, Job, Notification


def manages_a_top_organization(scope: Scope) -> bool:
    """Whether the user is the office of a top-level organisation (or a superuser): they keep the
    working calendar, which every organisation shares. A top-level path has one segment ("/9f3a01c2/"),
    a superuser holds "/"."""
    return scope.is_system or any(path.count("/") <= 2 for path in scope.paths_for(MANAGE))


def require_calendar_keeper(scope: Scope) -> None:
    if not manages_a_top_organization(scope):
        raise Http404


def calendar_days(year: int) -> QuerySet[CalendarDay]:
    return CalendarDay.objects.filter(day__year=year).order_by("day")


def calendar_day_get(scope: Scope, pk: int) -> CalendarDay:
    require_calendar_keeper(scope)
    try:
        return CalendarDay.objects.get(pk=pk)
    except (CalendarDay.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def notifications_of(user) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def notification_get(user, pk: int) -> Notification:
    """One of the user's own notifications; anyone else's is a 404."""
    try:
        return Notification.objects.get(pk=pk, recipient=user)
    except Notification.DoesNotExist as exc:
        raise Http404 from exc


def _in_scope(queryset: QuerySet, scope: Scope, action: str) -> QuerySet:
    """Rows of the subtrees the user holds for `action`; rows about no organisation ("") only for
    those who hold the whole tree (superusers, commands)."""
    if scope.is_system or "/" in scope.paths_for(action):
        return queryset
    return access.restrict(queryset, scope, action)


def delivery_problems(scope: Scope) -> QuerySet[Notification]:
    """E-mails that failed for good or are waiting for another try, about organisations the user
    manages: the office's page of delivery failures."""
    failing = Q(email_status=EmailStatus.FAILED) | Q(
        email_status__in=[EmailStatus.PENDING, EmailStatus.SENDING], email_attempts__gt=0
    )
    return (
        _in_scope(Notification.objects.filter(failing), scope, MANAGE)
        .select_related("recipient")
        .order_by("-next_attempt_at", "-pk")
    )


def delivery_problem_get(scope: Scope, pk: int) -> Notification:
    try:
        return delivery_problems(scope).get(pk=pk)
    except Notification.DoesNotExist as exc:
        raise Http404 from exc


def job_get(user, scope: Scope, pk: int) -> Job:
    """One of the user's own jobs, while they still see what it reads; anyone else's is a 404."""
    mine = Job.objects.filter(user=user)
    visible = mine.filter(scope_path="") | access.restrict(mine, scope, VIEW)
    try:
        return visible.get(pk=pk)
    except Job.DoesNotExist as exc:
        raise Http404 from exc
