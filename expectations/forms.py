from django import forms

from .models import TARGET_ROLE_CHOICES, GuidelineVersion
from .scenario_text import ScenarioTextError, parse_scenarios, scenarios_as_text
from .text import names_match


class DateInput(forms.DateInput):
    input_type = "date"


class _PublishingFields(forms.Form):
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


class StarterPublishForm(_PublishingFields):
    """Publish a starter guideline: the text is ours; the school picks who and when."""

    state_rules = forms.CharField(
        label="This state's rules",
        widget=forms.Textarea(attrs={"rows": 5}),
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
        if not starter.has_state_rules:
            del self.fields["state_rules"]
        if not can_publish_district:
            del self.fields["scope"]


class GuidelineForm(_PublishingFields):
    """A guideline written by the school, or a new version of any guideline."""

    title = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Text", widget=forms.Textarea(attrs={"rows": 14}), help_text="Markdown."
    )
    state_rules = forms.CharField(
        label="This state's rules",
        widget=forms.Textarea(attrs={"rows": 4}),
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


class AnswersForm(forms.Form):
    """Tick every statement and answer every scenario question of a version."""

    def __init__(self, *args, version: GuidelineVersion, statements, scenarios, **kwargs):
        super().__init__(*args, **kwargs)
        self.statements = statements
        self.scenarios = scenarios
        for statement in statements:
            self.fields[f"statement_{statement.pk}"] = forms.BooleanField(
                label=statement.text,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
                error_messages={"required": "Tick this statement to go on."},
            )
        for scenario in scenarios:
            self.fields[f"scenario_{scenario.pk}"] = forms.TypedChoiceField(
                label=scenario.situation,
                choices=[(str(i), c) for i, c in enumerate(scenario.choices)],
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": "Choose an answer."},
            )

    def statement_fields(self):
        return [self[f"statement_{s.pk}"] for s in self.statements]

    def scenario_fields(self):
        return [(s, self[f"scenario_{s.pk}"]) for s in self.scenarios]

    def grade(self) -> list[dict]:
        return [
            {
                "scenario": s.pk,
                "choice": self.cleaned_data[f"scenario_{s.pk}"],
                "correct": self.cleaned_data[f"scenario_{s.pk}"] == s.correct_choice,
            }
            for s in self.scenarios
        ]


class ConfirmForm(forms.Form):
    typed_name = forms.CharField(
        label="Type your full name to confirm",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["typed_name"].help_text = f"As on your account: {person.full_name}"

    def clean_typed_name(self) -> str:
        typed = " ".join(self.cleaned_data["typed_name"].split())
        if not names_match(typed, self.person.full_name):
            raise forms.ValidationError("This is not the name on your account.")
        return typed
