"""Role agreement routes. The agreement under test has the world's principal, SRO
and supervisor as its signing parties; staff may read only an ACTIVE agreement."""

from tests.factories import SHORT_SECTIONS, make_agreement
from tests.permissions import SCHOOL_MANAGERS, Route

ALL_IN_SCHOOL = ("principal", "staff", "counselor", "sro", "supervisor", "district_admin")
PARTIES_AND_MANAGERS = ("principal", "sro", "supervisor", "district_admin")


def _agreement(w, status="review"):
    return make_agreement(
        w.school,
        principal=w.principal,
        officer=w.sro,
        agency=w.agency,
        status=status,
        sections=SHORT_SECTIONS,
    )


def _a(status="review"):
    def kwargs(w):
        agreement = _agreement(w, status)
        return {"school_id": w.school.pk, "agreement_id": agreement.pk}

    return kwargs


def _with(status="review", **extra):
    def kwargs(w):
        agreement = _agreement(w, status)
        values = {"school_id": w.school.pk, "agreement_id": agreement.pk}
        for name, make in extra.items():
            values[name] = make(agreement, w)
        return values

    return kwargs


def _school(w):
    return {"school_id": w.school.pk}


def _comment(agreement, w):
    from onboarding.agreements.workflows import agreement_comment

    return agreement_comment(agreement=agreement, key="purpose", body="Hm.", actor=w.sro).pk


def _party(agreement, w):
    return agreement.parties.get(user=w.supervisor).pk


# Managers edit; the SRO and supervisor (parties) may read but not edit: 403.
# Staff and counselor cannot see a draft or review agreement at all: 404.
EDIT = {
    "ok": SCHOOL_MANAGERS,
    "forbidden": ("sro", "supervisor"),
    "hidden": ("staff", "counselor", "other_principal"),
}
READ_REVIEW = {
    "ok": PARTIES_AND_MANAGERS,
    "hidden": ("staff", "counselor", "other_principal"),
}
READ_ACTIVE = {"ok": ALL_IN_SCHOOL, "hidden": ("other_principal",)}

ROUTES = [
    Route("agreement_list", kwargs=_school, ok=ALL_IN_SCHOOL, hidden=("other_principal",)),
    Route(
        "agreement_start",
        kwargs=_school,
        ok=SCHOOL_MANAGERS,
        forbidden=("staff", "counselor", "sro", "supervisor"),
        hidden=("other_principal",),
    ),
    Route(
        "agreement_start",
        kwargs=_school,
        method="post",
        data=lambda w: {"agency": w.agency.pk, "officer": w.sro.pk, "start_date": "2027-01-04"},
        ok=SCHOOL_MANAGERS,
        forbidden=("staff", "counselor", "sro", "supervisor"),
        hidden=("other_principal",),
    ),
    Route("agreement_detail", kwargs=_a(), **READ_REVIEW),
    Route("agreement_detail", kwargs=_a("active"), **READ_ACTIVE),
    Route("agreement_print", kwargs=_a("active"), **READ_ACTIVE),
    Route("agreement_print", kwargs=_a(), **READ_REVIEW),
    Route("agreement_pdf", kwargs=_a("active"), **READ_ACTIVE),
    Route(
        "agreement_verify",
        kwargs=_with("active", number=lambda a, w: a.current_version.number),
        **READ_ACTIVE,
    ),
    Route(
        "agreement_verify",
        kwargs=_with(number=lambda a, w: a.current_version.number),
        **READ_REVIEW,
    ),
    Route("agreement_compare", kwargs=_a(), **READ_REVIEW),
    # Staff read the active text, not its drafting history.
    Route(
        "agreement_compare",
        kwargs=_a("active"),
        ok=PARTIES_AND_MANAGERS,
        forbidden=("staff", "counselor"),
        hidden=("other_principal",),
    ),
    Route("agreement_section_edit", kwargs=_with(key=lambda a, w: "purpose"), **EDIT),
    Route(
        "agreement_section_edit",
        kwargs=_with(key=lambda a, w: "purpose"),
        method="post",
        data=lambda w: {"title": "Purpose", "body": "New text.", "base_version": "2"},
        **EDIT,
    ),
    Route("agreement_section_add", kwargs=_a(), **EDIT),
    Route(
        "agreement_section_add",
        kwargs=_a(),
        method="post",
        data=lambda w: {"title": "Parking", "body": "The officer parks at the front."},
        **EDIT,
    ),
    *[
        Route(name, kwargs=_with(key=lambda a, w: "discipline"), method="post", **EDIT)
        for name in ("agreement_section_remove", "agreement_section_move")
    ],
    Route("agreement_send_for_review", kwargs=_a("draft"), method="post", **EDIT),
    Route("agreement_send_for_signing", kwargs=_a(), method="post", **EDIT),
    Route("agreement_parties", kwargs=_a(), **EDIT),
    Route(
        "agreement_parties",
        kwargs=_a(),
        method="post",
        data=lambda w: {"user": w.district_admin.pk, "role": "Superintendent"},
        **EDIT,
    ),
    *[
        Route(name, kwargs=_with(party_id=_party), method="post", **EDIT)
        for name in ("agreement_party_move", "agreement_party_remove")
    ],
    Route(
        "agreement_review_date",
        kwargs=_a(),
        method="post",
        data=lambda w: {"review_date": "2027-10-01"},
        **EDIT,
    ),
    Route(
        "agreement_comment",
        kwargs=_with(key=lambda a, w: "purpose"),
        method="post",
        data=lambda w: {"body": "Could we say more about lunch visits?"},
        **READ_REVIEW,
    ),
    Route(
        "agreement_comment_resolve",
        kwargs=_with(comment_id=_comment),
        method="post",
        **READ_REVIEW,
    ),
    # The sign page is for the parties; the district admin is not one here.
    Route(
        "agreement_sign",
        kwargs=_a("signing"),
        ok=("principal", "sro", "supervisor"),
        forbidden=("district_admin",),
        hidden=("staff", "counselor", "other_principal"),
    ),
    Route(
        "agreement_sign",
        kwargs=_a("signing"),
        method="post",
        data=lambda w: {"typed_name": w.principal.full_name, "confirm": "on", "version": "2"},
        ok=("principal",),
        forbidden=("district_admin", "sro", "supervisor"),
        hidden=("staff", "counselor", "other_principal"),
        ok_status=(302,),
    ),
    Route(
        "agreement_amend",
        kwargs=_a("active"),
        method="post",
        ok=SCHOOL_MANAGERS,
        forbidden=("staff", "counselor", "sro", "supervisor"),
        hidden=("other_principal",),
    ),
    # District template: the district's admins only.
    Route(
        "agreement_template",
        kwargs=lambda w: {"district_id": w.district.pk},
        ok=("district_admin",),
        hidden=("principal", "staff", "counselor", "sro", "supervisor", "other_principal"),
    ),
    Route(
        "agreement_template_section_add",
        kwargs=lambda w: {"district_id": w.district.pk},
        ok=("district_admin",),
        hidden=("principal", "staff", "counselor", "sro", "supervisor", "other_principal"),
    ),
    Route(
        "agreement_template_section",
        kwargs=lambda w: {"district_id": w.district.pk, "key": "purpose"},
        method="post",
        data=lambda w: {"title": "Purpose", "body": "Our purpose.", "position": "1"},
        ok=("district_admin",),
        hidden=("principal", "staff", "counselor", "sro", "supervisor", "other_principal"),
    ),
    Route(
        "agreement_template_section",
        kwargs=lambda w: {"district_id": w.district.pk, "key": "purpose"},
        ok=("district_admin",),
        hidden=("principal", "staff", "counselor", "sro", "supervisor", "other_principal"),
    ),
    Route(
        "agreement_template_section_remove",
        kwargs=lambda w: {"district_id": w.district.pk, "key": "purpose"},
        method="post",
        ok=("district_admin",),
        hidden=("principal", "staff", "counselor", "sro", "supervisor", "other_principal"),
    ),
]
