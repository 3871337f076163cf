"""seed_scale at a small size: the same code the benchmark runs at district size."""

import importlib.util
import sys
import types

import pytest
from django.core.management import CommandError, call_command

from onboarding import scale
from onboarding.contributions import contributions
from onboarding.people.models import Invitation, User
from onboarding.schools.models import (
    AgencyMembership,
    District,
    DistrictMembership,
    Membership,
    Role,
    School,
)
from tests import factories as f

SMALL = {"schools": 3, "staff": 30, "officers": 2, "supervisors": 1, "district_admins": 1}


def seed_small(**extra):
    call_command("seed_scale", **SMALL, **extra, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.django_db
def test_it_builds_a_district_of_the_requested_size():
    seed_small()
    district = District.objects.get(name=scale.DISTRICT_NAME)
    assert School.objects.filter(district=district).count() == 3
    staff_roles = [Role.PRINCIPAL, Role.STAFF, Role.MENTAL_HEALTH]
    assert Membership.objects.filter(role__in=staff_roles).count() == 30
    assert Membership.objects.filter(role=Role.SRO).count() >= 3  # every school has one
    for school in School.objects.all():
        assert school.memberships.filter(role=Role.PRINCIPAL).exists()
        assert school.memberships.filter(role=Role.SRO).exists()
    assert AgencyMembership.objects.filter(role="officer").count() == 2
    assert AgencyMembership.objects.filter(role="supervisor").count() == 1
    assert DistrictMembership.objects.count() == 1
    assert Invitation.objects.pending().count() == 3 * 3


@pytest.mark.django_db
def test_everybody_shares_the_documented_password(client):
    seed_small()
    user = User.objects.filter(memberships__role=Role.PRINCIPAL).first()
    assert user.check_password(scale.SCALE_PASSWORD)
    assert len(set(User.objects.values_list("password", flat=True))) == 1


@pytest.mark.django_db
def test_it_refuses_a_database_that_already_has_data():
    f.SchoolFactory()
    with pytest.raises(CommandError, match="not empty"):
        seed_small()
    assert not District.objects.filter(name=scale.DISTRICT_NAME).exists()


@pytest.mark.django_db
def test_reset_rebuilds_the_scale_district_and_leaves_others_alone():
    other = f.SchoolFactory()
    seed_small(reset=True)
    seed_small(reset=True)
    assert District.objects.filter(name=scale.DISTRICT_NAME).count() == 1
    assert Membership.objects.filter(school__district__name=scale.DISTRICT_NAME).count() >= 33
    assert School.objects.filter(pk=other.pk).exists()


@pytest.mark.django_db
def test_it_runs_each_apps_scale_step_with_the_world(monkeypatch, request):
    seen = []
    module = types.ModuleType("events.scale")
    module.__spec__ = importlib.util.find_spec("events.scale")
    module.seed = lambda world: seen.append(
        (len(world.schools), world.largest_school.pk, world.busiest_officer.pk)
    )
    monkeypatch.setitem(sys.modules, "events.scale", module)
    # Discovered again with the module above, and again after the test without it.
    contributions.cache_clear()
    request.addfinalizer(contributions.cache_clear)
    seed_small()
    assert len(seen) == 1
    assert seen[0][0] == 3


@pytest.mark.django_db
def test_it_builds_each_capabilitys_data_in_proportion():
    from events.introductions.models import ACTIVE_VISIT, Visit
    from events.invitations.models import Event, EventInvitation
    from events.timetable.models import ClassSection
    from expectations.models import Acknowledgment, Guideline
    from onboarding.agreements.models import Agreement, SectionComment, Signature

    seed_small(reset=True)
    # One agreement a school, three versions each with comments; signed when active.
    assert Agreement.objects.count() == 3
    for agreement in Agreement.objects.all():
        assert agreement.versions.count() == 3
        assert agreement.current_version.number == 3
        assert SectionComment.objects.filter(agreement=agreement).count() == 12
        signatures = Signature.objects.filter(version__agreement=agreement)
        if agreement.status == Agreement.Status.ACTIVE:
            assert signatures.count() == agreement.parties.count() == 3
        elif agreement.status == Agreement.Status.SIGNING:
            assert signatures.count() == 1  # the principal signed first
        else:
            assert not signatures.exists()
        assert {s.version_id for s in signatures} <= {agreement.current_version_id}
    statuses = set(Agreement.objects.values_list("status", flat=True))
    assert statuses == {"active", "signing", "review"}
    # 20,000 acknowledgments for 6,000 staff: 100 for 30, over published guidelines.
    assert Acknowledgment.objects.count() == 100
    assert not Guideline.objects.filter(current_version__isnull=True).exists()
    # A section for every two staff, each with one active visit and three earlier ones.
    sections = ClassSection.objects.count()
    assert 12 <= sections <= 18
    assert Visit.objects.filter(status__in=ACTIVE_VISIT).count() == sections
    assert Visit.objects.count() == 4 * sections
    # 20 events a school, each with invitations (the school's officer among them).
    assert Event.objects.count() == 60
    event = Event.objects.first()
    officers = set(event.school.memberships.filter(role=Role.SRO).values_list("user", flat=True))
    invited = set(EventInvitation.objects.filter(event=event).values_list("user", flat=True))
    assert officers <= invited
