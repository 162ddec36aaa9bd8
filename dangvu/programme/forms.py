"""Forms of the inspection and supervision pages: the year's programme opened, an item, its move, its
conclusion with the remedial actions, and the report that an action is done. They check what was
typed; the rules are the services'."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dangvu.core.forms import VersionField, VNDateField
from dangvu.members.choices import DisciplineForm
from dangvu.members.forms import MemberChoice
from dangvu.members.models import Member
from dangvu.organization.models import Organization

from .choices import ItemKind, ItemState, Result

# The rows of remedial actions a conclusion form offers at first; "Add a row" adds one more.
ACTION_ROWS = 3
MAX_ACTION_ROWS = 30


class ProgrammeOpenForm(forms.Form):
    number = forms.CharField(label=capfirst(_("number and symbol")), max_length=64, required=False)
    adopted_on = VNDateField(label=capfirst(_("adopted on")), required=False)


class ItemFilterForm(forms.Form):
    """The programme page's filters (?trang-thai=, ?loai=); the year (?nam=) is read by year_param."""

    trang_thai = forms.ChoiceField(
        label=capfirst(_("state")), required=False, choices=[("", _("All states")), *ItemState.choices]
    )
    loai = forms.ChoiceField(
        label=capfirst(_("kind of work")), required=False, choices=[("", _("All kinds")), *ItemKind.choices]
    )


class ItemForm(forms.Form):
    """An item of the programme: what kind of work, whom it concerns, what, when, under which
    decision, who answers for it."""

    kind = forms.ChoiceField(label=capfirst(_("kind of work")), choices=ItemKind.choices)
    subject_cell = forms.ModelChoiceField(
        label=capfirst(_("cell concerned")), queryset=Organization.objects.none(), required=False
    )
    subject_member = MemberChoice(
        label=capfirst(_("member concerned")),
        queryset=Member.objects.none(),
        required=False,
        help_text=_("A cell or a member, not both; ongoing supervision may concern neither."),
    )
    content = forms.CharField(label=capfirst(_("content")), widget=forms.Textarea(attrs={"rows": 3}))
    starts_on = VNDateField(label=capfirst(_("from")))
    ends_on = VNDateField(label=capfirst(_("until")))
    decision_number = forms.CharField(
        label=capfirst(_("decision or plan number")), max_length=64, required=False
    )
    responsible = forms.CharField(label=capfirst(_("responsible")), max_length=255, required=False)
    version = VersionField(required=False)

    VALUES = (
        "kind",
        "subject_cell",
        "subject_member",
        "content",
        "starts_on",
        "ends_on",
        "decision_number",
        "responsible",
    )

    def __init__(self, *args, cells, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject_cell"].queryset = cells
        self.fields["subject_member"].queryset = members

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.VALUES}


class MoveForm(forms.Form):
    """Start, cancel (with a reason) or put back an item, read at a version."""

    to = forms.ChoiceField(
        choices=[(s, s.label) for s in (ItemState.IN_PROGRESS, ItemState.CANCELLED, ItemState.PLANNED)],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=capfirst(_("reason for cancelling")), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    version = VersionField()


class ConclusionForm(forms.Form):
    concluded_on = VNDateField(label=capfirst(_("concluded on")))
    conclusion = forms.CharField(label=capfirst(_("conclusion")), widget=forms.Textarea(attrs={"rows": 5}))
    result = forms.ChoiceField(label=capfirst(_("result")), choices=[("", "---------"), *Result.choices])
    discipline_form = forms.ChoiceField(
        label=capfirst(_("discipline decided")),
        required=False,
        choices=[("", _("No discipline")), *DisciplineForm.choices],
        help_text=_(
            "Only with the result “violation, discipline proposed” and an item concerning a member: "
            "the discipline is written on the member's record."
        ),
    )
    version = VersionField()


class ActionForm(forms.Form):
    """One remedial action of a conclusion; a row left empty is no action."""

    action = forms.CharField(
        label=capfirst(_("remedial action")), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    owner = forms.ModelChoiceField(
        label=capfirst(_("carried out by")), queryset=Organization.objects.none(), required=False
    )
    due_on = VNDateField(label=capfirst(_("due on")), required=False)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners

    def clean(self):
        data = super().clean()
        if data.get("action", "").strip() and not data.get("owner"):
            self.add_error("owner", _("Choose who carries out the remedial action."))
        if not data.get("action", "").strip() and (data.get("owner") and data.get("due_on")):
            self.add_error("action", _("Write what each remedial action is."))
        return data

    @property
    def filled(self) -> bool:
        return bool(self.cleaned_data.get("action", "").strip())


class BaseActionFormSet(forms.BaseFormSet):
    def __init__(self, *args, owners, **kwargs):
        self.owners = owners
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "owners": self.owners}


ActionFormSet = forms.formset_factory(
    ActionForm,
    formset=BaseActionFormSet,
    extra=ACTION_ROWS,
    max_num=MAX_ACTION_ROWS,
    validate_max=True,
    absolute_max=MAX_ACTION_ROWS,
)


class ActionDoneForm(forms.Form):
    done_on = VNDateField(label=capfirst(_("done on")))
    report = forms.CharField(
        label=capfirst(_("what was done")),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the cell did to put it right, and the document if any."),
    )
    version = VersionField()
