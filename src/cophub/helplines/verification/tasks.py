"""The mails of verification campaigns, sent by the task queue (never inside a request): each
contact gets a new link in their language. The link's secret exists only in the mail: the task
draws it, stores its hash and sends the mail in one transaction (a failed send stores
nothing), so neither the queue nor the database ever holds a working link."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from ..models import VerificationRequest
from .links import link_issue


def verification_mail(request_id: int, reminder: bool) -> int:
    """Send the invitation (or the reminder) of one request; returns 1 when a mail was sent,
    0 when the request was answered in the meantime."""
    with transaction.atomic():
        request = (
            VerificationRequest.objects.select_for_update(of=("self",))
            .select_related("helpline", "campaign")
            .filter(pk=request_id, answer=VerificationRequest.Answer.PENDING)
            .first()
        )
        if request is None:
            return 0
        token = link_issue(request)
        now = timezone.now()
        if not reminder:
            request.sent_at = now
        request.save(update_fields=["token_hash", "sent_at"])
        with translation.override(request.language):
            url = str(settings.WAGTAILADMIN_BASE_URL or "").rstrip("/") + reverse(
                "helplines:verify", args=[token]
            )
            until = date_format(
                timezone.localdate(now) + timedelta(days=request.campaign.link_days),
                "DATE_FORMAT",
            )
            name = request.helpline.name
            subject = (
                _("Reminder: is your entry in the COP Hub helpline directory still right?")
                if reminder
                else _("Is your entry in the COP Hub helpline directory still right?")
            )
            body = _(
                "Children and those who help them find %(name)s in the COP Hub helpline "
                "directory of ITU. Please check that the entry is still right: open the link "
                "below, then answer “All correct” or tell us what changed. No account is "
                "needed.\n\n%(url)s\n\nThe link works once, until %(date)s. Your address is "
                "used only to ask you this and is never published."
            ) % {"name": name, "url": url, "date": until}
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [request.email])
    return 1


@task()
def verification_mail_send(request_id: int, reminder: bool) -> int:
    """Mail one verification request's link (queued by ``campaign_start`` and
    ``reminders_send``)."""
    return verification_mail(request_id, reminder)
