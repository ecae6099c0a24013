import re
from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client

from cophub.accounts.models import Role, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_sign_in_then_see_my_organisation_and_roles_then_sign_out(
    client: Client, focal_ke: User
) -> None:
    response = client.post(
        "/en/accounts/login/", {"username": "focal-ke", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/en/accounts/me/"
    page = response.content.decode()
    assert "Organisation of focal-ke" in page
    assert "Member State focal point" in page
    assert "Kenya" in page
    response = client.post("/en/accounts/logout/", follow=True)
    assert response.redirect_chain[-1][0] == "/en/"
    assert client.get("/en/accounts/me/").status_code == 302


def test_wrong_password_is_refused_with_a_translated_message(
    client: Client, focal_ke: User
) -> None:
    response = client.post("/fr/accounts/login/", {"username": "focal-ke", "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.content.decode()


def test_repeated_failures_lock_the_account_even_with_the_right_password(
    client: Client, focal_ke: User
) -> None:
    for _attempt in range(5):
        client.post("/en/accounts/login/", {"username": "focal-ke", "password": "wrong"})
    response = client.post("/en/accounts/login/", {"username": "focal-ke", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email_link(client: Client, focal_ke: User) -> None:
    response = client.post("/en/accounts/password-reset/", {"email": focal_ke.email}, follow=True)
    assert response.redirect_chain[-1][0] == "/en/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/en/accounts/password-reset/\S+/)", mail.outbox[0].body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    new_password = "a brand new passphrase 42"
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/en/accounts/password-reset/done/"
    focal_ke.refresh_from_db()
    assert focal_ke.check_password(new_password)


def test_password_reset_for_unknown_address_sends_nothing_and_reveals_nothing(
    client: Client,
) -> None:
    response = client.post("/en/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_my_account_page_creates_and_revokes_api_tokens(
    signed_in: Callable[[User], Client], focal_ke: User
) -> None:
    client = signed_in(focal_ke)
    response = client.post("/en/accounts/me/tokens/", {"name": "statistics office"})
    token = re.search(r'<code id="issued-token">(\S+)</code>', response.content.decode())
    assert token is not None
    machine = Client()  # a machine client: the token, no session
    headers = {"Authorization": f"Bearer {token.group(1)}"}
    assert machine.get("/api/v1/me", headers=headers).status_code == 200
    token_id = focal_ke.cophub_api_tokens.get().pk
    client.post(f"/en/accounts/me/tokens/{token_id}/revoke/")
    assert machine.get("/api/v1/me", headers=headers).status_code == 401


def test_token_form_rejects_an_empty_name_naming_the_field(
    signed_in: Callable[[User], Client], focal_ke: User
) -> None:
    client = signed_in(focal_ke)
    response = client.post("/es/accounts/me/tokens/", {"name": ""})
    assert response.status_code == 200
    # Django's wording, or Wagtail's ("necesario"), whose catalogue takes precedence over
    # Django's own until the project's catalogue holds this string.
    assert re.search("Este campo es (obligatorio|necesario)", response.content.decode())
    assert focal_ke.cophub_api_tokens.count() == 0


def test_a_role_needs_exactly_its_scope(make_user: Callable[..., User]) -> None:
    from django.core.exceptions import ValidationError

    from cophub.accounts.services import role_assign

    user = make_user()
    with pytest.raises(ValidationError) as error:
        role_assign(user=user, role=Role.FOCAL_POINT)
    assert "country" in error.value.message_dict
    assert user.role_assignments.count() == 0
