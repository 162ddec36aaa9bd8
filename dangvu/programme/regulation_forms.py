"""The form of a cell's regulation review. The checks that decide (a cell, the kinds from the lists,
a date not in the future) are the service's; the form only reads input and offers the cells the user
records for."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dangvu.core.forms import VNDateField
from dangvu.organization.models import Organization

from .choices import RegulationKind, ReviewKind
from .models import RegulationReview


def _label(name: str):
    return capfirst(RegulationReview._meta.get_field(name).verbose_name)


class CellChoice(forms.ModelChoiceField):
    def label_from_instance(self, cell: Organization) -> str:
        return f"{cell.name} ({cell.code})"


class ReviewForm(forms.Form):
    """What a cell did with its working regulations or coordination rules, when, under which document."""

    cell = CellChoice(label=_label("cell"), queryset=Organization.objects.none())
    regulation = forms.ChoiceField(label=_label("regulation"), choices=RegulationKind.choices)
    review = forms.ChoiceField(label=_label("review"), choices=ReviewKind.choices)
    reviewed_on = VNDateField(label=_label("reviewed_on"))
    document_number = forms.CharField(
        label=_label("document_number"), max_length=64, required=False, help_text=_("E.g. 01-QC/CB.")
    )
    note = forms.CharField(label=_label("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, cells, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cell"].queryset = cells
