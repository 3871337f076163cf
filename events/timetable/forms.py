from django import forms

from events.timetable.models import SCHOOL_WEEK, WEEKDAY_CHOICES, BlackoutDate, ClassSection, Period
from onboarding.people.forms import MAX_UPLOAD_BYTES
from onboarding.schools.models import Membership, Role
from sro_portal.forms import Form, ModelForm
from sro_portal.widgets import DateInput, TimeInput

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


class PeriodForm(ModelForm):
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


class BlackoutForm(ModelForm):
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


class SectionForm(ModelForm):
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


class SectionImportForm(Form):
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
