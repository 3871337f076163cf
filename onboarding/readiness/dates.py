"""The periods the readiness pages count in: the school year and this month."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.timezone import get_default_timezone


def school_year(today: date, year: int | None = None) -> tuple[date, date]:
    """The school year (July 1 to June 30) that starts in `year`, or the one `today`
    falls in."""
    if year is None:
        year = today.year if today.month >= 7 else today.year - 1
    return date(year, 7, 1), date(year + 1, 6, 30)


def school_year_label(start: date) -> str:
    return f"{start.year}–{str(start.year + 1)[-2:]}"


def this_month() -> date:
    """The first day of this month, as the home pages and the district table count
    their engagement figures (in the site's zone)."""
    return timezone.localdate(timezone=get_default_timezone()).replace(day=1)


@dataclass(frozen=True)
class YearRange:
    """A school year, as the evidence binder covers it."""

    start: date
    end: date

    @property
    def label(self) -> str:
        return school_year_label(self.start)

    def bounds(self, school) -> tuple[datetime, datetime]:
        """Its first and last moment in the school's zone."""
        zone = school.zone
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end, time.max, tzinfo=zone),
        )
