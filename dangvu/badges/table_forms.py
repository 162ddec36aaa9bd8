"""Forms of the money tables and of a committee's badge settings. They check what was typed; the
rules (positive amounts, one row a day, windows covering the year) are the services'."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.core.forms import VersionField, VNDateField

from .choices import BADGE_YEARS

NATIONAL, OWN = "national", "own"
BATCH_ROWS = 6  # the usual 4 batches and 2 empty rows


class BaseSalaryForm(forms.Form):
    starts_on = VNDateField(label=_("Base salary in force from"))
    amount = forms.IntegerField(
        label=_("Base salary (VND a month)"),
        min_value=1,
        max_value=999_999_999,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    decree = forms.CharField(label=_("Decree setting the base salary"), max_length=120, required=False)


class CoefficientForm(forms.Form):
    """A badge's coefficient from a day: national, or the committee's own (`level` is offered only
    to who may set both)."""

    level = forms.ChoiceField(label=_("Coefficient table"), widget=forms.RadioSelect)
    years = forms.TypedChoiceField(label=_("Party badge"), coerce=int, choices=BADGE_YEARS)
    starts_on = VNDateField(label=_("Coefficient in force from"))
    value = forms.DecimalField(
        label=_("Coefficient (base salaries)"),
        min_value=Decimal("0.01"),
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    source = forms.CharField(label=_("Source of the coefficient"), max_length=255, required=False)

    def __init__(self, *args, levels: list[str], org_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {NATIONAL: _("National table"), OWN: _("Own amount of %(name)s") % {"name": org_name}}
        self.fields["level"].choices = [(level, labels[level]) for level in levels]
        if len(levels) == 1:
            self.fields["level"].widget = forms.HiddenInput()
            self.initial["level"] = levels[0]


class SettingsForm(forms.Form):
    """The batches as rows (day, month, first month of the window; an empty row is ignored), the
    province's symbol and where the wait after a discipline runs from."""

    province_symbol = forms.CharField(
        label=_("Province symbol on badge numbers"),
        max_length=4,
        required=False,
        help_text=_("E.g. HN: badge numbers read “HN 00000001”."),
    )
    wait_from_effective_date = forms.BooleanField(
        label=_("Count the wait after a discipline from its effective date (else from its decision)"),
        required=False,
    )
    version = VersionField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(BATCH_ROWS):
            for part, label, top in (
                ("day", _("Batch day"), 31),
                ("month", _("Batch month"), 12),
                ("first", _("First month of the window"), 12),
            ):
                self.fields[f"batch_{i}_{part}"] = forms.IntegerField(
                    label=label,
                    min_value=1,
                    max_value=top,
                    required=False,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                )

    def rows(self):
        """The batch rows as (day field, month field, first-month field)."""
        return [
            (self[f"batch_{i}_day"], self[f"batch_{i}_month"], self[f"batch_{i}_first"])
            for i in range(BATCH_ROWS)
        ]

    def clean(self):
        data = super().clean()
        batches = []
        for i in range(BATCH_ROWS):
            row = [data.get(f"batch_{i}_{part}") for part in ("month", "day", "first")]
            if all(v is None for v in row):
                continue
            if any(v is None for v in row):
                if not self.has_error(f"batch_{i}_day"):
                    self.add_error(
                        f"batch_{i}_day",
                        _("Fill in the batch's day, month and first month, or none of them."),
                    )
                continue
            batches.append(row)
        if not batches and not self.errors:
            raise forms.ValidationError(_("Set at least one award batch."))
        data["batches"] = batches
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "batches": data["batches"],
            "province_symbol": data["province_symbol"],
            "wait_from_effective_date": data["wait_from_effective_date"],
        }


def settings_initial(settings, version: int | None) -> dict:
    """The form's values from the settings in force (an unsaved default row included)."""
    initial = {
        "province_symbol": settings.province_symbol,
        "wait_from_effective_date": settings.wait_from_effective_date,
        "version": version,
    }
    for i, (month, day, first) in enumerate(settings.batches[:BATCH_ROWS]):
        initial |= {f"batch_{i}_day": day, f"batch_{i}_month": month, f"batch_{i}_first": first}
    return initial
