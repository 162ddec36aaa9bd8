"""Placeholder: written by its owner (issue 7)."""

from django.http import Http404


def mine(request, **kwargs):
    raise Http404


def reply(request, **kwargs):
    raise Http404
