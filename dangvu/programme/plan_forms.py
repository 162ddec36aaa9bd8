"""Forms of the action plans, their tasks and the cells' notes. A form only reads input; the checks
that decide (dates against the plan, the cells of the organisation, a closed task) are the
services' (services/plans.py), whose refusals the views put on the form."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dangvu.core.forms import ModelChoices, VersionField, VNDateField

from .choices import NoteKind
from .models import ActionPlan, Note, Task


def _label(model, name: str):
    return capfirst(model._meta.get_field(name).verbose_name)


class PlanYearForm(forms.Form):
    """The list's filter: the year the plans were adopted (none: every year)."""

    nam = forms.IntegerField(label=_("Adopted in"), required=False, min_value=1900, max_value=2200)


class DocumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.number} — {obj.title}" if obj.number else obj.title


class PlanForm(forms.Form):
    """A new action plan: its title, number, the day it was adopted, the document it carries out."""

    title = forms.CharField(label=_label(ActionPlan, "title"), max_length=255)
    number = forms.CharField(
        label=_label(ActionPlan, "number"), max_length=64, required=False, help_text=_("E.g. 15-KH/DU.")
    )
    adopted_on = VNDateField(label=_label(ActionPlan, "adopted_on"))
    document = DocumentChoiceField(
        label=_label(ActionPlan, "document"),
        queryset=None,
        required=False,
        help_text=_("The resolution or directive to study that this plan carries out, if any."),
    )

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("title", "number", "adopted_on", "document")}


class CellsField(ModelChoices):
    def label_from_instance(self, obj) -> str:
        return obj.name


class TaskForm(forms.Form):
    """A task of a plan: what, who answers for it, the cells that carry it out, by when."""

    what = forms.CharField(label=_label(Task, "what"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible = forms.CharField(
        label=_label(Task, "responsible"),
        max_length=255,
        required=False,
        help_text=_("Who answers for the task, e.g. “Standing committee”, “Propaganda section”."),
    )
    cells = CellsField(label=_label(Task, "cells"), queryset=None, required=False)
    due_on = VNDateField(label=_label(Task, "due_on"), required=False)

    def __init__(self, *args, cells, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cells"].queryset = cells

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("what", "responsible", "cells", "due_on")}


class TaskEditForm(TaskForm):
    version = VersionField()


class TaskDoneForm(forms.Form):
    done_on = VNDateField(label=_label(Task, "done_on"))
    evidence = forms.CharField(
        label=_label(Task, "evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The document or the result that shows the task is done."),
    )
    version = VersionField()


class TaskDropForm(forms.Form):
    reason = forms.CharField(label=_label(Task, "drop_reason"), widget=forms.Textarea(attrs={"rows": 3}))
    version = VersionField()


class NoteForm(forms.Form):
    """What a cell writes on a task: its progress, a difficulty or a proposal; `cells` are those the
    user writes for (a list: the form renders without a query, once per task on a plan's page)."""

    cell = forms.TypedChoiceField(label=_label(Note, "cell"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind of report"), choices=NoteKind.choices)
    text = forms.CharField(label=_label(Note, "text"), widget=forms.Textarea(attrs={"rows": 3}))
    raised_on = VNDateField(label=_label(Note, "raised_on"))

    def __init__(self, *args, cells, **kwargs):
        super().__init__(*args, **kwargs)
        self.cells = {c.pk: c for c in cells}
        self.fields["cell"].choices = [(c.pk, c.name) for c in cells]

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "cell": self.cells[data["cell"]],
            "kind": data["kind"],
            "text": data["text"],
            "raised_on": data["raised_on"],
        }


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_label(Note, "answer"), widget=forms.Textarea(attrs={"rows": 3}))
    version = VersionField()
