"""Targets (chỉ tiêu) of an organisation for a year, and the figures of past years the office enters
for a first-year installation (shared/spec/metrics.md "Targets"; issue 11)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangvu.core.models import PartyRecord
from dangvu.organization.models import Organization

from .choices import Op


class Target(PartyRecord):
    """A target of the year: a contract figure compared with a value (`metric`, `op`, `value`), or a
    written target (`metric` empty) for what no figure measures, e.g. ethical standards."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    metric = models.CharField(_("figure"), max_length=80, blank=True)
    op = models.CharField(_("comparison"), max_length=2, choices=Op.choices, blank=True)
    value = models.DecimalField(_("target value"), max_digits=16, decimal_places=1, null=True, blank=True)
    text = models.TextField(_("written target"), blank=True)
    note = models.TextField(_("note"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    scope_path_lookup = "organization__path"

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "metric", "op"],
                condition=Q(deleted_at__isnull=True) & ~Q(metric=""),
                name="target_once",
            )
        ]


class EnteredFigure(PartyRecord):
    """A figure of a past year typed by the office (or imported) where the system holds no data for
    it, so that the comparison with the previous year has a source; shown as entered, not computed."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="entered_figures"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    metric = models.CharField(_("figure"), max_length=80)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=1)
    numerator = models.PositiveIntegerField(_("numerator"), null=True, blank=True)
    denominator = models.PositiveIntegerField(_("denominator"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    scope_path_lookup = "organization__path"

    class Meta:
        verbose_name = _("entered figure")
        verbose_name_plural = _("entered figures")
        ordering = ["metric"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "metric"],
                condition=Q(deleted_at__isnull=True),
                name="entered_figure_once",
            )
        ]
