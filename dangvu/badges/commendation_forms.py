"""Forms of the commendations register: a new commendation (its subject: an organisation, or a
member kept at the member's cell) and a correction. They check what was typed; the register's rules
are the services' (commendations.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.core import periods
from dangvu.core.forms import VersionField, VNDateField
from dangvu.members.forms import MemberChoice
from dangvu.members.models import Member
from dangvu.organization.models import Organization

from .choices import CommendationForm

AMOUNT_HELP = _(
    "Leave empty for a member's certificate of merit for an “excellent” rating: the register sets "
    "0.3 × the base salary in force on the decision date."
)


class OrganizationChoice(forms.ModelChoiceField):
    def label_from_instance(self, org: Organization) -> str:
        return f"{org.code} — {org.name}"


class CommendationEditForm(forms.Form):
    """What a commendation records, its subject aside."""

    form = forms.ChoiceField(label=_("Form of commendation"), choices=CommendationForm.choices)
    issuer = forms.CharField(label=_("Commendation issued by"), max_length=255)
    decision_number = forms.CharField(label=_("Commendation decision number"), max_length=64, required=False)
    decided_on = VNDateField(label=_("Commendation decision date"))
    reason = forms.CharField(
        label=_("Reason for the commendation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    rated_year = forms.IntegerField(
        label=_("For the rating of the year"),
        min_value=periods.FIRST_YEAR,
        max_value=periods.LAST_YEAR,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    amount = forms.IntegerField(
        label=_("Money with the commendation (VND)"),
        min_value=0,
        max_value=999_999_999,
        required=False,
        help_text=AMOUNT_HELP,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    version = VersionField()

    FIELDS = ("form", "issuer", "decision_number", "decided_on", "reason", "rated_year", "amount")

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class CommendationAddForm(CommendationEditForm):
    """A new commendation: an organisation of the subtree, or a member (kept at the member's cell:
    the organisation may be left empty)."""

    organization = OrganizationChoice(
        label=_("Organisation commended, or the member's cell"),
        queryset=Organization.objects.none(),
        to_field_name="code",
        required=False,
    )
    member = MemberChoice(label=_("Member commended"), queryset=Member.objects.none(), required=False)

    def __init__(self, *args, organizations, members, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["version"]
        self.fields["organization"].queryset = organizations
        self.fields["member"].queryset = members
        self.order_fields(["organization", "member", *self.FIELDS])

    def clean(self):
        data = super().clean()
        member, org = data.get("member"), data.get("organization")
        if not self.has_error("organization") and not self.has_error("member"):
            if member is None and org is None:
                raise forms.ValidationError(_("Choose the organisation or the member commended."))
            if org is None:
                data["organization"] = member.person.organization
        return data
