"""Asking for an export (`export_prepare`, what a page calls) and the periodic
sweep of old files and stopped builds. The build itself is building.py's, run by the
worker."""

from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from onboarding.binder.pdf import binder_pdf, binder_year
from onboarding.exports.models import Export
from onboarding.exports.tasks import build_export


def export_prepare(
    kind: str,
    *,
    requested_by,
    school=None,
    district=None,
    year: int | None = None,
    sort: str = "",
    again: bool = False,
) -> Export:
    """The export of `kind` for the school or district: the build of it that waits or
    runs, else (unless `again`) the one ready today, else a new build, queued once
    this transaction commits. Two requests at once get the same build."""
    key = Export.key_for(kind, school=school, district=district, year=year, sort=sort)
    day = Export.today_for(school)
    with transaction.atomic():
        kept = Export.objects.kept(key, day)
        if again:
            kept = kept.exclude(state=Export.State.READY)
        if found := kept.first():
            return found
        try:
            with transaction.atomic():
                export = Export.objects.create(
                    kind=kind, school=school, district=district, year=year, sort=sort,
                    key=key, day=day, requested_by=requested_by,
                )  # fmt: skip
        except IntegrityError:
            # Another request queued the same build between our read and our write.
            return Export.objects.kept(key, day).first()
        transaction.on_commit(lambda: build_export.enqueue(export.pk))
    return export


def sweep(now=None) -> dict:
    """Delete the files (and their rows) older than EXPORT_KEEP_HOURS; fail builds
    that ran past EXPORT_BUILD_TIMEOUT (their worker stopped) and start again those
    that waited as long (their task was lost). Run it every few minutes."""
    now = now or timezone.now()
    old = list(
        Export.objects.filter(created_at__lt=now - timedelta(hours=settings.EXPORT_KEEP_HOURS))
    )
    for export in old:
        if export.file:
            export.file.delete(save=False)
    Export.objects.filter(pk__in=[e.pk for e in old]).delete()
    _delete_orphans(now)
    late = now - timedelta(seconds=settings.EXPORT_BUILD_TIMEOUT)
    stopped = Export.objects.filter(state=Export.State.BUILDING, started_at__lt=late).update(
        state=Export.State.FAILED,
        finished_at=now,
        error="The build stopped before it finished (its worker stopped). Build it again.",
    )
    waiting = list(
        Export.objects.filter(state=Export.State.QUEUED, created_at__lt=late).values_list(
            "pk", flat=True
        )
    )
    for export_id in waiting:
        build_export.enqueue(export_id)
    return {"deleted": len(old), "stopped": stopped, "restarted": len(waiting)}


def _delete_orphans(now) -> None:
    """Files whose export went with its school or district (deleted rows keep no
    file): each day's folder, once older than any export kept."""
    keep = settings.EXPORT_KEEP_HOURS
    oldest = (now - timedelta(hours=keep) - timedelta(days=1)).date().isoformat()
    try:
        days, _ = default_storage.listdir("exports")
    except FileNotFoundError:
        return
    for day in (d for d in days if d < oldest):
        for name in default_storage.listdir(f"exports/{day}")[1]:
            default_storage.delete(f"exports/{day}/{name}")


def build_binder_pdf(school, year: int | None = None) -> bytes:
    """The school's binder PDF (of this school year by default), built exactly as the
    worker builds it for an export, without storing it: what bench/tasks.py times.
    `building.binder_build_seconds` times the whole export, file stored."""
    return binder_pdf(school, binder_year(school, year))
