"""Roster import: a simple CSV, or the OneRoster 1.1 files a student information
system exports. Staff rows only: student, parent and guardian rows are skipped while
reading and never stored.

Parsing collects every error with its row and column; the import runs only when
there is none, in one transaction, so a file imports entirely or not at all.
"""

import csv
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from onboarding.schools.models import Role

SIMPLE_COLUMNS = ["name", "email", "role"]
SIMPLE_ROLES = {
    "principal": Role.PRINCIPAL,
    "assistant principal": Role.PRINCIPAL,
    "staff": Role.STAFF,
    "teacher": Role.STAFF,
    "mental_health": Role.MENTAL_HEALTH,
    "mental-health": Role.MENTAL_HEALTH,
    "mental health": Role.MENTAL_HEALTH,
    "counselor": Role.MENTAL_HEALTH,
    "social worker": Role.MENTAL_HEALTH,
    "psychologist": Role.MENTAL_HEALTH,
    "nurse": Role.MENTAL_HEALTH,
}
# OneRoster 1.1 roles that are school staff. An administrator comes in as staff: a
# principal's rights are given by a person, never by a file.
ONEROSTER_STAFF_ROLES = {"teacher", "aide", "administrator", "proctor"}
ONEROSTER_NEVER_STORED = {"student", "parent", "guardian", "relative"}
ONEROSTER_USER_COLUMNS = ["sourcedId", "orgSourcedIds", "role", "givenName", "familyName", "email"]
ONEROSTER_ORG_COLUMNS = ["sourcedId", "name", "type"]


@dataclass(frozen=True)
class RowError:
    file: str
    row: int  # the row number a spreadsheet shows, the header being row 1
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" if self.row else self.file
        if self.column:
            where += f", column “{self.column}”"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class RosterRow:
    row: int
    full_name: str
    email: str
    role: str
    title: str = ""


class RosterFileError(Exception):
    """The file cannot be read at all (encoding, missing columns)."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


# A cell longer than any value a roster holds is an error of its row (Python's csv
# module refuses a cell over 131,072 characters outright, and the page answered 500).
MAX_CELL_LENGTH = 1_000
NAME_LENGTH = 150  # a person's full name, as the database keeps it
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# How a PDF, an Excel workbook (a zip) and an older Excel file begin.
_NOT_TEXT = (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
_NOT_CSV = "is not a CSV file; in your spreadsheet, choose Save as, then “CSV UTF-8”, and retry."


def _decode(raw: bytes, filename: str) -> str:
    if not raw.strip():
        raise RosterFileError([RowError(filename, 0, "", "is empty.")])
    if raw.startswith(_NOT_TEXT):
        raise RosterFileError([RowError(filename, 0, "", _NOT_CSV)])
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # a spreadsheet's "Unicode text"
        message = "is not UTF-8 text (it is UTF-16); save it as “CSV UTF-8” and retry."
        raise RosterFileError([RowError(filename, 0, "", message)])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RosterFileError(
            [RowError(filename, 0, "", "is not UTF-8 text; save it as “CSV UTF-8” and retry.")]
        ) from None


def _read(
    upload, filename: str, required: list[str], lengths: dict[str, int] | None = None
) -> list[tuple[int, dict]]:
    """The rows with a value, each with its row number. A cell longer than
    `lengths[column]` (or MAX_CELL_LENGTH), or with control characters, is a
    row's error; a file that cannot be read raises RosterFileError."""
    text = _decode(upload.read(), filename)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
    except csv.Error as error:
        raise RosterFileError([RowError(filename, 1, "", _csv_problem(error))]) from None
    reader.fieldnames = header
    missing = [c for c in required if c not in header]
    if missing:
        raise RosterFileError(
            [
                RowError(filename, 1, column, "this column is missing from the header row.")
                for column in missing
            ]
        )
    rows, errors = [], []
    index = 1
    try:
        for index, record in enumerate(reader, start=2):
            cleaned = {k: (v or "").strip() for k, v in record.items() if k}
            errors += _cell_errors(filename, index, cleaned, lengths or {})
            if any(cleaned.values()):
                rows.append((index, cleaned))
    except csv.Error as error:
        errors.append(RowError(filename, index + 1, "", _csv_problem(error)))
    if errors:
        raise RosterFileError(errors)
    return rows


def _cell_errors(filename: str, row: int, record: dict, lengths: dict[str, int]) -> list:
    errors = []
    for column, value in record.items():
        limit = min(lengths.get(column, MAX_CELL_LENGTH), MAX_CELL_LENGTH)
        if len(value) > limit:
            message = f"this cell is longer than {limit:,} characters."
            errors.append(RowError(filename, row, column, message))
        elif _CONTROL.search(value):
            message = "this cell holds invisible control characters; remove them."
            errors.append(RowError(filename, row, column, message))
    return errors


def _csv_problem(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return f"a cell is far longer than {MAX_CELL_LENGTH:,} characters; nothing was imported."
    return f"this row is not well-formed CSV ({error}); nothing was imported."


def _check_email(filename: str, row: int, column: str, value: str, errors: list) -> str:
    if not value:
        errors.append(RowError(filename, row, column, "an email address is required."))
        return ""
    try:
        validate_email(value)
    except ValidationError:
        errors.append(RowError(filename, row, column, f"“{value}” is not an email address."))
        return ""
    return value.lower()


def _check_duplicates(rows: list[RosterRow], filename: str, column: str, errors: list) -> None:
    first_seen: dict[str, int] = {}
    for row in rows:
        if row.email in first_seen:
            errors.append(
                RowError(
                    filename,
                    row.row,
                    column,
                    f"{row.email} also appears on row {first_seen[row.email]}.",
                )
            )
        else:
            first_seen[row.email] = row.row


def parse_simple_csv(upload) -> tuple[list[RosterRow], list[RowError]]:
    filename = getattr(upload, "name", "roster.csv")
    try:
        records = _read(upload, filename, SIMPLE_COLUMNS, {"name": NAME_LENGTH})
    except RosterFileError as error:
        return [], error.errors
    rows, errors = [], []
    for index, record in records:
        name = record.get("name", "")
        if not name:
            errors.append(RowError(filename, index, "name", "a name is required."))
        email = _check_email(filename, index, "email", record.get("email", ""), errors)
        role_text = record.get("role", "").lower()
        role = SIMPLE_ROLES.get(role_text)
        if role is None:
            errors.append(
                RowError(
                    filename,
                    index,
                    "role",
                    f"“{record.get('role', '')}” is not a role here; use principal, staff "
                    "or mental-health (counselor, social worker, psychologist and nurse "
                    "also work).",
                )
            )
        if name and email and role:
            title = role_text.title() if role_text not in ("staff", "mental_health") else ""
            rows.append(RosterRow(index, name, email, role, title))
    _check_duplicates(rows, filename, "email", errors)
    return rows, errors


def find_oneroster_org(orgs_upload, school) -> tuple[str | None, list[RowError]]:
    """The sourcedId of the org in orgs.csv that is this school."""
    filename = getattr(orgs_upload, "name", "orgs.csv")
    try:
        records = _read(orgs_upload, filename, ONEROSTER_ORG_COLUMNS)
    except RosterFileError as error:
        return None, error.errors
    schools = [r for _, r in records if r.get("type", "").lower() == "school"]
    for record in schools:
        if school.sis_id and school.sis_id in (record["sourcedId"], record.get("identifier")):
            return record["sourcedId"], []
    for record in schools:
        if record["name"].casefold() == school.name.casefold():
            return record["sourcedId"], []
    return None, [
        RowError(
            filename,
            0,
            "name",
            f"no school in this file is named “{school.name}”"
            + (f" or has the identifier “{school.sis_id}”" if school.sis_id else "")
            + ".",
        )
    ]


def parse_oneroster_users(users_upload, org_id: str) -> tuple[list[RosterRow], list[RowError]]:
    filename = getattr(users_upload, "name", "users.csv")
    try:
        records = _read(users_upload, filename, ONEROSTER_USER_COLUMNS)
    except RosterFileError as error:
        return [], error.errors
    rows, errors = [], []
    for index, record in records:
        role = record.get("role", "").lower()
        if role in ONEROSTER_NEVER_STORED:
            continue  # students and families never enter the portal
        if record.get("status", "").lower() == "tobedeleted":
            continue
        if record.get("enabledUser", "true").lower() == "false":
            continue
        orgs = [o.strip() for o in record.get("orgSourcedIds", "").split(",")]
        if org_id not in orgs:
            continue  # staff of another school
        if role not in ONEROSTER_STAFF_ROLES:
            errors.append(
                RowError(
                    filename, index, "role", f"“{record.get('role')}” is not a OneRoster role."
                )
            )
            continue
        name = " ".join(p for p in (record.get("givenName"), record.get("familyName")) if p)
        if not name:
            errors.append(RowError(filename, index, "givenName", "a name is required."))
        elif len(name) > NAME_LENGTH:
            message = f"the name is longer than {NAME_LENGTH} characters."
            errors.append(RowError(filename, index, "givenName", message))
            name = ""
        email = _check_email(filename, index, "email", record.get("email", ""), errors)
        if name and email:
            rows.append(RosterRow(index, name, email, Role.STAFF, role.title()))
    _check_duplicates(rows, filename, "email", errors)
    return rows, errors
