"""Template tags of the documents: whether the user may write a kind of document for an organisation
(selectors.may_write), for the buttons other apps' pages show without their views knowing of it."""

from django import template

from dangvu.documents import selectors

register = template.Library()


@register.simple_tag
def may_write_document(scope, organization, doc_type: str) -> bool:
    """{% may_write_document request.scope org "invitation" as can_invite %}: False without a scope."""
    if scope is None or organization is None:
        return False
    return selectors.may_write(scope, organization, doc_type)
