"""Background tasks of families' sign-ups, run by `manage.py db_worker`."""

from django.tasks import task

from events.families.workflows import family_contacts_purge


@task
def purge_family_contacts(days_after: int) -> int:
    """The privacy purge (started daily by `purge_family_contacts`)."""
    return family_contacts_purge(days_after=days_after)
