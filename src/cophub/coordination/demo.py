"""Demo coordination data (demo mode only): CWG-COP meetings 24 (held) and 25 (coming) with
registrations from several regions, documents in several states (published, submitted,
withdrawn, a revision), a liaison-statement thread with ITU-D SG2, partners, activities in
all six regions, clause progress, a youth consultation, and a generated quarterly report.
Built through the services, so the demo obeys every rule a user meets; the content is
invented and marked as demo data on the pages."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cophub.accounts.models import User
from cophub.portal.errors import ActionForbidden

from .activities import services as activity_services
from .bodies import bodies_load
from .documents import services as document_services
from .implementation import services as implementation_services
from .liaison import services as liaison_services
from .liaison.services import Addressee
from .meetings import services as meeting_services
from .models import (
    Activity,
    ClauseProgress,
    Document,
    Meeting,
    Partner,
    Registration,
    Report,
    YouthConsultation,
    YouthSubmission,
)
from .reports import services as reports
from .youth import services as youth_services


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _meetings(bdt: User, chair: User, today: date) -> tuple[Meeting, Meeting]:
    held = meeting_services.meeting_create(
        user=bdt,
        body="cwg-cop",
        ordinal=24,
        starts_on=today - timedelta(days=60),
        ends_on=today - timedelta(days=59),
        mode=Meeting.Mode.HYBRID,
        venue="ITU, Geneva",
        chair=chair.pk,
        vice_chairs=["Delegate of Kenya", "Delegate of Brazil"],
        agenda="1. Opening\n2. Contributions\n3. Liaison statements\n4. Youth consultation\n"
        "5. Next meeting",
        registration_closes_on=today - timedelta(days=70),
    )
    coming = meeting_services.meeting_create(
        user=bdt,
        body="cwg-cop",
        ordinal=25,
        starts_on=today + timedelta(days=60),
        ends_on=today + timedelta(days=61),
        mode=Meeting.Mode.HYBRID,
        venue="ITU, Geneva",
        chair=chair.pk,
        vice_chairs=["Delegate of Kenya"],
        agenda="1. Opening\n2. Quarterly report of BDT\n3. Contributions\n4. Any other business",
    )
    return held, coming


def _documents(held: Meeting, coming: Meeting, bdt: User) -> None:
    kenya, brazil, expert = _user("focal-ke"), _user("focal-br"), _user("cwg-expert")
    for meeting in (held, coming):
        agenda = document_services.document_submit(
            user=bdt,
            as_manager=True,
            meeting=meeting,
            kind=Document.Kind.AGENDA,
            purpose=Document.Purpose.INFORMATION,
            title=f"Draft agenda of {meeting}",
            original_language="en",
        )
        document_services.document_publish(user=bdt, document=agenda)
    # Held meeting: contributions registered by the secretariat, all published.
    for source, country, title in (
        ("Communications Authority of Kenya", "KE", "Kenya's national COP strategy: progress"),
        ("Anatel", "BR", "Proposal: harmonised statistics on online grooming"),
    ):
        document = document_services.document_submit(
            user=bdt,
            as_manager=True,
            meeting=held,
            kind=Document.Kind.CONTRIBUTION,
            purpose=Document.Purpose.ACTION,
            title=title,
            original_language="en",
            source=source,
            country=country,
        )
        document_services.document_publish(user=bdt, document=document)
    # The held meeting's documents were received before it, in time to be translated (the
    # demo is created today, so their dates are set back).
    received = timezone.make_aware(datetime.combine(held.starts_on - timedelta(days=50), time(9)))
    Document.objects.filter(meeting=held).update(
        received_at=received, published_at=received, timeliness=Document.Timeliness.ON_TIME
    )
    # Coming meeting: delegates submit within the deadlines.
    on_time = document_services.document_submit(
        user=kenya,
        meeting=coming,
        kind=Document.Kind.CONTRIBUTION,
        purpose=Document.Purpose.ACTION,
        title="Allocating 116 111 in the national numbering plan",
        original_language="en",
        abstract="Kenya proposes that CWG-COP invite regulators to reserve 116 111.",
    )
    document_services.document_publish(user=bdt, document=on_time)
    document_services.version_set(user=bdt, document=on_time, language="fr", status="in_review")
    document_services.version_set(user=bdt, document=on_time, language="ar", status="human_draft")
    draft = document_services.document_submit(
        user=brazil,
        meeting=coming,
        kind=Document.Kind.CONTRIBUTION,
        purpose=Document.Purpose.INFORMATION,
        original_language="es",
        title="Experiencia de Brasil con la línea 100",
    )
    document_services.document_revise(user=brazil, document=draft, title=draft.title + " (rev.)")
    withdrawn = document_services.document_submit(
        user=expert,
        meeting=coming,
        kind=Document.Kind.INFORMATION,
        purpose=Document.Purpose.INFORMATION,
        original_language="en",
        title="Research note on age assurance",
    )
    document_services.document_withdraw(user=expert, document=withdrawn)


def _liaison(held: Meeting, coming: Meeting, bdt: User, today: date) -> None:
    incoming = liaison_services.liaison_create(
        user=bdt,
        meeting=held,
        incoming=True,
        origin="ITU-D Study Group 2",
        origin_questions="Q3/2",
        subject="Collecting child online protection statistics",
        addressees=[Addressee("CWG-COP", "comments")],
        approval="ITU-D SG2 meeting",
        deadline=today + timedelta(days=20),
        contact="Rapporteur for Q3/2 <q3-2@example.org>",
        original_language="en",
    )
    reply = liaison_services.liaison_create(
        user=bdt,
        meeting=held,
        origin="CWG-COP",
        subject="Reply to the liaison statement from ITU-D SG2 on "
        "child online protection statistics",
        addressees=[Addressee("ITU-D SG2 Q3/2", "information")],
        approval="CWG-COP meeting",
        contact="CWG-COP secretariat <cwg@example.org>",
        original_language="en",
        reply_to=incoming.pk,
    )
    liaison_services.liaison_advance(user=bdt, statement=reply, status="agreed")
    liaison_services.liaison_advance(user=bdt, statement=reply, status="sent")
    liaison_services.liaison_create(
        user=bdt,
        meeting=coming,
        origin="CWG-COP",
        subject="Helpline numbers in the E.164 supplements",
        addressees=[
            Addressee("ITU-T SG2", "action"),
            Addressee("ITU-D SG2 Q3/2", "information"),
        ],
        approval="CWG-COP meeting",
        contact="CWG-COP secretariat <cwg@example.org>",
        original_language="en",
        deadline=today + timedelta(days=120),
    )


DELEGATES = (
    ("focal-ke", "in_person", False),
    ("focal-np", "remote", True),
    ("focal-br", "remote", False),
    ("cwg-expert", "remote", False),
    ("sector-member", "in_person", False),
)


def _register(meeting: Meeting) -> list[int]:
    return [
        meeting_services.registration_create(
            user=_user(username),
            meeting=meeting,
            attendance=Registration.Attendance(attendance),
            fellowship=fellowship,
            country="CH" if username in ("cwg-expert", "sector-member") else None,
        ).pk
        for username, attendance, fellowship in DELEGATES
    ]


def _registrations(held: Meeting, coming: Meeting, bdt: User) -> None:
    """Everyone registers for both meetings. The held meeting's registration is reopened for
    the demo (it is created today), then closed again; four of five attended, Nepal's
    fellowship was granted."""
    closes = held.registration_closes_on
    held.registration_closes_on = timezone.localdate()
    held.save(update_fields=["registration_closes_on"])
    registrations = _register(held)
    held.registration_closes_on = closes
    held.save(update_fields=["registration_closes_on"])
    meeting_services.attendance_record(user=bdt, meeting=held, attended_ids=registrations[:4])
    nepal = Registration.objects.get(meeting=held, user__username="focal-np")
    meeting_services.fellowship_decide(user=bdt, registration=nepal, granted=True)
    _register(coming)


def _activities(bdt: User, today: date) -> None:
    partner = activity_services.partner_save(
        user=bdt,
        name="Child Helpline International",
        kind=Partner.Kind.ORGANISATION,
        url="https://childhelplineinternational.org/",
        agreements=[
            activity_services.AgreementDraft(
                "Cooperation on helpline data", today - timedelta(days=40)
            )
        ],
    )
    activity_services.partner_save(
        user=bdt,
        name="WeProtect Global Alliance",
        kind=Partner.Kind.INITIATIVE,
        url="https://www.weprotect.org/",
    )
    for days, kind, title, region, countries, clauses, people, partners in (
        (
            80,
            "training",
            "COP training for regulators",
            "AFR",
            ["ET", "KE"],
            ["BDT-5", "BDT-7"],
            45,
            [],
        ),
        (
            70,
            "workshop",
            "Regional COP strategy workshop",
            "AMS",
            ["BR", "MX"],
            ["BDT-5", "BDT-7"],
            30,
            [],
        ),
        (
            50,
            "campaign",
            "Safer Internet awareness week",
            "ARB",
            ["EG", "JO"],
            ["MS-6", "BDT-11"],
            None,
            [],
        ),
        (
            40,
            "country_assistance",
            "Support to the national COP strategy",
            "ASP",
            ["FJ"],
            ["BDT-5", "MS-1"],
            None,
            [],
        ),
        (
            30,
            "publication",
            "Guidelines for parents (Russian edition)",
            "CIS",
            [],
            ["BDT-11", "MSSM-2"],
            None,
            [],
        ),
        (
            20,
            "joint_activity",
            "Helpline data workshop with CHI",
            "EUR",
            ["FR", "IT"],
            ["BDT-4", "SM-1"],
            25,
            [partner.pk],
        ),
    ):
        activity_services.activity_record(
            user=bdt,
            kind=Activity.Kind(kind),
            title=title,
            starts_on=today - timedelta(days=days),
            region=region,
            countries=countries,
            clauses=clauses,
            participants=people,
            partners=partners,
        )
    for clause, status, progress, timeline in (
        ("BDT-5", "on_track", 60, "2022–2025"),
        ("BDT-9", "on_track", 75, "Quarterly"),
        ("BDT-8", "in_progress", 40, "2023–2025"),
        ("MS-3", "at_risk", 25, "2024–2026"),
    ):
        implementation_services.clause_progress_set(
            user=bdt,
            clause_id=clause,
            status=ClauseProgress.Status(status),
            progress=progress,
            timeline=timeline,
        )


def _consultation(coming: Meeting, today: date) -> None:
    consultation = YouthConsultation.objects.create(
        title="What makes you feel safe online?",
        question="What should apps and websites do so that you feel safe? What would you tell the "
        "people who make the rules?",
        opens_on=today - timedelta(days=10),
        closes_on=today + timedelta(days=40),
        meeting=coming,
    )
    for text, band, region in (
        ("Make the report button easy to find and tell us what happened after.", "13_15", "AFR"),
        ("Strangers should not be able to message me unless I accept.", "16_17", "EUR"),
        ("Teach parents too, not only us.", "13_15", "AMS"),
    ):
        youth_services.youth_submit(
            consultation=consultation, text=text, age_band=band, region=region
        )
    first = YouthSubmission.objects.order_by("pk").first()
    if first is not None:
        youth_services.youth_moderate(user=_user("bdt-staff"), submission=first, accept=True)


@transaction.atomic
def demo_coordination_load() -> Report | None:
    """Load once (a second run changes nothing); returns the demo quarterly report."""
    if not settings.COPHUB_DEMO:
        raise ActionForbidden()
    bodies_load()
    if Meeting.objects.filter(body_id="cwg-cop", ordinal=25).exists():
        return Report.objects.filter(kind=Report.Kind.QUARTERLY).first()
    today = timezone.localdate()
    bdt = _user("bdt-staff")
    held, coming = _meetings(bdt, _user("cwg-expert"), today)
    _registrations(held, coming, bdt)
    _documents(held, coming, bdt)
    _liaison(held, coming, bdt, today)
    _activities(bdt, today)
    _consultation(coming, today)
    report = reports.report_compile(
        user=bdt,
        kind=Report.Kind.QUARTERLY,
        period_start=today - timedelta(days=90),
        period_end=today,
    )
    reports.report_text_set(
        user=bdt,
        report=report,
        section="summary",
        language="en",
        text="Demo data: every figure below is computed from the invented records of this demo.",
    )
    return reports.report_approve(user=bdt, report=report, meeting_id=coming.pk)
