"""The role agreement's background tasks, run by `manage.py db_worker`."""

from django.tasks import task

from onboarding.agreements import signing


@task
def remind_agreement_parties(wait_days: int = 3, review_days: int = 30) -> dict:
    """The daily reminders (`send_agreement_reminders` queues this): signers who
    wait, and the parties of agreements whose annual review is near. Run twice, it
    reminds nobody twice."""
    result = signing.send_agreement_reminders(wait_days=wait_days, review_days=review_days)
    return {"signers": result.signers, "reviews": result.reviews}
