"""Days and months asked for in a query string (`?start=2026-12-07`, `?month=2026-12`),
read the one way every calendar reads them: a value that is not a date, or that is
more than 20 years from today, is today's (a week of the year 9999 answered 500,
for its next week is past the last day Python knows)."""

from datetime import date

from sro_portal.forms import is_within_range


def day_asked(text: str, *, today: date) -> date:
    """The day `YYYY-MM-DD`, or today."""
    try:
        day = date.fromisoformat(text)
    except (TypeError, ValueError):
        return today
    return day if is_within_range(day, today) else today


def month_asked(text: str, *, today: date) -> date:
    """The first day of the month `YYYY-MM`, or of this month."""
    try:
        year, month = (int(part) for part in text.split("-"))
        first = date(year, month, 1)
    except (TypeError, ValueError):
        return today.replace(day=1)
    return first if is_within_range(first, today) else today.replace(day=1)
