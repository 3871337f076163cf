"""The table of Django's database cache (settings.CACHES), created by `migrate` so
that every way the app is set up (make run, a deploy, the benchmark's database)
has it without a separate `createcachetable` step."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0007_drop_readiness_snapshot")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
