"""Search matches the town as well as the street; both need a trigram index to stay fast (PostgreSQL)."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS address_town_trgm ON places_address USING gin (upper(town) gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS address_town_trgm")


class Migration(migrations.Migration):
    dependencies = [("places", "0002_trigram_search")]
    operations = [migrations.RunPython(forwards, backwards)]
