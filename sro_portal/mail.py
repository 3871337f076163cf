"""Sending the product's emails: each has subject, text and HTML templates under
templates/emails/<name>_subject.txt, <name>.txt and <name>.html."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def send_templated(
    name: str,
    to: Iterable[str],
    context: dict,
    *,
    attachments: Iterable[tuple[str, bytes | str, str]] = (),
    reply_to: Iterable[str] = (),
) -> None:
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{name}.txt", context),
        to=list(to),
        reply_to=list(reply_to),
    )
    message.attach_alternative(render_to_string(f"emails/{name}.html", context), "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()
