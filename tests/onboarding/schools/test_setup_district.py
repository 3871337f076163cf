import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from onboarding.schools.models import District, DistrictMembership


def test_setup_district_prints_a_link_that_makes_the_first_admin(client, db):
    out = StringIO()
    call_command(
        "setup_district",
        district="Prairie County Schools",
        state="ne",
        admin_email="Chief.Admin@prairie.example.org",
        admin_name="Alex Chief",
        stdout=out,
    )
    path = re.search(r"(/accounts/invitation/\S+/)", out.getvalue()).group(1)
    client.post(
        path,
        {
            "full_name": "Alex Chief",
            "password1": "a-long-pass-2026",
            "password2": "a-long-pass-2026",
        },
    )
    district = District.objects.get(name="Prairie County Schools")
    assert district.state == "NE"
    admin = DistrictMembership.objects.get(district=district)
    assert admin.user.email == "chief.admin@prairie.example.org"
    assert client.get(reverse("district_home", args=[district.pk])).status_code == 200


def test_setup_district_refuses_a_bad_state(db):
    with pytest.raises(CommandError, match="not a two-letter US state code"):
        call_command(
            "setup_district", district="X", state="Wisconsin", admin_email="a@b.org", admin_name="A"
        )
