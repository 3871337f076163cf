"""Class introductions end to end in the browser, axe on every page: OneRoster
import, window and limits, a teacher's pick, the plan run, a refused and an
accepted move, and the officer's week across both schools with the feed."""

import re
from datetime import datetime, time, timedelta

import icalendar

from events.introductions.models import SlotPick, Visit
from events.timetable.models import ClassSection
from onboarding.schools.models import Role
from tests import factories as f
from tests.browser.conftest import check_accessibility
from tests.world import build_world

CLASSES = """sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods
cls-1,active,,Civics - P1,10,crs-1,CIV-1,scheduled,Room 214,OAK-1,t1,,,1
cls-2,active,,Civics - P2,10,crs-1,CIV-2,scheduled,Room 214,OAK-1,t1,,,2
cls-3,active,,Biology - P3,9,crs-2,BIO-3,scheduled,Lab 2,OAK-1,t1,,,3
"""
COURSES = """sourcedId,title,courseCode,grades,orgSourcedId
crs-1,Civics,CIV,10,OAK-1
crs-2,Biology,BIO,09,OAK-1
"""
ENROLLMENTS = """sourcedId,classSourcedId,schoolSourcedId,userSourcedId,role,primary
e1,cls-1,OAK-1,t1,teacher,true
e2,cls-2,OAK-1,t1,teacher,true
e3,cls-3,OAK-1,t1,teacher,true
e4,cls-1,OAK-1,s1,student,false
"""
USERS = """sourcedId,role,givenName,familyName,email,orgSourcedIds
t1,teacher,Pat,Teacher,{email},OAK-1
s1,student,Zebulon,Studentname,zebulon.studentname@example.org,OAK-1
"""


def _arrive(b) -> None:
    b.page.wait_for_load_state()
    check_accessibility(b.page)


def test_introductions_from_import_to_the_officers_feed(browser_page, tmp_path):
    b = browser_page
    w = build_world()
    school = w.school
    school.sis_id = "OAK-1"
    school.save()
    for i in (1, 2, 3):
        f.PeriodFactory(
            school=school,
            name=f"Period {i}",
            position=i,
            start_time=time(8 + i, 0),
            end_time=time(8 + i, 50),
        )
    for weekday in range(5):
        f.AvailabilityFactory(
            officer=w.sro,
            school=school,
            weekday=weekday,
            start_time=time(8, 30),
            end_time=time(12, 0),
        )
    # The officer also serves the other school, in the afternoon.
    f.MembershipFactory(user=w.sro, school=w.other_school, role=Role.SRO)
    start = f.next_weekday(1)
    while start.weekday() != 0:
        start += timedelta(days=1)
    afternoon = f.PeriodFactory(
        school=w.other_school, name="Period 6", start_time=time(13, 30), end_time=time(14, 15)
    )
    f.VisitFactory(
        section=f.ClassSectionFactory(
            school=w.other_school, name="Grade 7 Science", period=afternoon
        ),
        officer=w.sro,
        date=start,
        status=Visit.Status.CONFIRMED,
    )
    blackout = f.BlackoutDateFactory(
        school=school, date=start + timedelta(days=2), reason="State testing"
    )

    # The principal imports the sections from the OneRoster files.
    files = {}
    for name, text in [
        ("classes", CLASSES),
        ("courses", COURSES),
        ("enrollments", ENROLLMENTS),
        ("users", USERS.format(email=w.staff.email)),
    ]:
        files[name] = tmp_path / f"{name}.csv"
        files[name].write_text(text)
    b.sign_in(w.principal.email, f.PASSWORD)
    b.visit(f"/schools/{school.pk}/introductions/")
    b.visit(f"/schools/{school.pk}/introductions/bell-schedule/")
    b.visit(f"/schools/{school.pk}/introductions/sections/import/")
    b.page.get_by_label(re.compile("OneRoster 1.1 export")).check()
    for name, path in files.items():
        b.page.get_by_label(f"{name}.csv", exact=True).set_input_files(str(path))
    b.page.get_by_role("button", name="Import").click()
    _arrive(b)
    assert "Sections imported: 3 added" in b.page.content()
    assert ClassSection.objects.get(code="cls-1").size == 1
    assert "Studentname" not in b.page.content()
    assert "zebulon.studentname" not in b.page.content()

    # Window and limits.
    b.visit(f"/schools/{school.pk}/introductions/settings/")
    b.page.get_by_label("First day").fill(start.isoformat())
    b.page.get_by_label("Last day").fill((start + timedelta(days=4)).isoformat())
    b.page.get_by_label("Daily limit").fill("2")
    b.page.get_by_role("button", name="Save").click()
    _arrive(b)
    assert "Plan settings saved" in b.page.content()
    b.sign_out()

    # The teacher picks Friday for Biology.
    b.sign_in(w.staff.email, f.PASSWORD)
    b.visit(f"/schools/{school.pk}/introductions/my-classes/")
    friday = start + timedelta(days=4)
    biology = ClassSection.objects.get(code="cls-3")
    b.page.locator(f"#id_s{biology.pk}-slot").select_option(f"{w.sro.pk}:{friday.isoformat()}")
    b.page.get_by_role("button", name="Save my pick for Biology - P3").click()
    _arrive(b)
    assert SlotPick.objects.get(section=biology).date == friday
    b.sign_out()

    # The principal runs the plan; the pick is kept.
    b.sign_in(w.principal.email, f.PASSWORD)
    b.visit(f"/schools/{school.pk}/introductions/")
    b.page.get_by_role("button", name="Run the plan").click()
    _arrive(b)
    assert "Plan run: 3 visits placed" in b.page.content()
    assert Visit.objects.get(section=biology).date == friday

    # A move onto the blackout date is refused with the reason; a good one works.
    civics = Visit.objects.get(section__code="cls-1")
    b.page.get_by_role("link", name="Move the visit to Civics - P1").click()
    _arrive(b)
    b.page.get_by_label("Date").fill(blackout.date.isoformat())
    b.page.get_by_role("button", name="Move the visit").click()
    _arrive(b)
    assert "is a blackout date (State testing)" in b.page.locator("#visit-conflicts").inner_text()
    # The refused move answers 400, which the browser logs: expected here.
    b.console_errors = [e for e in b.console_errors if "status of 400" not in e]
    b.page.get_by_label("Date").fill((start + timedelta(days=3)).isoformat())
    b.page.get_by_role("button", name="Move the visit").click()
    _arrive(b)
    assert "Moved the visit to Civics - P1" in b.page.content()
    civics.refresh_from_db()
    assert civics.date == start + timedelta(days=3)
    b.sign_out()

    # The officer sees the week across both schools and downloads the feed.
    b.sign_in(w.sro.email, f.PASSWORD)
    b.visit(f"/officer/schedule/week/?start={start.isoformat()}")
    content = b.page.content()
    assert "Grade 7 Science" in content and "Civics - P1" in content
    assert school.name in content and w.other_school.name in content
    shown = {}
    for item in b.page.locator("li[data-starts]").all():
        starts = datetime.fromisoformat(item.get_attribute("data-starts"))
        shown[starts] = item.locator("strong").inner_text()
    b.visit("/officer/schedule/")
    feed_url = b.page.locator("#feed-url").input_value()
    response = b.page.request.get(feed_url)
    assert response.status == 200
    calendar = icalendar.Calendar.from_ical(response.body())
    events = calendar.walk("VEVENT")
    assert len(events) == 4
    zones = {s.name: s.zone for s in (school, w.other_school)}
    for event in events:
        dtstart = event.decoded("dtstart")
        assert dtstart in shown, (event["summary"], dtstart)
        zone = next(z for name, z in zones.items() if name in str(event["location"]))
        assert shown[dtstart] == dtstart.astimezone(zone).strftime("%-I:%M %p")
    b.visit(f"/officer/schedule/{start.isoformat()}/")
    assert "Grade 7 Science" in b.page.content()


def test_demo_introductions_pages_for_each_role(browser_page, demo):
    from django.conf import settings

    from events.introductions import demo as demo_introductions

    demo_introductions.seed(demo)
    b = browser_page
    high = demo.schools["high"]
    b.sign_in("principal@example.org", settings.DEMO_PASSWORD)
    for path in ("", "settings/", "sections/", "bell-schedule/", "availability/"):
        b.visit(f"/schools/{high.pk}/introductions/{path}")
    b.visit(f"/schools/{high.pk}/")
    b.sign_out()
    b.sign_in("teacher@example.org", settings.DEMO_PASSWORD)
    b.visit(f"/schools/{high.pk}/introductions/my-classes/")
    assert "What does a school resource officer do" in b.page.content()
    b.sign_out()
    b.sign_in("sro@example.org", settings.DEMO_PASSWORD)
    b.visit("/officer/schedule/")
    assert "Lakeview Middle School" in b.page.content()
    b.visit("/officer/schedule/week/")
    b.page.set_viewport_size({"width": 390, "height": 844})  # a phone
    b.visit("/officer/schedule/")
    visit = Visit.objects.filter(officer__email="sro@example.org", status="planned").first()
    b.visit(f"/officer/schedule/{visit.date.isoformat()}/")
    b.visit(f"/schools/{high.pk}/introductions/availability/")
