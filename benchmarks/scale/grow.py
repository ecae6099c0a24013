"""Grow a database to N× the demo through the project's own services (run by ``run.py`` in a
child process with ``DATABASE_URL`` and ``COPHUB_VAR_DIR`` set; the demo settings).

Copy ``k`` (1 … N-1) of the demo adds, spread over all Member States and ten years:

- helplines: every demo entry again (new id, another country) through ``helplines_import``,
  one document per copy; the number registry through ``numbers_import``;
- statistics: every published survey and aggregate dataset again (another country, a year of
  2015–2024) through ``dataset_create`` → submit → approve → review → ``dataset_publish``
  (which copies the estimates into observations, as for real data). Bypassed: the microdata
  upload and the engine's check. The check's output (the dataset's estimates, check status
  and report) is copied from the demo dataset with ``bulk_create``/``update``: running the
  engine 1,500 times would take hours and the read paths measured here never touch microdata;
- coordination: contributions submitted and published on the demo's meetings
  (``document_submit``/``document_publish``), activities (``activity_record``) spread over
  the last twelve months;
- resources: the demo's resource pages again in their source language
  (``resource_page_create``; translations are not copied);
- strategies: three self-assessments per copy opened, filled with the demo's answers,
  submitted and published (``assessment_open`` and the demo's fill/publish steps).
"""

import json
import logging
import sys
import time
from datetime import date, timedelta
from typing import Any

import django


def _log(message: str) -> None:
    print(f"[grow {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def demo_load() -> None:
    from django.core.management import call_command

    call_command("setup", verbosity=0, stdout=sys.stderr)
    for command in (
        "load_demo_accounts",
        "load_demo_helplines",
        "load_demo_statistics",
        "load_demo_resources",
        "load_demo_strategies",
        "load_demo_coordination",
    ):
        call_command(command, verbosity=0, stdout=sys.stderr)


def _countries() -> list[str]:
    from cophub.reference.models import Country

    return list(
        Country.objects.filter(itu_member=True).order_by("iso2").values_list("iso2", flat=True)
    )


def helplines_grow(copy: int, countries: list[str]) -> None:
    from cophub.helplines.services import DATA_DIR, helplines_import, numbers_import

    directory = json.loads((DATA_DIR / "demo_helplines.json").read_text(encoding="utf-8"))
    entries = []
    for index, entry in enumerate(directory["helplines"]):
        country = countries[(copy * len(directory["helplines"]) + index) % len(countries)]
        clone = {k: v for k, v in entry.items() if k not in ("owner", "paired_with")}
        clone.update(id=f"{entry['id']}-x{copy}", country=country, subdivisions=[])
        entries.append(clone)
    helplines_import({"format": directory["format"], "helplines": entries})
    numbers = json.loads((DATA_DIR / "demo_numbers.json").read_text(encoding="utf-8"))
    registry = []
    for index, entry in enumerate(numbers["numbers"]):
        country = countries[(copy * 7 + index) % len(countries)]
        history = []
        for event in entry["history"]:
            event = dict(event)
            if event.get("provider_helpline"):
                event["provider_helpline"] = f"{event['provider_helpline']}-x{copy}"
            history.append(event)
        registry.append(
            {**entry, "country": country, "number": f"{entry['number']}{copy}", "history": history}
        )
    numbers_import({"format": numbers["format"], "numbers": registry})


def statistics_grow(copy: int, countries: list[str]) -> None:
    from django.db import transaction

    from cophub.accounts.models import User
    from cophub.reference.models import Country
    from cophub.statistics import services
    from cophub.statistics.demo import _through_workflow
    from cophub.statistics.models import Dataset, Estimate

    bdt = User.objects.get(username="bdt-staff")
    templates = Dataset.objects.filter(
        synthetic=True,
        status=Dataset.Status.PUBLISHED,
        kind__in=[Dataset.Kind.SURVEY, Dataset.Kind.AGGREGATE],
        title__startswith="SYNTHETIC DEMO",
    ).order_by("pk")
    for index, template in enumerate(templates):
        country = Country.objects.get(iso2=countries[(copy * 31 + index) % len(countries)])
        year = 2015 + (copy + index) % 10
        with transaction.atomic():
            dataset = services.dataset_create(
                actor=bdt,
                kind=template.kind,
                country=country,
                year=year,
                title=f"SYNTHETIC SCALE — {template.kind} {country.iso2} {year}",
                source=template.source,
                disclosure=template.disclosure,
                dp_epsilon=template.dp_epsilon,
                dp_weight_cap=template.dp_weight_cap,
                dp_budget=template.dp_budget,
                synthetic=True,
            )
            # The engine's check, replayed from the demo dataset (see the module docstring).
            Estimate.objects.bulk_create(
                Estimate(
                    **{
                        f.attname: getattr(e, f.attname)
                        for f in Estimate._meta.concrete_fields
                        if f.attname not in ("id", "dataset_id")
                    },
                    dataset=dataset,
                )
                for e in template.estimates.all()
            )
            Dataset.objects.filter(pk=dataset.pk).update(
                check_status=Dataset.Check.PASSED,
                check_report=template.check_report,
                mapping=template.mapping,
            )
            dataset.refresh_from_db()
            _through_workflow(dataset, bdt, bdt, bdt)


def coordination_grow(copy: int, countries: list[str]) -> None:
    from django.utils import timezone

    from cophub.accounts.models import User
    from cophub.coordination.activities import services as activity_services
    from cophub.coordination.activities.models import Activity
    from cophub.coordination.documents import services as document_services
    from cophub.coordination.documents.models import Document
    from cophub.coordination.meetings.models import Meeting

    bdt = User.objects.get(username="bdt-staff")
    meetings = list(Meeting.objects.order_by("starts_on"))
    kinds = list(Activity.Kind)
    regions = ["AFR", "AMS", "ARB", "ASP", "CIS", "EUR"]
    clauses = [["BDT-5", "BDT-7"], ["MS-6", "BDT-11"], ["BDT-4", "SM-1"], ["BDT-9"]]
    today = timezone.localdate()
    for index in range(11):
        country = countries[(copy * 11 + index) % len(countries)]
        document = document_services.document_submit(
            user=bdt,
            as_manager=True,
            meeting=meetings[index % len(meetings)],
            kind=Document.Kind.CONTRIBUTION,
            purpose=Document.Purpose.INFORMATION,
            title=f"Scale contribution {copy}.{index} from {country}",
            original_language="en",
            source=f"Administration of {country}",
            country=country,
        )
        if index % 4:
            document_services.document_publish(user=bdt, document=document)
    for index in range(6):
        activity_services.activity_record(
            user=bdt,
            kind=kinds[(copy + index) % len(kinds)],
            title=f"Scale activity {copy}.{index}",
            starts_on=today - timedelta(days=(copy * 6 + index) % 360),
            region=regions[index % len(regions)],
            countries=[countries[(copy * 6 + index) % len(countries)]],
            clauses=clauses[index % len(clauses)],
            participants=10 + index,
        )


def resources_grow(copy: int, countries: list[str]) -> None:
    from cophub.accounts.models import User
    from cophub.resources.demo import DEMO_FILE, _html
    from cophub.resources.services import resource_page_create

    editor = User.objects.get(username="bdt-staff")
    document = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    for spec in document["items"]:
        source = spec["source"]
        texts = spec["texts"][source]
        resource_page_create(
            language=source,
            kind=spec["kind"],
            title=f"{texts['title']} ({copy})",
            summary=texts["summary"],
            body=_html(texts["body"]),
            slug=f"{spec['slug']}-x{copy}",
            audiences=spec["audiences"],
            topics=spec["topics"],
            clauses=spec["clauses"],
            edition=spec["edition"],
            edition_date=date.fromisoformat(spec["edition_date"]),
            licence=spec["licence"],
            attribution=spec["attribution"],
            user=editor,
        )


def strategies_grow(copy: int, countries: list[str]) -> None:
    from cophub.accounts.models import User
    from cophub.reference.models import Country
    from cophub.strategies import demo
    from cophub.strategies.models import Framework
    from cophub.strategies.services import assessment_open

    bdt = User.objects.get(username="bdt-staff")
    framework = Framework.objects.get(key="itu-areas", version="1.0")
    for index in range(3):
        position = copy * 3 + index
        country = Country.objects.get(iso2=countries[position % len(countries)])
        year = 2012 + position // len(countries)
        assessment = assessment_open(
            user=bdt, country=country, year=year, framework=framework, start_from_previous=False
        )
        demo._fill(assessment, bdt, {}, 1 + index, date(year, 6, 1))
        demo._publish(assessment, bdt, f"Scale assessment {copy}.{index}")


GROWERS = {
    "helplines": helplines_grow,
    "statistics": statistics_grow,
    "coordination": coordination_grow,
    "resources": resources_grow,
    "strategies": strategies_grow,
}


def grow(scale: int, done: int) -> None:
    """Add copies ``done`` … ``scale - 1`` (copy 0 is the demo itself)."""
    countries = _countries()
    for copy in range(max(done, 1), scale):
        started = time.perf_counter()
        for name, grower in GROWERS.items():
            try:
                grower(copy, countries)
            except Exception as error:  # name the step, then stop: a half grown DB is useless
                raise SystemExit(f"copy {copy}, {name}: {error!r}") from error
        _log(f"copy {copy}/{scale - 1} in {time.perf_counter() - started:.1f} s")
        print(json.dumps({"copy": copy}), flush=True)


def counts() -> dict[str, Any]:
    from cophub.coordination.activities.models import Activity
    from cophub.coordination.documents.models import Document
    from cophub.helplines.models import Contact, CopNumber, Helpline
    from cophub.resources.models import ResourcePage
    from cophub.statistics.models import Observation, Release
    from cophub.strategies.models import Assessment

    return {
        "helplines": Helpline.objects.count(),
        "contacts": Contact.objects.count(),
        "numbers": CopNumber.objects.count(),
        "releases": Release.objects.count(),
        "observations": Observation.objects.count(),
        "documents": Document.objects.count(),
        "activities": Activity.objects.count(),
        "resource_pages": ResourcePage.objects.count(),
        "assessments": Assessment.objects.count(),
    }


def main() -> None:
    scale, done = int(sys.argv[1]), int(sys.argv[2])
    django.setup()
    logging.getLogger("wagtail").setLevel(logging.WARNING)  # a line per page grown
    if done == 0:
        started = time.perf_counter()
        demo_load()
        _log(f"setup + demo in {time.perf_counter() - started:.1f} s")
    else:  # resumed, or copied from a smaller size grown by older code: today's schema
        from django.core.management import call_command

        call_command("migrate", verbosity=0, stdout=sys.stderr)
    grow(scale, done)
    print(json.dumps({"counts": counts()}), flush=True)


if __name__ == "__main__":
    main()
