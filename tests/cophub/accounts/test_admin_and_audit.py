from collections.abc import Callable

import pytest
from auditlog.models import LogEntry
from django.test import Client

from cophub.accounts.models import User
from cophub.reference.models import Country

pytestmark = pytest.mark.django_db


def test_bdt_staff_edit_reference_data_in_the_admin_and_the_change_is_audited(
    signed_in: Callable[[User], Client], bdt_staff: User
) -> None:
    client = signed_in(bdt_staff)
    assert client.get("/en/admin/").status_code == 200
    assert client.get("/en/admin/reference/country/").status_code == 200
    change_url = "/en/admin/reference/region/AFR/change/"
    form = client.get(change_url)
    assert form.status_code == 200
    names = '{"en": "Africa (edited)", "fr": "Afrique"}'
    response = client.post(change_url, {"code": "AFR", "names": names, "source": "itu-d-regions"})
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = LogEntry.objects.get_for_object(Country.objects.get(iso2="KE").region).latest(
        "timestamp"
    )
    assert entry.actor == bdt_staff
    assert entry.action == LogEntry.Action.UPDATE
    assert "Africa (edited)" in str(entry.changes)
    audit_page = client.get("/en/admin/auditlog/logentry/")
    assert audit_page.status_code == 200
    assert "AFR" in audit_page.content.decode()


def test_the_audit_log_cannot_be_edited_even_by_bdt_staff(
    signed_in: Callable[[User], Client], bdt_staff: User
) -> None:
    client = signed_in(bdt_staff)
    assert client.get("/en/admin/auditlog/logentry/add/").status_code == 403


def test_other_roles_cannot_open_the_admin(
    signed_in: Callable[[User], Client], focal_ke: User
) -> None:
    client = signed_in(focal_ke)
    assert client.get("/en/admin/reference/country/", follow=True).status_code == 403
    assert client.get("/en/admin/auditlog/logentry/", follow=True).status_code == 403


def test_anonymous_visitors_are_sent_to_the_platform_sign_in(client: Client) -> None:
    response = client.get("/en/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/en/accounts/login/?next=")
