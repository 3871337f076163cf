"""What the pages that span every capability are made of: plain dataclasses that the
foundation and each feature app fill in (see `onboarding/contributions.py`), and
that the foundation's templates render.

- `Line`: one thing a school must have done to be ready for its officer (the
  principal's dashboard, the principal's home, the district table's state).
- `Column` of `Cell`s: what an app adds to a table of many schools (the district
  table and its CSV) or of officers at schools (the supervisor's home).
- `Part`: a template and its context, included in a page (a panel of a home page,
  a chapter of the evidence binder, the detail of a line on the dashboard).
"""

from dataclasses import dataclass, field
from datetime import date

DONE = "done"
IN_PROGRESS = "in_progress"
MISSING = "missing"
STATE_LABELS = {DONE: "Done", IN_PROGRESS: "In progress", MISSING: "Missing"}
STATE_BADGES = {DONE: "text-bg-success", IN_PROGRESS: "text-bg-warning", MISSING: "text-bg-danger"}

READY = "ready"
NOT_STARTED = "not_started"
OVERALL_LABELS = {READY: "Ready", IN_PROGRESS: "In progress", NOT_STARTED: "Not started"}
OVERALL_BADGES = {
    READY: "text-bg-success",
    IN_PROGRESS: "text-bg-warning",
    NOT_STARTED: "text-bg-secondary",
}
OVERALL_ORDER = {NOT_STARTED: 0, IN_PROGRESS: 1, READY: 2}

RULE = (
    "A school is ready when every required line is done. It is not started while every "
    "required line is still missing, and in progress in between. Class-talk requests "
    "waiting are shown for follow-up but do not decide the state."
)


@dataclass(frozen=True)
class Part:
    """A template to include in a page, with the variables it reads. The page merges
    the contexts of its parts (`merged`), so the parts of a page name their
    variables apart (`my_visits`, `officer_visits_week`)."""

    template: str
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Chapter(Part):
    """A chapter of the evidence binder: its anchor and title (numbered by the
    binder, in the contents and at its heading) and its body."""

    anchor: str = ""
    title: str = ""


def merged(parts) -> dict:
    """The contexts of `parts` as one, for the page that includes their templates."""
    context = {}
    for part in parts:
        clash = context.keys() & part.context.keys()
        if clash:
            raise ValueError(f"Two parts of the page name {sorted(clash)}: {part.template}")
        context.update(part.context)
    return context


@dataclass(frozen=True)
class Line:
    """One line of a school's readiness: what it checks, where the school stands, what
    is missing and where to act (`url`, `link_text`). A line that is not `required`
    is shown for follow-up and does not decide the school's state.

    `facts` are the plain values the line was worded from (counts, a status, a
    date), for the app's columns of the district table; `detail` is what the
    dashboard shows about the line under its table (expectations' shares by role
    and by guideline): its template reads its context as `detail`."""

    key: str
    title: str
    state: str
    summary: str
    missing: str
    url: str
    link_text: str
    required: bool = True
    facts: dict = field(default_factory=dict)
    detail: Part | None = None

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def badge(self) -> str:
        return STATE_BADGES[self.state]


def overall_state(lines: list[Line]) -> str:
    required = [line for line in lines if line.required]
    if all(line.state == DONE for line in required):
        return READY
    if all(line.state == MISSING for line in required):
        return NOT_STARTED
    return IN_PROGRESS


@dataclass(frozen=True)
class Overall:
    """A school's state over its required lines, as the lists of schools show it."""

    state: str
    done_count: int
    required_count: int

    @classmethod
    def of(cls, found: list[Line], **more):
        """The state of the lines `found`; `more` are the other fields of a subclass."""
        required = [line for line in found if line.required]
        done = sum(1 for line in required if line.state == DONE)
        return cls(overall_state(found), done, len(required), **more)

    @property
    def state_label(self) -> str:
        return OVERALL_LABELS[self.state]

    @property
    def badge(self) -> str:
        return OVERALL_BADGES[self.state]

    @property
    def sort_value(self) -> tuple[int, int]:
        return OVERALL_ORDER[self.state], self.done_count


@dataclass(frozen=True)
class SchoolReadiness(Overall):
    """A school's lines, in the order of the apps (the agreement's first), and the
    state they add up to."""

    school: object = None
    lines: tuple[Line, ...] = ()

    def line(self, key: str) -> Line:
        return next(line for line in self.lines if line.key == key)


def line_of(lines: list[Line], key: str) -> Line | None:
    """The line of `key` among a school's lines (None when no app gave it)."""
    return next((line for line in lines if line.key == key), None)


@dataclass(frozen=True)
class Cell:
    """One row's value in a column. `value` is what the column's template shows
    (plain values: numbers, text, a date), `sort_value` what the table sorts the
    column by, `csv` the values under the column's `csv_headers`."""

    value: object
    sort_value: object
    csv: tuple = ()


@dataclass(frozen=True)
class Column:
    """A column an app adds to a table: a heading, the template that shows one cell
    (it reads `cell`), the CSV columns it fills, and a cell for every row, by the
    row's key (a school's id; (school id, officer id) on the supervisor's home)."""

    key: str
    label: str
    template: str
    cells: dict
    csv_headers: tuple[str, ...] = ()


def percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def long_date(day: date) -> str:
    """As the lines word a date: "August 1, 2027"."""
    return f"{day:%B} {day.day}, {day.year}"
