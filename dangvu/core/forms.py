"""Forms shared by every app: dates typed dd/mm/yyyy, the forced password change, the language."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from .audit import StaleVersionError
from .models import DayKind


class VNDateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy (a text box: the browser's date picker follows its own locale)."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", **(attrs or {})},
            format="%d/%m/%Y",
        )


class VNDateField(forms.DateField):
    widget = VNDateInput
    default_error_messages = {"invalid": _("Enter a date as dd/mm/yyyy.")}


class VersionField(forms.IntegerField):
    """The version the form was read at: a save from a stale form is refused, not applied."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=1, **kwargs)


class ModelChoices(forms.ModelMultipleChoiceField):
    """Ticks of records. An id beyond the database's integer range (a forged form) is refused as an
    unknown choice: Django's own field looks it up with `__in`, which SQLite cannot bind (a server
    error)."""

    widget = forms.CheckboxSelectMultiple
    _LIMIT = 2**63

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk))
            except ValueError:
                continue  # not a number: the parent answers it
            if not -self._LIMIT <= number < self._LIMIT:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(value)


class VersionOnlyForm(forms.Form):
    """A bare confirmation read at a version (a deletion, a cancellation, a withdrawal)."""

    version = VersionField()


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=[("vi", "Tiếng Việt"), ("en", "English")])


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the token"),
        max_length=100,
        help_text=_("What will use it, e.g. “the province's reporting tool”."),
    )


class CalendarDayForm(forms.Form):
    day = VNDateField(label=_("Date"))
    kind = forms.ChoiceField(label=_("Kind of day"), choices=DayKind.choices)
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("E.g. “Tết Nguyên Đán”, “Working day in exchange for 02/05”."),
    )
    version = VersionField(required=False)


def add_refusal(form: forms.Form, exc: Exception) -> None:
    """Put a service's refusal on the form, in the user's language: on the fields it names, else
    on the form. Nothing was written."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))


# Django's own strings that its Vietnamese catalogue leaves untranslated; listed here so that ours
# (which takes precedence) carries them.
DJANGO_STRINGS = [gettext_noop("- Select an option -")]


def write_from_form(request, form, write, *, done: str, back: str, done_url: str | None = None):
    """Run a service from a bound form, the way every edit form answers: written → the message and
    to `done_url` (the object written; `back` when not given); read at an older version → the stale
    message and back to `back` (the form, to reload); refused → the refusal on the form and None,
    for the view to show the page again (400)."""
    if not form.is_valid():
        return None
    try:
        write(form.cleaned_data)
    except StaleVersionError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    except ValidationError as exc:
        add_refusal(form, exc)
        return None
    messages.success(request, done)
    return redirect(done_url or back)
