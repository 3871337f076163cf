"""Background tasks of class introductions, run by `manage.py db_worker`."""

from django.tasks import task

from events.introductions.workflows import visit_reminders_send


@task
def send_visit_reminders() -> int:
    """The reminders of tomorrow's visits (started daily by `send_visit_reminders`)."""
    return visit_reminders_send()
