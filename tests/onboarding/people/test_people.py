"""The people page: roster, role changes, deactivation and roster import."""

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from onboarding.audit.models import AuditEvent
from onboarding.people.models import Invitation, User
from onboarding.schools.models import Membership, Role
from tests import factories as f
from tests.helpers import assert_flat_queries


def _csv(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def _import(client, world, **files):
    data = {"format": "oneroster" if "orgs_file" in files else "simple", **files}
    return client.post(reverse("people_import", args=[world.school.pk]), data)


def test_people_page_lists_the_roster_with_roles(client_for, world):
    body = (
        client_for(world.principal).get(reverse("people", args=[world.school.pk])).content.decode()
    )
    assert world.staff.email in body
    assert world.sro.email in body
    assert world.other_principal.email not in body
    assert world.invitation.email in body  # pending invitations are listed too


def test_people_page_queries_do_not_grow_with_the_roster(client_for, world):
    client = client_for(world.principal)
    assert_flat_queries(
        client,
        reverse("people", args=[world.school.pk]),
        lambda: f.MembershipFactory.create_batch(40, school=world.school),
    )


def test_a_large_roster_comes_a_page_at_a_time_active_people_first(client_for, world):
    batch = f.MembershipFactory.create_batch(
        30, school=world.school, user__full_name=factory.Sequence(lambda n: f"Aaron Roster {n:03}")
    )
    gone = f.MembershipFactory(school=world.school, user__full_name="Aaron Gone", is_active=False)
    client = client_for(world.principal)
    url = reverse("people", args=[world.school.pk])
    first = client.get(url).content.decode()
    total = Membership.objects.filter(school=world.school).count()
    assert f"1 to 25 of {total}" in first
    assert "Page 1 of 2" in first
    roster = first[: first.index("Invitations waiting")]
    assert roster.count('<th scope="row">') == 25
    second = client.get(url, {"page": 2}).content.decode()
    assert "Page 2 of 2" in second
    # Everybody is on one page or the other, once.
    names = [m.user.full_name for m in batch]
    assert all((name in first) != (name in second) for name in names)
    # A deactivated person comes after every active one, whatever their name.
    assert gone.user.full_name not in first and gone.user.full_name in second
    last_active = max(second.index(name) for name in names if name in second)
    assert last_active < second.index(gone.user.full_name)
    # A page number past the end shows the last page rather than an error.
    past_the_end = client.get(url, {"page": 9})
    assert past_the_end.status_code == 200
    assert "Page 2 of 2" in past_the_end.content.decode()


def test_search_finds_a_person_by_name_or_email_at_this_school_only(client_for, world):
    f.MembershipFactory.create_batch(30, school=world.school)
    wanted = f.MembershipFactory(
        school=world.school, user__full_name="Imani Okafor", user__email="imani@school.example.org"
    )
    elsewhere = f.MembershipFactory(school=world.other_school, user__full_name="Imani Elsewhere")
    client = client_for(world.principal)
    url = reverse("people", args=[world.school.pk])
    by_name = client.get(url, {"q": "okafor"}).content.decode()
    assert wanted.user.email in by_name
    assert elsewhere.user.full_name not in by_name
    assert "1 to 1 of 1" in by_name and "Page 1 of" not in by_name
    assert wanted.user.full_name in client.get(url, {"q": "IMANI@school"}).content.decode()
    nobody = client.get(url, {"q": "no such person"}).content.decode()
    assert "Nobody here matches" in nobody


def test_principal_changes_a_role(client_for, world):
    client = client_for(world.principal)
    client.post(
        reverse("membership_role", args=[world.school.pk, world.staff_membership.pk]),
        {"role": "mental_health"},
    )
    world.staff_membership.refresh_from_db()
    assert world.staff_membership.role == Role.MENTAL_HEALTH
    event = AuditEvent.objects.get(action="person.role_changed")
    assert event.actor == world.principal and event.school == world.school


def test_principal_cannot_change_their_own_role(client_for, world):
    own = Membership.objects.get(user=world.principal, school=world.school)
    response = client_for(world.principal).post(
        reverse("membership_role", args=[world.school.pk, own.pk]), {"role": "staff"}, follow=True
    )
    own.refresh_from_db()
    assert own.role == Role.PRINCIPAL
    assert "cannot change your own role" in response.content.decode()


def test_deactivating_a_person_ends_their_sessions(client, world, django_user_model):
    # The teacher signs in for real (a session is recorded)...
    client.post(reverse("login"), {"username": world.staff.email, "password": f.PASSWORD})
    assert client.get(reverse("home")).status_code == 200
    # ...then the principal deactivates them from another browser.
    from django.test import Client

    principal = Client()
    principal.force_login(world.principal)
    principal.post(
        reverse("membership_deactivate", args=[world.school.pk, world.staff_membership.pk])
    )
    assert not User.objects.get(pk=world.staff.pk).is_active
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    # And they cannot sign in again.
    response = client.post(
        reverse("login"), {"username": world.staff.email, "password": f.PASSWORD}
    )
    assert response.status_code == 200


def test_deactivating_an_officer_at_one_school_keeps_their_other_school(client_for, world):
    f.MembershipFactory(user=world.sro, school=world.other_school, role=Role.SRO)
    sro_here = Membership.objects.get(user=world.sro, school=world.school)
    client_for(world.principal).post(
        reverse("membership_deactivate", args=[world.school.pk, sro_here.pk])
    )
    world.sro.refresh_from_db()
    assert world.sro.is_active
    officer = client_for(world.sro)
    assert officer.get(reverse("school_home", args=[world.school.pk])).status_code == 404
    assert officer.get(reverse("school_home", args=[world.other_school.pk])).status_code == 200


def test_reactivating_restores_access(client_for, world):
    client = client_for(world.principal)
    url_args = [world.school.pk, world.staff_membership.pk]
    client.post(reverse("membership_deactivate", args=url_args))
    client.post(reverse("membership_reactivate", args=url_args))
    assert (
        client_for(world.staff).get(reverse("school_home", args=[world.school.pk])).status_code
        == 200
    )


# --- Roster import -----------------------------------------------------------

GOOD_CSV = """name,email,role
Ana Lopez,ana.lopez@school.example.org,staff
Ben Ward,ben.ward@school.example.org,counselor
Cleo Park,cleo.park@school.example.org,principal
"""


def test_a_good_csv_imports_everyone_with_their_roles(
    client_for, world, django_capture_on_commit_callbacks
):
    client = client_for(world.principal)
    with django_capture_on_commit_callbacks(execute=True):
        response = _import(client, world, roster_file=_csv("staff.csv", GOOD_CSV))
    assert response.status_code == 302
    invited = {
        i.email: i.role
        for i in Invitation.objects.filter(
            school=world.school, email__endswith="school.example.org"
        ).exclude(pk=world.invitation.pk)
    }
    assert invited == {
        "ana.lopez@school.example.org": Role.STAFF,
        "ben.ward@school.example.org": Role.MENTAL_HEALTH,
        "cleo.park@school.example.org": Role.PRINCIPAL,
    }
    from django.core import mail

    assert len(mail.outbox) == 3
    assert AuditEvent.objects.filter(action="roster.imported", school=world.school).exists()


def test_a_csv_with_one_bad_row_imports_nothing_and_names_the_row(client_for, world):
    bad = GOOD_CSV + "Dee Fox,not-an-email,staff\nEd Gray,ed.gray@school.example.org,janitor\n"
    before = Invitation.objects.count()
    response = _import(client_for(world.principal), world, roster_file=_csv("staff.csv", bad))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was imported" in body
    assert "row 5, column “email”" in body
    assert "row 6, column “role”" in body
    assert Invitation.objects.count() == before


def test_missing_columns_are_named(client_for, world):
    response = _import(
        client_for(world.principal), world, roster_file=_csv("staff.csv", "name,mail\nA,b\n")
    )
    body = response.content.decode()
    assert "column “email”: this column is missing" in body
    assert "column “role”: this column is missing" in body


def test_reimporting_updates_roles_rather_than_duplicating(client_for, world):
    existing = f.UserFactory(email="ana.lopez@school.example.org")
    f.MembershipFactory(user=existing, school=world.school, role=Role.STAFF)
    client = client_for(world.principal)
    _import(
        client,
        world,
        roster_file=_csv(
            "a.csv", "name,email,role\nAna Lopez,ANA.LOPEZ@school.example.org,counselor\n"
        ),
    )
    _import(
        client,
        world,
        roster_file=_csv(
            "a.csv", "name,email,role\nAna Lopez,ana.lopez@school.example.org,counselor\n"
        ),
    )
    memberships = Membership.objects.filter(user__email="ana.lopez@school.example.org")
    assert [m.role for m in memberships] == [Role.MENTAL_HEALTH]
    assert User.objects.filter(email__iexact="ana.lopez@school.example.org").count() == 1


def test_a_file_that_is_not_utf8_is_refused_clearly(client_for, world):
    upload = SimpleUploadedFile("x.csv", "name,email,role\nJosé,j@x.org,staff\n".encode("utf-16"))
    body = _import(client_for(world.principal), world, roster_file=upload).content.decode()
    assert "is not UTF-8 text" in body


ORGS = """sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId
org-district,active,2026-08-01,Test District,district,,
org-oak,active,2026-08-01,Oak Ridge High School,school,OR-100,org-district
org-pine,active,2026-08-01,Pine Valley Middle School,school,PV-200,org-district
"""
USERS = """sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password
u1,active,2026-08-01,true,org-oak,teacher,jlee,,Jamie,Lee,,T1,jamie.lee@school.example.org,,,,,
u2,active,2026-08-01,true,org-oak,student,kid1,,Kid,One,,S1,kid.one@students.example.org,,,,09,
u3,active,2026-08-01,true,org-oak,aide,mcole,,Morgan,Cole,,T2,morgan.cole@school.example.org,,,,,
u4,active,2026-08-01,true,org-pine,teacher,other,,Pat,Other,,T3,pat.other@school.example.org,,,,,
u5,active,2026-08-01,true,org-oak,parent,par,,Parent,One,,P1,parent@home.example.org,,,,,
"""


def test_oneroster_imports_this_schools_staff_and_never_students(client_for, world):
    response = _import(
        client_for(world.principal),
        world,
        orgs_file=_csv("orgs.csv", ORGS),
        users_file=_csv("users.csv", USERS),
    )
    assert response.status_code == 302
    emails = set(Invitation.objects.filter(school=world.school).values_list("email", flat=True))
    assert {"jamie.lee@school.example.org", "morgan.cole@school.example.org"} <= emails
    everything = " ".join(
        [
            *Invitation.objects.values_list("email", flat=True),
            *User.objects.values_list("email", flat=True),
        ]
    )
    assert "kid.one" not in everything and "parent@home" not in everything
    assert "pat.other" not in everything  # another school's staff


def test_oneroster_without_this_school_says_so(client_for, world):
    orgs = ORGS.replace("Oak Ridge High School", "Somewhere Else")
    body = _import(
        client_for(world.principal),
        world,
        orgs_file=_csv("orgs.csv", orgs),
        users_file=_csv("users.csv", USERS),
    ).content.decode()
    assert "no school in this file is named “Oak Ridge High School”" in body


def test_oneroster_bad_staff_row_names_file_row_and_column(client_for, world):
    users = USERS.replace("jamie.lee@school.example.org", "")
    body = _import(
        client_for(world.principal),
        world,
        orgs_file=_csv("orgs.csv", ORGS),
        users_file=_csv("users.csv", users),
    ).content.decode()
    assert "users.csv, row 2, column “email”: an email address is required." in body
    assert not Invitation.objects.filter(email="morgan.cole@school.example.org").exists()
