"""Forms of the badge register: a new award (member and badge chosen), a correction (version-checked),
a deletion with its reason, a grave illness. They check what was typed; the register's rules are the
services' (services.award_record and the others)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.core.forms import VersionField, VNDateField
from dangvu.members.forms import MemberChoice
from dangvu.members.models import Member

from . import services
from .choices import BADGE_YEARS, Early


def _number(label, help_text=""):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=999_999_999,
        required=False,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class AwardEditForm(forms.Form):
    """What a line of the register records, its member and badge aside."""

    awarded_on = VNDateField(label=_("Badge award decision date"))
    decision_number = forms.CharField(label=_("Badge award decision number"), max_length=64, required=False)
    issuer = forms.CharField(label=_("Badge award decided by"), max_length=255, required=False)
    batch = VNDateField(label=_("Badge award batch (3/2, 19/5, 2/9, 7/11)"), required=False)
    early = forms.ChoiceField(label=_("Early or posthumous award"), choices=Early.choices, required=False)
    badge_number = forms.CharField(label=_("Badge number"), max_length=20, required=False)
    handed_over_on = VNDateField(label=_("Badge handed over on"), required=False)
    money_paid = _number(_("Badge money paid (VND)"))
    note = forms.CharField(
        label=_("Note on the award"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = VersionField()

    FIELDS = services.AWARD_FIELDS

    def values(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.FIELDS}
        for name in ("decision_number", "issuer", "early", "badge_number", "note"):
            data[name] = data[name] or ""
        return data


class AwardAddForm(AwardEditForm):
    """A new line of the register: the member (among those the user manages) and the badge."""

    member = MemberChoice(label=_("Member awarded the badge"), queryset=Member.objects.none())
    years = forms.TypedChoiceField(label=_("Party badge"), choices=BADGE_YEARS, coerce=int)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["version"]
        self.fields["member"].queryset = members
        self.order_fields(["member", "years", *self.FIELDS])


class AwardDeleteForm(forms.Form):
    version = VersionField()
    reason = forms.CharField(label=_("Why the award is deleted"), max_length=255)


class IllnessForm(forms.Form):
    recorded_on = VNDateField(label=_("Grave illness recorded on"))
    evidence = forms.CharField(
        label=_("Evidence of the grave illness"),
        max_length=255,
        help_text=_("E.g. the medical record's number and the hospital."),
    )
