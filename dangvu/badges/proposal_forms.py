"""Forms of badge proposals: propose a member of a batch (the candidate's button) and keep a
proposal's dossier (the papers it needs, a note, the batch)."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.core.forms import VersionField

from . import rules
from .choices import Early, Paper


class IsoDateField(forms.CharField):
    """A day sent by a button as YYYY-MM-DD."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise forms.ValidationError(_("Choose the batch from the list.")) from None


class ProposeForm(forms.Form):
    """The candidate's row posts its member, badge, batch and early award."""

    member = forms.IntegerField(min_value=1, max_value=2**62, widget=forms.HiddenInput)
    years = forms.TypedChoiceField(
        coerce=int, choices=[(y, y) for y in rules.MILESTONES], widget=forms.HiddenInput
    )
    batch = IsoDateField(widget=forms.HiddenInput)
    early = forms.ChoiceField(choices=Early.choices, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, batches: list[date], **kwargs):
        super().__init__(*args, **kwargs)
        self.batches = batches

    def clean_batch(self):
        """Only one of the batches the page offers (this year's and next year's)."""
        day = self.cleaned_data["batch"]
        if day not in self.batches:
            raise forms.ValidationError(_("Choose the batch from the list."))
        return day


class ProposalForm(forms.Form):
    """The dossier of one proposal: the papers at hand (only those it needs), a note, the batch."""

    papers = forms.MultipleChoiceField(
        label=_("Papers of the dossier at hand"), required=False, widget=forms.CheckboxSelectMultiple
    )
    batch = forms.TypedChoiceField(label=_("Badge award batch"), coerce=date.fromisoformat)
    note = forms.CharField(
        label=_("Note on the proposal"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = VersionField()

    def __init__(self, *args, early: str, batches: list[date], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["papers"].choices = [(code, Paper(code).label) for code in rules.papers_required(early)]
        self.fields["batch"].choices = [(day.isoformat(), f"{day:%d/%m/%Y}") for day in batches]


def proposal_initial(proposal) -> dict:
    return {
        "papers": list(proposal.papers or []),
        "batch": proposal.batch.isoformat(),
        "note": proposal.note,
        "version": proposal.version,
    }
