"""Forms of class introductions. They validate; the workflows act."""

from datetime import datetime

from django import forms

from onboarding.forms import MAX_UPLOAD_BYTES
from onboarding.models import Membership, Role

from .models import (
    SCHOOL_WEEK,
    WEEKDAY_CHOICES,
    Availability,
    BlackoutDate,
    ClassSection,
    IntroductionPlan,
    Period,
    Visit,
)

SCHOOL_DAY_CHOICES = WEEKDAY_CHOICES[:5]


class WeekdaysField(forms.MultipleChoiceField):
    """Checkboxes for weekdays, stored as digits ("024" for Mon, Wed, Fri)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=SCHOOL_DAY_CHOICES, **kwargs)

    def prepare_value(self, value):
        return list(value) if isinstance(value, str) else value

    def clean(self, value):
        return "".join(sorted(super().clean(value)))


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class PeriodForm(forms.ModelForm):
    weekdays = WeekdaysField(label="Runs on", initial=list(SCHOOL_WEEK))

    class Meta:
        model = Period
        fields = ["name", "position", "start_time", "end_time", "weekdays"]
        widgets = {"start_time": TimeInput(), "end_time": TimeInput()}

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and start >= end:
            self.add_error("end_time", "The period must end after it starts.")
            return data
        name = data.get("name")
        if name and Period.objects.filter(school=self.school, name__iexact=name).exists():
            self.add_error("name", "The bell schedule already has a period with this name.")
        days = set(data.get("weekdays", ""))
        if start and end:
            for other in Period.objects.filter(school=self.school):
                overlaps = start < other.end_time and other.start_time < end
                if overlaps and days & set(other.weekdays):
                    self.add_error("start_time", f"It overlaps {other}.")
        return data


class BlackoutForm(forms.ModelForm):
    class Meta:
        model = BlackoutDate
        fields = ["date", "reason"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school

    def clean_date(self):
        day = self.cleaned_data["date"]
        if BlackoutDate.objects.filter(school=self.school, date=day).exists():
            raise forms.ValidationError("This day is already a blackout date.")
        return day


def _school_staff(school):
    return Membership.objects.active().filter(
        school=school, role__in=[Role.PRINCIPAL, Role.STAFF, Role.MENTAL_HEALTH]
    )


class SectionForm(forms.ModelForm):
    weekdays = WeekdaysField(
        label="Meets on", required=False, help_text="Leave empty: every day its period runs."
    )

    class Meta:
        model = ClassSection
        fields = [
            "code",
            "name",
            "course",
            "grade",
            "period",
            "weekdays",
            "room",
            "teacher",
            "size",
        ]
        labels = {"code": "Section code"}
        help_texts = {"code": "The key a later import updates this section by."}

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.fields["period"].queryset = Period.objects.filter(school=school)
        self.fields["period"].required = True
        teachers = _school_staff(school).values("user")
        self.fields["teacher"].queryset = self.fields["teacher"].queryset.filter(pk__in=teachers)

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        clash = ClassSection.objects.filter(school=self.school, code=code).exclude(
            pk=self.instance.pk
        )
        if clash.exists():
            raise forms.ValidationError("Another section has this code.")
        return code


class SectionImportForm(forms.Form):
    FORMAT_CHOICES = [
        (
            "simple",
            "Simple CSV (columns: code, name, period; optional course, grade, weekdays, room, teacher_email, size)",
        ),
        (
            "oneroster",
            "OneRoster 1.1 export (classes.csv, courses.csv, enrollments.csv, users.csv)",
        ),
    ]
    FILES = ["sections_file", "classes_file", "courses_file", "enrollments_file", "users_file"]
    format = forms.ChoiceField(choices=FORMAT_CHOICES, widget=forms.RadioSelect, initial="simple")
    sections_file = forms.FileField(
        label="Sections CSV", required=False, help_text="Simple format."
    )
    classes_file = forms.FileField(label="classes.csv", required=False, help_text="OneRoster.")
    courses_file = forms.FileField(label="courses.csv", required=False, help_text="OneRoster.")
    enrollments_file = forms.FileField(
        label="enrollments.csv", required=False, help_text="OneRoster."
    )
    users_file = forms.FileField(label="users.csv", required=False, help_text="OneRoster.")

    def clean(self):
        data = super().clean()
        needed = ["sections_file"] if data.get("format") == "simple" else self.FILES[1:]
        for name in needed:
            if not data.get(name):
                self.add_error(name, "Choose a file.")
        for name in self.FILES:
            upload = data.get(name)
            if upload and upload.size > MAX_UPLOAD_BYTES:
                self.add_error(name, "This file is larger than 5 MB.")
        return data


class AvailabilityForm(forms.ModelForm):
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


class PlanForm(forms.ModelForm):
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


class VisitForm(forms.Form):
    officer = forms.ModelChoiceField(queryset=None)
    date = forms.DateField(widget=DateInput())

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers


class PickForm(forms.Form):
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


class QuestionsForm(forms.ModelForm):
    class Meta:
        model = Visit
        fields = ["student_questions"]
        labels = {"student_questions": "Questions from the class"}
        help_texts = {
            "student_questions": "One per line. Write the questions only, never a student's name."
        }
        widgets = {"student_questions": forms.Textarea(attrs={"rows": 3})}


class VisitStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(Visit.Status.DONE, "Done"), (Visit.Status.MISSED, "Missed")]
    )
