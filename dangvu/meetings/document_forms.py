"""Forms of the documents to study and of the office's meeting settings. The checks that decide
(dates, the file's kind and size, the settings' ranges) are the services'; a form only reads input."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dangvu.core.forms import VersionField, VNDateField

from . import rules
from .choices import DocumentKind
from .models import MeetingSettings, StudyDocument

FIELDS = ("kind", "number", "issuer", "issued_on", "title", "set_on", "study_by")


def _label(name: str):
    """A field's label: the model's verbose name, capitalised (as the sessions' forms do)."""
    return capfirst(StudyDocument._meta.get_field(name).verbose_name)


class DocumentForm(forms.Form):
    """A document the office sets to be studied (issue 7, point 1)."""

    kind = forms.ChoiceField(label=_label("kind"), choices=DocumentKind.choices)
    number = forms.CharField(
        label=_label("number"), max_length=64, required=False, help_text=_("E.g. 57-NQ/TW.")
    )
    issuer = forms.CharField(label=_label("issuer"), max_length=255, required=False)
    issued_on = VNDateField(label=_label("issued_on"), required=False)
    title = forms.CharField(label=_label("title"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(
        label=_("File of the document"),
        required=False,
        help_text=_("PDF, Word, Excel, OpenDocument or a JPG/PNG picture, at most 20 MB."),
    )
    set_on = VNDateField(
        label=_label("set_on"),
        help_text=_("Every member active and not exempt on this day owes the document."),
    )
    study_by = VNDateField(label=_label("study_by"))

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in FIELDS}


class DocumentEditForm(DocumentForm):
    version = VersionField()

    def __init__(self, *args, document: StudyDocument, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("Replace the file")
        if document.file:
            self.fields["file"].help_text = _("Leave empty to keep %(name)s.") % {
                "name": document.file_name or document.file.name
            }


def document_initial(document: StudyDocument) -> dict:
    return {name: getattr(document, name) for name in FIELDS} | {"version": document.version}


class SettingsForm(forms.Form):
    """The office's settings for its cells (rules.md "Product defaults")."""

    thematic_every_months = forms.TypedChoiceField(
        label=_("Thematic meetings at least"),
        coerce=int,
        choices=MeetingSettings._meta.get_field("thematic_every_months").choices,
        help_text=_("Under the earlier guidance a cell holds a thematic meeting at least every quarter."),
    )
    min_minutes = forms.IntegerField(
        label=_("Shortest regular meeting (minutes)"),
        widget=forms.NumberInput(
            attrs={
                "min": rules.MIN_MINUTES_RANGE[0],
                "max": rules.MIN_MINUTES_RANGE[1],
                "inputmode": "numeric",
            }
        ),
        help_text=_("HD 42-HD/BTCTW: a regular meeting lasts at least 90 minutes. Shorter ones are flagged."),
    )
    version = VersionField(required=False)
