"""Readiness: the district table's CSV and the evidence binder. The dashboard and the
homes live on existing pages (school_home, home)."""

from tests.permissions import SCHOOL_MANAGERS, Route


def _district(w):
    return {"district_id": w.district.pk}


def _school(w):
    return {"school_id": w.school.pk}


ROUTES = [
    Route(
        "district_readiness_csv",
        kwargs=_district,
        ok=("district_admin",),
        hidden=("principal", "staff", "counselor", "sro", "supervisor", "other_principal"),
    ),
    Route(
        "evidence_binder",
        kwargs=_school,
        ok=SCHOOL_MANAGERS,
        forbidden=("staff", "counselor", "sro", "supervisor"),
        hidden=("other_principal",),
    ),
]
