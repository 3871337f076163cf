from tests.permissions import SCHOOL_MANAGERS, SCHOOL_MEMBERS_NOT_MANAGERS, Route
from tests.world import KINDS, REMOVED_KINDS


def _school(w):
    return {"school_id": w.school.pk}


def _staff_membership(w):
    return {"school_id": w.school.pk, "membership_id": w.staff_membership.pk}


ROUTES = [
    Route("healthz", public=True),
    Route("hello", public=True),
    Route("hello_signed_in", ok=tuple(k for k in KINDS if k != "anonymous")),
    Route("login", public=True, signed_in_status=(302,)),
    Route("password_reset", public=True),
    Route("password_reset_done", public=True),
    Route(
        "password_reset_confirm",
        kwargs=lambda w: {"uidb64": "MQ", "token": "not-a-token"},
        public=True,
    ),
    Route("password_reset_complete", public=True),
    # An unknown token is a 404; a real one is tested in test_invitations.
    Route(
        "invitation_accept",
        kwargs=lambda w: {"token": "unknown"},
        public=True,
        public_status=(404,),
    ),
    Route(
        "logout",
        method="post",
        ok=(
            "principal",
            "staff",
            "counselor",
            "sro",
            "supervisor",
            "district_admin",
            "other_principal",
            *REMOVED_KINDS,
        ),
    ),
    # Everybody's own home; what a removed member's lists is tested in
    # tests/onboarding/homes/test_removal.py.
    Route(
        "home",
        ok=(
            "principal",
            "staff",
            "counselor",
            "sro",
            "supervisor",
            "district_admin",
            "other_principal",
            *REMOVED_KINDS,
        ),
    ),
    Route(
        "school_home",
        kwargs=_school,
        ok=("principal", "staff", "counselor", "sro", "supervisor", "district_admin"),
        hidden=("other_principal",),
    ),
    *[
        Route(
            name,
            kwargs=_school,
            ok=SCHOOL_MANAGERS,
            forbidden=(*SCHOOL_MEMBERS_NOT_MANAGERS, "supervisor"),
            hidden=("other_principal",),
        )
        for name in ("people", "person_invite", "people_import")
    ],
    Route(
        "person_invite",
        kwargs=_school,
        method="post",
        data=lambda w: {
            "full_name": "New Teacher",
            "email": "new@school.example.org",
            "role": "staff",
        },
        ok=SCHOOL_MANAGERS,
        forbidden=(*SCHOOL_MEMBERS_NOT_MANAGERS, "supervisor"),
        hidden=("other_principal",),
    ),
    Route(
        "membership_role",
        kwargs=_staff_membership,
        method="post",
        data=lambda w: {"role": "mental_health"},
        ok=SCHOOL_MANAGERS,
        forbidden=(*SCHOOL_MEMBERS_NOT_MANAGERS, "supervisor"),
        hidden=("other_principal",),
    ),
    *[
        Route(
            name,
            kwargs=_staff_membership,
            method="post",
            ok=SCHOOL_MANAGERS,
            forbidden=(*SCHOOL_MEMBERS_NOT_MANAGERS, "supervisor"),
            hidden=("other_principal",),
        )
        for name in ("membership_deactivate", "membership_reactivate")
    ],
    Route(
        "membership_email",
        kwargs=_staff_membership,
        ok=SCHOOL_MANAGERS,
        forbidden=(*SCHOOL_MEMBERS_NOT_MANAGERS, "supervisor"),
        hidden=("other_principal",),
    ),
    Route(
        "membership_email",
        kwargs=_staff_membership,
        method="post",
        data=lambda w: {"email": "corrected@school.example.org", "opened_with": w.staff.email},
        ok=SCHOOL_MANAGERS,
        forbidden=(*SCHOOL_MEMBERS_NOT_MANAGERS, "supervisor"),
        hidden=("other_principal",),
    ),
    Route(
        "invitation_revoke",
        kwargs=lambda w: {"school_id": w.school.pk, "invitation_id": w.invitation.pk},
        method="post",
        ok=SCHOOL_MANAGERS,
        forbidden=(*SCHOOL_MEMBERS_NOT_MANAGERS, "supervisor"),
        hidden=("other_principal",),
    ),
    Route(
        "agency_home",
        kwargs=lambda w: {"agency_id": w.agency.pk},
        ok=("supervisor", "district_admin"),
        hidden=("principal", "staff", "counselor", "sro", "other_principal"),
    ),
    Route(
        "district_home",
        kwargs=lambda w: {"district_id": w.district.pk},
        ok=("district_admin",),
        hidden=("principal", "staff", "counselor", "sro", "supervisor", "other_principal"),
    ),
]

_DISTRICT_ONLY = {
    "ok": ("district_admin",),
    "hidden": ("principal", "staff", "counselor", "sro", "supervisor", "other_principal"),
}

ROUTES += [
    Route("audit_chain", kwargs=lambda w: {"district_id": w.district.pk}, **_DISTRICT_ONLY),
    Route(
        "school_edit",
        kwargs=_school,
        ok=SCHOOL_MANAGERS,
        forbidden=(*SCHOOL_MEMBERS_NOT_MANAGERS, "supervisor"),
        hidden=("other_principal",),
    ),
    Route(
        "school_edit",
        kwargs=_school,
        method="post",
        data=lambda w: {
            "name": "Renamed",
            "level": "high",
            "state": "WI",
            "time_zone": "America/Chicago",
        },
        ok=SCHOOL_MANAGERS,
        forbidden=(*SCHOOL_MEMBERS_NOT_MANAGERS, "supervisor"),
        hidden=("other_principal",),
    ),
    *[
        Route(name, kwargs=lambda w: {"district_id": w.district.pk}, **_DISTRICT_ONLY)
        for name in ("school_create", "agency_create", "district_invite")
    ],
    Route(
        "school_create",
        kwargs=lambda w: {"district_id": w.district.pk},
        method="post",
        data=lambda w: {
            "name": "New School",
            "level": "middle",
            "state": "WI",
            "time_zone": "America/Chicago",
        },
        **_DISTRICT_ONLY,
    ),
    Route(
        "agency_create",
        kwargs=lambda w: {"district_id": w.district.pk},
        method="post",
        data=lambda w: {"name": "County Sheriff"},
        **_DISTRICT_ONLY,
    ),
    Route(
        "district_invite",
        kwargs=lambda w: {"district_id": w.district.pk},
        method="post",
        data=lambda w: {
            "full_name": "Lee Admin",
            "email": "lee@district.example.org",
            "role": "district_admin",
        },
        **_DISTRICT_ONLY,
    ),
]
