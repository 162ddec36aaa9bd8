"""Forms of the review: the campaign and its settings, a cell's batch of proposals, the office's batch
of decisions, a member's self-assessment, the triggers, the cell's own rating, reopening."""

from datetime import date
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.core.forms import VersionField, VNDateField

from . import rules
from .choices import (
    CAP_RATES,
    MANUAL_CELL_TRIGGERS,
    MANUAL_MEMBER_TRIGGERS,
    CapBase,
    CountFrom,
    Grouping,
    Level,
    Stage,
)
from .models import SCORE_VALIDATORS

LEVEL_CHOICES = [("", "—"), *Level.choices]


def score_field(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=5,
        decimal_places=2,
        validators=SCORE_VALIDATORS,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": "0.5", "inputmode": "decimal"}),
        **kwargs,
    )


def parse_custom_groups(text: str, cell_codes: set[str]) -> dict[str, str]:
    """Lines "Group name: CB-01, CB-02" as {cell code: group name}; every code a cell of the review,
    each in one group only."""
    groups: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, colon, codes = line.partition(":")
        if not colon or not name.strip():
            raise forms.ValidationError(
                _("Line %(number)d: write “Group name: CB-01, CB-02”.") % {"number": number}
            )
        for code in (c.strip() for c in codes.split(",")):
            if not code:
                continue
            if code not in cell_codes:
                raise forms.ValidationError(
                    _("Line %(number)d: %(code)s is not a cell of this review.")
                    % {"number": number, "code": code}
                )
            if code in groups:
                raise forms.ValidationError(_("%(code)s is in two groups.") % {"code": code})
            groups[code] = name.strip()
    return groups


def custom_groups_text(groups: dict[str, str]) -> str:
    """The stored groups back as the lines typed in the form."""
    by_group: dict[str, list[str]] = {}
    for code, group in sorted(groups.items()):
        by_group.setdefault(group, []).append(code)
    return "\n".join(f"{group}: {', '.join(codes)}" for group, codes in by_group.items())


class SettingsForm(forms.Form):
    """The dates and the settings of rules.md "Product defaults" shared by opening and editing."""

    start = VNDateField(label=_("Starts on"))
    end = VNDateField(
        label=_("Ends on"), help_text=_("Reviews end by 31/12 (15/01 for a unit not closing at year end).")
    )
    review_date = VNDateField(
        label=_("Review date"),
        required=False,
        help_text=_("Who is reviewed is judged on this date. Empty: the end of the campaign."),
    )
    special_unit = forms.BooleanField(label=_("A unit not closing at year end (until 15/01)"), required=False)
    cap_base = forms.ChoiceField(
        label=_("Base of the cap on excellent"),
        choices=CapBase.choices,
        initial=CapBase.A,
        help_text=_(
            "Reading A never breaches either reading: with 10 at good or above, "
            "A allows 1 excellent, B allows 2."
        ),
    )
    cap_rate = forms.ChoiceField(label=_("Cap rate"), choices=CAP_RATES, initial="0.20")
    grouping = forms.ChoiceField(
        label=_("The cap is counted"), choices=Grouping.choices, initial=Grouping.PER_COMMITTEE
    )
    custom_groups = forms.CharField(
        label=_("Custom groups"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One group a line: “Group name: CB-01, CB-02”. A cell not listed is a group of its own."),
    )
    count_from = forms.ChoiceField(
        label=_("The six months since admission are counted from"),
        choices=CountFrom.choices,
        initial=CountFrom.DECISION,
    )
    cell_warning = forms.BooleanField(
        label=_("Warn when a cell is rated excellent or good with members not completing or disciplined"),
        required=False,
        initial=True,
    )
    warning_threshold = forms.IntegerField(
        label=_("Members that trigger the warning"), min_value=1, initial=1
    )

    def __init__(self, *args, cell_codes: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.cell_codes = cell_codes

    def clean_custom_groups(self) -> dict[str, str]:
        return parse_custom_groups(self.cleaned_data.get("custom_groups") or "", self.cell_codes)

    def clean(self):
        data = super().clean()
        no_groups = not data.get("custom_groups") and "custom_groups" not in self.errors
        if data.get("grouping") == Grouping.CUSTOM and no_groups:
            self.add_error("custom_groups", _("List the groups, or count the cap another way."))
        if data.get("end") and not data.get("review_date"):
            data["review_date"] = data["end"]
        return data

    def settings_values(self) -> dict:
        data = self.cleaned_data
        return {
            "cap_base": data["cap_base"],
            "cap_rate": Decimal(data["cap_rate"]),
            "grouping": data["grouping"],
            "custom_groups": data["custom_groups"] if data["grouping"] == Grouping.CUSTOM else {},
            "count_from": data["count_from"],
            "cell_warning": data["cell_warning"],
            "warning_threshold": data["warning_threshold"],
            "special_unit": data["special_unit"],
        }


class CampaignForm(SettingsForm):
    year = forms.IntegerField(label=_("Year reviewed"), min_value=2000, max_value=2100)
    field_order = ["year", "start", "end", "review_date"]

    def rule_set(self) -> rules.RuleSet | None:
        """The rule set the campaign would be judged by, from what the form holds."""
        source = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        year = source.get("year") or self.initial.get("year")
        review = source.get("review_date") or source.get("end") or self.initial.get("end")
        if not year:
            return None
        try:
            return rules.rule_set_for(year, review_date=review or date(year, 12, 31))
        except ValueError:
            return None


def campaign_initial(today: date) -> dict:
    return {"year": today.year, "start": today, "end": date(today.year, 12, 31)}


class CampaignEditForm(SettingsForm):
    version = VersionField()


def campaign_edit_initial(campaign) -> dict:
    return {
        "start": campaign.start,
        "end": campaign.end,
        "review_date": campaign.review_date,
        "special_unit": campaign.special_unit,
        "cap_base": campaign.cap_base,
        "cap_rate": f"{campaign.cap_rate:.2f}",
        "grouping": campaign.grouping,
        "custom_groups": custom_groups_text(campaign.custom_groups or {}),
        "count_from": campaign.count_from,
        "cell_warning": campaign.cell_warning,
        "warning_threshold": campaign.warning_threshold,
        "version": campaign.version,
    }


# ----------------------------------------------------------------------------- batches of a sheet


class ProposeForm(forms.Form):
    """The cell's proposals for its reviewed, undecided members in one submit: a level (empty: not
    now) and an optional score each; for a member with no self-assessment of their own, their score
    and level recorded on their behalf."""

    prefix = "p"  # several forms share a page: distinct ids and names

    def __init__(self, *args, entries, needs_score: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_score = needs_score
        self.rows = []
        for entry in entries:
            rating, pk = entry.rating, entry.member.pk
            on_behalf = rating is None or (rating.stage == Stage.SELF_ASSESSED and rating.self_on_behalf)
            proposal = rating.proposed_level if rating and rating.stage == Stage.PROPOSED else ""
            self.fields[f"level_{pk}"] = forms.ChoiceField(
                label=_("Proposed level"),
                choices=LEVEL_CHOICES,
                required=False,
                widget=forms.Select(attrs={"data-proposal": proposal}),  # kept when left empty
            )
            self.fields[f"score_{pk}"] = score_field(_("Proposed score"))
            self.fields[f"version_{pk}"] = forms.IntegerField(required=False, widget=forms.HiddenInput)
            self.initial[f"level_{pk}"] = (rating.proposed_level or rating.self_level) if rating else ""
            self.initial[f"score_{pk}"] = rating.proposed_score if rating else None
            self.initial[f"version_{pk}"] = rating.version if rating else None
            if on_behalf:
                self.fields[f"self_level_{pk}"] = forms.ChoiceField(
                    label=_("Self-assessed level"), choices=LEVEL_CHOICES, required=False
                )
                self.fields[f"self_score_{pk}"] = score_field(_("Self-assessed score"))
                self.initial[f"self_level_{pk}"] = rating.self_level if rating else ""
                self.initial[f"self_score_{pk}"] = rating.self_score if rating else None
            self.rows.append((entry, on_behalf))

    def row_fields(self, entry):
        pk = entry.member.pk
        return {
            "level": self[f"level_{pk}"],
            "score": self[f"score_{pk}"],
            "version": self[f"version_{pk}"],
            "self_level": self[f"self_level_{pk}"] if f"self_level_{pk}" in self.fields else None,
            "self_score": self[f"self_score_{pk}"] if f"self_score_{pk}" in self.fields else None,
        }

    def clean(self):
        data = super().clean()
        for entry, on_behalf in self.rows:
            self._check_row(data, entry, on_behalf)
        return data

    def _check_row(self, data, entry, on_behalf: bool) -> None:
        pk, rating = entry.member.pk, entry.rating
        if not data.get(f"level_{pk}"):
            return
        self_level, self_score = data.get(f"self_level_{pk}"), data.get(f"self_score_{pk}")
        if on_behalf and rating is None and not self_level:
            self.add_error(
                f"self_level_{pk}", _("Record the member's self-assessment first (on their behalf).")
            )
        if on_behalf and self_level and self_score is None and self.needs_score:
            self.add_error(f"self_score_{pk}", _("Give the score out of 100."))
        has_self_score = self_score is not None or (rating is not None and rating.self_score is not None)
        if self.needs_score and data.get(f"score_{pk}") is None and not has_self_score:
            self.add_error(f"score_{pk}", _("Give the score out of 100."))

    def changed_rows(self):
        """(entry, level, score, self_score, self_level, version) of each row to write: a level
        chosen, and something new (a proposal already made with the same values is left alone)."""
        data = self.cleaned_data
        for entry, on_behalf in self.rows:
            pk, rating = entry.member.pk, entry.rating
            level = data.get(f"level_{pk}")
            if not level:
                continue
            score = data.get(f"score_{pk}")
            self_level = (data.get(f"self_level_{pk}") or "") if on_behalf else ""
            self_score = data.get(f"self_score_{pk}") if on_behalf else None
            same_self = rating is not None and (self_level, self_score) == (
                rating.self_level,
                rating.self_score,
            )
            if on_behalf and same_self:
                self_level, self_score = "", None  # the recorded self-assessment stays as it is
            unchanged = (
                rating is not None
                and rating.stage == Stage.PROPOSED
                and (rating.proposed_level, rating.proposed_score) == (level, score)
            )
            if not unchanged:
                yield entry, level, score, self_score, self_level, data.get(f"version_{pk}")


class DecideForm(forms.Form):
    """The office's decisions on the proposed members of a cell, with one reason for any decision
    taken against a failed check."""

    prefix = "d"  # several forms share a page: distinct ids and names

    override_reason = forms.CharField(
        label=_("Reason (if deciding against the result of a check)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = entries
        for entry in entries:
            rating = entry.rating
            self.fields[f"level_{rating.pk}"] = forms.ChoiceField(
                label=_("Decided level"), choices=LEVEL_CHOICES, required=False
            )
            self.fields[f"version_{rating.pk}"] = forms.IntegerField(widget=forms.HiddenInput)
            self.initial[f"level_{rating.pk}"] = rating.proposed_level
            self.initial[f"version_{rating.pk}"] = rating.version

    def row_fields(self, entry):
        return {"level": self[f"level_{entry.rating.pk}"], "version": self[f"version_{entry.rating.pk}"]}

    def chosen(self):
        """(rating, level, version) for each member given a level."""
        data = self.cleaned_data
        for entry in self.entries:
            level = data.get(f"level_{entry.rating.pk}")
            if level:
                yield entry.rating, level, data[f"version_{entry.rating.pk}"]


# -------------------------------------------------------------------------------- single ratings


class SelfAssessmentForm(forms.Form):
    score = score_field(
        _("Your score out of 100"),
    )
    level = forms.ChoiceField(label=_("Your level"), choices=LEVEL_CHOICES)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, needs_score: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["score"].required = needs_score


class MemberTriggersForm(forms.Form):
    triggers = forms.MultipleChoiceField(
        label=_("Cases that require “did not complete tasks” (rules §1.3)"),
        choices=[(key, rules.TRIGGER_LABELS[key]) for key in MANUAL_MEMBER_TRIGGERS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    version = VersionField()


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the decision is reopened"), widget=forms.Textarea(attrs={"rows": 2})
    )
    version = VersionField()


class CellSelfForm(forms.Form):
    prefix = "cs"
    score = score_field(_("The cell's score out of 100"))
    level = forms.ChoiceField(label=_("Level the cell rates itself"), choices=LEVEL_CHOICES)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    triggers = forms.MultipleChoiceField(
        label=_("Cases of the leadership collective (rules §1.3)"),
        choices=[(key, rules.TRIGGER_LABELS[key]) for key in MANUAL_CELL_TRIGGERS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CellDecideForm(forms.Form):
    prefix = "cd"
    level = forms.ChoiceField(label=_("Decided level"), choices=LEVEL_CHOICES)
    exemplary = forms.BooleanField(label=_("Exemplary (only for an excellent cell)"), required=False)
    override_reason = forms.CharField(
        label=_("Reason (if deciding against the result of a check)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = VersionField()
