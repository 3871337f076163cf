"""The browser's own date and time pickers, for every form of the product."""

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class LocalDateTimeInput(forms.DateTimeInput):
    """A date-and-time picker; values are in the school's (active) time zone."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)
