"""Organisations get a stable ``code`` (what import files name them by), made once from the
name of each existing organisation; later renames never change it."""

from typing import Any

from django.db import migrations, models
from django.utils.text import slugify


def codes_give(apps: Any, schema_editor: Any) -> None:
    organisation_model = apps.get_model("accounts", "Organisation")
    taken: set[str] = set()
    for organisation in organisation_model.objects.order_by("pk"):
        base = slugify(organisation.name)[:70].strip("-") or "organisation"
        code, number = base, 1
        while code in taken:
            number += 1
            code = f"{base}-{number}"
        taken.add(code)
        organisation.code = code
        organisation.save(update_fields=["code"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_alter_apitoken_user"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="code",
            # No index yet: the unique constraint below brings its own (on PostgreSQL, an
            # index here and the unique one would both be named ``…_like``).
            field=models.SlugField(
                max_length=80, null=True, blank=True, db_index=False, verbose_name="code"
            ),
        ),
        migrations.RunPython(codes_give, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organisation",
            name="code",
            field=models.SlugField(
                blank=True,
                help_text=(
                    "Stable identifier used in import files. Made from the name when the "
                    "organisation is created if left empty; renaming the organisation does not "
                    "change it."
                ),
                max_length=80,
                unique=True,
                verbose_name="code",
            ),
        ),
    ]
