"""The badge proposal list of a batch with its tờ trình (TỜ TRÌNH về việc đề nghị tặng Huy hiệu
Đảng đợt …), written from the batch's proposals (dangvu.badges.proposals).

Health data: whether a member is gravely ill is read only by who keeps the records of the member's
cell. The rows come from badges.proposals.proposal_rows with the writer's scope, so that a gravely ill
member's early award reads as an ordinary one to anyone else (nothing in the note, nor in the
figures kept with the document)."""

from collections import Counter
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dangvu.badges import proposals as badge_proposals
from dangvu.badges.choices import Early
from dangvu.documents import rules
from dangvu.documents.choices import DocType
from dangvu.documents.content import Content, Draft, Section, Table
from dangvu.members import selectors as member_selectors

from .source_common import BLANK, committee_name, date_text, recipients, signer


def _party_age(proposal, batch: date) -> str:
    """Party age at the batch (stopping at death), as the batch's XLSX writes it."""
    months = badge_proposals.party_age_months(proposal, batch)
    if months is None:
        return ""
    years, rest = divmod(months, 12)
    return f"{years} năm {rest} tháng" if rest else f"{years} năm"


def _note(row) -> str:
    """ "Truy tặng", "Tặng sớm" — and nothing for a gravely ill member to who may not know it."""
    early = row.proposal.early
    if early == Early.POSTHUMOUS:
        return "Truy tặng"
    if early == Early.GRAVELY_ILL and not row.early_hidden:
        return "Tặng sớm"
    return ""


def _board(organization) -> str:
    """The standing committee above the issuer: "Ban Thường vụ Đảng ủy X", or a blank to fill."""
    parent = organization.parent
    return f"Ban Thường vụ {committee_name(parent) if parent is not None else BLANK}"


def _addressee(organization) -> str:
    return f"Kính gửi: {_board(organization)}"


def _request(organization, counts: Counter) -> str:
    """The tờ trình's request (rules.md §2.1): the committee directly above only proposes, the
    provincial committee's Ban Thường vụ decides; so the issuer asks it to consider and propose.
    `counts`: how many members are proposed for each badge (years of Party age)."""
    total = sum(counts.values())
    per_badge = "; ".join(
        f"Huy hiệu {years} năm tuổi đảng: {rules.grouped(counts[years])} đồng chí" for years in sorted(counts)
    )
    board = _board(organization)
    return (
        "Căn cứ các quy định, hướng dẫn hiện hành về việc xét tặng Huy hiệu Đảng; xét đề nghị của "
        f"các chi bộ, {committee_name(organization)} kính đề nghị {board} xem xét, đề nghị cấp có "
        "thẩm quyền tặng Huy hiệu Đảng cho các đồng chí có tên trong danh sách kèm theo "
        f"(tổng số {rules.grouped(total)} đồng chí), gồm: {per_badge}."
    )


def badge_list_rows(organization, batch: date, *, scope) -> list[badge_proposals.ProposalRow]:
    """The batch's proposals as the writer may read them; a refusal when there is none."""
    rows = badge_proposals.proposal_rows(scope, badge_proposals.proposals_in(scope, organization, batch))
    if not rows:
        raise ValidationError(
            _("No member is proposed in the badge batch of %(day)s: there is no list to write.")
            % {"day": f"{batch:%d/%m/%Y}"}
        )
    return rows


def badge_list_draft(
    organization, batch: date, *, scope, on: date, rows: list[badge_proposals.ProposalRow] | None = None
) -> Draft:
    """The list and its tờ trình; `rows`: the batch's rows (badge_list_rows) when already read."""
    if rows is None:
        rows = badge_list_rows(organization, batch, scope=scope)
    recognised = member_selectors.recognised_on([row.proposal.member_id for row in rows])
    counts = Counter(row.proposal.years for row in rows)
    body = _request(organization, counts)
    table_rows = []
    for row in rows:
        proposal = row.proposal
        person = proposal.member.person
        table_rows.append(
            [
                person.full_name,
                str(person.date_of_birth.year) if person.date_of_birth else "",
                row.cell_name,
                date_text(proposal.member.first_decision_on),
                date_text(recognised.get(proposal.member_id)),
                _party_age(proposal, batch),
                f"{proposal.years} năm",
                _note(row),
            ]
        )
    table = Table(
        columns=[
            "Họ và tên",
            "Năm sinh",
            "Chi bộ",
            "Ngày vào Đảng",
            "Ngày chính thức",
            "Tuổi đảng",
            "Loại Huy hiệu",
            "Ghi chú",
        ],
        rows=table_rows,
        widths=[4, 1.6, 3, 2.4, 2.4, 2.2, 1.8, 2],
        numbered=True,
    )
    subject = f"về việc đề nghị tặng Huy hiệu Đảng đợt {batch:%d/%m/%Y}"
    content = Content(
        type_name=rules.TYPE_NAMES[DocType.BADGE_LIST],
        subject=subject,
        sections=[
            Section("", body, key="request"),
            Section("DANH SÁCH ĐỀ NGHỊ TẶNG HUY HIỆU ĐẢNG", "", table=table, editable=False, key="list"),
        ],
        signatures=signer(organization, on),
        recipients=recipients(organization, to_superior=False, extra=("- Như kính gửi,",)),
        addressee=_addressee(organization),
        landscape=True,
    )
    figures = {
        "batch": batch.isoformat(),
        "counts": {str(years): counts[years] for years in sorted(counts)},
        "proposals": [
            {
                "id": row.proposal.pk,
                "member": row.proposal.member_id,
                "years": row.proposal.years,
                # as the writer may read it: a hidden illness is not kept here either
                "early": "" if row.early_hidden else row.proposal.early,
            }
            for row in rows
        ],
    }
    return Draft(
        doc_type=DocType.BADGE_LIST,
        organization=organization,
        year=batch.year,
        title=f"Tờ trình {subject}",
        content=content,
        figures=figures,
        source=f"badges:{organization.code}:{batch.isoformat()}"[:64],
    )
