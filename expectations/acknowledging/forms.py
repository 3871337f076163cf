from django import forms

from expectations.models import GuidelineVersion
from sro_portal.forms import Form
from sro_portal.text import names_match


class AnswersForm(Form):
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


class ConfirmForm(Form):
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
