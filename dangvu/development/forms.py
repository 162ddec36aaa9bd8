"""Forms of the member development pages: the list's filter, a candidate, a step, a paper of the
dossier and the office's time limits. They check what was typed; the rules are the services'."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dangvu.core.forms import VersionField, VNDateField
from dangvu.members.choices import Gender
from dangvu.members.models import Member

from .choices import VOTES, Paper, Step
from .models import Candidate, DevelopmentSettings
from .services import LIMIT_FIELDS


class CandidateFilterForm(forms.Form):
    """The list's filter: a step (?buoc=), a name without diacritics (?q=), and whether those
    recognised or removed are listed too (?tat_ca=1)."""

    q = forms.CharField(label=_("Name (accents optional)"), required=False, max_length=100)
    buoc = forms.ChoiceField(label=capfirst(_("step")), required=False)
    tat_ca = forms.BooleanField(label=_("Also those recognised or removed"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buoc"].choices = [("", _("Every step")), *Step.choices]


class HelperChoice(forms.ModelChoiceField):
    """A member assigned to help: their name and, when several cells are offered, the cell."""

    def __init__(self, *args, show_cell: bool = False, **kwargs):
        self.show_cell = show_cell
        super().__init__(*args, **kwargs)

    def label_from_instance(self, member: Member) -> str:
        name = member.person.full_name
        return f"{name} ({member.person.organization.code})" if self.show_cell else name


class CandidateForm(forms.Form):
    """A candidate's particulars and the member assigned to help them; on creation also the cell,
    the day of listing and the number of the cell's resolution."""

    cell = forms.TypedChoiceField(label=capfirst(_("cell")), coerce=int)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    date_of_birth = VNDateField(label=_("Date of birth"))
    gender = forms.ChoiceField(label=_("Gender"), required=False, choices=[("", "—"), *Gender.choices])
    occupation = forms.CharField(label=capfirst(_("occupation")), max_length=255, required=False)
    general_education = forms.CharField(
        label=capfirst(_("general education")),
        max_length=32,
        required=False,
        help_text=_("E.g. 12/12."),
    )
    helper = HelperChoice(
        label=capfirst(_("member assigned to help")),
        queryset=Member.objects.none(),
        required=False,
        help_text=_("An official member of the candidate's cell."),
    )
    introducers = forms.CharField(
        label=capfirst(_("introducers")), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    note = forms.CharField(
        label=capfirst(_("note")), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    listed_on = VNDateField(
        label=_("Listed as a sympathiser on"), help_text=_("The day of the cell's resolution.")
    )
    document_number = forms.CharField(
        label=_("Number of the cell's resolution"), max_length=64, required=False
    )
    version = VersionField()

    PARTICULARS = (
        "full_name",
        "date_of_birth",
        "gender",
        "occupation",
        "general_education",
        "introducers",
        "note",
    )

    def __init__(self, *args, cells=None, helpers, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            del self.fields["version"]
            choices = [(c.pk, c.name) for c in cells]
            self.fields["cell"].choices = choices if len(cells) == 1 else [("", "—"), *choices]
        else:
            for name in ("cell", "listed_on", "document_number"):
                del self.fields[name]
        self.fields["helper"].queryset = helpers
        self.fields["helper"].show_cell = bool(creating and len(cells) > 1)

    def particulars(self) -> dict:
        """The service's keyword arguments for the particulars and the helper."""
        data = self.cleaned_data
        return {**{name: data[name] for name in self.PARTICULARS}, "helper": data["helper"]}


class StepForm(forms.Form):
    """One step: the next step in order, or the removal from the list. The fields follow the step:
    the votes for a vote, "extended" for a committee's vote, "received on" for the decision."""

    step = forms.ChoiceField(widget=forms.HiddenInput)
    date = VNDateField(label=_("Date"))
    document_number = forms.CharField(label=capfirst(_("document number")), max_length=64, required=False)
    issuing_body = forms.CharField(label=capfirst(_("issued by")), max_length=255, required=False)
    votes_for = forms.IntegerField(
        label=_("Members in favour"),
        min_value=0,
        max_value=999,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    votes_of = forms.IntegerField(
        label=_("Of (members entitled to vote)"),
        min_value=1,
        max_value=999,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("The cell: its official members; the committee: all its members. Two thirds must agree."),
    )
    extended = forms.BooleanField(label=_("Time limit extended by 15 working days"), required=False)
    received_on = VNDateField(
        label=_("Decision received on"),
        required=False,
        help_text=_("The ceremony is due within 30 working days of this day (empty: from the decision)."),
    )
    note = forms.CharField(
        label=capfirst(_("note")), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = VersionField()

    def __init__(self, *args, step: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(step, Step(step).label)]
        self.initial.setdefault("step", step)
        if step not in VOTES:
            del self.fields["votes_for"], self.fields["votes_of"]
        if step not in {Step.COMMITTEE_VOTE, Step.RECOGNITION_COMMITTEE_VOTE}:
            del self.fields["extended"]
        if step != Step.DECISION:
            del self.fields["received_on"]

    def values(self) -> dict:
        """The service's keyword arguments from what was typed."""
        data = dict(self.cleaned_data)
        data.pop("version")
        data["on"] = data.pop("date")
        return data


class PaperForm(forms.Form):
    paper = forms.ChoiceField(label=capfirst(_("paper")), choices=Paper.choices)
    made_on = VNDateField(label=capfirst(_("made on")))
    note = forms.CharField(label=capfirst(_("note")), max_length=255, required=False)


class SettingsForm(forms.Form):
    """The office's time limits in working days (rules.md §3.5)."""

    version = VersionField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in LIMIT_FIELDS:
            self.fields[name] = forms.IntegerField(
                label=capfirst(DevelopmentSettings._meta.get_field(name).verbose_name),
                min_value=1,
                max_value=120,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
        self.order_fields([*LIMIT_FIELDS, "version"])

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in LIMIT_FIELDS}


def candidate_initial(candidate: Candidate) -> dict:
    return {
        **{name: getattr(candidate, name) for name in CandidateForm.PARTICULARS},
        "helper": candidate.helper_id,
        "version": candidate.version,
    }
