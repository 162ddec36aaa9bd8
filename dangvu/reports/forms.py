"""Forms of report requests and submissions."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.core.forms import ModelChoices, VersionField, VNDateField
from dangvu.organization.models import Organization

from . import rules
from .choices import PeriodKind


class TimeInput(forms.TimeInput):
    input_type = "text"

    def __init__(self):
        super().__init__(attrs={"placeholder": "hh:mm", "inputmode": "numeric"}, format="%H:%M")


class RequestForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    period_kind = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices)
    year = forms.IntegerField(label=_("Year of the first period"), min_value=2000, max_value=2100)
    number = forms.IntegerField(
        label=_("First period"),
        min_value=1,
        max_value=12,
        initial=1,
        help_text=_("The month (1–12), quarter (1–4) or half (1–2); 1 for a year or a one-off report."),
    )
    first_due = VNDateField(label=_("Due date (of the first period)"))
    due_time = forms.TimeField(
        label=_("Due time"),
        required=False,
        widget=TimeInput(),
        help_text=_("Leave empty: the report is due by 23:59:59 on the due date."),
    )
    repeats = forms.BooleanField(label=_("Repeats every period"), required=False)
    repeat_until = VNDateField(
        label=_("Repeat until"),
        required=False,
        help_text=_("Each later period is due on the same day of the month; 31 means the month's last day."),
    )
    move_to_working_day = forms.BooleanField(
        label=_("A due date on a day off moves to the next working day"), required=False
    )
    requires_file = forms.BooleanField(label=_("A file is required (Word, PDF, Excel...)"), required=False)
    form_text = forms.CharField(
        label=_("Figures and text to fill in"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One item per line; end a line with “(số)” when the answer is a number."),
    )
    instructions = forms.CharField(
        label=_("Instructions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    all_cells = forms.BooleanField(
        label=_("Every cell under this organisation"), required=False, initial=True
    )
    recipients = ModelChoices(
        label=_("Or only these cells"), queryset=Organization.objects.none(), required=False
    )

    def __init__(self, *args, cells, **kwargs):
        super().__init__(*args, **kwargs)
        self.cells = cells
        self.fields["recipients"].queryset = Organization.objects.filter(
            pk__in=[c.pk for c in cells]
        ).order_by("code")

    def clean_form_text(self) -> list[rules.FormField]:
        try:
            return rules.parse_form_fields(self.cleaned_data.get("form_text") or "")
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self):
        data = super().clean()
        if data.get("all_cells"):
            data["recipients"] = list(self.cells)
        elif not data.get("recipients"):
            self.add_error("recipients", _("Choose at least one cell."))
        if data.get("repeats") and not data.get("repeat_until") and data.get("year"):
            data["repeat_until"] = date(data["year"], 12, 31)
        if not data.get("repeats"):
            data["repeat_until"] = None
        return data


def template_initial(template: rules.Template | None, today: date) -> dict:
    """What a template prefills: the period holding today and its usual due date."""
    if template is None:
        return {
            "year": today.year,
            "number": today.month,
            "period_kind": PeriodKind.MONTH,
            "requires_file": True,
        }
    step = rules.STEP_MONTHS[template.kind]
    period = rules.Period(template.kind, today.year, (today.month - 1) // step + 1)
    if rules.template_first_due(template, period) < today:  # its due date has passed: the next one
        period = period.following(1)
    return {
        "title": str(template.title),
        "period_kind": template.kind,
        "year": period.year,
        "number": period.number,
        "first_due": rules.template_first_due(template, period),
        "repeats": template.kind in {PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF},
        "repeat_until": date(period.year, 12, 31),
        "requires_file": template.requires_file,
        "form_text": template.fields,
    }


class RequestEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    instructions = forms.CharField(
        label=_("Instructions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = VersionField()


class SubmitForm(forms.Form):
    """The cell's sending: the request's own form items, its file, and a note."""

    file = forms.FileField(label=_("Report file"), required=False)
    note = forms.CharField(
        label=_("Note to the office"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args, items: list[dict], requires_file: bool, has_file: bool, initial_values=None, **kw
    ):
        super().__init__(*args, **kw)
        fields = {}
        for item in items:
            if item["number"]:
                field = forms.CharField(
                    label=item["label"],
                    required=False,
                    widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                )
            else:
                field = forms.CharField(
                    label=item["label"], required=False, widget=forms.Textarea(attrs={"rows": 2})
                )
            fields[item["key"]] = field
        self.fields = {**fields, **self.fields}
        if initial_values:
            self.initial.update(initial_values)
        self.items = items
        if requires_file:
            self.fields["file"].help_text = (
                _("Required. A correction without a new file keeps the file last sent.")
                if has_file
                else _("Required: PDF, Word, Excel, OpenDocument or a picture, at most 20 MB.")
            )

    def values(self) -> dict:
        return {item["key"]: self.cleaned_data.get(item["key"], "") for item in self.items}


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("What is missing or wrong"), widget=forms.Textarea(attrs={"rows": 2}))
    version = VersionField()


class RescheduleForm(forms.Form):
    due_date = VNDateField(label=_("Due date"))
    due_time = forms.TimeField(label=_("Due time"), required=False, widget=TimeInput())
    version = VersionField()
