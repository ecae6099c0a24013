from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from cophub.resources.taxonomy import taxonomy_load

    taxonomy_load(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
