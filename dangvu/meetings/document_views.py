"""Placeholder: written by its owner (issue 7)."""

from django.http import Http404


def document_list(request, **kwargs):
    raise Http404


def document_create(request, **kwargs):
    raise Http404


def document_detail(request, **kwargs):
    raise Http404


def document_edit(request, **kwargs):
    raise Http404


def document_file(request, **kwargs):
    raise Http404
