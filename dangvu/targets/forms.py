"""Forms of targets and of past years' entered figures. The services check the values (rules.py):
the forms only carry what was typed, so that a refusal comes back on its field."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.core import metrics
from dangvu.core.forms import VersionField

from .choices import Op


def figure_choices() -> list[tuple[str, str]]:
    """Every figure of the contract in its order, by its label; a percentage marked as one."""
    return [
        (m.key, f"{m.label} (%)" if m.kind == metrics.RATIO else str(m.label)) for m in metrics.implemented()
    ]


LARGEST = Decimal("1e14")  # far above any figure, well inside the column (16 digits)


def _number(text: str) -> str:
    """A number as typed, with the decimal comma Vietnamese writes ("80,5")."""
    return text.strip().replace(",", ".")


def _clean_number(text: str, message: str) -> str:
    """The typed number ("" when blank), or a refusal: not a number, or beyond any real figure."""
    typed = _number(text)
    if not typed:
        return ""
    try:
        number = Decimal(typed)
    except InvalidOperation:
        raise forms.ValidationError(message) from None
    if not number.is_finite():
        raise forms.ValidationError(message)
    if abs(number) >= LARGEST:
        raise forms.ValidationError(_("The number is too large for a figure."))
    return typed


def value_label(key: str) -> str:
    """The value field's label, saying what is typed for the chosen figure."""
    metric = metrics.get(key) if key else None
    if metric is None:
        return str(_("Target value"))
    if metric.kind == metrics.RATIO:
        return str(_("Target value (a percentage, 0 to 100)"))
    return str(_("Target value (a count)"))


class TargetForm(forms.Form):
    metric = forms.ChoiceField(label=_("Figure targeted"), required=False)
    op = forms.ChoiceField(
        label=_("How the figure is compared"), required=False, choices=[("", "—"), *Op.choices]
    )
    value = forms.CharField(
        label=_("Target value"),
        required=False,
        max_length=20,
        help_text=_(
            "For a percentage figure (marked %): a number from 0 to 100, with at most one decimal; "
            "for a count: a whole number."
        ),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    text = forms.CharField(
        label=_("Written target"),
        required=False,
        max_length=2000,
        help_text=_("For what no figure measures (e.g. ethical standards): leave the figure blank."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note = forms.CharField(
        label=_("Note on the target"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = VersionField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [("", _("— none: a written target —")), *figure_choices()]
        key = self.data.get("metric") if self.is_bound else self.initial.get("metric")
        self.fields["value"].label = value_label(key or "")

    def clean_value(self) -> str:
        return _clean_number(self.cleaned_data["value"], _("Enter the target's value as a number."))

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "metric": data["metric"],
            "op": data["op"],
            "value": data["value"] or None,
            "text": data["text"],
            "note": data["note"],
        }


class FigureForm(forms.Form):
    metric = forms.ChoiceField(label=_("Figure of the year"))
    value = forms.CharField(
        label=_("Value of the figure"),
        required=False,
        max_length=20,
        help_text=_("For a percentage, either the value or the numerator and the denominator."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    numerator = forms.IntegerField(
        label=_("Numerator of the figure"), required=False, min_value=0, max_value=2_000_000_000
    )
    denominator = forms.IntegerField(
        label=_("Denominator of the figure"), required=False, min_value=0, max_value=2_000_000_000
    )
    note = forms.CharField(
        label=_("Note on the figure"),
        required=False,
        max_length=2000,
        help_text=_("Where the figure comes from, e.g. the report of the year."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = VersionField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = figure_choices()

    def clean_value(self) -> str:
        return _clean_number(self.cleaned_data["value"], _("Enter the figure's value as a number."))

    def clean(self):
        data = super().clean()
        key = data.get("metric")
        metric = metrics.get(key) if key else None
        both = data.get("numerator") is not None and data.get("denominator") is not None
        if (
            metric is not None
            and "value" in data
            and not data["value"]
            and not (metric.kind == metrics.RATIO and both)
        ):
            self.add_error("value", _("Enter the figure's value."))
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "metric": data["metric"],
            "value": data["value"] or None,
            "numerator": data["numerator"],
            "denominator": data["denominator"],
            "note": data["note"],
        }
