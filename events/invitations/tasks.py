"""Background tasks of events, run by `manage.py db_worker`."""

from django.tasks import task

from events.invitations.workflows import reminders_send


@task
def send_event_reminders(days_before: int) -> int:
    """The reminders of coming events (started hourly by `send_event_reminders`)."""
    return reminders_send(days_before=days_before)
