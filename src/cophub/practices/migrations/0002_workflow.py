from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from cophub.practices.workflow_data import workflow_load

    workflow_load(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
