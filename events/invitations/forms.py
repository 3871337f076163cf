from django import forms

from events.invitations.models import Event, EventInvitation
from onboarding.people.models import User
from onboarding.schools.models import SCHOOL_ROLES, Membership, Role
from sro_portal.forms import DESCRIPTION_MAX_LENGTH, Form, ModelForm
from sro_portal.widgets import LocalDateTimeInput


def check_times(form: forms.Form, start: str = "starts_at", end: str = "ends_at") -> None:
    starts, ends = form.cleaned_data.get(start), form.cleaned_data.get(end)
    if starts and ends and ends <= starts:
        form.add_error(end, "The end must be after the start.")


class EventForm(ModelForm):
    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "place",
            "open_to_families",
            "capacity",
        ]
        labels = {"starts_at": "Starts", "ends_at": "Ends", "kind": "Kind of event"}
        widgets = {
            "starts_at": LocalDateTimeInput(),
            "ends_at": LocalDateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    text_limits = {"description": DESCRIPTION_MAX_LENGTH}

    def clean(self):
        cleaned = super().clean()
        check_times(self)
        return cleaned


class EventCreateForm(EventForm):
    invite_officers = forms.BooleanField(
        label="Invite the school's officers (SROs)", required=False, initial=True
    )


class InviteForm(Form):
    officers = forms.BooleanField(label="The school's officers (SROs)", required=False)
    roles = forms.MultipleChoiceField(
        label="Everyone with a role",
        choices=[(r.value, r.label) for r in SCHOOL_ROLES if r != Role.SRO],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    people = forms.ModelMultipleChoiceField(
        label="People by name",
        queryset=User.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        required=False,
        help_text="Hold Ctrl (or Cmd) to choose several.",
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.fields["people"].queryset = User.objects.filter(
            memberships__school=school, memberships__is_active=True, is_active=True
        ).order_by("full_name")

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("officers") or cleaned.get("roles") or cleaned.get("people")):
            raise forms.ValidationError("Choose at least one person, role or the officers.")
        return cleaned

    def chosen_people(self) -> list[User]:
        roles = list(self.cleaned_data["roles"])
        if self.cleaned_data["officers"]:
            roles.append(Role.SRO)
        people = list(self.cleaned_data["people"])
        if roles:
            people += [
                m.user
                for m in Membership.objects.active()
                .filter(school=self.school, role__in=roles)
                .select_related("user")
            ]
        return people


class AnswerForm(Form):
    answer = forms.ChoiceField(
        label="Your answer",
        choices=[
            (EventInvitation.Answer.GOING, "Going"),
            (EventInvitation.Answer.MAYBE, "Maybe"),
            (EventInvitation.Answer.DECLINED, "Not going"),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="Note to the organizer (optional)", required=False, max_length=300)


class ProposalForm(Form):
    starts_at = forms.DateTimeField(label="Proposed start", widget=LocalDateTimeInput())
    ends_at = forms.DateTimeField(label="Proposed end", widget=LocalDateTimeInput())
    note = forms.CharField(label="Note (optional)", required=False, max_length=300)

    def clean(self):
        cleaned = super().clean()
        check_times(self)
        return cleaned


class AttendanceForm(Form):
    attended = forms.ModelMultipleChoiceField(
        label="Who came",
        queryset=EventInvitation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["attended"]
        field.queryset = event.invitations.select_related("user").order_by("user__full_name")
        field.label_from_instance = lambda i: f"{i.user.full_name} ({i.get_answer_display()})"
