"""The best-practice pages work without JavaScript: submit, edit, see the history and diffs,
review, and report a published practice."""

from collections.abc import Callable
from typing import Any

from django.test import Client

from cophub.accounts.models import User
from cophub.practices.models import Call, Submission

from .conftest import COMPLETE


def _login(client: Client, user: User) -> Client:
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_an_author_submits_through_the_form(client: Client, open_call: Call, author: User) -> None:
    assert "Appel 2026" in client.get("/fr/practices/").content.decode()  # the call's French title
    call_page = _login(client, author).get(f"/en/practices/calls/{open_call.pk}/")
    assert f"/en/practices/calls/{open_call.pk}/submit/" in call_page.content.decode()
    form = {**COMPLETE, "clauses": ["SM-2", "BDT-3"], "framework_items": "ITU-3.1, MNR-7"}
    created = client.post(f"/en/practices/calls/{open_call.pk}/submit/", form, follow=True)
    submission = Submission.objects.get()
    assert created.redirect_chain[-1][0] == f"/en/practices/submissions/{submission.reference}/"
    assert submission.framework_items == ["ITU-3.1", "MNR-7"]
    detail = created.content.decode()
    assert submission.reference in detail and "Move to: Submitted" in detail

    edit = client.post(
        f"/en/practices/submissions/{submission.reference}/edit/",
        {**form, "title": "Safer SIM cards by default"},
        follow=True,
    )
    assert "Safer SIM cards by default" in edit.content.decode()
    diff = client.get(f"/en/practices/submissions/{submission.reference}/versions/2/")
    html = diff.content.decode()
    assert "<dt>Title</dt>" in html
    assert "<del>Child-safe default settings for new</del><ins>Safer</ins> SIM cards" in html

    sent = client.post(
        f"/en/practices/submissions/{submission.reference}/",
        {"action": "transition", "state": "submitted"},
        follow=True,
    )
    assert "moved on" in sent.content.decode()
    assert Submission.objects.get().state_id == "submitted"


def test_form_errors_are_shown_by_field(client: Client, open_call: Call, author: User) -> None:
    response = _login(client, author).post(
        f"/en/practices/calls/{open_call.pk}/submit/",
        {**COMPLETE, "contact_email": "not-an-address"},
    )
    assert response.status_code == 200
    assert "Give a valid e-mail address." in response.content.decode()
    assert not Submission.objects.exists()


def test_others_cannot_see_a_draft_and_reviewers_act_from_the_page(
    client: Client,
    draft: Submission,
    author: User,
    reviewer: User,
    bdt_staff: User,
    call_api: Callable[..., Any],
) -> None:
    url = f"/en/practices/submissions/{draft.reference}/"
    assert _login(client, reviewer).get(url).status_code == 404
    for user, state in (
        (author, "submitted"),
        (bdt_staff, "screening"),
        (bdt_staff, "in_evaluation"),
    ):
        call_api("post", f"/submissions/{draft.reference}/transition", user, {"state": state})
    _login(client, bdt_staff).post(url, {"action": "assign", "reviewer": reviewer.pk})
    page = _login(client, reviewer).get(url).content.decode()
    assert "conflict of interest" in page
    client.post(url, {"action": "declare", "conflict": "no"})
    scored = client.post(
        url,
        {
            "action": "score",
            "score_relevance": 3,
            "score_evidence": 2,
            "score_transferability": 4,
            "score_childrens-rights": 4,
        },
        follow=True,
    )
    assert "scores have been recorded" in scored.content.decode()
    assert draft.assignments.get().scores.count() == 4


def test_readers_report_a_published_practice(
    client: Client,
    draft: Submission,
    author: User,
    bdt_staff: User,
    open_call: Call,
    call_api: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    for user, state, answer in (
        (author, "submitted", ""),
        (bdt_staff, "screening", ""),
        (bdt_staff, "in_evaluation", ""),
    ):
        call_api(
            "post",
            f"/submissions/{draft.reference}/transition",
            user,
            {"state": state, "answer": answer},
        )
    Submission.objects.filter(pk=draft.pk).update(state_id="accepted")
    Call.objects.filter(pk=open_call.pk).update(phase="publication")
    with django_capture_on_commit_callbacks(execute=True):
        url = call_api("post", f"/submissions/{draft.reference}/publish", bdt_staff).json()["url"]
    page = client.get(url).content.decode()
    assert f"/en/practices/report/{draft.reference}/" in page
    form = client.get(f"/en/practices/report/{draft.reference}/")
    assert form.status_code == 200
    done = client.post(f"/en/practices/report/{draft.reference}/", {"reason": "image_of_child"})
    assert "hidden while our staff review" in done.content.decode()
    assert client.get(url).status_code == 404
    moderation = _login(client, bdt_staff).get("/en/practices/reports/")
    assert draft.reference in moderation.content.decode()
    assert client.get("/en/practices/report/COP-BP-1999-0001/").status_code == 404
