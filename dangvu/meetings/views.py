"""Placeholder: written by its owner (issue 7)."""

from django.http import Http404


def session_list(request, **kwargs):
    raise Http404


def session_create(request, **kwargs):
    raise Http404


def session_detail(request, **kwargs):
    raise Http404


def session_edit(request, **kwargs):
    raise Http404


def session_cancel(request, **kwargs):
    raise Http404


def attendance(request, **kwargs):
    raise Http404


def invitees_add(request, **kwargs):
    raise Http404


def minutes(request, **kwargs):
    raise Http404


def minutes_file(request, **kwargs):
    raise Http404
