"""From submission to publication: screening, reviewers with conflict-of-interest
declarations, scores, internal notes, decisions, publication to the hub, readers' reports."""

from collections.abc import Callable
from typing import Any

from django.test import Client

from cophub.accounts.models import Organisation, Role, User
from cophub.practices.models import Call, ReaderReport, Submission
from cophub.practices.services.calls import call_phase_set
from cophub.resources.models import ResourcePage, TrackedItem

Api = Callable[..., Any]
SCORES = {"relevance": 4, "evidence": 3, "transferability": 3, "childrens-rights": 4}


def _move(call_api: Api, user: User, reference: str, state: str, answer: str = "") -> Any:
    return call_api(
        "post", f"/submissions/{reference}/transition", user, {"state": state, "answer": answer}
    )


def test_a_technical_solution_goes_from_submission_to_the_hub(
    draft: Submission,
    author: User,
    reviewer: User,
    bdt_staff: User,
    open_call: Call,
    make_user: Callable[..., User],
    call_api: Api,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    ref = draft.reference
    call_api(
        "patch",
        f"/submissions/{ref}",
        author,
        {"lessons_learned": "A parent phoned us on +254 722 000 111 to say thanks."},
    )
    assert _move(call_api, author, ref, "submitted").json()["state"] == "submitted"
    findings = call_api("get", f"/submissions/{ref}", author).json()["findings"]
    assert [(f["field"], f["kind"], f["resolution"]) for f in findings] == [
        ("lessons_learned", "phone", "")
    ]
    assert "722 000" not in findings[0]["excerpt"]

    # Reviewers see only what they are assigned.
    assert call_api("get", f"/submissions/{ref}", reviewer).status_code == 404
    assert _move(call_api, author, ref, "screening").status_code == 409  # staff only
    _move(call_api, bdt_staff, ref, "screening")
    blocked = _move(call_api, bdt_staff, ref, "in_evaluation")
    assert blocked.status_code == 409 and "screening findings" in blocked.json()["message"]
    call_api("patch", f"/submissions/{ref}", bdt_staff, {"lessons_learned": "Parents thanked us."})
    resolved = call_api(
        "post",
        f"/submissions/{ref}/findings/{findings[0]['id']}/resolve",
        bdt_staff,
        {"resolution": "redacted"},
    )
    assert resolved.status_code == 204
    assert _move(call_api, bdt_staff, ref, "in_evaluation").status_code == 200

    colleague = make_user(Role.REVIEWER, username="colleague", organisation=author.organisation)
    conflicted = call_api(
        "post", f"/submissions/{ref}/assignments", bdt_staff, {"reviewer": colleague.username}
    )
    assert conflicted.status_code == 422  # same organisation: conflict of interest
    not_reviewer = call_api(
        "post", f"/submissions/{ref}/assignments", bdt_staff, {"reviewer": author.username}
    )
    assert not_reviewer.status_code == 422
    assert (
        call_api(
            "post", f"/submissions/{ref}/assignments", author, {"reviewer": reviewer.username}
        ).status_code
        == 403
    )
    assigned = call_api(
        "post", f"/submissions/{ref}/assignments", bdt_staff, {"reviewer": reviewer.username}
    )
    assert assigned.status_code == 201 and assigned.json()["conflict"] is None

    assert call_api("get", f"/submissions/{ref}", reviewer).status_code == 200
    early = call_api("put", f"/submissions/{ref}/scores", reviewer, {"scores": SCORES})
    assert early.status_code == 403  # declare conflicts first
    assert (
        call_api(
            "post", f"/submissions/{ref}/declaration", reviewer, {"conflict": False}
        ).status_code
        == 200
    )
    partial = call_api("put", f"/submissions/{ref}/scores", reviewer, {"scores": {"relevance": 9}})
    assert partial.status_code == 422
    assert {e["field"] for e in partial.json()["details"]["errors"]} == {
        "relevance",
        "evidence",
        "transferability",
        "childrens-rights",
    }
    scored = call_api(
        "put",
        f"/submissions/{ref}/scores",
        reviewer,
        {"scores": SCORES, "comment": "Transferable."},
    )
    assert scored.json()["scores"] == SCORES

    # Internal notes stay apart from the answer to the author.
    assert (
        call_api(
            "post",
            f"/submissions/{ref}/notes",
            reviewer,
            {"text": "Check the numbers with the regulator."},
        ).status_code
        == 201
    )
    assert call_api("get", f"/submissions/{ref}/notes", author).status_code == 403
    assert [
        n["text"] for n in call_api("get", f"/submissions/{ref}/notes", bdt_staff).json()["results"]
    ] == ["Check the numbers with the regulator."]
    assert "regulator" not in call_api("get", f"/submissions/{ref}", author).content.decode()
    review = call_api("get", f"/submissions/{ref}/review", bdt_staff).json()
    assert review["averages"]["relevance"] == 4

    assert _move(call_api, bdt_staff, ref, "accepted").status_code == 422  # needs an answer
    accepted = _move(call_api, bdt_staff, ref, "accepted", "Accepted with thanks.")
    assert accepted.json()["state"] == "accepted"
    assert call_api("get", f"/submissions/{ref}", author).json()["published_answer"] == (
        "Accepted with thanks."
    )

    early_publish = call_api("post", f"/submissions/{ref}/publish", bdt_staff)
    assert early_publish.status_code == 409  # the call is not in its publication phase yet
    call_phase_set(call=open_call, phase="review")
    call_phase_set(call=open_call, phase="publication")
    with django_capture_on_commit_callbacks(execute=True):
        published = call_api("post", f"/submissions/{ref}/publish", bdt_staff)
    assert published.status_code == 201, published.content
    page = ResourcePage.objects.get(practice_reference=ref)
    assert page.kind == "best_practice" and page.live
    assert sorted(page.clauses.values_list("id", flat=True)) == ["BDT-3", "SM-2"]
    assert TrackedItem.objects.filter(kind="page", key=str(page.translation_key)).exists()
    assert client.get(published.json()["url"]).status_code == 200
    found = client.get("/api/v1/resources/search", {"q": "SIM cards"}).json()
    assert [r["title"] for r in found] == ["Child-safe default settings for new SIM cards"]
    assert call_api("post", f"/submissions/{ref}/publish", bdt_staff).status_code == 409

    # A reader's report hides the practice until staff moderate it.
    report = call_api(
        "post",
        f"/published/{ref}/reports",
        None,
        {"reason": "personal_data", "message": "A phone number"},
    )
    assert report.status_code == 201
    assert client.get(published.json()["url"]).status_code == 404
    assert client.get("/api/v1/resources/search", {"q": "SIM cards"}).json() == []
    report_id = report.json()["id"]
    assert (
        call_api(
            "post", f"/reports/{report_id}/moderate", reviewer, {"decision": "dismissed"}
        ).status_code
        == 403
    )
    call_api("post", f"/reports/{report_id}/moderate", bdt_staff, {"decision": "dismissed"})
    assert ReaderReport.objects.get().status == "dismissed"
    assert client.get(published.json()["url"]).status_code == 200


def test_a_declared_conflict_ends_the_reviewers_part(
    draft: Submission, author: User, reviewer: User, bdt_staff: User, call_api: Api
) -> None:
    ref = draft.reference
    _move(call_api, author, ref, "submitted")
    _move(call_api, bdt_staff, ref, "screening")
    _move(call_api, bdt_staff, ref, "in_evaluation")
    call_api("post", f"/submissions/{ref}/assignments", bdt_staff, {"reviewer": reviewer.username})
    unexplained = call_api("post", f"/submissions/{ref}/declaration", reviewer, {"conflict": True})
    assert unexplained.status_code == 422
    call_api(
        "post",
        f"/submissions/{ref}/declaration",
        reviewer,
        {"conflict": True, "note": "I advised this operator last year."},
    )
    again = call_api("post", f"/submissions/{ref}/declaration", reviewer, {"conflict": False})
    assert again.status_code == 409
    assert (
        call_api("put", f"/submissions/{ref}/scores", reviewer, {"scores": SCORES}).status_code
        == 403
    )
    assert call_api("get", f"/submissions/{ref}/notes", reviewer).status_code == 403
    no_scores = _move(call_api, bdt_staff, ref, "accepted", "Yes")
    assert no_scores.status_code == 409  # nobody without conflict has scored


def test_authors_withdraw_and_staff_return_for_changes(
    draft: Submission,
    author: User,
    bdt_staff: User,
    call_api: Api,
    make_user: Callable[..., User],
) -> None:
    ref = draft.reference
    _move(call_api, author, ref, "submitted")
    _move(call_api, bdt_staff, ref, "screening")
    returned = _move(call_api, bdt_staff, ref, "draft", "Please remove the phone number.")
    assert returned.json()["state"] == "draft"
    assert call_api("patch", f"/submissions/{ref}", author, {"title": "Fixed"}).status_code == 200
    stranger = make_user(
        Role.SECTOR_MEMBER_CONTACT, username="x", kind=Organisation.Kind.SECTOR_MEMBER
    )
    assert _move(call_api, stranger, ref, "withdrawn").status_code == 404
    assert _move(call_api, author, ref, "withdrawn").json()["state"] == "withdrawn"
    assert _move(call_api, author, ref, "submitted").status_code == 409
    listing = call_api("get", "/submissions?scope=mine", author).json()["results"]
    assert [(s["reference"], s["state"]) for s in listing] == [(ref, "withdrawn")]
