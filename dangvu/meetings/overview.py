"""Placeholder: written by its owner (issue 7)."""

from django.http import Http404


def summary(request, **kwargs):
    raise Http404


def settings_edit(request, **kwargs):
    raise Http404
