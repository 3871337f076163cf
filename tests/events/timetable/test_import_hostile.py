"""Class section files that are not what they should be: a cell over Python's csv
limit (the page answered 500), a value longer than a section keeps (PostgreSQL
refused it with a 500), control characters, a PDF, a UTF-16 file. Each is a row's
or the file's error and imports nothing. Run on PostgreSQL as well."""

from datetime import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.timetable.models import ClassSection
from tests import factories as f
from tests.helpers import snapshot

HEADER = "code,name,course,grade,period,weekdays,room,teacher_email,size\n"
GOOD = HEADER + "ENG9-1,English 9,English 9,9,Period 1,MTWRF,101,,24\n"


@pytest.fixture
def period(world):
    return f.PeriodFactory(
        school=world.school, name="Period 1", position=1, start_time=time(8), end_time=time(9)
    )


def _import(client, world, data: bytes):
    upload = SimpleUploadedFile("sections.csv", data, content_type="text/csv")
    return client.post(
        reverse("sections_import", args=[world.school.pk]),
        {"format": "simple", "sections_file": upload},
    )


def _refused(client_for, world, data: bytes) -> str:
    client = client_for(world.principal)
    before = snapshot()
    response = _import(client, world, data)
    assert response.status_code == 400
    assert snapshot() == before
    return response.content.decode()


def test_a_cell_over_the_csv_limit_imports_nothing(client_for, world, period):
    text = GOOD + "BIO-1," + "x" * 200_000 + ",,,Period 1,,,,\n"
    page = _refused(client_for, world, text.encode())
    assert "sections.csv, row 3" in page
    assert "far longer than 1,000 characters" in page


@pytest.mark.parametrize(
    ("column", "row", "limit"),
    [("name", "BIO-1,{},,,Period 1,,,,\n", 150), ("room", "BIO-1,Bio,,,Period 1,,{},,\n", 50)],
)
def test_a_value_longer_than_a_section_keeps_is_a_row_error(
    client_for, world, period, column, row, limit
):
    text = GOOD + row.format("y" * (limit + 1))
    page = _refused(client_for, world, text.encode())
    assert f"row 3, column “{column}”: this cell is longer than {limit} characters." in page


def test_a_nul_in_a_cell_is_a_row_error(client_for, world, period):
    page = _refused(client_for, world, (GOOD + "BIO-1,Bio\x00logy,,,Period 1,,,,\n").encode())
    assert "row 3, column “name”: this cell holds invisible control characters" in page


def test_a_pdf_is_not_a_csv_file(client_for, world, period):
    page = _refused(client_for, world, b"%PDF-1.4\n\xff\xfe\x00binary")
    assert "is not a CSV file" in page


def test_a_utf_16_file_is_named_as_such(client_for, world, period):
    page = _refused(client_for, world, GOOD.encode("utf-16"))
    assert "(it is UTF-16)" in page


def test_a_good_file_still_imports(client_for, world, period):
    response = _import(client_for(world.principal), world, GOOD.encode("utf-8-sig"))
    assert response.status_code == 302
    assert ClassSection.objects.get(code="ENG9-1").name == "English 9"
