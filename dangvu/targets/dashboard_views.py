"""The dashboard of an organisation's subtree and what each figure is made of (issue 11): thin views
over dashboard.py. Whoever sees the organisation (core.access, VIEW) reads its dashboard; anyone else
gets 404. Nothing here writes."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from dangvu.organization import selectors as org_selectors

from . import dashboard as reads
from . import selectors


@login_required
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    """Targets against actuals, the months' course, what is late and the charts."""
    org = org_selectors.organization_get(request.scope, code)
    period = reads.period_of(request.GET)
    return render(
        request,
        "targets/dashboard.html",
        {
            "org": org,
            "period": period,
            "can_set": selectors.can_set(request.scope, org),
            **reads.dashboard(request.scope, org, period),
        },
    )


@login_required
def detail(request: HttpRequest, code: str, key: str) -> HttpResponse:
    """A figure and the members, cells or records behind it, only those the user sees."""
    org = org_selectors.organization_get(request.scope, code)
    period = reads.period_of(request.GET)
    made = reads.made_of(request.scope, org, period, key)
    if made is None:
        raise Http404
    return render(request, "targets/detail.html", {"org": org, "period": period, "made": made})
