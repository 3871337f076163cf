"""Each signature carries a seal (onboarding/agreements/seal.py). The signatures
made before this release are sealed here, with the key of the server that migrates:
their seal vouches for them as they stood at the upgrade, not before."""

from django.db import migrations, models

TRIGGER = "onboarding_signature_immutable"


def seal_existing(apps, schema_editor):
    from onboarding.agreements.seal import seal_of

    Signature = apps.get_model("onboarding", "Signature")
    postgres = schema_editor.connection.vendor == "postgresql"
    with schema_editor.connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE onboarding_signature DISABLE TRIGGER {TRIGGER}")
        for signature in Signature.objects.filter(seal="").select_related("version"):
            signature.seal = seal_of(signature, signature.version.agreement_id)
            Signature.objects.filter(pk=signature.pk).update(seal=signature.seal)
        if postgres:
            cursor.execute(f"ALTER TABLE onboarding_signature ENABLE TRIGGER {TRIGGER}")


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0011_tamper_triggers")]

    operations = [
        migrations.AddField(
            model_name="signature",
            name="seal",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
    ]
