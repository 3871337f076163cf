"""Building an export, in the worker (tasks.build_export): the file to the default
storage, the progress to the row as it goes. `binder_build_seconds` is what the
benchmark times."""

import logging
import time
import uuid
import zipfile
from tempfile import SpooledTemporaryFile

from django.core.files import File
from django.utils import timezone
from django.utils.text import slugify

from onboarding.binder.pdf import binder_filename, binder_pdf, binder_year
from onboarding.exports.models import Export
from onboarding.readiness.export import readiness_csv, readiness_filename
from onboarding.schools.models import School

logger = logging.getLogger(__name__)


def build(export_id: int) -> Export | None:
    """Build the export, if it still waits (a second task for it does nothing): the
    file goes to the default storage, the progress to the row as it goes. On any
    error the export is failed with the reason and no file is kept."""
    claimed = Export.objects.filter(pk=export_id, state=Export.State.QUEUED).update(
        state=Export.State.BUILDING, started_at=timezone.now(), done=0
    )
    if not claimed:
        return None
    export = Export.objects.select_related("school__district", "district").get(pk=export_id)
    try:
        # Spooled to disk past 10 MB: a district's binders do not stay in memory.
        with SpooledTemporaryFile(max_size=10 * 1024 * 1024) as out:
            filename = BUILDERS[export.kind](export, out)
            out.seek(0)
            export.file.save(f"{uuid.uuid4().hex}-{filename}", File(out), save=False)
    except Exception as error:
        logger.exception("Export %s failed", export.pk)
        return _failed(export, str(error) if isinstance(error, BuildError) else _reason(error))
    export.state, export.filename, export.size = Export.State.READY, filename, export.file.size
    export.done, export.finished_at = export.total, timezone.now()
    export.save(update_fields=["state", "filename", "size", "file", "done", "finished_at"])
    return export


def _reason(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"


def _failed(export: Export, reason: str) -> Export:
    if export.file:
        export.file.delete(save=False)
    what = {Export.Kind.BINDER: "The binder", Export.Kind.READINESS_CSV: "The table"}.get(
        export.kind, "The binders"
    )
    export.error = f"{what} could not be built: {reason}"[:500]
    export.state, export.finished_at = Export.State.FAILED, timezone.now()
    export.save(update_fields=["state", "error", "file", "finished_at"])
    return export


def _progress(export: Export, done: int) -> None:
    """Written at once (the worker runs outside a transaction): the page polls it."""
    export.done = done
    Export.objects.filter(pk=export.pk).update(done=done)


def _school_binder(export: Export, out) -> str:
    year = binder_year(export.school, export.year)
    out.write(binder_pdf(export.school, year))
    return binder_filename(export.school, year)


def _readiness_csv(export: Export, out) -> str:
    out.write(readiness_csv(export.district, export.sort).encode("utf-8"))
    return readiness_filename(export.district)


def _district_binders(export: Export, out) -> str:
    """One binder per school of the district, each of its own current school year;
    progress after each school."""
    schools = list(School.objects.filter(district=export.district).order_by("name", "pk"))
    export.total = len(schools)
    Export.objects.filter(pk=export.pk).update(total=export.total)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zipped:
        for done, school in enumerate(schools, start=1):
            year = binder_year(school, None)
            try:
                zipped.writestr(binder_filename(school, year), binder_pdf(school, year))
            except Exception as error:
                raise BuildError(f"the binder of {school.name}: {_reason(error)}") from error
            _progress(export, done)
    return f"evidence-binders-{slugify(export.district.name)}.zip"


class BuildError(Exception):
    """A part of an export that failed, named for the person who asked."""


BUILDERS = {
    Export.Kind.BINDER: _school_binder,
    Export.Kind.READINESS_CSV: _readiness_csv,
    Export.Kind.BINDERS_ZIP: _district_binders,
}


def binder_build_seconds(school) -> float:
    """The worker's time to build `school`'s binder of this school year, as the
    benchmark measures it: a build from the queue to the stored file. The export is
    deleted afterwards."""
    export = Export.objects.create(
        kind=Export.Kind.BINDER, school=school, key=f"bench:{uuid.uuid4().hex}",
        day=Export.today_for(school),
    )  # fmt: skip
    try:
        started = time.perf_counter()
        built = build(export.pk)
        seconds = time.perf_counter() - started
        if built is None or built.state != Export.State.READY:
            raise RuntimeError(f"The binder was not built: {built and built.error}")
        return seconds
    finally:
        export.refresh_from_db()
        if export.file:
            export.file.delete(save=False)
        export.delete()
