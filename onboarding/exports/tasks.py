"""The exports' background task, run by `manage.py db_worker`."""

from django.tasks import task

from onboarding.exports import building


@task
def build_export(export_id: int) -> str:
    """Build one export (building.build); returns the state it ended in."""
    export = building.build(export_id)
    return export.state if export is not None else "not waiting"
