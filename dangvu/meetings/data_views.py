"""Placeholder: written by its owner (issue 7)."""

from django.http import Http404


def attendance_export(request, **kwargs):
    raise Http404


def attendance_import(request, **kwargs):
    raise Http404


def attendance_import_template(request, **kwargs):
    raise Http404


def summary_export(request, **kwargs):
    raise Http404
