"""Placeholder views: replaced by the views of the classification pages."""

from django.http import Http404


def campaign_list(request, *args, **kwargs):
    raise Http404


def campaign_create(request, *args, **kwargs):
    raise Http404


def campaign_detail(request, *args, **kwargs):
    raise Http404


def campaign_edit(request, *args, **kwargs):
    raise Http404


def self_assessment(request, *args, **kwargs):
    raise Http404


def cell_sheet(request, *args, **kwargs):
    raise Http404


def cell_propose(request, *args, **kwargs):
    raise Http404


def cell_decide_members(request, *args, **kwargs):
    raise Http404


def cell_self(request, *args, **kwargs):
    raise Http404


def cell_decide(request, *args, **kwargs):
    raise Http404


def cell_reopen(request, *args, **kwargs):
    raise Http404


def member_rating(request, *args, **kwargs):
    raise Http404


def member_triggers(request, *args, **kwargs):
    raise Http404


def member_reopen(request, *args, **kwargs):
    raise Http404
