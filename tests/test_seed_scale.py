"""seed_scale at a small size: the same code the benchmark runs at district size."""

import sys
import types

import pytest
from django.core.management import CommandError, call_command

from onboarding import scale
from onboarding.models import (
    AgencyMembership,
    District,
    DistrictMembership,
    Invitation,
    Membership,
    Role,
    School,
    User,
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
def test_it_runs_each_apps_scale_step_with_the_world(monkeypatch):
    seen = []
    module = types.ModuleType("events.scale")
    module.seed = lambda world: seen.append(
        (len(world.schools), world.largest_school.pk, world.busiest_officer.pk)
    )
    monkeypatch.setitem(sys.modules, "events.scale", module)
    seed_small()
    assert len(seen) == 1
    assert seen[0][0] == 3
