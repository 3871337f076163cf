"""Roster files that are not what they should be: a cell over Python's csv limit
(131,072 characters; the page answered 500), control characters, another encoding,
a PDF chosen by mistake, an empty file. Each gets a clear error and imports
nothing. Run on
PostgreSQL as well (a NUL in a cell is refused there)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from onboarding.people.models import Invitation
from tests.helpers import snapshot

GOOD = "name,email,role\nAna Lopez,ana.lopez@school.example.org,staff\n"


def _import(client, world, data: bytes, name="staff.csv"):
    upload = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(
        reverse("people_import", args=[world.school.pk]),
        {"format": "simple", "roster_file": upload},
    )


def _refused(client_for, world, data: bytes) -> str:
    client = client_for(world.principal)
    before = snapshot()
    response = _import(client, world, data)
    assert response.status_code == 400
    assert snapshot() == before
    page = response.content.decode()
    assert "Nothing was imported" in page
    return page


def test_a_cell_over_the_csv_limit_is_a_row_error(client_for, world):
    text = GOOD + "Ben Ward,ben@school.example.org," + "x" * 200_000 + "\n"
    page = _refused(client_for, world, text.encode())
    assert "staff.csv, row 3" in page
    assert "far longer than 1,000 characters" in page


def test_a_long_cell_is_named_by_row_and_column(client_for, world):
    text = GOOD + "B" * 151 + ",ben@school.example.org,staff\n"
    page = _refused(client_for, world, text.encode())
    assert "row 3, column “name”: this cell is longer than 150 characters." in page


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x1b"])
def test_control_characters_in_a_cell_are_a_row_error(client_for, world, character):
    text = GOOD + f"Ben{character}Ward,ben@school.example.org,staff\n"
    page = _refused(client_for, world, text.encode())
    assert "row 3, column “name”: this cell holds invisible control characters" in page


def test_a_latin_1_file_is_named_as_not_utf_8(client_for, world):
    page = _refused(
        client_for, world, "name,email,role\nJosé,jose@school.example.org,staff\n".encode("latin-1")
    )
    assert "is not UTF-8 text" in page


def test_a_pdf_is_named_as_not_a_csv_file(client_for, world):
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n\x00\x01\xff"
    page = _refused(client_for, world, pdf)
    assert "is not a CSV file" in page


def test_a_file_of_blank_lines_is_named_as_empty(client_for, world):
    page = _refused(client_for, world, b"\n\n  \n")
    assert "staff.csv: is empty." in page


def test_a_file_of_no_bytes_is_refused_by_the_form(client_for, world):
    response = _import(client_for(world.principal), world, b"")
    assert "The submitted file is empty." in response.content.decode()
    assert not Invitation.objects.filter(email="ana.lopez@school.example.org").exists()


def test_an_excel_workbook_is_named_as_not_a_csv_file(client_for, world):
    page = _refused(client_for, world, b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40)
    assert "is not a CSV file" in page


def test_a_utf_16_file_is_named_as_such(client_for, world):
    page = _refused(client_for, world, GOOD.encode("utf-16"))
    assert "is not UTF-8 text (it is UTF-16); save it as “CSV UTF-8”" in page


def test_a_good_file_still_imports(client_for, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _import(client_for(world.principal), world, GOOD.encode("utf-8-sig"))
    assert response.status_code == 302
    assert Invitation.objects.filter(email="ana.lopez@school.example.org").exists()
