"""Placeholder: written by its owner (issue 7)."""


def member_panel(request, member):
    return None
