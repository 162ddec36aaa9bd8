"""The year's work programme (issue 8): the inspection and supervision programme (rules.md §4) of an
organisation and year, its items with their conclusion and the remedial actions that follow; the
action plans that turn a resolution into tasks, with the cells' progress reports and proposals; and
the cells' reviews of their regulations.

An item concerns a cell or a member (or, for ongoing supervision, the whole organisation); once
concluded, its conclusion stays on record, and a discipline it decided is an event on the member's
record (members.MemberEvent), linked here.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dangvu.core.models import PartyRecord
from dangvu.meetings.models import StudyDocument
from dangvu.members.choices import DisciplineForm
from dangvu.members.models import Member, MemberEvent
from dangvu.organization.models import Organization

from .choices import ItemKind, ItemState, NoteKind, RegulationKind, Result, ReviewKind, TaskState


class Programme(PartyRecord):
    """ "Chương trình kiểm tra, giám sát năm …" of a committee or a cell (rules.md §4.2)."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="programmes"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.CharField(_("number and symbol"), max_length=64, blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)

    scope_path_lookup = "organization__path"

    class Meta:
        verbose_name = _("inspection and supervision programme")
        verbose_name_plural = _("inspection and supervision programmes")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                condition=Q(deleted_at__isnull=True),
                name="programme_once_a_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}"


class Item(PartyRecord):
    """One piece of inspection or supervision work of a programme, from its plan to its conclusion."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField(_("kind of work"), max_length=24, choices=ItemKind.choices)
    subject_cell = models.ForeignKey(
        Organization,
        verbose_name=_("cell concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_member = models.ForeignKey(
        Member,
        verbose_name=_("member concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    content = models.TextField(_("content"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    decision_number = models.CharField(_("decision or plan number"), max_length=64, blank=True)
    responsible = models.CharField(_("responsible"), max_length=255, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=ItemState.choices, default=ItemState.PLANNED)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    result = models.CharField(_("result"), max_length=24, choices=Result.choices, blank=True)
    discipline_form = models.CharField(
        _("discipline decided"), max_length=16, choices=DisciplineForm.choices, blank=True
    )
    discipline_event = models.ForeignKey(
        MemberEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )

    scope_path_lookup = "programme__organization__path"

    class Meta:
        verbose_name = _("inspection or supervision item")
        verbose_name_plural = _("inspection and supervision items")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="item_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(subject_cell__isnull=True) | Q(subject_member__isnull=True),
                name="item_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.content[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("programme:item", args=[self.pk])


class RemedialAction(PartyRecord):
    """What a conclusion asks to be put right, by whom and when; the cell reports it done."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="actions")
    action = models.TextField(_("remedial action"))
    owner = models.ForeignKey(
        Organization, verbose_name=_("carried out by"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=TaskState.choices, default=TaskState.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    report = models.TextField(_("report"), blank=True)

    scope_path_lookup = "item__programme__organization__path"

    class Meta:
        verbose_name = _("remedial action")
        verbose_name_plural = _("remedial actions")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.action[:80]


class ActionPlan(PartyRecord):
    """How an organisation turns a resolution or directive into work (issue 8, point 1): the plan
    and its tasks; cells report progress and raise difficulties or proposals, which it answers."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="action_plans"
    )
    document = models.ForeignKey(
        StudyDocument,
        verbose_name=_("document carried out"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_plans",
    )
    title = models.CharField(_("title"), max_length=255)
    number = models.CharField(_("number and symbol"), max_length=64, blank=True)
    adopted_on = models.DateField(_("adopted on"))

    scope_path_lookup = "organization__path"

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-adopted_on", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programme:plan", args=[self.pk])


class Task(PartyRecord):
    """One task of an action plan: what, who answers for it, the cells that carry it out, by when."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.PROTECT, related_name="tasks")
    what = models.TextField(_("task"))
    responsible = models.CharField(_("responsible"), max_length=255, blank=True)
    cells = models.ManyToManyField(
        Organization, verbose_name=_("cells carrying it out"), blank=True, related_name="+"
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=TaskState.choices, default=TaskState.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    drop_reason = models.TextField(_("reason for dropping"), blank=True)

    scope_path_lookup = "plan__organization__path"

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.what[:80]


class Note(PartyRecord):
    """What a cell reports on a task: its progress, or a difficulty or proposal (kiến nghị) that the
    organisation answers; both dated and visible to each side."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="notes")
    cell = models.ForeignKey(Organization, verbose_name=_("cell"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=NoteKind.choices)
    text = models.TextField(_("text"))
    raised_on = models.DateField(_("date"))
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)

    scope_path_lookup = "task__plan__organization__path"

    class Meta:
        verbose_name = _("progress report or proposal")
        verbose_name_plural = _("progress reports and proposals")
        ordering = ["raised_on", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class RegulationReview(PartyRecord):
    """A cell's review of its working regulations or coordination rules in a year: reviewed, amended
    or newly issued, with its date and document (issue 8, point 3; metrics.md "Regulations")."""

    cell = models.ForeignKey(
        Organization, verbose_name=_("cell"), on_delete=models.PROTECT, related_name="regulation_reviews"
    )
    regulation = models.CharField(_("regulation"), max_length=16, choices=RegulationKind.choices)
    review = models.CharField(_("review"), max_length=12, choices=ReviewKind.choices)
    reviewed_on = models.DateField(_("date"))
    document_number = models.CharField(_("document number"), max_length=64, blank=True)
    note = models.TextField(_("note"), blank=True)

    scope_path_lookup = "cell__path"

    class Meta:
        verbose_name = _("regulation review")
        verbose_name_plural = _("regulation reviews")
        ordering = ["-reviewed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.cell} {self.get_regulation_display()} {self.reviewed_on:%d/%m/%Y}"
