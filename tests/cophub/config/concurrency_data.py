"""What the concurrency test needs in its copy of the database, made by ``cophub shell`` on
that copy: a focal point of Kenya with a password and an API token, survey datasets with
their mapping, a strategy assessment, and a Kenyan helpline for USSD. Prints it as JSON."""

import json

from django.utils import timezone

from cophub.accounts.models import Organisation, Role, User
from cophub.accounts.services import api_token_create, role_assign
from cophub.helplines.models import Contact, Helpline
from cophub.helplines.services import topics_load
from cophub.reference.models import Country
from cophub.reference.services import reference_load
from cophub.statistics import services as statistics
from cophub.statistics.demo import synthetic_mapping
from cophub.strategies import services as strategies
from cophub.strategies.framework_format import frameworks_load
from cophub.strategies.models import Framework, Item

PASSWORD = "concurrency-" + "p4ss-word"
DATASETS = 6


def main() -> None:
    if not Country.objects.filter(iso2="KE").exists():  # a transactional test emptied it
        reference_load()
    if not Framework.objects.exists():
        frameworks_load()
    topics_load()
    kenya = Country.objects.get(iso2="KE")
    ministry = Organisation.objects.create(name="Concurrency ministry", country=kenya)
    user = User.objects.create_user(
        username="concurrency-focal", password=PASSWORD, organisation=ministry
    )
    role_assign(user=user, role=Role.FOCAL_POINT, country=kenya)
    datasets = []
    for number in range(DATASETS):
        dataset = statistics.dataset_create(
            actor=user, kind="survey", country=kenya, year=2024, title=f"Survey {number}"
        )
        statistics.dataset_mapping_set(actor=user, dataset=dataset, document=synthetic_mapping())
        datasets.append(dataset.pk)
    framework = Framework.objects.order_by("pk").first()
    assert framework is not None
    assessment = strategies.assessment_open(
        user=user, country=kenya, year=timezone.localdate().year, framework=framework
    )
    items = list(
        Item.objects.filter(framework=framework, kind=Item.Kind.YES_NO_PARTIAL)
        .order_by("pk")
        .values_list("key", flat=True)[:12]
    )
    line = Organisation.objects.create(name="Concurrency line", kind="child_helpline")
    helpline = Helpline.objects.create(
        slug="ke-concurrency-line",
        names={"en": "Concurrency line"},
        country=kenya,
        kind="child_helpline",
        timezone="Africa/Nairobi",
        organisation=line,
        source_url="https://example.org/",
        source_type="other",
    )
    Contact.objects.create(helpline=helpline, channel="voice", value="116", free=True)
    print(
        json.dumps(
            {
                "username": user.username,
                "password": PASSWORD,
                "token": api_token_create(user=user, name="concurrency").plaintext,
                "datasets": datasets,
                "assessment": assessment.pk,
                "items": items,
            }
        )
    )


main()
