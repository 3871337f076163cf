"""Readiness: the district's exports and the evidence binder (built by the worker:
tests/permissions/exports.py lists the export pages). The dashboard and the homes
live on existing pages (school_home, home)."""

from tests.permissions import SCHOOL_MANAGERS, Route


def _district(w):
    return {"district_id": w.district.pk}


def _school(w):
    return {"school_id": w.school.pk}


ROUTES = [
    Route(
        "district_export",
        kwargs=_district,
        method="post",
        data=lambda w: {"kind": "readiness_csv", "sort": "name"},
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
    Route(
        "evidence_binder",
        kwargs=_school,
        method="post",
        ok=SCHOOL_MANAGERS,
        forbidden=("staff", "counselor", "sro", "supervisor"),
        hidden=("other_principal",),
    ),
]
