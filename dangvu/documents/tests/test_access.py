"""Who reads which documents: VIEW on the issuer, and for the documents that carry personal data
(a badge list names the gravely ill proposed early, minutes the reasons for absences) the keepers of
the records only."""

import pytest
from django.http import Http404

from dangvu.core.access import scope_for
from dangvu.documents import selectors
from dangvu.documents.choices import DocType

from .factories import make_draft

pytestmark = pytest.mark.django_db


def _register(user, organization) -> set[str]:
    return set(selectors.documents_in(scope_for(user), organization).values_list("doc_type", flat=True))


def test_a_leader_reads_the_reports_but_not_the_badge_list_nor_minutes(world):
    for doc_type in (DocType.ANNUAL_REPORT, DocType.BADGE_LIST, DocType.MINUTES):
        make_draft(world.office, world.root, doc_type=doc_type)
    everything = {DocType.ANNUAL_REPORT, DocType.BADGE_LIST, DocType.MINUTES}
    assert _register(world.office, world.root) == everything
    assert _register(world.leader, world.root) == {DocType.ANNUAL_REPORT}
    assert _register(world.inspection, world.root) == {DocType.ANNUAL_REPORT}
    badge_list = selectors.documents_in(scope_for(world.office), world.root).get(doc_type=DocType.BADGE_LIST)
    with pytest.raises(Http404):
        selectors.document_get(scope_for(world.leader), badge_list.pk)
    assert selectors.document_get(scope_for(world.office), badge_list.pk) == badge_list


def test_a_cell_secretary_reads_their_cells_minutes_and_no_other_cells_documents(world):
    own = make_draft(world.secretary_a, world.cell_a, doc_type=DocType.MINUTES)
    other = make_draft(world.office, world.cell_b, doc_type=DocType.ANNUAL_REPORT)
    assert selectors.document_get(scope_for(world.secretary_a), own.pk) == own
    for user, document in ((world.secretary_a, other), (world.member_a, own), (world.stranger, own)):
        with pytest.raises(Http404):
            selectors.document_get(scope_for(user), document.pk)
    assert _register(world.secretary_a, world.cell_b) == set()
