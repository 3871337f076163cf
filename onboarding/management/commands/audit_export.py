import json

from django.core.management.base import BaseCommand

from onboarding.audit import chain
from onboarding.audit.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Write the audit log as JSON Lines, oldest first: each event's fields, its "
        "previous_hash and its hash, so that the chain can be checked away from the "
        "database (with the fields as hashed, see onboarding/audit/chain.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="A file to write (the standard output if none).")

    def handle(self, *args, output=None, **options):
        out = open(output, "w", encoding="utf-8") if output else self.stdout  # noqa: SIM115
        try:
            for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
                row = {
                    "id": event.pk,
                    **chain.fields_of(event),
                    "actor_id": event.actor_id,
                    "school_id": event.school_id,
                    "previous_hash": event.previous_hash,
                    "hash": event.hash,
                }
                out.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
        finally:
            if output:
                out.close()
