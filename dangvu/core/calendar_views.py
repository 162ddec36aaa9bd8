"""The working calendar page: the top office keeps the holidays, days in lieu and swapped weekends."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .audit import StaleVersionError
from .forms import CalendarDayForm, add_refusal
from .periods import WorkCalendar, year_param


def _year_url(year: int) -> str:
    return f"{reverse('core:calendar')}?nam={year}"


def _fields(form: CalendarDayForm) -> dict:
    return {k: form.cleaned_data[k] for k in ("day", "kind", "name")}


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    """A year's exceptions to the Monday-to-Friday week, and the form that adds one."""
    selectors.require_calendar_keeper(request.scope)
    year = year_param(request.GET.get("nam"))
    form = CalendarDayForm()
    if request.method == "POST":
        form = CalendarDayForm(request.POST)
        if form.is_valid():
            try:
                entry = services.calendar_day_add(actor=request.user, **_fields(form))
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(request, _("Added to the working calendar."))
                return redirect(_year_url(entry.day.year))
    days = list(selectors.calendar_days(year))
    cal = WorkCalendar.from_days((d.day, d.kind) for d in days)
    context = {
        "year": year,
        "days": days,
        "form": form,
        "working_days": cal.working_days_between(date(year, 1, 1) - timedelta(days=1), date(year, 12, 31)),
        "previous_url": _year_url(year - 1),
        "next_url": _year_url(year + 1),
    }
    return render(request, "core/calendar.html", context)


@login_required
def calendar_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.calendar_day_get(request.scope, pk)
    initial = {"day": entry.day, "kind": entry.kind, "name": entry.name, "version": entry.version}
    form = CalendarDayForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.calendar_day_update(
                actor=request.user,
                calendar_day=entry,
                expected_version=form.cleaned_data["version"] or 0,
                **_fields(form),
            )
        except (ValidationError, StaleVersionError) as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(_year_url(entry.day.year))
    return render(
        request,
        "core/form_page.html",
        {"form": form, "title": _("Change a calendar day"), "cancel_url": _year_url(entry.day.year)},
    )


@login_required
@require_POST
def calendar_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.calendar_day_get(request.scope, pk)
    version = request.POST.get("version", "")
    try:
        services.calendar_day_delete(
            actor=request.user,
            calendar_day=entry,
            expected_version=int(version) if version.isascii() and version.isdigit() else 0,
        )
    except StaleVersionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Removed from the working calendar: the day counts as usual again."))
    return redirect(_year_url(entry.day.year))
