"""Demo data for best practices (demo mode only): an open call with a submission in every
review state, and an earlier call in its publication phase with a technical solution
published to the hub."""

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cophub.accounts.models import Organisation, Role, User
from cophub.accounts.services import DEMO_PASSWORD, role_assign

from .models import Call, ReviewerAssignment, Submission
from .services.calls import call_create, call_phase_set
from .services.publication import submission_publish
from .services.review import conflict_declare, reviewer_assign, scores_record
from .services.submissions import attachment_add, submission_create, submission_transition

OPEN_CALL_TITLES = {
    "en": "Call for best practices in child online protection 2026",
    "fr": "Appel à bonnes pratiques en matière de protection en ligne des enfants 2026",
    "es": "Convocatoria de buenas prácticas de protección de la infancia en línea 2026",
    "ar": "دعوة لتقديم أفضل الممارسات في مجال حماية الأطفال على الإنترنت 2026",
    "zh-hans": "2026年儿童在线保护最佳做法征集",
    "ru": (
        "Призыв к представлению передового опыта в области защиты ребенка "
        "в онлайновой среде, 2026 г."
    ),
}
PAST_CALL_TITLES = {
    "en": "Call for technical solutions for child online protection 2025",
    "fr": "Appel à solutions techniques pour la protection en ligne des enfants 2025",
}

BASE: dict[str, Any] = {
    "abstract": "A national programme combining awareness in schools with a free helpline.",
    "lessons_learned": "Children used the service most when it was promoted by their peers.",
    "suggested_practice": "Involve young people in designing the messages from the start.",
    "evidence_of_impact": "Contacts to the helpline tripled in the first year of the programme.",
    "contact_name": "Programme coordinator",
    "contact_email": "coordinator@example.org",
    "clauses": ["BDT-3", "MS-6"],
    "country": "KE",
}

# (author, title, category, language, final state, extra fields)
SUBMISSIONS: list[tuple[str, str, str, str, str, dict[str, Any]]] = [
    (
        "sector-member",
        "Age-appropriate defaults in a mobile operator's app store",
        "technical-solution",
        "en",
        "draft",
        {"abstract": ""},
    ),
    (
        "focal-ke",
        "Kenya's school ambassadors for online safety",
        "education-awareness",
        "en",
        "submitted",
        {},
    ),
    (
        "focal-br",
        "Código de conduta das plataformas para a proteção de crianças",
        "self-regulation",
        "es",
        "screening",
        {
            "lessons_learned": "Los padres llamaban al +55 61 2312 2000 para pedir ayuda.",
            "country": "BR",
        },
    ),
    (
        "sector-member",
        "Network-level blocking of known abuse material with review by a hotline",
        "technical-solution",
        "en",
        "in_evaluation",
        {"clauses": ["SM-2", "BDT-3"]},
    ),
    (
        "focal-ke",
        "A national helpline number shared by all operators",
        "reporting-support",
        "en",
        "accepted",
        {"clauses": ["MS-3", "SM-1"]},
    ),
    (
        "sector-member",
        "Industry code of conduct on children's data",
        "self-regulation",
        "en",
        "accepted_with_changes",
        {"clauses": ["MS-5"]},
    ),
    (
        "focal-br",
        "Campanha nacional de sensibilização",
        "education-awareness",
        "es",
        "not_accepted",
        {"country": "BR"},
    ),
    (
        "cwg-expert",
        "Survey of children's online experiences",
        "research-data",
        "en",
        "withdrawn",
        {"clauses": ["MS-4"], "country": None, "region": "AFR"},
    ),
]
ROUTE = ["draft", "submitted", "screening", "in_evaluation"]


def _demo_user(username: str, organisation: str, kind: str, role: Role, language: str = "") -> User:
    org, _created = Organisation.objects.get_or_create(name=organisation, defaults={"kind": kind})
    user, created = User.objects.get_or_create(
        username=username, defaults={"organisation": org, "email": f"{username}@example.org"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    role_assign(user=user, role=role, language=language)
    return user


def demo_people() -> dict[str, User]:
    """The demo accounts used here, plus a reviewer and translators for more languages."""
    people = {u.username: u for u in User.objects.filter(username__in=[s[0] for s in SUBMISSIONS])}
    people["bdt-staff"] = User.objects.get(username="bdt-staff")
    people["reviewer"] = _demo_user(
        "reviewer", "Independent review panel", "academia", Role.REVIEWER
    )
    for language in ("fr", "es", "zh-hans", "ru"):
        people[f"translator-{language}"] = _demo_user(
            f"translator-{language}",
            "ITU Telecommunication Development Bureau",
            "itu_bdt",
            Role.TRANSLATOR,
            language,
        )
    people["translator-ar"] = User.objects.get(username="translator-ar")
    return people


def _submission(call: Call, people: dict[str, User], spec: tuple[Any, ...]) -> Submission:
    author, title, category, language, final, extra = spec
    data = {**BASE, **extra, "title": title, "category": category, "original_language": language}
    submission = submission_create(call=call, author=people[author], data=data)
    staff = people["bdt-staff"]
    if final == "draft":
        return submission
    if final == "withdrawn":
        submission = submission_transition(
            submission=submission, user=people[author], target="submitted", actors={"author"}
        )
        return submission_transition(
            submission=submission, user=people[author], target="withdrawn", actors={"author"}
        )
    submission = submission_transition(
        submission=submission, user=people[author], target="submitted", actors={"author"}
    )
    if final == "submitted":
        return submission
    submission = submission_transition(
        submission=submission, user=staff, target="screening", actors={"staff"}
    )
    if final == "screening":
        return submission
    submission = submission_transition(
        submission=submission, user=staff, target="in_evaluation", actors={"staff"}
    )
    assignment: ReviewerAssignment = reviewer_assign(
        submission=submission, reviewer=people["reviewer"], by=staff
    )
    conflict_declare(assignment=assignment, conflict=False)
    scores_record(
        assignment=assignment,
        scores={"relevance": 4, "evidence": 3, "transferability": 3, "childrens-rights": 4},
        comment="Clear, transferable and respectful of children's rights.",
    )
    if final == "in_evaluation":
        return submission
    answers = {
        "accepted": "Accepted: thank you for this contribution.",
        "accepted_with_changes": "Accepted, once the evidence section cites its sources.",
        "not_accepted": "Not accepted: the evidence of impact is not yet sufficient.",
    }
    return submission_transition(
        submission=submission, user=staff, target=final, actors={"staff"}, answer=answers[final]
    )


def demo_practices_load(people: dict[str, User]) -> int:
    """Load once; returns the number of submissions created (0 if already there)."""
    if Call.objects.filter(titles__en=OPEN_CALL_TITLES["en"]).exists():
        return 0
    staff = people["bdt-staff"]
    now = timezone.now()
    open_call = call_create(
        user=staff,
        titles=OPEN_CALL_TITLES,
        descriptions={"en": "Share what works: technical solutions, codes of conduct, strategies."},
        opens_at=now - timedelta(days=30),
        closes_at=now + timedelta(days=60),
        eligible_kinds=["member_state", "sector_member", "academia"],
        phase=Call.Phase.OPEN,
    )
    for spec in SUBMISSIONS:
        _submission(open_call, people, spec)
    # The earlier call: a technical solution accepted and published, the call now closed.
    past_call = call_create(
        user=staff,
        titles=PAST_CALL_TITLES,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
        phase=Call.Phase.OPEN,
    )
    published = _submission(
        past_call,
        people,
        (
            "sector-member",
            "Child-safe default settings for new SIM cards",
            "technical-solution",
            "en",
            "accepted",
            {"clauses": ["SM-2", "BDT-3"]},
        ),
    )
    attachment_add(
        submission=published,
        user=people["sector-member"],
        uploaded=SimpleUploadedFile("summary.txt", b"Defaults switched on for every new SIM card."),
    )
    Call.objects.filter(pk=past_call.pk).update(
        opens_at=now - timedelta(days=400), closes_at=now - timedelta(days=300)
    )
    past_call.refresh_from_db()
    call_phase_set(call=past_call, phase=Call.Phase.REVIEW)
    call_phase_set(call=past_call, phase=Call.Phase.PUBLICATION)
    submission_publish(submission=published, user=staff)
    return len(SUBMISSIONS) + 1
