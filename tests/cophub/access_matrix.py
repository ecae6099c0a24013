"""Pages and API refuse alike (decision 0026): one role, one object, one thing to do, asked
through the page and through the API, must get the same verdict.

A verdict is what the answer says about permission, not about the rest of the request:
``sign_in`` (a page sends an anonymous visitor to the sign-in page, the API answers 401),
``hidden`` (404: cannot see, exactly like a missing object), ``forbidden`` (403: may see, may
not do) or ``allowed`` (anything else: a page, a redirect after a POST, or a 4xx about the data
sent, which only a caller who got past the permission check sees)."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.test import Client

from cophub.accounts.models import User

SIGN_IN, HIDDEN, FORBIDDEN, ALLOWED = "sign_in", "hidden", "forbidden", "allowed"


@dataclass(frozen=True)
class Door:
    """One thing to do, as a page request and as an API request: ``(method, path, data)``."""

    page: tuple[str, str, dict[str, Any] | None]
    api: tuple[str, str, dict[str, Any] | None]


def page_verdict(response: Any) -> str:
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return SIGN_IN
    return {404: HIDDEN, 403: FORBIDDEN}.get(response.status_code, ALLOWED)


def api_verdict(response: Any) -> str:
    return {401: SIGN_IN, 404: HIDDEN, 403: FORBIDDEN}.get(response.status_code, ALLOWED)


def verdicts(
    client: Client,
    token_for: Callable[[User], dict[str, str]],
    user: User | None,
    door: Door,
) -> tuple[str, str]:
    """(page verdict, API verdict) of ``user`` (``None``: anonymous) at ``door``."""
    client.logout()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    method, path, data = door.page
    page = getattr(client, method)(path, data or {})
    client.logout()
    method, path, body = door.api
    headers = token_for(user) if user is not None else {}
    if method == "get":
        api = client.get(path, body or {}, headers=headers)
    else:
        api = getattr(client, method)(
            path, data=json.dumps(body or {}), content_type="application/json", headers=headers
        )
    return page_verdict(page), api_verdict(api)


def assert_alike(
    client: Client,
    token_for: Callable[[User], dict[str, str]],
    users: dict[str, User | None],
    doors: dict[str, Door],
    expected: dict[tuple[str, str], str | tuple[str, str]],
) -> None:
    """Every (role, door) of ``expected`` gets that verdict from the page and from the API
    (a pair ``(page, API)`` is a difference by design, each one said why where it is
    expected); all mismatches are reported together."""
    wrong = []
    for (role, door), verdict in expected.items():
        want = verdict if isinstance(verdict, tuple) else (verdict, verdict)
        got = verdicts(client, token_for, users[role], doors[door])
        if got != want:
            wrong.append(f"{role} at {door}: page {got[0]}, API {got[1]}, expected {want}")
    assert not wrong, "\n".join(wrong)
