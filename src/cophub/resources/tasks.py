"""Background work of the hub (Django's tasks API)."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from cophub.accounts.models import Role, RoleAssignment

from .models import TrackedItem


@task()
def translators_notify_source_changed(item_id: int, version: int) -> int:
    """E-mail the translators of every language the item was translated into that its source
    changed (version ``version``), each in their language. Returns the number of e-mails."""
    item = TrackedItem.objects.filter(pk=item_id, source_version=version).first()
    if item is None:  # changed again since: that later change sends its own notice
        return 0
    messages: list[tuple[str, str, str | None, list[str]]] = []
    for language in item.translations.values_list("language", flat=True).order_by("language"):
        recipients = sorted(
            {
                email
                for email in RoleAssignment.objects.filter(
                    role=Role.TRANSLATOR, language=language, user__is_active=True
                ).values_list("user__email", flat=True)
                if email
            }
        )
        with translation.override(language):
            subject = _("Source changed: %(title)s") % {"title": item.title}
            body = _(
                "The source text of “%(title)s” (%(source_language)s) changed and is now at "
                "version %(version)s. Its translation into your language is outdated until it "
                "is updated and reviewed again.\n\nTranslation status: %(url)s"
            ) % {
                "title": item.title,
                "source_language": item.source_language,
                "version": item.source_version,
                "url": f"{settings.WAGTAILADMIN_BASE_URL}/{language}/resources/translations/"
                f"?language={language}&status=outdated",
            }
        messages.extend(
            (subject, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in recipients
        )
    return send_mass_mail(messages, fail_silently=False)
