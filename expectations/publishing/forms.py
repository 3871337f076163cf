from datetime import timedelta

from django import forms
from django.utils import timezone

from expectations.models import TARGET_ROLE_CHOICES, GuidelineVersion
from expectations.publishing.scenario_text import (
    ScenarioTextError,
    parse_scenarios,
    scenarios_as_text,
)
from sro_portal.forms import DESCRIPTION_MAX_LENGTH, TEXT_BOX_MAX_LENGTH, Form
from sro_portal.widgets import DateInput


class _PublishingFields(Form):
    target_roles = forms.MultipleChoiceField(
        label="Who must acknowledge it",
        choices=TARGET_ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    due_date = forms.DateField(widget=DateInput, label="Due date")
    join_window_days = forms.IntegerField(
        label="Days for people who join later",
        min_value=1,
        max_value=365,
        initial=14,
        help_text="Someone added after publishing gets this many days from the day they join.",
    )
    pass_mark = forms.IntegerField(
        label="Pass mark for the scenario questions (percent)",
        min_value=0,
        max_value=100,
        initial=100,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("due_date", timezone.localdate() + timedelta(days=14))


class StarterPublishForm(_PublishingFields):
    """Publish a starter guideline: the text is ours; the school picks who and when."""

    state_rules = forms.CharField(
        label="This state's rules",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        help_text="Markdown. Shown to readers under the guideline.",
    )
    scope = forms.ChoiceField(
        label="Publish to",
        choices=[("school", "This school"), ("district", "Every school of the district")],
        initial="school",
        widget=forms.RadioSelect,
    )
    field_order = ["target_roles", "due_date", "join_window_days", "pass_mark", "state_rules"]

    def __init__(self, *args, starter, can_publish_district: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("target_roles", list(starter.target_roles))
        self.initial.setdefault("pass_mark", starter.pass_mark)
        self.initial.setdefault("state_rules", starter.state_rules)
        if not starter.has_state_rules:
            del self.fields["state_rules"]
        if not can_publish_district:
            del self.fields["scope"]


class GuidelineForm(_PublishingFields):
    """A guideline written by the school, or a new version of any guideline."""

    title = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=TEXT_BOX_MAX_LENGTH,
        help_text="Markdown.",
    )
    state_rules = forms.CharField(
        label="This state's rules",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        help_text="Markdown, optional: rules that differ from state to state.",
    )
    statements = forms.CharField(
        label="Statements to tick",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One per line, for example: I will not ask the SRO to handle classroom "
        "discipline.",
    )
    scenarios = forms.CharField(
        label="Scenario questions",
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        help_text="Optional. Start each question with “Q:”, put each choice on its own line "
        "starting with “-”, mark the right one with “*” instead, and explain it after "
        "“Why:”.",
    )
    requires_reacknowledgment = forms.BooleanField(
        label="Everyone must acknowledge this version again",
        required=False,
        initial=True,
        help_text="Readers see what changed before they acknowledge.",
    )
    change_note = forms.CharField(
        label="What changed, in a sentence", max_length=300, required=False
    )
    field_order = ["title", "target_roles", "body", "state_rules", "statements", "scenarios"]

    def __init__(self, *args, revising: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not revising:
            del self.fields["requires_reacknowledgment"]
            del self.fields["change_note"]

    def clean_statements(self) -> list[str]:
        lines = [" ".join(line.split()) for line in self.cleaned_data["statements"].splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            raise forms.ValidationError("Write at least one statement.")
        if any(len(line) > 300 for line in lines):
            raise forms.ValidationError("Keep each statement under 300 characters.")
        return lines

    def clean_scenarios(self):
        try:
            return parse_scenarios(self.cleaned_data["scenarios"])
        except ScenarioTextError as error:
            raise forms.ValidationError(str(error)) from None

    @staticmethod
    def initial_from(version: GuidelineVersion) -> dict:
        return {
            "title": version.guideline.title,
            "target_roles": version.guideline.target_roles,
            "body": version.body,
            "state_rules": version.state_rules,
            "statements": "\n".join(s.text for s in version.statements.all()),
            "scenarios": scenarios_as_text(version.scenarios.all()),
            "due_date": version.due_date,
            "join_window_days": version.join_window_days,
            "pass_mark": version.pass_mark,
        }
