from django import forms

from events.invitations.forms import check_times
from events.talks.models import ClassTalkRequest, ClassTalkTopic
from sro_portal.forms import NOTE_MAX_LENGTH, Form, ModelForm
from sro_portal.widgets import LocalDateTimeInput


class TopicForm(ModelForm):
    class Meta:
        model = ClassTalkTopic
        fields = ["title", "description", "grades", "length_minutes", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    text_limits = {"description": NOTE_MAX_LENGTH}


class TalkRequestForm(ModelForm):
    class Meta:
        model = ClassTalkRequest
        fields = ["topic", "section", "class_description", "preferred_dates", "note"]
        labels = {"note": "Anything the officer should know (optional)"}
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    text_limits = {"note": NOTE_MAX_LENGTH}

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


class TalkAcceptForm(Form):
    starts_at = forms.DateTimeField(label="Starts", widget=LocalDateTimeInput())
    ends_at = forms.DateTimeField(label="Ends", widget=LocalDateTimeInput())
    place = forms.CharField(label="Room", required=False, max_length=200)
    note = forms.CharField(label="Note to the teacher (optional)", required=False, max_length=300)

    def clean(self):
        cleaned = super().clean()
        check_times(self)
        return cleaned


class TalkDeclineForm(Form):
    note = forms.CharField(label="Why (the teacher sees this)", max_length=300)
