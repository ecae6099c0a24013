"""The accounts and data the fault run needs, made in the cluster's own database.

    python benchmarks/ops/prepare.py FOLDER   (with the cluster's environment)

Run by ``run.py``. Prints one JSON document: an API token per focal point, the assessment each
one answers, a password for the sign-in load, and the run's identifier; writes into FOLDER two
synthetic surveys (``copstats synth`` data, CSV: a small one for the load, a large one for the
worker to be killed on) and their mapping. Idempotent: accounts and assessments are reused,
tokens are new on every run, the demo helpline directory is imported (same rows every time).
"""

import json
import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COUNTRIES = ("KE", "BR", "NP", "IN")


SMALL_ROWS = 400
LARGE_ROWS = 60_000


def main() -> None:
    import django

    django.setup()
    import pyarrow.csv as pacsv
    from django.utils import timezone

    from cophub.accounts.models import Organisation, Role, RoleAssignment, User
    from cophub.accounts.services import api_token_create, role_assign
    from cophub.helplines.services import helplines_import
    from cophub.reference.models import Country
    from cophub.statistics.demo import synthetic_mapping
    from cophub.statistics.engine import synthetic_survey
    from cophub.strategies.models import Assessment, Framework
    from cophub.strategies.services import assessment_open

    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (("small", SMALL_ROWS), ("large", LARGE_ROWS)):
        table = synthetic_survey(rows, seed=rows).drop_columns(["synthetic"])
        pacsv.write_csv(table, folder / f"survey-{name}.csv")
    (folder / "mapping.json").write_text(json.dumps(synthetic_mapping()))

    data = ROOT / "src" / "cophub" / "helplines" / "data" / "demo_helplines.json"
    directory = json.loads(data.read_text())
    for entry in directory["helplines"]:
        entry.pop("owner", None)  # the demo's organisations are not made here
    helplines_import(directory)

    year = timezone.localdate().year
    framework = Framework.objects.filter(key="itu-areas").order_by("-version").first()
    if framework is None:
        raise SystemExit("no itu-areas framework: run cophub setup")
    focal_points = {}
    for code in COUNTRIES:
        country = Country.objects.get(iso2=code)
        organisation, _ = Organisation.objects.get_or_create(
            name=f"Fault run: ministry of {code}",
            defaults={"kind": Organisation.Kind.MEMBER_STATE, "country": country},
        )
        user, created = User.objects.get_or_create(
            username=f"ops-focal-{code.lower()}",
            defaults={
                "email": f"ops-focal-{code.lower()}@example.org",
                "organisation": organisation,
            },
        )
        if created:
            user.set_unusable_password()
            user.save()
        if not RoleAssignment.objects.filter(user=user, role=Role.FOCAL_POINT).exists():
            role_assign(user=user, role=Role.FOCAL_POINT, country=country)
        assessment = Assessment.objects.filter(
            country=country, year=year, framework=framework
        ).first() or assessment_open(user=user, country=country, year=year, framework=framework)
        token = api_token_create(user=user, name="fault run").plaintext
        focal_points[code] = {"token": token, "assessment": assessment.pk}

    password = secrets.token_urlsafe(18)
    signer, _ = User.objects.get_or_create(
        username="ops-sign-in", defaults={"email": "ops-sign-in@example.org"}
    )
    signer.set_password(password)
    signer.is_active = True
    signer.save()
    json.dump(
        {
            "run": secrets.token_hex(4),
            "focal_points": focal_points,
            "sign_in": {"username": "ops-sign-in", "password": password},
            "callback_token": os.environ["AT_CALLBACK_TOKEN"],
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
