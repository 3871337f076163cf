"""The base of every form of the product: limits that hold for any field, whoever
wrote the form.

- Text refuses control characters but tab and line breaks: PostgreSQL refuses a
  NUL byte in text (the page answered 500), and the others have no use in what
  people write here.
- Text is bounded: a field that does not say its own limit gets one (a text box
  20,000 characters, a one-line field 1,000).
- A date, or a date and time, is within 20 years of today: an event in the year 9999
  was stored as the year 10000, which Python cannot read, and every events page of
  the school answered 500.

`Form` and `ModelForm` apply them; tests/test_hostile_input.py checks that every
form of the product is built on one of them."""

import re
from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.utils import timezone

TEXT_BOX_MAX_LENGTH = 20_000
ONE_LINE_MAX_LENGTH = 1_000
# Shorter limits some forms set: a note or a description, a state's rules.
NOTE_MAX_LENGTH = 2_000
DESCRIPTION_MAX_LENGTH = 5_000
YEARS_AROUND_TODAY = 20

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_CHARACTERS_MESSAGE = (
    "Remove the invisible control characters (such as a NUL byte) from this text: "
    "they often come from copying out of another program."
)
OUT_OF_RANGE_MESSAGE = f"Choose a date within {YEARS_AROUND_TODAY} years of today."


def refuse_control_characters(value) -> None:
    if isinstance(value, str) and _CONTROL.search(value):
        raise ValidationError(CONTROL_CHARACTERS_MESSAGE, code="control_characters")


def years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # February 29th
        return day.replace(year=day.year + years, day=28)


def is_within_range(day: date, today: date | None = None) -> bool:
    """Whether the day is within YEARS_AROUND_TODAY years of today."""
    today = today or timezone.localdate()
    return years_from(today, -YEARS_AROUND_TODAY) <= day <= years_from(today, YEARS_AROUND_TODAY)


def refuse_far_dates(value) -> None:
    if value is None:
        return
    day = value.date() if isinstance(value, datetime) else value
    if not is_within_range(day):
        raise ValidationError(OUT_OF_RANGE_MESSAGE, code="date_out_of_range")


def _at_most(limit: int):
    def check(value) -> None:
        # A browser counts a line break as one character; it sends two (CR LF).
        length = len(value.replace("\r\n", "\n")) if isinstance(value, str) else 0
        if length > limit:
            raise ValidationError(
                f"Keep this to at most {limit:,} characters (it has {length:,}).",
                code="max_length",
            )

    return check


class Limits:
    """The mixin, for a form built on one of Django's (the sign-in form). A form
    sets a text field's own limit with the field's `max_length`, or in
    `text_limits` (field name to characters) for a model form's field."""

    text_limits: dict[str, int] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.apply_limits()

    def full_clean(self):
        self.apply_limits()  # for fields a subclass added after __init__
        super().full_clean()

    def apply_limits(self) -> None:
        for name, field in self.fields.items():
            if not getattr(field, "limits_applied", False):
                _limit(field, self.text_limits.get(name))
                field.limits_applied = True


def _limit(field: forms.Field, max_length: int | None) -> None:
    if isinstance(field, forms.CharField):
        text_box = isinstance(field.widget, forms.Textarea)
        default = TEXT_BOX_MAX_LENGTH if text_box else ONE_LINE_MAX_LENGTH
        limits = [limit for limit in (max_length, field.max_length) if limit]
        field.max_length = min(limits) if limits else default
        # Django's own checks, replaced by the same with clearer words.
        field.validators = [
            v
            for v in field.validators
            if not isinstance(v, ProhibitNullCharactersValidator | MaxLengthValidator)
        ]
        field.validators += [refuse_control_characters, _at_most(field.max_length)]
        field.widget.attrs.update(field.widget_attrs(field.widget))
    if isinstance(field, forms.DateField | forms.DateTimeField):
        field.validators.append(refuse_far_dates)


class Form(Limits, forms.Form):
    pass


class ModelForm(Limits, forms.ModelForm):
    pass
