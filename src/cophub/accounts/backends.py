"""How people sign in: Django's ``ModelBackend``, refusing demo accounts outside demo mode.

Every password sign-in (the sign-in page, and so the back office; Wagtail's ``/cms/`` sign-in)
goes through ``authenticate``, and every session is turned back into its user through
``get_user``, which asks ``user_can_authenticate``: both follow ``access.username_may_sign_in``
and ``access.password_may_sign_in``. API tokens follow the same rule in ``middleware``."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from . import access
from .models import User


class AccountBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not access.username_may_sign_in(username) or not access.password_may_sign_in(password):
            # PermissionDenied ends ``django.contrib.auth.authenticate`` here, whatever backend
            # comes next, and counts as a failed attempt for the sign-in throttle.
            raise PermissionDenied
        return super().authenticate(request, username, password, **kwargs)

    def user_can_authenticate(self, user: Any) -> bool:
        if not access.username_may_sign_in(getattr(user, "username", None)):
            return False
        return bool(super().user_can_authenticate(user))
