"""The demo's verification campaign: fictitious contacts (``example.org``) for a few entries,
one campaign for every region, with entries answered "all correct", one change waiting for
review, one change accepted, and entries not answered. Run after the demo directory."""

from django.db import transaction

from cophub.accounts.models import User

from ..models import Helpline, VerificationCampaign
from .services import (
    answer_changed,
    answer_correct,
    campaign_start,
    change_accept,
    contacts_set,
    proposed_entry,
)

# entry → language of its (fictitious) contact
DEMO_CONTACTS = {
    "ke-childline": "en",
    "eg-child-helpline-16000": "ar",
    "co-icbf-141": "es",
    "fr-119": "fr",
    "ru-detsky-telefon-doveriya": "ru",
    "za-childline": "en",
    "jo-110-helpline": "ar",
    "kz-helpline-150": "ru",
}
CORRECT = ("ke-childline", "fr-119")
CHANGED_PENDING = "co-icbf-141"
CHANGED_ACCEPTED = "za-childline"
NAME = "Demo contact (fictitious)"
DEMO_REVIEWER = "bdt-staff"


@transaction.atomic
def demo_campaign_load() -> VerificationCampaign | None:
    """Create the demo campaign once (``None`` when it exists, or the entries are missing)."""
    if VerificationCampaign.objects.exists():
        return None
    helplines = {h.slug: h for h in Helpline.objects.filter(slug__in=DEMO_CONTACTS)}
    if len(helplines) != len(DEMO_CONTACTS):
        return None
    for slug, language in DEMO_CONTACTS.items():
        contacts_set(
            helpline=helplines[slug],
            contacts=[{"email": f"verify.{slug}@example.org", "language": language}],
        )
    campaign = campaign_start(user=None, region=None)
    requests = {r.helpline.slug: r for r in campaign.requests.select_related("helpline")}
    for slug in CORRECT:
        answer_correct(request=requests[slug], name=NAME)
    for slug in (CHANGED_PENDING, CHANGED_ACCEPTED):
        helpline = helplines[slug]
        document = proposed_entry(helpline, {"operator": f"{helpline.operator_name} (renamed)"})
        answer_changed(
            request=requests[slug],
            name=NAME,
            document=document,
            note="The operator changed its name this year.",
        )
    reviewer = User.objects.filter(username=DEMO_REVIEWER).first()
    if reviewer is not None:  # the demo accounts are loaded first by ``cophub demo``
        change_accept(
            user=reviewer,
            request=requests[CHANGED_ACCEPTED],
            note="Checked on the operator's website.",
        )
    return campaign
