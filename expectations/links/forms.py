from django import forms

from expectations.models import Statement
from sro_portal.forms import Form


class StatementLinksForm(Form):
    """The agreement section each statement comes from ("" for none), one field a
    statement, named `statement-<pk>` (the page renders the selects itself)."""

    def __init__(self, *args, statements: list[Statement], choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.statements = statements
        for statement in statements:
            self.fields[f"statement-{statement.pk}"] = forms.ChoiceField(
                label=statement.text, choices=[("", "Not linked"), *choices], required=False
            )

    def changes(self) -> dict[Statement, str]:
        """The statements whose link changes, with their new section key."""
        chosen = {s: self.cleaned_data[f"statement-{s.pk}"] for s in self.statements}
        return {s: key for s, key in chosen.items() if key != s.agreement_section_key}
