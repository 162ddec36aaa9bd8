"""The review section of an organisation's page."""


def classification_panel(request, organization, nodes):
    return None
