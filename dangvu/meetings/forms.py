"""Forms of the organiser's pages: a session, its changes, the invitees added, the bulk attendance
sheet and the minutes. They check what was typed; the rules are the services'."""

import json

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dangvu.core.forms import ModelChoices, VersionField, VNDateField
from dangvu.organization.models import Organization, Person

from . import rules
from .choices import Attendance, Invitees, Reply, SessionKind
from .models import Invitation, StudyDocument

TIME_FORMATS = ["%H:%M", "%H.%M", "%Hh%M", "%Hh", "%H"]


class PersonChoices(ModelChoices):
    """People to invite, as ticks: the name and the organisation where their record is kept."""

    def label_from_instance(self, person: Person) -> str:
        return f"{person.full_name} ({person.organization.code})"


class DocumentChoices(ModelChoices):
    def label_from_instance(self, document: StudyDocument) -> str:
        return f"{document} — {_('to be studied by')} {document.study_by:%d/%m/%Y}"


def time_field(label) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=False,
        input_formats=TIME_FORMATS,
        widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": "hh:mm", "inputmode": "numeric"}),
        error_messages={"invalid": _("Enter a time as hh:mm, e.g. 08:00.")},
    )


def duration_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=capfirst(_("duration (minutes)")),
        required=False,
        min_value=1,
        max_value=24 * 60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class SessionFilterForm(forms.Form):
    """The list's filter of a kind (?loai=); the year (?nam=) is read by periods.year_param."""

    loai = forms.ChoiceField(
        label=capfirst(_("kind of session")),
        required=False,
        choices=[("", _("All kinds")), *SessionKind.choices],
    )


class SessionEditForm(forms.Form):
    """What may change on a session after it is created."""

    held_on = VNDateField(label=capfirst(_("date")))
    starts_at = time_field(capfirst(_("time")))
    duration_minutes = duration_field()
    place = forms.CharField(label=capfirst(_("place")), max_length=255, required=False)
    title = forms.CharField(
        label=capfirst(_("title")),
        max_length=255,
        required=False,
        help_text=_("Empty: the kind of session and its date."),
    )
    version = VersionField()

    VALUES = ("held_on", "starts_at", "duration_minutes", "place", "title")

    def values(self) -> dict:
        """The service's keyword arguments from what was typed."""
        return {name: self.cleaned_data[name] for name in self.VALUES}


class SessionForm(SessionEditForm):
    """A new session of one of the kinds the organisation holds, its documents and its invitees:
    by the rule of its kind, or chosen one by one."""

    field_order = ["kind", "held_on", "starts_at", "duration_minutes", "place", "title", "documents"]

    kind = forms.ChoiceField(label=capfirst(_("kind of session")))
    invitees = forms.ChoiceField(
        label=capfirst(_("invitees")),
        choices=Invitees.choices,
        help_text=_("Computed on the date of the session; people chosen below are invited too."),
    )
    people = PersonChoices(
        label=_("Invite these people"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Required when the invitees are chosen one by one."),
    )
    documents = DocumentChoices(
        label=capfirst(_("documents studied")),
        queryset=StudyDocument.objects.none(),
        required=False,
        help_text=_("For a study or catch-up session."),
    )

    def __init__(self, *args, organization: Organization, kinds, people, documents, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["version"]
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds]
        self.fields["people"].queryset = people
        self.fields["documents"].queryset = documents
        defaults = {k.value: rules.default_invitees(k, organiser_is_cell=organization.is_cell) for k in kinds}
        # The page's script follows the kind with its default invitees (session_form.js).
        self.fields["kind"].widget.attrs["data-invitees"] = json.dumps(defaults)

    def clean(self):
        data = super().clean()
        if data.get("invitees") == Invitees.CHOSEN and not data.get("people"):
            self.add_error("people", _("Choose at least one person to invite."))
        return data

    VALUES = (*SessionEditForm.VALUES, "kind", "invitees")

    def values(self) -> dict:
        return super().values() | {
            "documents": list(self.cleaned_data["documents"]),
            "person_ids": [p.pk for p in self.cleaned_data["people"]],
        }


def session_initial(organization: Organization, kinds, documents, params) -> dict:
    """The first values of a new session; a page may link here with `?loai=...&van-ban=<pk>` (a
    document's page: organise a catch-up session), the list's own query names."""
    allowed = [k.value for k in kinds]
    kind = params.get("loai") if params.get("loai") in allowed else allowed[0]
    initial = {"kind": kind, "invitees": rules.default_invitees(kind, organiser_is_cell=organization.is_cell)}
    wanted = params.get("van-ban", "")
    if wanted.isascii() and wanted.isdigit() and len(wanted) < 19:
        initial["documents"] = [d.pk for d in documents if d.pk == int(wanted)]
    return initial


class WithdrawForm(forms.Form):
    """Withdraw one invitation not marked yet (an invitee added by mistake), read at its version."""

    prefix = "wd"

    invitation = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    version = VersionField()


class InviteForm(forms.Form):
    """Invite again by the session's rule, or add the people ticked."""

    prefix = "inv"

    action = forms.ChoiceField(choices=[("refresh", "refresh"), ("add", "add")], widget=forms.HiddenInput)
    people = PersonChoices(label=_("Invite these people"), queryset=Person.objects.none(), required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people

    def clean(self):
        data = super().clean()
        if data.get("action") == "add" and not data.get("people"):
            self.add_error("people", _("Choose at least one person to invite."))
        return data


def proposed_attendance(invitation: Invitation) -> tuple[str, str]:
    """What the sheet shows first for an invitee: the attendance marked; else excused, with the
    reason they gave, when they asked to be; else present — the secretary changes only the absent."""
    if invitation.attendance:
        return invitation.attendance, invitation.reason
    if invitation.reply == Reply.EXCUSED:
        return Attendance.EXCUSED, invitation.reply_reason
    return Attendance.PRESENT, ""


class AttendanceForm(forms.Form):
    """One row per invitee: present, excused or unexcused, and the reason of an absence."""

    version = VersionField()

    def __init__(self, *args, invitations: list[Invitation], **kwargs):
        super().__init__(*args, **kwargs)
        self.invitations = invitations
        for invitation in invitations:
            pk = invitation.pk
            status, reason = proposed_attendance(invitation)
            self.fields[f"a_{pk}"] = forms.ChoiceField(
                label=invitation.person.full_name,
                choices=Attendance.choices,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "choice"}),
            )
            self.fields[f"r_{pk}"] = forms.CharField(
                label=capfirst(_("reason for the absence")),
                max_length=255,
                required=False,
                widget=forms.TextInput(attrs={"class": "reason", "autocomplete": "off"}),
            )
            self.initial.setdefault(f"a_{pk}", status)
            self.initial.setdefault(f"r_{pk}", reason)

    def rows(self) -> list[tuple[Invitation, forms.BoundField, forms.BoundField]]:
        return [(i, self[f"a_{i.pk}"], self[f"r_{i.pk}"]) for i in self.invitations]

    def marks(self) -> list[tuple[int, str, str]]:
        """(invitation id, attendance, reason) of the rows chosen; a row left empty (an invitee
        added after the page was read) stays unmarked."""
        data = self.cleaned_data
        return [
            (i.pk, data[f"a_{i.pk}"], data.get(f"r_{i.pk}", ""))
            for i in self.invitations
            if data.get(f"a_{i.pk}")
        ]


class MinutesForm(forms.Form):
    """The minutes of a session (rules.md §5.1, §9.5)."""

    chair = forms.CharField(label=capfirst(_("chaired by")), max_length=150, required=False)
    recorder = forms.CharField(label=capfirst(_("minutes taken by")), max_length=150, required=False)
    duration_minutes = duration_field()
    minutes = forms.CharField(
        label=capfirst(_("minutes: content and discussion")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    resolution = forms.CharField(
        label=capfirst(_("resolution")), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    minutes_file = forms.FileField(
        label=_("Signed minutes (file)"),
        required=False,
        help_text=_("PDF, Word or a photo; a new file replaces the one kept."),
    )
    version = VersionField()

    def values(self) -> dict:
        data = self.cleaned_data
        names = ("chair", "recorder", "minutes", "resolution", "duration_minutes")
        return {name: data[name] for name in names} | {"file": data["minutes_file"]}


OUT_OF_DATE = _("The page was out of date: look at the session again and answer once more.")


class ReplyForm(forms.Form):
    """The invitee's answer before a session (the member's page): coming, or excused with a reason."""

    reply = forms.ChoiceField(
        choices=Reply.choices,
        error_messages={
            "required": _("Choose whether you will attend."),
            "invalid_choice": _("Choose whether you will attend."),
        },
    )
    reason = forms.CharField(
        max_length=255,
        required=False,
        error_messages={"max_length": _("Write the reason in at most 255 characters.")},
    )
    version = forms.IntegerField(
        min_value=1,
        error_messages={"required": OUT_OF_DATE, "invalid": OUT_OF_DATE, "min_value": OUT_OF_DATE},
    )
