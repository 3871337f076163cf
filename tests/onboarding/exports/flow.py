"""Getting an exported file as a person does: ask for it (a POST that queues the
build, which the test's immediate task backend runs when the request's transaction
commits), land on the export's page, download the file."""

from dataclasses import dataclass

from django.test import TestCase
from django.urls import reverse

from onboarding.exports.models import Export


def prepare(client, url: str, data: dict | None = None):
    """POST `url`, running the tasks its commit starts; the export page's response."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, data or {})
    assert response.status_code == 302, (url, response.status_code)
    return client.get(response["Location"])


def export_of(page) -> Export:
    return page.context["export"]


def download(client, export: Export):
    response = client.get(reverse("export_download", args=[export.pk]))
    assert response.status_code == 200, response.status_code
    return Downloaded(response, response.getvalue())


@dataclass
class Downloaded:
    """A downloaded file: its content read, its headers by name."""

    response: object
    content: bytes
    status_code: int = 200

    def __getitem__(self, header: str) -> str:
        return self.response[header]


def ready(page) -> Export:
    export = export_of(page)
    assert export.state == Export.State.READY, export.error
    return export


def binder(client, school, year: int | None = None):
    """The school's binder PDF, as downloaded (`.content`)."""
    url = reverse("evidence_binder", args=[school.pk])
    return download(client, ready(prepare(client, url, {"year": year} if year else {})))


def district_csv(client, district, sort: str | None = None, *, again: bool = False):
    """The district's readiness CSV, as downloaded; `again`: built again rather than
    the one kept today."""
    url = reverse("district_export", args=[district.pk])
    page = prepare(client, url, {"kind": "readiness_csv", "sort": sort or "name"})
    if again:
        page = prepare(client, reverse("export_again", args=[export_of(page).pk]))
    return download(client, ready(page))
