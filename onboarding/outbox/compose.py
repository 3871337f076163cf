"""Composing emails: each has subject, text and HTML templates under
`templates/emails/<kind>_subject.txt`, `<kind>.txt` and `<kind>.html`, rendered when
the email is queued (the text a person receives is the text of the moment of the
change)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Model
from django.template.loader import render_to_string

from onboarding.audit.models import target_of
from onboarding.outbox.models import Email, Mailing

# Kinds whose body holds a secret link: one that signs a person in, sets a password
# or cancels a family's places. Our copy of the text is erased once sent.
SENSITIVE_KINDS = {"invitation", "password_reset", "event_family_confirmation"}


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: str
    mimetype: str


def render_email(kind: str, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) of an email of `kind`."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{kind}_subject.txt", context).split())
    text = render_to_string(f"emails/{kind}.txt", context)
    html = render_to_string(f"emails/{kind}.html", context)
    return subject[:300], text, html


def email_fields(
    kind: str,
    *,
    to,
    context: dict,
    address: str = "",
    attachments: Iterable[Attachment] = (),
    reply_to: Iterable[str] = (),
    concerning: Model | None = None,
    school=None,
) -> dict:
    """The fields of an `Email` row (for `email_queue` and for mailings' bulk writes)."""
    subject, text, html = render_email(kind, {"recipient": to, **context})
    return {
        "kind": kind,
        "recipient": to,
        "address": (to.email if to is not None else address).strip(),
        "subject": subject,
        "text": text,
        "html": html,
        "attachments": [
            {"filename": a.filename, "content": a.content, "mimetype": a.mimetype}
            for a in attachments
        ],
        "reply_to": list(reply_to),
        "sensitive": kind in SENSITIVE_KINDS,
        "school": school,
        **target_of(concerning),
    }


class MailingEmails:
    """Collects a mailing's emails while its builder runs, written at once."""

    def __init__(self, mailing: Mailing):
        self.mailing = mailing
        self.rows: dict[str, Email] = {}

    def add(self, kind: str, *, to, context: dict, **options) -> None:
        fields = email_fields(kind, to=to, context=context, school=self.mailing.school,
                              **options)  # fmt: skip
        # One email a person, whatever their number of roles.
        self.rows.setdefault(fields["address"].lower(), Email(mailing=self.mailing, **fields))
