"""``EXPLAIN ANALYZE`` of the five heaviest read queries on a grown PostgreSQL database (the
queries the scale benchmark found slowest, built as the selectors build them):

    .venv/bin/python benchmarks/scale/explain.py --scale 100

Prints, per query, the plan's nodes (without costs) and the execution time, so a sort of
every row or a sequential scan shows at a glance. The bulk download's plan is that of
the server-side cursor it is read through (not executed, so no time). Run ``run.py`` first
(it grows the database and migrates it to the code's schema); ``--no-migrate`` leaves the
schema as grown, to see the plans before new indexes."""

import argparse
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent


def queries() -> dict[str, object]:
    from django.utils import timezone

    from cophub.coordination.activities.models import Activity
    from cophub.helplines.models import Helpline
    from cophub.statistics.models import Observation, Release
    from cophub.statistics.selectors import observations_query

    today = timezone.localdate()
    return {
        "observations bulk download (csv, sdmx-csv, dhis2 order)": observations_query(),
        "observations JSON first page ?country=KE": observations_query(country="KE").order_by("pk")[
            :1001
        ],
        "observations count of one country": Observation.objects.filter(
            current=True, country_id="KE"
        ),
        "releases list first page": Release.objects.order_by("-published_at", "-pk")[:51],
        "helplines list page after a cursor": Helpline.objects.filter(country_id__gt="KE").order_by(
            "country_id", "slug"
        )[:51],
        "activities in the last year": Activity.objects.filter(
            starts_on__lte=today, ends_on__gte=today - timedelta(days=365)
        ).order_by("-starts_on"),
    }


def summary(plan: str) -> list[str]:
    """The plan's node lines without cost and row estimates, plus the execution time."""
    lines = []
    for line in plan.splitlines():
        if "->" in line or not line.startswith(" ") or "Execution Time" in line:
            if line.strip().startswith(("Planning", "Buffers")):
                continue
            lines.append(re.sub(r"\s*\(cost=[^)]*\)", "", line).rstrip())
    return lines


def explain() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    if "--migrate" in sys.argv:
        call_command("migrate", verbosity=0)
    for name, query in queries().items():
        if name.startswith("observations count"):
            sql, params = query.values("pk").query.sql_with_params()
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN ANALYZE SELECT count(*) FROM ({sql}) AS rows", params)  # noqa: S608
                plan = "\n".join(row[0] for row in cursor.fetchall())
        elif name.startswith("observations bulk"):
            # ``.iterator()`` reads through a server-side cursor, planned for its first rows
            # (``cursor_tuple_fraction``): the plan of the cursor is the one that runs.
            from django.db import connection, transaction

            sql, params = query.query.sql_with_params()  # type: ignore[attr-defined]
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN DECLARE scale_cursor CURSOR FOR {sql}", params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
        else:
            plan = query.explain(analyze=True)  # type: ignore[attr-defined]
        print(f"## {name}")
        print("\n".join(summary(plan)))
        print()


def main() -> None:
    if os.environ.get("DATABASE_URL"):
        explain()
        return
    sys.path.insert(0, str(HERE))
    from run import _environment

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--no-migrate", action="store_true")
    args = parser.parse_args()
    env, _var = _environment("postgres", args.scale, args.postgres)
    extra = [] if args.no_migrate else ["--migrate"]
    subprocess.run([sys.executable, __file__, *extra], env=env, check=True)


if __name__ == "__main__":
    main()
