"""The data of the query-count guards: the URL parameters, named after demo objects, and the
rows added to every module for the second measurement."""

import json
from datetime import date, timedelta
from typing import Any

from django.db.models import Model
from django.utils import timezone

from cophub.accounts.models import ApiToken, Organisation, Role, User
from cophub.accounts.services import role_assign
from cophub.coordination import demo as coordination_demo
from cophub.coordination.activities import services as activity_services
from cophub.coordination.models import (
    Activity,
    Document,
    DocumentVersion,
    LiaisonStatement,
    Meeting,
    Partner,
    Registration,
    Report,
    YouthConsultation,
    YouthSubmission,
)
from cophub.helplines import services as helplines_services
from cophub.helplines.models import Helpline, VerificationCampaign, VerificationRequest
from cophub.practices import demo as practices_demo
from cophub.practices.models import Attachment, Call, Submission, SubmissionVersion
from cophub.reference.models import Country
from cophub.resources import demo as resources_demo
from cophub.resources.models import (
    ItemTranslation,
    ResourceDownloadFile,
    ResourcePage,
    TrackedItem,
)
from cophub.statistics import demo as statistics_demo
from cophub.statistics.models import Dataset, Estimate, Release
from cophub.strategies import demo as strategies_demo
from cophub.strategies import services as strategies_services
from cophub.strategies.models import (
    Action,
    Assessment,
    Assignment,
    AssistanceRequest,
    Evidence,
    Framework,
    Section,
    Stakeholder,
)


def _pk(model: type[Model], **filters: Any) -> int:
    found = model._default_manager.filter(**filters).order_by("pk").first()  # type: ignore[attr-defined]
    return found.pk if found is not None else 0


def parameter_values() -> dict[str, Any]:
    """Every URL parameter, named as the routes name them; a route whose parameter means
    something else there has its own entry; the Wagtail pages' route its own URLs."""
    assessment = Assessment.objects.order_by("pk").first()
    assert assessment is not None
    section = Section.objects.filter(framework=assessment.framework_id).order_by("pk").first()
    assert section is not None
    item = section.items.order_by("pk").first()  # type: ignore[attr-defined]
    framework = Framework.objects.get(pk=assessment.framework_id)
    submission = Submission.objects.order_by("pk").first()
    assert submission is not None
    version = SubmissionVersion.objects.filter(submission=submission).order_by("-number").first()
    translation = ItemTranslation.objects.order_by("pk").first()
    assert translation is not None
    helpline = Helpline.objects.order_by("pk").first()
    assert helpline is not None
    estimate = Estimate.objects.order_by("pk").first()
    release = Release.objects.order_by("pk").first()
    resource = ResourcePage.objects.live().order_by("pk").first()
    assert resource is not None
    assessment_values = {
        "pk": assessment.pk,
        "section": section.key,
        "item": item.key if item else "",
        "evidence_id": _pk(Evidence, assessment=assessment),
        "assignment_id": _pk(Assignment, assessment=assessment),
        "action": "submit",
        "kind": "stakeholders",
        "part_id": _pk(Stakeholder, assessment=assessment),
        "action_id": _pk(Action, plan__assessment=assessment),
    }
    values: dict[str, Any] = {
        "country": "KE",
        "iso2": "KE",
        "channel": "call",
        "uidb64": "MQ",
        "token": "not-a-valid-token",
        "token_id": _pk(ApiToken),
        "outcome": "confirmed",
        "slug": helpline.slug,
        "request_id": _pk(AssistanceRequest),
        "dataset_id": _pk(Dataset),
        "code": release.code if release else "none",
        "indicator_id": estimate.indicator if estimate else "none",
        "call_id": _pk(Call),
        "reference": submission.reference,
        "number": version.number if version else 1,
        "attachment_id": _pk(Attachment, submission=submission),
        "meeting_id": _pk(Meeting),
        "registration_id": _pk(Registration),
        "document_id": _pk(Document),
        "statement_id": _pk(LiaisonStatement),
        "clause_id": "1",
        "report_id": _pk(Report),
        "consultation_id": _pk(YouthConsultation),
        "answer_id": _pk(YouthSubmission),
        "item_id": translation.item_id,
        "language": translation.language,
        "key": framework.key,
        "version": framework.version,
        "assessment_id": assessment.pk,
    }
    for route in (
        "strategies/assessments/<int:pk>/",
        "strategies/assessments/<int:pk>/sections/<slug:section>/",
        "strategies/assessments/<int:pk>/items/<str:item>/",
        "strategies/assessments/<int:pk>/evidence/<int:evidence_id>/",
        "strategies/assessments/<int:pk>/evidence/<int:evidence_id>/delete/",
        "strategies/assessments/<int:pk>/assign/",
        "strategies/assessments/<int:pk>/assignments/<int:assignment_id>/remove/",
        "strategies/assessments/<int:pk>/do/<slug:action>/",
        "strategies/assessments/<int:pk>/consultation/",
        "strategies/assessments/<int:pk>/stakeholders/",
        "strategies/assessments/<int:pk>/<slug:kind>/<int:part_id>/delete/",
        "strategies/assessments/<int:pk>/diff/",
        "strategies/assessments/<int:pk>/profile/",
        "strategies/assessments/<int:pk>/plan/",
        "strategies/assessments/<int:pk>/plan/actions/new/",
        "strategies/assessments/<int:pk>/plan/actions/<int:action_id>/",
        "strategies/assessments/<int:pk>/plan/actions/<int:action_id>/progress/",
        "strategies/assessments/<int:pk>/plan/export/",
    ):
        values[route] = {**values, **assessment_values}
    campaign = {**values, "pk": _pk(VerificationCampaign)}
    values["help/verification/<int:pk>/"] = campaign
    values["/api/v1/helplines/verification/campaigns/{pk}"] = campaign
    values["/api/v1/helplines/verification/campaigns/{pk}/replies"] = campaign
    values["help/verification/replies/<int:pk>/"] = {**values, "pk": _pk(VerificationRequest)}
    values["statistics/datasets/<int:dataset_id>/<str:action>/"] = {**values, "action": "submit"}
    values["/api/v1/organisations/{organisation_id}"] = {
        **values,
        "organisation_id": _pk(Organisation, code="childline-kenya"),
    }
    attachment = Attachment.objects.select_related("submission").order_by("pk").first()
    assert attachment is not None
    published = Submission.objects.filter(published_page__isnull=False).order_by("pk").first()
    assert published is not None
    values["practices/submissions/<str:reference>/attachments/<int:attachment_id>/"] = {
        **values,
        "reference": attachment.submission.reference,
        "attachment_id": attachment.pk,
    }
    values["practices/report/<str:reference>/"] = {**values, "reference": published.reference}
    version_file = DocumentVersion.objects.exclude(file="").order_by("pk").first()
    if version_file is not None:
        values["/api/v1/coordination/documents/{document_id}/versions/{language}/file"] = {
            **values,
            "document_id": version_file.document_id,
            "language": version_file.language,
        }
    stored = ResourceDownloadFile.objects.order_by("pk").first()
    tracked = TrackedItem.objects.filter(
        kind=TrackedItem.Kind.FILE, key=str(stored.download_id if stored else 0)
    ).first()
    if stored is not None and tracked is not None:
        values["resources/translations/<int:item_id>/<str:language>/file/"] = {
            **values,
            "item_id": tracked.pk,
            "language": stored.language,
        }
    template = {"country": "KE", "year": "2024"}
    values["routes"] = {
        "resources/^((?:[\\w\\-]+/)*)$": (resource.get_url(), {}),
        "statistics/templates/mapping/": ("/en/statistics/templates/mapping/", template),
        "statistics/templates/aggregate/": ("/en/statistics/templates/aggregate/", template),
        "resources/download/": (
            "/en/resources/download/",
            {"file": str(_pk(ResourceDownloadFile))},
        ),
    }
    return values


def more_rows() -> None:
    """Rows of every module, added through their services (the demo loaders' own steps, run
    again with other names and countries): what each list and page shows grows."""
    bdt = User.objects.get(username="bdt-staff")
    _more_helplines()
    for iso2, *figures in (("FR", 3, 1, 500, 90, 0.3), ("JP", 4, 1, 900, 200, 0.5)):
        statistics_demo._aggregate((iso2, *figures), bdt)  # type: ignore[arg-type]
    _more_assessments()
    people = practices_demo.demo_people()
    call = Call.objects.filter(phase=Call.Phase.OPEN).order_by("pk").first()
    assert call is not None
    for author, title, *rest in practices_demo.SUBMISSIONS:
        practices_demo._submission(call, people, (author, f"{title} (again)", *rest))
    resources = json.loads(resources_demo.DEMO_FILE.read_text(encoding="utf-8"))
    translators = {u.username: u for u in User.objects.filter(username__startswith="translator")}
    for spec in resources["items"][:2]:
        resources_demo._item_load(
            {**spec, "slug": spec["slug"] + "-again"},
            editor=bdt,
            translators=translators,
        )
    held, coming = Meeting.objects.filter(body_id="cwg-cop").order_by("starts_on")[:2]
    coordination_demo._documents(held, coming, bdt)
    coordination_demo._liaison(held, coming, bdt, timezone.localdate())
    _more_activities(bdt)


def _more_activities(bdt: User) -> None:
    """Two more partners, each with an agreement, and activities with them."""
    today = timezone.localdate()
    for n in range(2):
        partner = activity_services.partner_save(
            user=bdt,
            name=f"Query guard partner {n}",
            kind=Partner.Kind.ORGANISATION,
            url=f"https://partner-{n}.example.org/",
            agreements=[activity_services.AgreementDraft(f"Agreement {n}", today)],
        )
        activity_services.activity_record(
            user=bdt,
            kind=Activity.Kind.TRAINING,
            title=f"Training {n}",
            starts_on=today - timedelta(days=n + 1),
            region="AFR",
            countries=["KE", "TZ"],
            clauses=["BDT-5"],
            participants=10,
            partners=[partner.pk],
        )


def _more_helplines() -> None:
    """Three more entries in each country of the demo's first entries."""
    directory = json.loads(
        (helplines_services.DATA_DIR / "demo_helplines.json").read_text(encoding="utf-8")
    )
    countries = list(dict.fromkeys(entry["country"] for entry in directory["helplines"]))[:3]
    extra = []
    for country in countries:
        model = next(e for e in directory["helplines"] if e["country"] == country)
        for n in range(3):
            entry = {k: v for k, v in model.items() if k != "paired_with"}
            extra.append({**entry, "id": f"{model['id']}-extra-{n}"})
    helplines_services.helplines_import({**directory, "helplines": extra})


def _more_assessments() -> None:
    """Published self-assessments of three more countries, each by its focal point."""
    framework = Framework.objects.get(key="itu-areas", version="1.0")
    for iso2 in ("TZ", "UG", "NP"):
        country = Country.objects.get(iso2=iso2)
        focal = User.objects.filter(
            role_assignments__role=Role.FOCAL_POINT, role_assignments__country=country
        ).first()
        if focal is None:
            focal = User.objects.create_user(username=f"focal-{iso2.lower()}-guard")
            role_assign(user=focal, role=Role.FOCAL_POINT, country=country)
        assessment = strategies_services.assessment_open(
            user=focal, country=country, year=2024, framework=framework
        )
        strategies_demo._fill(assessment, focal, strategies_demo.KENYA_2024, 1, date(2024, 1, 5))
        strategies_demo._publish(assessment, focal, f"{iso2} self-assessment (query guards).")
