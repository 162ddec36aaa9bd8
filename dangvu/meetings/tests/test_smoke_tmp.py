from datetime import timedelta

import pytest

from dangvu.meetings import selectors
from dangvu.meetings.choices import Attendance, SessionKind
from dangvu.meetings.tests.factories import make_session, mark_all, members_of, set_document, today

pytestmark = pytest.mark.django_db


def test_smoke(world):
    a = members_of(world, world.cell_a, 3)
    members_of(world, world.cell_b, 2)
    doc = set_document(world)
    assert doc.obligations.count() == 5
    s = make_session(world, world.root, SessionKind.STUDY, documents=[doc])
    assert s.invitations.count() == 5
    mark_all(world, s, **{str(a[0].person_id): Attendance.EXCUSED})
    assert selectors.still_owing([doc], under=world.root, on=today()) == {a[0].person_id}
    c = make_session(world, world.cell_a, SessionKind.CATCH_UP, documents=[doc])
    assert set(c.invitations.values_list("person_id", flat=True)) == {a[0].person_id}
    r = make_session(world, world.cell_a, SessionKind.REGULAR)
    assert r.invitations.count() == 3
    ys = selectors.cells_years(selectors.cells_under(world.root, today().year), today().year, today())
    assert len(ys) == 3
    prog = selectors.document_progress(doc, under=world.root, as_of=today())
    assert sum(p.owed for p in prog) == 5 and sum(p.studied for p in prog) == 4
    assert [d.pk for d in selectors.documents_owed(a[0], today())] == [doc.pk]


def test_hook(world):
    doc = set_document(world, set_on=today() - timedelta(days=10))
    m = members_of(world, world.cell_a, 1)[0]
    assert list(doc.obligations.values_list("member_id", flat=True)) == [m.pk]
