from django import forms

from onboarding.models import SCHOOL_ROLES, Membership, Role, User

from .models import ClassTalkRequest, ClassTalkTopic, Event, EventInvitation


class LocalDateTimeInput(forms.DateTimeInput):
    """A native date-and-time picker; values are in the school's (active) time zone."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _check_times(form: forms.Form, start: str = "starts_at", end: str = "ends_at") -> None:
    starts, ends = form.cleaned_data.get(start), form.cleaned_data.get(end)
    if starts and ends and ends <= starts:
        form.add_error(end, "The end must be after the start.")


class EventForm(forms.ModelForm):
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

    def clean(self):
        cleaned = super().clean()
        _check_times(self)
        return cleaned


class EventCreateForm(EventForm):
    invite_officers = forms.BooleanField(
        label="Invite the school's officers (SROs)", required=False, initial=True
    )


class InviteForm(forms.Form):
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


class AnswerForm(forms.Form):
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


class ProposalForm(forms.Form):
    starts_at = forms.DateTimeField(label="Proposed start", widget=LocalDateTimeInput())
    ends_at = forms.DateTimeField(label="Proposed end", widget=LocalDateTimeInput())
    note = forms.CharField(label="Note (optional)", required=False, max_length=300)

    def clean(self):
        cleaned = super().clean()
        _check_times(self)
        return cleaned


class AttendanceForm(forms.Form):
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


class FamilySignupForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=150)
    email = forms.EmailField(label="Email address", help_text="We send the confirmation here.")
    party_size = forms.IntegerField(
        label="How many people are coming (including you)", min_value=1, max_value=10, initial=1
    )


class TopicForm(forms.ModelForm):
    class Meta:
        model = ClassTalkTopic
        fields = ["title", "description", "grades", "length_minutes", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class TalkRequestForm(forms.ModelForm):
    class Meta:
        model = ClassTalkRequest
        fields = ["topic", "section", "class_description", "preferred_dates", "note"]
        labels = {"note": "Anything the officer should know (optional)"}
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, topics, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topics
        self.fields["topic"].label_from_instance = lambda t: f"{t.title} ({t.officer.full_name})"
        self.fields["section"].queryset = sections
        self.fields["section"].label_from_instance = section_label
        self.fields["section"].empty_label = "A class not listed"

    def clean(self):
        cleaned = super().clean()
        section = cleaned.get("section")
        if section is not None:
            cleaned["class_description"] = section_label(section)
        elif not cleaned.get("class_description"):
            self.add_error(
                "class_description", "Choose one of your classes, or describe the class."
            )
        return cleaned


def section_label(section) -> str:
    parts = [section.name]
    if section.period_id:
        parts.append(section.period.name)
    if section.room:
        parts.append(f"room {section.room}")
    return ", ".join(parts)


class TalkAcceptForm(forms.Form):
    starts_at = forms.DateTimeField(label="Starts", widget=LocalDateTimeInput())
    ends_at = forms.DateTimeField(label="Ends", widget=LocalDateTimeInput())
    place = forms.CharField(label="Room", required=False, max_length=200)
    note = forms.CharField(label="Note to the teacher (optional)", required=False, max_length=300)

    def clean(self):
        cleaned = super().clean()
        _check_times(self)
        return cleaned


class TalkDeclineForm(forms.Form):
    note = forms.CharField(label="Why (the teacher sees this)", max_length=300)
