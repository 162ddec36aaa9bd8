"""Forms of the organisation pages. They validate input; the services apply the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.core.forms import VersionField, VersionOnlyForm, VNDateField  # noqa: F401 (VersionOnlyForm: kept importable)

from .choices import AccessRole, OrgKind, SeatRole


class OrganizationForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrgKind.choices)
    active_from = VNDateField(label=_("Active from"), required=False)
    active_to = VNDateField(label=_("Active until"), required=False)

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [(k, label) for k, label in OrgKind.choices if k in kinds]


class OrganizationEditForm(OrganizationForm):
    version = VersionField()


class SeatForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Person"), coerce=int, required=False, empty_value=None)
    new_person_name = forms.CharField(
        label=_("…or the full name of a new person"), max_length=150, required=False
    )
    role = forms.ChoiceField(label=_("Position"), choices=SeatRole.choices)
    term_start = VNDateField(label=_("Term from"))
    term_end = VNDateField(label=_("Term until"), required=False)
    part_time = forms.BooleanField(label=_("Part-time"), required=False, initial=True)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "—")] + [(p.pk, p.full_name) for p in people]

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("new_person_name") or "").strip():
            raise forms.ValidationError(_("Choose a person or type the name of a new one."))
        return data


class SeatEditForm(forms.Form):
    role = forms.ChoiceField(label=_("Position"), choices=SeatRole.choices)
    term_start = VNDateField(label=_("Term from"))
    term_end = VNDateField(label=_("Term until"), required=False)
    part_time = forms.BooleanField(label=_("Part-time"), required=False)
    version = VersionField()


class RoleGrantForm(forms.Form):
    username = forms.CharField(label=_("Login"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=AccessRole.choices)
