"""Forms of the member pages; the services apply the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.core.forms import VersionField, VNDateField

from . import rules
from .models import Member, MemberEvent
from .services import EVENT_FIELDS

MEMBER_FIELDS = [
    "gender",
    "other_names",
    "hometown",
    "residence",
    "ethnicity",
    "religion",
    "occupation",
    "introducers",
    "youth_union_date",
    "general_education",
    "professional_education",
    "political_theory",
    "foreign_languages",
    "it_level",
    "health",
    "war_invalid",
    "martyr_family",
    "merit_family",
    "citizen_id",
    "record_number",
    "card_number",
    "card_issued_on",
    "family",
    "economy",
]
NEW_ADMISSION_LABEL = _("A new admission, made now (not a past record)")
NEW_ADMISSION_HELP = _(
    "For a new admission the age rule (a full 18 to a full 60) is enforced; for a past record it "
    "is only flagged."
)
DATE_FIELDS = {"youth_union_date": VNDateField, "card_issued_on": VNDateField}


class MemberChoice(forms.ModelChoiceField):
    """A member chosen from a list, named with their cell's code (two people may share a name)."""

    def label_from_instance(self, member: Member) -> str:
        return f"{member.person.full_name} ({member.person.organization.code})"


class MemberForm(forms.ModelForm):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    date_of_birth = VNDateField(label=_("Date of birth"))

    field_order = ["full_name", "date_of_birth", *MEMBER_FIELDS]

    class Meta:
        model = Member
        fields = MEMBER_FIELDS
        field_classes = DATE_FIELDS
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in ("introducers", "family", "economy")}

    def clean_citizen_id(self) -> str:
        return rules.citizen_id_digits(self.cleaned_data["citizen_id"])


class MemberCreateForm(MemberForm):
    cell = forms.TypedChoiceField(label=_("Cell"), coerce=int)
    admission_decision = VNDateField(label=_("Date of the admission decision"), required=False)
    ceremony = VNDateField(label=_("Date of the admission ceremony"), required=False)
    recognition = VNDateField(label=_("Date of the recognition decision"), required=False)
    new_admission = forms.BooleanField(
        label=NEW_ADMISSION_LABEL, required=False, help_text=NEW_ADMISSION_HELP
    )

    field_order = [
        "full_name",
        "date_of_birth",
        "cell",
        "admission_decision",
        "ceremony",
        "recognition",
        "new_admission",
        *MEMBER_FIELDS,
    ]

    def __init__(self, *args, cells=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cell"].choices = [(c.pk, c.name) for c in cells]


class MemberEditForm(MemberForm):
    version = VersionField()


class EventForm(forms.ModelForm):
    class Meta:
        model = MemberEvent
        fields = list(EVENT_FIELDS)  # what the service accepts, in the same order
        field_classes = {"date": VNDateField, "end_date": VNDateField, "effective_date": VNDateField}
        widgets = {"reason": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "cell": _("The cell admitted to, moved to or received in."),
            "end_date": _("For an exemption, a suspension or a temporary transfer."),
        }

    new_admission = forms.BooleanField(
        label=NEW_ADMISSION_LABEL, required=False, help_text=NEW_ADMISSION_HELP
    )

    def __init__(self, *args, cells=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cells is not None:
            self.fields["cell"].queryset = cells


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Name (accents optional)"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("active", _("Active members")),
            ("probationary", _("Probationary")),
            ("official", _("Official")),
            ("exempt", _("Exempt from activities")),
            ("deceased", _("Deceased")),
            ("left", _("Left the Party")),
            ("transferred_out", _("Transferred out")),
            ("all", _("All records")),
        ],
    )
    gender = forms.ChoiceField(
        label=_("Gender"), required=False, choices=[("", "—"), *Member._meta.get_field("gender").choices]
    )
    age_from = forms.IntegerField(label=_("Age from"), required=False, min_value=0, max_value=130)
    age_to = forms.IntegerField(label=_("Age to"), required=False, min_value=0, max_value=130)
    party_age_from = forms.IntegerField(
        label=_("Party age from (years)"), required=False, min_value=0, max_value=100
    )
    party_age_to = forms.IntegerField(
        label=_("Party age to (years)"), required=False, min_value=0, max_value=100
    )
