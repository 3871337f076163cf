"""Temporary: the old way of sending, now queued in the outbox. Each app's emails
move to onboarding.outbox.workflows.email_queue (with the person and the object the
email concerns); this goes when none calls it."""

from collections.abc import Iterable


def send_templated(
    name: str,
    to: Iterable[str],
    context: dict,
    *,
    attachments: Iterable[tuple[str, bytes | str, str]] = (),
    reply_to: Iterable[str] = (),
) -> None:
    from onboarding.outbox.workflows import Attachment, email_queue
    from onboarding.people.models import User

    for address in to:
        person = User.objects.filter(email__iexact=address).first()
        email_queue(
            name,
            to=person,
            address=address,
            context=context,
            attachments=[
                Attachment(f, c.decode() if isinstance(c, bytes) else c, m)
                for f, c, m in attachments
            ],
            reply_to=reply_to,
        )
