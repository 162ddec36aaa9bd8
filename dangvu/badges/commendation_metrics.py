"""The commendations' keys of the metric contract (shared/spec/metrics.md: `commendations.*`), with
the settled reading "Commendations": decisions dated in the year (up to the as-of date), to an
organisation of the subtree (itself included) — collective — or to a member who counts in it — individual
(the one cell a member counts at: members.metrics.attributed_cell_path; the cell the commendation is kept
at when the member has no membership period by then).

One query per key and per detail (the commendations behind a figure, issue 11), whatever the size of
the subtree."""

from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangvu.core import metrics
from dangvu.core.metrics import Detail, Entry, MetricContext
from dangvu.members.metrics import attributed_cell_name, attributed_cell_path, member_url

from .choices import CommendationForm
from .models import Commendation


def _in_year(ctx: MetricContext):
    return Commendation.objects.filter(decided_on__gte=ctx.year.start, decided_on__lte=ctx.last_day)


def _collective(ctx: MetricContext):
    return _in_year(ctx).filter(member__isnull=True, organization__path__startswith=ctx.root_path)


def _individual(ctx: MetricContext):
    """To a member who counts in the subtree: their attributed cell, else where it is kept."""
    return (
        _in_year(ctx)
        .filter(member__isnull=False, member__deleted_at__isnull=True)
        .annotate(attributed_path=attributed_cell_path(ctx))
        .filter(
            Q(attributed_path__startswith=ctx.root_path)
            | Q(attributed_path__isnull=True, organization__path__startswith=ctx.root_path)
        )
    )


def _note(form: str, issuer: str, decided_on: date) -> str:
    return gettext("%(form)s by %(issuer)s, %(date)s") % {
        "form": CommendationForm(form).label if form in CommendationForm.values else form,
        "issuer": issuer,
        "date": f"{decided_on:%d/%m/%Y}",
    }


@metrics.register("commendations.collective", kind=metrics.COUNT, label=_("Commendations of organisations"))
def commendations_collective(ctx: MetricContext) -> dict:
    return metrics.count(_collective(ctx).count())


@metrics.register_detail("commendations.collective")
def commendations_collective_detail(ctx: MetricContext) -> Detail:
    rows = (
        _collective(ctx)
        .order_by("organization__path", "decided_on", "pk")
        .values_list(
            "organization__name", "organization__path", "organization__code", "form", "issuer", "decided_on"
        )
    )
    return Detail(
        counted=[
            Entry(
                name=name,
                path=path,
                kind="other",
                cell=name,
                note=_note(form, issuer, on),
                url=reverse("organization:detail", args=[code]),
            )
            for name, path, code, form, issuer, on in rows
        ]
    )


@metrics.register("commendations.individual", kind=metrics.COUNT, label=_("Commendations of members"))
def commendations_individual(ctx: MetricContext) -> dict:
    return metrics.count(_individual(ctx).count())


@metrics.register_detail("commendations.individual")
def commendations_individual_detail(ctx: MetricContext) -> Detail:
    rows = (
        _individual(ctx)
        .annotate(attributed_name=attributed_cell_name(ctx))
        .order_by("member__person__sort_key", "decided_on", "pk")
        .values_list(
            "member_id",
            "member__person__full_name",
            "attributed_path",
            "attributed_name",
            "organization__path",
            "organization__name",
            "form",
            "issuer",
            "decided_on",
        )
    )
    return Detail(
        counted=[
            Entry(
                name=name,
                path=path or org_path,
                cell=(cell if path else org_name) or "",
                note=_note(form, issuer, on),
                url=member_url(member_id),
            )
            for member_id, name, path, cell, org_path, org_name, form, issuer, on in rows
        ]
    )
