"""Forms of the role agreement pages. They only validate."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from onboarding.people.models import User
from onboarding.schools.models import Agency, Membership, Role
from sro_portal.forms import TEXT_BOX_MAX_LENGTH, Form
from sro_portal.widgets import DateInput


class AgreementStartForm(Form):
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label="Police agency")
    officer = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="School Resource Officer",
        help_text="Leave empty if the agency has not assigned an officer yet.",
    )
    start_date = forms.DateField(widget=DateInput, label="Start date")
    review_date = forms.DateField(
        widget=DateInput,
        required=False,
        label="Annual review date",
        help_text="Defaults to one year after the start date.",
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(district=school.district)
        self.fields["officer"].queryset = User.objects.filter(
            pk__in=Membership.objects.active()
            .filter(school=school, role=Role.SRO)
            .values("user_id")
        ).order_by("full_name")
        if not self.is_bound:
            self.initial.setdefault("start_date", timezone.localdate() + timedelta(days=14))
            agencies = list(self.fields["agency"].queryset[:2])
            if len(agencies) == 1:
                self.initial.setdefault("agency", agencies[0].pk)
            officers = list(self.fields["officer"].queryset[:2])
            if len(officers) == 1:
                self.initial.setdefault("officer", officers[0].pk)

    def clean(self):
        data = super().clean()
        start, review = data.get("start_date"), data.get("review_date")
        if start and review and review <= start:
            self.add_error("review_date", "The review date must come after the start date.")
        return data


class SectionForm(Form):
    title = forms.CharField(max_length=200, label="Section title")
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 16}),
        max_length=TEXT_BOX_MAX_LENGTH,
        required=False,
        label="Text",
        help_text="Markdown: a blank line starts a paragraph, “- ” starts a list item, "
        "**bold** and *italic* work.",
    )


class SectionEditForm(SectionForm):
    # The version the editor started from, so that a concurrent edit is noticed.
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CommentForm(Form):
    body = forms.CharField(max_length=5000, label="Comment")
    parent = forms.IntegerField(required=False)


class PartyForm(Form):
    user = forms.ModelChoiceField(queryset=User.objects.none(), label="Person")
    role = forms.CharField(
        max_length=100,
        label="Signs as",
        help_text="For example: Superintendent, Police chief",
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates


class ReviewDateForm(Form):
    review_date = forms.DateField(widget=DateInput, label="Annual review date")


class SignForm(Form):
    typed_name = forms.CharField(max_length=150, label="Type your full name to sign")
    confirm = forms.BooleanField(
        label="I have read this version of the agreement and sign it.", required=True
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
