"""Placeholder: the XLSX export and imports of the review (replaced by the data in/out slice)."""

from django.http import Http404


def campaign_export(request, *args, **kwargs):
    raise Http404


def import_proposals(request, *args, **kwargs):
    raise Http404


def import_proposals_template(request, *args, **kwargs):
    raise Http404


def import_past(request, *args, **kwargs):
    raise Http404


def import_past_template(request, *args, **kwargs):
    raise Http404
