"""Forms of the document register: its filter, the report asked for, a draft's text, issuing it and
the office's letterhead settings. The services check the values (rules.py, services.py): the forms
only carry what was typed, so that a refusal comes back on its field."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dangvu.core import periods
from dangvu.core.forms import VersionField, VNDateField

from . import rules
from .choices import DocType, Numbering
from .content import Content
from .models import DocumentSettings
from .services import MAX_NUMBER, MAX_SECTION_TEXT

MAX_RECIPIENTS_TEXT = 5_000


def _year_field(label, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=periods.FIRST_YEAR,
        max_value=periods.LAST_YEAR,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        **kwargs,
    )


class VersionRefusal(forms.Form):
    """A form read at a version (hidden): a missing or forged one is said on the form, not hidden."""

    def clean(self):
        data = super().clean()
        if "version" in self.errors:
            self.add_error(None, _("The page was sent incomplete: reload it and make your change again."))
        return data


class RegisterFilterForm(forms.Form):
    """The register's filter (?nam=, ?loai=): a value that is not one is reported and ignored."""

    nam = _year_field(_("Year the document is about"), required=False)
    loai = forms.ChoiceField(
        label=capfirst(_("kind of document")),
        required=False,
        choices=[("", _("All kinds of document")), *DocType.choices],
    )


REPORT_KINDS = [
    ("annual", _("Annual summary report (báo cáo tổng kết)")),
    ("midyear", _("Six-month review (sơ kết 6 tháng)")),
]
FORMAT_CHOICES = [("docx", _("Word (DOCX), to edit")), ("pdf", _("PDF, to print"))]


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report to write"), choices=REPORT_KINDS, widget=forms.RadioSelect)
    year = _year_field(_("Year of the report"))
    fmt = forms.ChoiceField(label=_("File format"), choices=FORMAT_CHOICES, widget=forms.RadioSelect)

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if year > periods.today().year:
            raise forms.ValidationError(_("A report cannot be written for a year that has not begun."))
        return year


def section_field(index: int) -> str:
    return f"section_{index}"


class DraftTextForm(VersionRefusal):
    """One text box per editable section of the draft (its heading as the label), and the addressee."""

    addressee = forms.CharField(
        label=_("Addressee (Kính gửi / Kính mời)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    recipients = forms.CharField(
        label=_("Recipients (Nơi nhận), one per line"),
        required=False,
        max_length=MAX_RECIPIENTS_TEXT,
        help_text=_(
            "One recipient on each line, e.g. “- Ban Thường vụ Đảng ủy,”. “- ” is added when missing."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = VersionField()

    def __init__(self, *args, content: Content, **kwargs):
        super().__init__(*args, **kwargs)
        self.indexes: list[int] = []
        for index, section in enumerate(content.sections):
            if not section.editable:
                continue
            self.indexes.append(index)
            label = section.heading or _("Text without a heading (part %(n)d)") % {"n": index + 1}
            self.fields[section_field(index)] = forms.CharField(
                label=label,
                required=False,
                max_length=MAX_SECTION_TEXT,
                strip=False,
                initial=section.text,
                help_text=_("A table below this text is kept as written from the data.")
                if section.table
                else "",
                widget=forms.Textarea(attrs={"rows": _rows(section.text)}),
            )
        self.fields["addressee"].initial = content.addressee
        self.fields["recipients"].initial = "\n".join(content.recipients)
        # The recipients after the addressee, before the sections.
        self.fields = {
            name: self.fields[name]
            for name in (
                "addressee",
                "recipients",
                *(n for n in self.fields if n not in ("addressee", "recipients")),
            )
        }
        # The version last, after the sections: the order the page shows.
        self.fields["version"] = self.fields.pop("version")

    def texts(self) -> dict[int, str]:
        return {index: self.cleaned_data[section_field(index)] for index in self.indexes}

    def recipients_lines(self) -> list[str] | None:
        """The lines typed in "Nơi nhận" (the service strips them, drops blank ones, adds "- "); None
        when the box was not sent at all (the recipients stay as they are)."""
        if "recipients" not in self.data:
            return None
        return self.cleaned_data["recipients"].splitlines()


def _rows(text: str) -> int:
    return max(3, min(20, len(text) // 70 + text.count("\n") + 2))


class IssueForm(VersionRefusal):
    issued_on = VNDateField(label=_("Date of issue"))
    number = forms.CharField(
        label=_("Number assigned elsewhere"),
        required=False,
        max_length=20,
        help_text=_(
            "Leave it blank: the register gives the next number. Type a number only when it was "
            "assigned elsewhere (for example in the paper register)."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    version = VersionField()

    def clean_number(self) -> int | None:
        typed = self.cleaned_data["number"].strip()
        if not typed:
            return None
        if not (typed.isascii() and typed.isdigit()) or not 0 < int(typed) <= MAX_NUMBER:
            raise forms.ValidationError(_("Type the number as a whole number from 1 to 99999."))
        return int(typed)


SYMBOL_HELP = {
    DocType.INVITATION: _(
        "GM is common practice for an invitation, not confirmed as prescribed: use your committee's own."
    ),
    DocType.MINUTES: _(
        "BB is common practice for minutes, not confirmed as prescribed: use your committee's own."
    ),
}


def symbol_field(doc_type: str) -> str:
    return f"symbol_{doc_type}"


LETTERHEAD_HELP = {
    "issuer_symbol": _("Letters only, e.g. ĐU for a đảng ủy, CB for a chi bộ."),
    "place": _("Written before the date, e.g. Hà Nội."),
    "signer_name": _("Blank: the secretary holding the seat on the day of the document."),
}


class SettingsForm(VersionRefusal):
    """The letterhead and numbering of an issuer; a blank field takes the default shown greyed
    (derived from the organisation)."""

    TEXTS = ("superior", "issuer", "issuer_symbol", "place", "authority", "signer_title", "signer_name")

    numbering = forms.ChoiceField(label=_("How the numbers run"), choices=Numbering.choices)
    term_starts_on = VNDateField(
        label=_("First day of the term"),
        required=False,
        help_text=_("Needed only when the numbers run through the term."),
    )
    version = VersionField(required=False)

    def __init__(self, *args, defaults: rules.Letterhead, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.TEXTS:
            model_field = DocumentSettings._meta.get_field(name)
            shown = getattr(defaults, name)
            self.fields[name] = forms.CharField(
                label=capfirst(model_field.verbose_name),
                required=False,
                max_length=model_field.max_length,
                help_text=LETTERHEAD_HELP.get(name, ""),
                widget=forms.TextInput(attrs={"placeholder": shown} if shown else {}),
            )
        for doc_type, label in DocType.choices:
            self.fields[symbol_field(doc_type)] = forms.CharField(
                label=_("Symbol of: %(kind)s") % {"kind": label},
                required=False,
                max_length=8,
                help_text=SYMBOL_HELP.get(doc_type, ""),
                widget=forms.TextInput(attrs={"placeholder": rules.TYPE_SYMBOLS[doc_type]}),
            )

    def symbol_fields(self):
        return [self[symbol_field(doc_type)] for doc_type in DocType.values]

    def letterhead_fields(self):
        return [self[name] for name in self.TEXTS]

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            **{name: data[name].strip() for name in self.TEXTS},
            "numbering": data["numbering"],
            "term_starts_on": data["term_starts_on"],
            "type_symbols": {
                doc_type: data[symbol_field(doc_type)].strip()
                for doc_type in DocType.values
                if data[symbol_field(doc_type)].strip()
            },
        }


def settings_initial(own: DocumentSettings) -> dict:
    initial = {name: getattr(own, name) for name in SettingsForm.TEXTS}
    initial |= {
        "numbering": own.numbering,
        "term_starts_on": own.term_starts_on,
        "version": own.version if own.pk else None,
    }
    for doc_type, symbol in (own.type_symbols or {}).items():
        initial[symbol_field(doc_type)] = symbol
    return initial
