"""Signing in through the real sign-in page, CSRF checked, from a given client address."""

from dataclasses import dataclass

from django.test import Client

LOGIN = "/en/accounts/login/"


@dataclass(frozen=True)
class SignIn:
    status: int
    signed_in: bool
    client: Client


def sign_in(
    username: str,
    password: str,
    *,
    address: str = "192.0.2.10",
    forwarded: str | None = None,
    path: str = LOGIN,
) -> SignIn:
    """A new browser at ``address`` (``X-Forwarded-For: forwarded`` if given) opens the sign-in
    page and posts the form: 302 signed in, 200 refused, 429 locked."""
    client = Client(enforce_csrf_checks=True)
    extra = {"REMOTE_ADDR": address}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client.get(path, **extra).status_code == 200  # type: ignore[arg-type]
    form = {
        "username": username,
        "password": password,
        "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
    }
    response = client.post(path, form, **extra)  # type: ignore[arg-type]
    return SignIn(response.status_code, "_auth_user_id" in client.session, client)
