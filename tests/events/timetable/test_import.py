"""Importing class sections: a simple CSV or OneRoster 1.1 files; all or nothing,
errors by row and column, re-import updates, and no student row is ever stored."""

from datetime import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.timetable.models import ClassSection
from onboarding.people.models import User
from tests import factories as f
from tests.helpers import snapshot


@pytest.fixture
def periods(world):
    return [
        f.PeriodFactory(
            school=world.school,
            name=f"Period {i}",
            position=i,
            start_time=time(8 + i, 0),
            end_time=time(8 + i, 50),
        )
        for i in (1, 2, 3)
    ]


def _csv(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def _import_simple(client, world, text):
    return client.post(
        reverse("sections_import", args=[world.school.pk]),
        {"format": "simple", "sections_file": _csv("sections.csv", text)},
    )


SIMPLE = """code,name,course,grade,period,weekdays,room,teacher_email,size
ENG9-1,English 9 (1st),English 9,9,Period 1,MTWRF,101,{email},24
BIO-3,Biology (3rd),Biology,10,3,"Mon, Wed, Fri",210,,28
"""


def test_simple_csv_imports_sections(world, client_for, periods):
    response = _import_simple(
        client_for(world.principal), world, SIMPLE.format(email=world.staff.email)
    )
    assert response.status_code == 302
    english = ClassSection.objects.get(code="ENG9-1")
    assert (english.period, english.teacher, english.size, english.weekdays) == (
        periods[0],
        world.staff,
        24,
        "01234",
    )
    biology = ClassSection.objects.get(code="BIO-3")
    assert (biology.period, biology.weekdays, biology.teacher) == (periods[2], "024", None)


def test_reimport_updates_instead_of_duplicating(world, client_for, periods):
    client = client_for(world.principal)
    _import_simple(client, world, SIMPLE.format(email=world.staff.email))
    changed = SIMPLE.format(email=world.staff.email).replace(",101,", ",105,")  # not in person101@
    _import_simple(client, world, changed)
    assert ClassSection.objects.count() == 2
    assert ClassSection.objects.get(code="ENG9-1").room == "105"


def test_a_bad_row_imports_nothing_and_names_row_and_column(world, client_for, periods):
    text = (
        SIMPLE.format(email=world.staff.email) + "X-9,Art,,9,Period 9,,,nobody@example.org,lots\n"
    )
    client = client_for(world.principal)
    before = snapshot()
    response = _import_simple(client, world, text)
    assert response.status_code == 400
    page = response.content.decode()
    assert "row 4, column “period”" in page
    assert "row 4, column “teacher_email”" in page
    assert "row 4, column “size”" in page
    assert snapshot() == before


CLASSES = """sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods
cls-1,active,,Algebra I - P1,09,crs-1,ALG1-1,scheduled,Room 12,RHS-0301,t1,,,1
cls-2,active,,Algebra I - P2,09,crs-1,ALG1-2,scheduled,Room 12,RHS-0301,t1,,,Period 2
cls-9,active,,Elsewhere,09,crs-1,X,scheduled,Room 1,OTHER-1,t1,,,1
"""
COURSES = """sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,subjectCodes
crs-1,active,,2026,Algebra I,ALG1,09,RHS-0301,,
"""
ENROLLMENTS = """sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate
e1,active,,cls-1,RHS-0301,tch-1,teacher,true,,
e2,active,,cls-1,RHS-0301,stu-1,student,false,,
e3,active,,cls-1,RHS-0301,stu-2,student,false,,
e4,active,,cls-2,RHS-0301,tch-1,teacher,true,,
e5,active,,cls-2,RHS-0301,stu-1,student,false,,
"""
USERS = """sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password
tch-1,active,,true,RHS-0301,teacher,tch1,,Priya,Patel,,,{email},,,,,
stu-1,active,,true,RHS-0301,student,stu1,,Zed,Studentname,,,zed.student@example.org,,,,09,
stu-2,active,,true,RHS-0301,student,stu2,,Amy,Pupilname,,,,,,,09,
"""


def _import_oneroster(client, world, users=USERS):
    return client.post(
        reverse("sections_import", args=[world.school.pk]),
        {
            "format": "oneroster",
            "classes_file": _csv("classes.csv", CLASSES),
            "courses_file": _csv("courses.csv", COURSES),
            "enrollments_file": _csv("enrollments.csv", ENROLLMENTS),
            "users_file": _csv("users.csv", users.format(email=world.staff.email)),
        },
    )


def test_oneroster_imports_this_schools_classes_with_teachers_and_sizes(world, client_for, periods):
    world.school.sis_id = "RHS-0301"
    world.school.save()
    users_before = User.objects.count()
    response = _import_oneroster(client_for(world.principal), world)
    assert response.status_code == 302
    sections = {s.code: s for s in ClassSection.objects.all()}
    assert set(sections) == {"cls-1", "cls-2"}
    first = sections["cls-1"]
    assert (first.name, first.course, first.grade, first.room) == (
        "Algebra I - P1",
        "Algebra I",
        "9",
        "Room 12",
    )
    assert (first.period, first.teacher, first.size) == (periods[0], world.staff, 2)
    assert sections["cls-2"].period == periods[1]
    # No student became a person, and no student name is anywhere in the data.
    assert User.objects.count() == users_before
    dump = str(snapshot())
    assert "Studentname" not in dump and "zed.student" not in dump and "stu-1" not in dump


def test_oneroster_reimport_updates(world, client_for, periods):
    client = client_for(world.principal)
    _import_oneroster(client, world)
    _import_oneroster(client, world)
    assert ClassSection.objects.filter(school=world.school).count() == 3  # no sis_id: all classes


def test_oneroster_teacher_not_on_staff_is_an_error_with_file_row_and_column(
    world, client_for, periods
):
    response = _import_oneroster(
        client_for(world.principal), world, users=USERS.replace("{email}", "stranger@example.org")
    )
    assert response.status_code == 400
    assert "users.csv, row 2, column “email”" in response.content.decode()
    assert not ClassSection.objects.exists()
