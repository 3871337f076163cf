"""The audit log becomes a hash chain (onboarding/audit/chain.py): the events
already written are chained here, oldest first (by id), with the append-only
trigger of migration 0011 off for this transaction."""

from django.db import migrations, models

TRIGGER = "onboarding_auditevent_append_only"


def chain_existing(apps, schema_editor):
    from onboarding.audit.chain import hash_of

    AuditEvent = apps.get_model("onboarding", "AuditEvent")
    postgres = schema_editor.connection.vendor == "postgresql"
    with schema_editor.connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE onboarding_auditevent DISABLE TRIGGER {TRIGGER}")
        previous, batch = "", []
        for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
            event.previous_hash = previous
            event.hash = previous = hash_of(event, previous)
            batch.append(event)
            if len(batch) == 2000:
                AuditEvent.objects.bulk_update(batch, ["previous_hash", "hash"])
                batch = []
        AuditEvent.objects.bulk_update(batch, ["previous_hash", "hash"])
        if postgres:
            cursor.execute(f"ALTER TABLE onboarding_auditevent ENABLE TRIGGER {TRIGGER}")


class Migration(migrations.Migration):

    dependencies = [
        ('onboarding', '0012_signature_seal'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='hash',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='previous_hash',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
    ]
