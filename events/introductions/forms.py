"""Forms of class introductions. They validate; the workflows act."""

from datetime import datetime

from django import forms

from events.introductions.models import Availability, IntroductionPlan, Visit
from events.timetable.forms import SCHOOL_DAY_CHOICES
from events.timetable.models import ClassSection, Period
from sro_portal.forms import NOTE_MAX_LENGTH, Form, ModelForm
from sro_portal.widgets import DateInput, TimeInput


class AvailabilityForm(ModelForm):
    class Meta:
        model = Availability
        fields = ["officer", "weekday", "start_time", "end_time"]
        widgets = {"start_time": TimeInput(), "end_time": TimeInput()}

    def __init__(self, *args, school, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.fields["officer"].queryset = officers
        self.fields["weekday"].choices = [(int(v), label) for v, label in SCHOOL_DAY_CHOICES]
        if len(officers) == 1:
            self.fields["officer"].initial = officers[0].pk

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and start >= end:
            self.add_error("end_time", "The block must end after it starts.")
            return data
        if data.get("officer") and start and end and data.get("weekday") is not None:
            block = Availability(
                officer=data["officer"],
                school=self.school,
                weekday=data["weekday"],
                start_time=start,
                end_time=end,
            )
            clash = block.clashes()
            if clash is not None:
                where = "here" if clash.school_id == self.school.pk else f"at {clash.school}"
                self.add_error(
                    "start_time",
                    f"It overlaps or leaves too little travel time with the block {clash} {where}.",
                )
        return data


class PlanForm(ModelForm):
    class Meta:
        model = IntroductionPlan
        fields = [
            "start_date",
            "end_date",
            "daily_limit",
            "selection",
            "grades",
            "periods",
            "sections",
        ]
        labels = {"start_date": "First day", "end_date": "Last day"}
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "selection": forms.RadioSelect,
            "periods": forms.CheckboxSelectMultiple,
            "sections": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "periods": "When the plan takes sections of some periods.",
            "sections": "When the plan takes sections chosen by hand.",
        }

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["periods"].queryset = Period.objects.filter(school=school)
        self.fields["sections"].queryset = ClassSection.objects.filter(school=school).order_by(
            "name"
        )
        self.fields["daily_limit"].min_value = 1
        self.fields["daily_limit"].widget.attrs["min"] = 1

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end:
            if end < start:
                self.add_error("end_date", "The window must end on or after its first day.")
            elif (end - start).days > 120:
                self.add_error("end_date", "Keep the window under four months.")
        if data.get("daily_limit") == 0:
            self.add_error("daily_limit", "The officer needs at least one visit a day.")
        if data.get("selection") == IntroductionPlan.Selection.GRADES and not data.get("grades"):
            self.add_error("grades", "Name at least one grade.")
        return data


class VisitForm(Form):
    officer = forms.ModelChoiceField(queryset=None)
    date = forms.DateField(widget=DateInput())

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers


class PickForm(Form):
    slot = forms.ChoiceField(label="Preferred slot")

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [("", "No preference")] + [
            (f"{slot.officer}:{slot.day.isoformat()}", label) for slot, label in options
        ]
        self.fields["slot"].required = False

    def clean_slot(self):
        value = self.cleaned_data["slot"]
        if not value:
            return None
        officer, day = value.split(":")
        return int(officer), datetime.strptime(day, "%Y-%m-%d").date()


class QuestionsForm(ModelForm):
    class Meta:
        model = Visit
        fields = ["student_questions"]
        labels = {"student_questions": "Questions from the class"}
        help_texts = {
            "student_questions": "One per line. Write the questions only, never a student's name."
        }
        widgets = {"student_questions": forms.Textarea(attrs={"rows": 3})}

    text_limits = {"student_questions": NOTE_MAX_LENGTH}


class VisitStatusForm(Form):
    status = forms.ChoiceField(
        choices=[(Visit.Status.DONE, "Done"), (Visit.Status.MISSED, "Missed")]
    )
