"""A quarterly report at 100× the demo: compile, page, DOCX and PDF, against the page alone.

    .venv/bin/python benchmarks/coordination/bench_report.py [--records 12000]

Builds a throwaway in-memory database (test settings), loads the reference data, writes
``--records`` activities of one quarter straight into the tables (each serving two or three
clauses and one or two countries; not timed) and times, as BDT staff: compiling the report
through the service (collecting every module's records, figures, snapshot), the report's page
(``report_view`` and the template), its API answer, the first page of its records, the
records file (CSV), and the DOCX and PDF exports. The peer is the page: issue 17 item 4 asks
that compile and export stay within seconds at 100×. ``COPHUB_SRC`` runs another checkout's
``src`` (the numbers before a change)."""

import argparse
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, os.environ.get("COPHUB_SRC", str(ROOT / "src")))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cophub.config.settings.test")
START, END = date(2026, 1, 1), date(2026, 3, 31)


def _timed(label: str, run):  # type: ignore[no-untyped-def]
    began = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - began
    size = len(result) if isinstance(result, bytes) else None
    extra = f" ({size / 1024:.0f} KB)" if size else ""
    print(f"{label:<28} {seconds:8.2f} s{extra}", flush=True)
    return seconds, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=12_000)
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # (the test client's host, mail kept in memory)

    print(f"preparing an in-memory database, {args.records} activities (not timed) …", flush=True)
    call_command("migrate", interactive=False, verbosity=0, run_syncdb=True)

    from django.test import Client

    from cophub.accounts.models import Role, User
    from cophub.accounts.services import role_assign
    from cophub.coordination.activities.models import Activity
    from cophub.coordination.reports import services
    from cophub.coordination.reports.models import Report
    from cophub.reference.models import Clause, Country
    from cophub.reference.services import reference_load

    reference_load()
    staff = User.objects.create_user(username="bench-bdt")
    role_assign(user=staff, role=Role.BDT_STAFF)
    clauses = list(Clause.objects.values_list("pk", flat=True))
    countries = list(Country.objects.values_list("pk", flat=True))
    kinds = [kind for kind, _label in Activity.Kind.choices]
    days = (END - START).days
    activities = Activity.objects.bulk_create(
        Activity(
            kind=kinds[n % len(kinds)],
            title=f"Activity {n:05d}",
            starts_on=START + timedelta(days=n % days),
            ends_on=START + timedelta(days=n % days),
            participants=n % 40,
        )
        for n in range(args.records)
    )
    served = Activity.clauses.through
    placed = Activity.countries.through
    served.objects.bulk_create(
        served(activity_id=a.pk, clause_id=clauses[(i + k * 7) % len(clauses)])
        for i, a in enumerate(activities)
        for k in range(2 + i % 2)
    )
    placed.objects.bulk_create(
        placed(activity_id=a.pk, country_id=countries[(i + k * 31) % len(countries)])
        for i, a in enumerate(activities)
        for k in range(1 + i % 2)
    )

    compile_s, report = _timed(
        "compile (service)",
        lambda: services.report_compile(
            user=staff, kind=Report.Kind.QUARTERLY, period_start=START, period_end=END
        ),
    )
    print(f"  records in the report: {len(report.snapshot['records'])}")
    client = Client()
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    base = f"/api/v1/coordination/reports/{report.pk}"

    def get(path: str, **query: str) -> bytes:
        response = client.get(path, query)
        assert response.status_code == 200, (path, response.status_code)
        if response.streaming:
            return b"".join(response.streaming_content)
        return response.content

    get("/en/coordination/reports/")  # (not timed: the first request loads the URLs, templates)
    _timed("page (en), first time", lambda: get(f"/en/coordination/reports/{report.pk}/"))
    page_s, _page = _timed("page (en)", lambda: get(f"/en/coordination/reports/{report.pk}/"))
    _timed("API answer", lambda: get(base))
    if "records_count" in get(base).decode():  # (after decision 0044 only)
        _timed("API records, first page", lambda: get(f"{base}/records"))
        _timed("records file (CSV)", lambda: get(f"{base}/records.csv"))
    docx_s, _docx = _timed("DOCX (en)", lambda: get(f"{base}/export", format="docx", lang="en"))
    timings = {"compile": compile_s, "DOCX": docx_s}
    if not args.no_pdf:
        pdf_s, _pdf = _timed("PDF (en)", lambda: get(f"{base}/export", format="pdf", lang="en"))
        timings["PDF"] = pdf_s
    print(f"load average: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    for label, seconds in timings.items():
        print(f"{label} / page: {seconds / page_s:.1f}×")


if __name__ == "__main__":
    main()
