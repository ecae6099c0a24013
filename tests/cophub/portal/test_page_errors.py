"""The one decorator that turns errors a page lets through into answers (decision 0026)."""

import json

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from cophub.portal.errors import ActionForbidden, InvalidInput, InvalidState, ObjectNotFound
from cophub.portal.pages import page_errors


def _request(method: str, path: str = "/en/somewhere/?a=1"):
    request = getattr(RequestFactory(), method)(path)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _view(error):
    @page_errors
    def view(request):
        if error is None:
            return HttpResponse("fine")
        raise error

    return view


def test_passes_answers_through():
    assert _view(None)(_request("get")).content == b"fine"


@pytest.mark.parametrize("method", ["get", "post"])
def test_not_found_is_404_and_forbidden_is_403(method):
    with pytest.raises(Http404):
        _view(ObjectNotFound())(_request(method))
    with pytest.raises(PermissionDenied, match="only the chair"):
        _view(ActionForbidden("only the chair"))(_request(method))


def test_other_error_after_post_is_a_message_on_the_same_page():
    request = _request("post")
    answer = _view(InvalidState("The meeting is closed."))(request)
    assert answer.status_code == 302
    assert answer["Location"] == "/en/somewhere/?a=1"
    assert [str(m) for m in get_messages(request)] == ["The meeting is closed."]


@pytest.mark.django_db
def test_other_error_on_get_is_the_400_page_naming_the_field():
    error = InvalidInput(details={"errors": [{"field": "period", "message": "Give a year."}]})
    answer = _view(error)(_request("get"))
    assert answer.status_code == 422
    assert b"Give a year." in answer.content


@pytest.mark.django_db
def test_the_403_page_names_the_reason_in_the_paths_language():
    from cophub.portal.views import forbidden

    answer = forbidden(_request("get", "/fr/somewhere/"), PermissionDenied("only the chair"))
    assert answer.status_code == 403
    assert b"only the chair" in answer.content
    assert "Non autorisé" in answer.content.decode()
    bare = forbidden(_request("get", "/en/somewhere/"), PermissionDenied())
    assert b"You are not allowed to do this." in bare.content


def test_a_403_under_the_api_is_json():
    from cophub.portal.views import forbidden

    answer = forbidden(_request("get", "/api/v1/somewhere"), PermissionDenied("only the chair"))
    assert answer.status_code == 403
    body = json.loads(answer.content)
    assert (body["code"], body["message"]) == ("forbidden", "only the chair")


def test_pages_use_page_errors_and_role_checks_stay_in_access_modules():
    """Outside coordination (moving separately) no module turns errors into pages by hand and
    none but an ``access.py`` (or accounts, which defines the roles) tests a role."""
    from pathlib import Path

    src = Path(__file__).parents[3] / "src" / "cophub"
    for path in src.rglob("*.py"):
        relative = path.relative_to(src).as_posix()
        if relative.startswith(("coordination/", "portal/", "accounts/", "config/")):
            continue
        text = path.read_text(encoding="utf-8")
        assert "http_errors(" not in text, relative
        assert "PermissionDenied" not in text, relative
        if path.name != "access.py":
            assert "user_is_bdt_staff(" not in text, relative
            assert "user_has_role(" not in text, relative
