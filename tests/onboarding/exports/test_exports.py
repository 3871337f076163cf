"""Exports: a school's binder, a district's readiness CSV and every binder of a
district, asked for on a page, built by the worker (the test's immediate backend,
when the request's transaction commits), kept for the day, downloaded through a
view that checks who asks."""

import io
import re
import zipfile
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from onboarding.exports.models import Export
from tests import factories as f
from tests.onboarding.exports import flow


def _pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def _binder_url(school) -> str:
    return reverse("evidence_binder", args=[school.pk])


def test_a_prepared_binder_is_the_schools_pdf(world, client_for):
    client = client_for(world.principal)
    page = flow.prepare(client, _binder_url(world.school))
    export = flow.ready(page)
    body = page.content.decode()
    assert f"Download {export.filename} ({export.size_label})" in body
    assert reverse("export_download", args=[export.pk]) in body
    downloaded = flow.download(client, export)
    assert downloaded["Content-Type"] == "application/pdf"
    assert downloaded["Content-Disposition"].startswith("attachment;")
    assert "Oak Ridge High School · School year" in _pdf_text(downloaded.content)
    assert export.size == len(downloaded.content)


def test_another_schools_principal_gets_a_404_for_the_binder_and_its_status(world, client_for):
    export = flow.ready(flow.prepare(client_for(world.principal), _binder_url(world.school)))
    other = client_for(world.other_principal)
    for name in ("export_detail", "export_status", "export_download"):
        assert other.get(reverse(name, args=[export.pk])).status_code == 404, name
    assert other.post(reverse("export_again", args=[export.pk])).status_code == 404
    assert Export.objects.count() == 1


def test_the_request_only_queues_the_build(world, client_for):
    """No request waits on WeasyPrint: the build starts once the request committed."""
    client = client_for(world.principal)
    with mock.patch("onboarding.exports.building.binder_pdf") as binder_pdf:
        response = client.post(_binder_url(world.school))
        binder_pdf.assert_not_called()
    export = Export.objects.get()
    assert response["Location"] == reverse("export_detail", args=[export.pk])
    assert export.state == Export.State.QUEUED
    assert not export.file


def test_the_page_shows_the_progress_in_a_live_region_with_a_refresh_link(world, client_for):
    export = f.ExportFactory(
        kind="binders_zip", school=None, district=world.district, state="building",
        done=12, total=60, file=None, filename="",
    )  # fmt: skip
    body = client_for(world.district_admin).get(export.get_absolute_url()).content.decode()
    region = body[
        body.index('id="export-state"') : body.index("</div>", body.index("export-state"))
    ]
    assert 'role="status"' in region and 'aria-live="polite"' in region
    assert "Building 60 binders: 12 done." in region
    assert re.search(r'<progress [^>]*max="60" value="12"', region)
    assert f'href="{export.get_absolute_url()}">Refresh</a>' in region
    assert reverse("export_status", args=[export.pk]) in region


def test_the_status_says_where_the_build_stands_and_then_offers_the_file(world, client_for):
    client = client_for(world.principal)
    with mock.patch("onboarding.exports.building.binder_pdf", return_value=b"%PDF-1.7 x"):
        page = flow.prepare(client, _binder_url(world.school))
    export = flow.ready(page)
    Export.objects.filter(pk=export.pk).update(state="building", done=0)
    status = client.get(reverse("export_status", args=[export.pk])).json()
    assert status == {
        "state": "building", "building": True, "done": 0, "total": 1,
        "text": "Building the binder.",
    }  # fmt: skip
    Export.objects.filter(pk=export.pk).update(state="ready", done=1)
    status = client.get(reverse("export_status", args=[export.pk])).json()
    assert status["state"] == "ready" and not status["building"]
    assert reverse("export_download", args=[export.pk]) in status["html"]
    assert "Build again" in status["html"]


def test_a_second_prepare_the_same_day_offers_the_same_file(world, client_for):
    client = client_for(world.principal)
    first = flow.ready(flow.prepare(client, _binder_url(world.school)))
    with mock.patch("onboarding.exports.building.binder_pdf") as binder_pdf:
        second = flow.export_of(flow.prepare(client, _binder_url(world.school)))
        binder_pdf.assert_not_called()
    assert second.pk == first.pk
    # The district admin asking for it gets it too; and the binder page leads to it.
    admin = client_for(world.district_admin)
    assert flow.export_of(flow.prepare(admin, _binder_url(world.school))).pk == first.pk
    assert admin.get(_binder_url(world.school))["Location"] == first.get_absolute_url()
    assert Export.objects.count() == 1


def test_another_school_year_or_yesterdays_file_is_built_anew(world, client_for):
    client = client_for(world.principal)
    first = flow.ready(flow.prepare(client, _binder_url(world.school)))
    last_year = flow.ready(flow.prepare(client, _binder_url(world.school), {"year": 2020}))
    assert last_year.pk != first.pk and last_year.year == 2020
    Export.objects.filter(pk=first.pk).update(day=first.day - timedelta(days=1))
    today = flow.ready(flow.prepare(client, _binder_url(world.school)))
    assert today.pk not in (first.pk, last_year.pk)


def test_build_again_makes_a_new_file_with_todays_data(world, client_for):
    client = client_for(world.principal)
    first = flow.ready(flow.prepare(client, _binder_url(world.school)))
    assert "Signature certificate" not in _pdf_text(flow.download(client, first).content)
    f.make_agreement(
        world.school, principal=world.principal, officer=world.sro, agency=world.agency,
        status="active", sections=f.SHORT_SECTIONS,
    )  # fmt: skip
    again = flow.ready(flow.prepare(client, reverse("export_again", args=[first.pk])))
    assert again.pk != first.pk
    assert "Signature certificate" in _pdf_text(flow.download(client, again).content)
    # The page now offers the new one.
    assert client.get(_binder_url(world.school))["Location"] == again.get_absolute_url()


def test_a_failed_build_says_why_keeps_no_file_and_can_be_built_again(world, client_for):
    client = client_for(world.principal)
    boom = RuntimeError("No fonts found")
    with mock.patch("onboarding.exports.building.binder_pdf", side_effect=boom):
        page = flow.prepare(client, _binder_url(world.school))
    export = flow.export_of(page)
    assert export.state == Export.State.FAILED
    assert export.error == "The binder could not be built: RuntimeError: No fonts found"
    body = page.content.decode()
    assert "The binder could not be built: RuntimeError: No fonts found" in body
    assert "Build again" in body
    assert export.file.name == ""
    assert client.get(reverse("export_download", args=[export.pk])).status_code == 404
    status = client.get(reverse("export_status", args=[export.pk])).json()
    assert status["state"] == "failed" and "No fonts found" in status["html"]
    # A failed build is not kept: asking again builds.
    assert flow.ready(flow.prepare(client, _binder_url(world.school))).pk != export.pk


def test_two_builds_of_the_same_thing_cannot_wait_at_once(world, client_for):
    client = client_for(world.principal)
    client.post(_binder_url(world.school))  # queued: the test's commit never comes
    client.post(_binder_url(world.school))
    assert Export.objects.count() == 1
    queued = Export.objects.get()
    with pytest.raises(IntegrityError):
        Export.objects.create(
            kind=queued.kind, school=queued.school, key=queued.key, day=queued.day
        )


def test_the_district_zip_holds_one_binder_per_school(world, client_for):
    client = client_for(world.district_admin)
    url = reverse("district_export", args=[world.district.pk])
    export = flow.ready(flow.prepare(client, url, {"kind": "binders_zip"}))
    assert (export.done, export.total) == (2, 2)
    downloaded = flow.download(client, export)
    assert downloaded["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(downloaded.content))
    names = sorted(archive.namelist())
    assert len(names) == 2
    assert names[0].startswith("evidence-binder-oak-ridge-high-school-")
    assert names[1].startswith("evidence-binder-pine-valley-middle-school-")
    assert "Oak Ridge High School · School year" in _pdf_text(archive.read(names[0]))
    assert "Pine Valley Middle School · School year" in _pdf_text(archive.read(names[1]))


def test_a_zip_that_fails_names_the_school(world, client_for):
    client = client_for(world.district_admin)
    url = reverse("district_export", args=[world.district.pk])
    real = __import__("onboarding.binder.pdf", fromlist=["binder_pdf"]).binder_pdf

    def fail_for_pine(school, year):
        if school.name.startswith("Pine"):
            raise ValueError("a table too wide")
        return real(school, year)

    with mock.patch("onboarding.exports.building.binder_pdf", side_effect=fail_for_pine):
        export = flow.export_of(flow.prepare(client, url, {"kind": "binders_zip"}))
    assert export.state == Export.State.FAILED
    assert export.error == (
        "The binders could not be built: the binder of Pine Valley Middle School: "
        "ValueError: a table too wide"
    )
    assert export.done == 1 and not export.file


def test_the_district_csv_and_odd_requests(world, client_for):
    client = client_for(world.district_admin)
    url = reverse("district_export", args=[world.district.pk])
    export = flow.ready(flow.prepare(client, url, {"kind": "readiness_csv", "sort": "-name"}))
    content = flow.download(client, export).content.decode()
    assert content.index("Pine Valley") < content.index("Oak Ridge")
    assert client.post(url, {"kind": "everything"}).status_code == 404
    odd = flow.export_of(flow.prepare(client, url, {"kind": "readiness_csv", "sort": "x" * 500}))
    assert odd.sort == "name"
    # A district's file is for its admins: a principal of the district gets a 404.
    principal = client_for(world.principal)
    assert principal.get(export.get_absolute_url()).status_code == 404


def test_the_sweep_deletes_old_files_and_ends_stopped_builds(world, client_for):
    client = client_for(world.principal)
    old = flow.ready(flow.prepare(client, _binder_url(world.school)))
    name = old.file.name
    assert default_storage.exists(name)
    Export.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    long_ago = timezone.now() - timedelta(hours=2)
    stopped = f.ExportFactory(
        school=world.other_school, state="building", started_at=long_ago, file=None
    )
    lost = f.ExportFactory(
        school=world.school, year=2020, key="binder:lost", state="queued",
        created_at=long_ago, file=None,
    )  # fmt: skip
    with mock.patch("onboarding.exports.building.binder_pdf", return_value=b"%PDF-1.7"):
        call_command("exports_sweep", stdout=io.StringIO())
    assert not default_storage.exists(name)
    assert not Export.objects.filter(pk=old.pk).exists()
    stopped.refresh_from_db()
    assert stopped.state == Export.State.FAILED
    assert "stopped before it finished" in stopped.error
    lost.refresh_from_db()
    assert lost.state == Export.State.READY


def test_the_sweep_deletes_the_files_of_exports_that_went_with_their_school(world):
    orphan = default_storage.save("exports/2020-01-02/x-binder.pdf", ContentFile(b"%PDF"))
    recent = timezone.localdate().isoformat()
    kept = default_storage.save(f"exports/{recent}/y-binder.pdf", ContentFile(b"%PDF"))
    call_command("exports_sweep", stdout=io.StringIO())
    assert not default_storage.exists(orphan)
    assert default_storage.exists(kept)


def test_the_benchmark_builds_the_binder_as_the_worker_does(world):
    from onboarding.exports.building import binder_build_seconds
    from onboarding.exports.workflows import build_binder_pdf

    assert "Oak Ridge High School · School year" in _pdf_text(build_binder_pdf(world.school))
    assert binder_build_seconds(world.school) > 0
    assert not Export.objects.exists()
