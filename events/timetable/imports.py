"""Class sections import: a simple CSV, or the OneRoster 1.1 files a student
information system exports (classes.csv, courses.csv, enrollments.csv, users.csv).

Only teachers are read from enrollments.csv and users.csv: student rows are skipped
(a class's size is the number of its student enrollments, a count and nothing
more) and no student's name or identifier is ever stored.

Like the roster import, parsing collects every error with its row and column and
the import runs only when there is none, in one transaction. Re-importing updates
each section by its key (the OneRoster sourcedId, or the simple CSV's code).
"""

import re
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction

from events.timetable.models import ClassSection, Period
from onboarding.audit.models import AuditEvent
from onboarding.people.roster import RosterFileError, RowError, _read
from onboarding.schools.models import Membership, School

SIMPLE_COLUMNS = ["code", "name", "period"]
CLASSES_COLUMNS = ["sourcedId", "title", "courseSourcedId", "schoolSourcedId", "periods"]
COURSES_COLUMNS = ["sourcedId", "title"]
# The longest value a section keeps of each column (the database refuses longer).
SIMPLE_LENGTHS = {"code": 100, "name": 150, "course": 150, "grade": 20, "room": 50}
CLASSES_LENGTHS = {"sourcedId": 100, "title": 150, "grades": 20, "location": 50}
COURSES_LENGTHS = {"title": 150, "grades": 20}
ENROLLMENTS_COLUMNS = ["classSourcedId", "userSourcedId", "role"]
USERS_COLUMNS = ["sourcedId", "role", "email"]
ONEROSTER_TEACHER_ROLES = {"teacher"}

DAY_WORDS = {
    "mon": 0,
    "monday": 0,
    "m": 0,
    "tue": 1,
    "tues": 1,
    "tuesday": 1,
    "t": 1,
    "tu": 1,
    "wed": 2,
    "wednesday": 2,
    "w": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thursday": 3,
    "th": 3,
    "r": 3,
    "fri": 4,
    "friday": 4,
    "f": 4,
}


@dataclass(frozen=True)
class SectionRow:
    row: int
    code: str
    name: str
    period: Period
    course: str = ""
    grade: str = ""
    weekdays: str = ""
    room: str = ""
    teacher_id: int | None = None
    size: int = 0


def parse_weekdays(text: str) -> str | None:
    """ "MWF", "Mon, Wed, Fri", "M/T/W/R/F" -> "024". None when it cannot be read."""
    text = text.strip().lower()
    if not text:
        return ""
    tokens = [t for t in re.split(r"[\s,;/]+", text) if t]
    if len(tokens) == 1 and tokens[0] not in DAY_WORDS and re.fullmatch(r"[mtwrf]+", tokens[0]):
        tokens = list(tokens[0])
    days = set()
    for token in tokens:
        if token not in DAY_WORDS:
            return None
        days.add(DAY_WORDS[token])
    return "".join(str(d) for d in sorted(days))


def normalize_grade(text: str) -> str:
    first = text.split(",")[0].strip()
    return str(int(first)) if first.isdigit() else first


def find_period(periods: list[Period], text: str) -> Period | None:
    text = text.split(",")[0].strip()
    for period in periods:
        if period.name.casefold() == text.casefold():
            return period
    digits = re.sub(r"\D", "", text)
    if digits:
        for period in periods:
            if period.position == int(digits):
                return period
    return None


def _staff_by_email(school: School) -> dict[str, int]:
    return {
        email.lower(): user_id
        for email, user_id in Membership.objects.active()
        .filter(school=school)
        .values_list("user__email", "user_id")
    }


def _teacher(school_staff, email, filename, row, column, errors) -> int | None:
    if not email:
        return None
    teacher_id = school_staff.get(email.lower())
    if teacher_id is None:
        errors.append(
            RowError(
                filename,
                row,
                column,
                f"{email} is not on this school's staff; import the roster first or fix the address.",
            )
        )
    return teacher_id


def parse_simple_csv(upload, school: School) -> tuple[list[SectionRow], list[RowError]]:
    filename = getattr(upload, "name", "sections.csv")
    try:
        records = _read(upload, filename, SIMPLE_COLUMNS, SIMPLE_LENGTHS)
    except RosterFileError as error:
        return [], error.errors
    periods = list(Period.objects.filter(school=school))
    staff = _staff_by_email(school)
    rows, errors, seen = [], [], {}
    for index, record in records:
        code, name = record.get("code", ""), record.get("name", "")
        if not code:
            errors.append(RowError(filename, index, "code", "a section code is required."))
        elif code in seen:
            errors.append(
                RowError(filename, index, "code", f"{code} also appears on row {seen[code]}.")
            )
        else:
            seen[code] = index
        if not name:
            errors.append(RowError(filename, index, "name", "a name is required."))
        period = find_period(periods, record.get("period", ""))
        if period is None:
            errors.append(
                RowError(
                    filename,
                    index,
                    "period",
                    f"“{record.get('period', '')}” is not a period of the bell schedule.",
                )
            )
        weekdays = parse_weekdays(record.get("weekdays", ""))
        if weekdays is None:
            errors.append(
                RowError(
                    filename,
                    index,
                    "weekdays",
                    "use day letters like MTWRF or names like Mon, Wed.",
                )
            )
        size_text = record.get("size", "") or "0"
        if not size_text.isdigit() or int(size_text) > 500:
            errors.append(
                RowError(filename, index, "size", "the size is a whole number of students.")
            )
        teacher_id = _teacher(
            staff, record.get("teacher_email", ""), filename, index, "teacher_email", errors
        )
        if code and name and period and weekdays is not None and size_text.isdigit():
            rows.append(
                SectionRow(
                    row=index,
                    code=code,
                    name=name,
                    period=period,
                    course=record.get("course", ""),
                    grade=normalize_grade(record.get("grade", "")),
                    weekdays=weekdays,
                    room=record.get("room", ""),
                    teacher_id=teacher_id,
                    size=min(int(size_text), 500),
                )
            )
    return rows, errors


def parse_oneroster(
    school: School, *, classes, courses, enrollments, users
) -> tuple[list[SectionRow], list[RowError]]:
    errors: list[RowError] = []
    try:
        class_records = _read(
            classes, getattr(classes, "name", "classes.csv"), CLASSES_COLUMNS, CLASSES_LENGTHS
        )
        course_records = _read(
            courses, getattr(courses, "name", "courses.csv"), COURSES_COLUMNS, COURSES_LENGTHS
        )
        enrollment_records = _read(
            enrollments, getattr(enrollments, "name", "enrollments.csv"), ENROLLMENTS_COLUMNS
        )
        user_records = _read(users, getattr(users, "name", "users.csv"), USERS_COLUMNS)
    except RosterFileError as error:
        return [], error.errors
    courses_by_id = {r["sourcedId"]: r for _, r in course_records}
    # Teachers only: a student's row is never kept, not even its identifier.
    teacher_emails = {
        r["sourcedId"]: (index, r.get("email", ""))
        for index, r in user_records
        if r.get("role", "").lower() in ONEROSTER_TEACHER_ROLES
    }
    teacher_of: dict[str, tuple[int, str]] = {}
    size_of: dict[str, int] = defaultdict(int)
    for index, r in enrollment_records:
        if r.get("status", "").lower() == "tobedeleted":
            continue
        role = r.get("role", "").lower()
        if role == "student":
            size_of[r["classSourcedId"]] += 1
        elif role in ONEROSTER_TEACHER_ROLES:
            primary = r.get("primary", "true").lower() != "false"
            if primary or r["classSourcedId"] not in teacher_of:
                teacher_of[r["classSourcedId"]] = (index, r["userSourcedId"])

    periods = list(Period.objects.filter(school=school))
    staff = _staff_by_email(school)
    classes_name = getattr(classes, "name", "classes.csv")
    mine = [
        (i, r)
        for i, r in class_records
        if r.get("status", "").lower() != "tobedeleted"
        and (not school.sis_id or r["schoolSourcedId"] == school.sis_id)
    ]
    if class_records and not mine:
        errors.append(
            RowError(
                classes_name,
                0,
                "schoolSourcedId",
                f"no class belongs to this school (identifier “{school.sis_id}”).",
            )
        )
    rows = []
    for index, record in mine:
        class_id = record["sourcedId"]
        if not record["title"]:
            errors.append(RowError(classes_name, index, "title", "a title is required."))
        course = courses_by_id.get(record["courseSourcedId"])
        if course is None:
            errors.append(
                RowError(
                    classes_name,
                    index,
                    "courseSourcedId",
                    f"no course {record['courseSourcedId']} in courses.csv.",
                )
            )
        period = find_period(periods, record.get("periods", ""))
        if period is None:
            errors.append(
                RowError(
                    classes_name,
                    index,
                    "periods",
                    f"“{record.get('periods', '')}” is not a period of the bell schedule.",
                )
            )
        teacher_id = None
        if class_id in teacher_of:
            enrollment_row, user_id = teacher_of[class_id]
            if user_id not in teacher_emails:
                errors.append(
                    RowError(
                        getattr(enrollments, "name", "enrollments.csv"),
                        enrollment_row,
                        "userSourcedId",
                        f"no teacher {user_id} in users.csv.",
                    )
                )
            else:
                user_row, email = teacher_emails[user_id]
                teacher_id = _teacher(
                    staff, email, getattr(users, "name", "users.csv"), user_row, "email", errors
                )
        grade = record.get("grades", "") or (course or {}).get("grades", "")
        if record["title"] and course and period:
            rows.append(
                SectionRow(
                    row=index,
                    code=class_id,
                    name=record["title"],
                    period=period,
                    course=course["title"],
                    grade=normalize_grade(grade),
                    room=record.get("location", ""),
                    teacher_id=teacher_id,
                    size=min(size_of.get(class_id, 0), 500),
                )
            )
    return rows, errors


def parse_upload(school: School, files: dict) -> tuple[list[SectionRow], list[RowError], str]:
    """The rows and errors of the files of SectionImportForm, and where they came from
    (for the audit log)."""
    if files["format"] == "simple":
        rows, errors = parse_simple_csv(files["sections_file"], school)
        return rows, errors, files["sections_file"].name
    rows, errors = parse_oneroster(
        school,
        classes=files["classes_file"],
        courses=files["courses_file"],
        enrollments=files["enrollments_file"],
        users=files["users_file"],
    )
    return rows, errors, "OneRoster files"


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


FIELDS = ["name", "period", "course", "grade", "weekdays", "room", "teacher_id", "size"]


@transaction.atomic
def sections_import(
    *, school: School, rows: list[SectionRow], actor, source: str, request=None
) -> ImportResult:
    result = ImportResult()
    existing = {s.code: s for s in ClassSection.objects.filter(school=school)}
    for row in rows:
        values = {name: getattr(row, name) for name in FIELDS}
        section = existing.get(row.code)
        if section is None:
            ClassSection.objects.create(school=school, code=row.code, **values)
            result.added += 1
        elif any(getattr(section, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(section, k, v)
            section.save()
            result.updated += 1
        else:
            result.unchanged += 1
    AuditEvent.record(
        action="introductions.sections_import",
        summary=f"Imported class sections from {source}: {result.added} added, "
        f"{result.updated} updated, {result.unchanged} unchanged",
        school=school,
        actor=actor,
        request=request,
    )
    return result
