"""Placeholder: written by its owner (issue 7)."""


def meetings_panel(request, organization, nodes):
    return None
