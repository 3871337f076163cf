"""Exports: the page, the status, the download and "Build again" of a school's binder
(its principals and district admins) and of a district's files (its admins only)."""

from tests import factories as f
from tests.permissions import SCHOOL_MANAGERS, Route

SCHOOL_DENIED = {
    "forbidden": ("staff", "counselor", "sro", "supervisor"),
    "hidden": ("other_principal",),
}
DISTRICT_DENIED = {
    "hidden": ("principal", "staff", "counselor", "sro", "supervisor", "other_principal"),
}


def _binder(w):
    return {"export_id": f.ExportFactory(school=w.school).pk}


def _district_csv(w):
    export = f.ExportFactory(
        kind="readiness_csv", school=None, district=w.district, filename="readiness.csv"
    )
    return {"export_id": export.pk}


ROUTES = []
for name, method in (
    ("export_detail", "get"),
    ("export_status", "get"),
    ("export_download", "get"),
    ("export_again", "post"),
):
    ROUTES += [
        Route(name, kwargs=_binder, method=method, ok=SCHOOL_MANAGERS, **SCHOOL_DENIED),
        Route(name, kwargs=_district_csv, method=method, ok=("district_admin",), **DISTRICT_DENIED),
    ]
