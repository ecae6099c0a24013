"""The API of consultations with children and young people (mounted under
``/api/v1/coordination/``). Answering is anonymous: nothing about the sender is kept."""

from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema, Status

from cophub.portal.api_auth import AUTHENTICATED, api_user
from cophub.portal.paging import keyset_paginate

from .. import access
from . import services
from .models import YouthConsultation

router = Router()


class YouthIn(Schema):
    text: str
    age_band: str
    region: str | None = None


class YouthAnswerModerateIn(Schema):
    accept: bool


class YouthConsultationOut(Schema):
    id: int
    title: str
    question: str
    opens_on: date
    closes_on: date
    summary: str


class AnswerReceivedOut(Schema):
    received: bool


class AnswerModeratedOut(Schema):
    id: int
    status: str


def _consultation(c: YouthConsultation) -> YouthConsultationOut:
    return YouthConsultationOut(
        id=c.pk,
        title=c.title,
        question=c.question,
        opens_on=c.opens_on,
        closes_on=c.closes_on,
        summary=c.summary,
    )


@router.get("/consultations", response=list[YouthConsultationOut])
@keyset_paginate(ordering=("-opens_on", "-pk"), row=_consultation)
def consultation_list(request: HttpRequest) -> QuerySet[YouthConsultation]:
    """Consultations, the latest first."""
    return access.consultations_visible_to(request.user)


@router.post("/consultations/{consultation_id}/answers", response={201: AnswerReceivedOut})
def youth_submit(
    request: HttpRequest, consultation_id: int, payload: YouthIn
) -> Status[AnswerReceivedOut]:
    """Anonymous: no account, and nothing about the sender is kept."""
    consultation = access.access_consultation(request.user, consultation_id)
    services.youth_submit(consultation=consultation, **payload.model_dump())
    return Status(201, AnswerReceivedOut(received=True))


@router.post("/answers/{answer_id}/moderation", response=AnswerModeratedOut, auth=AUTHENTICATED)
def youth_moderate(
    request: HttpRequest, answer_id: int, payload: YouthAnswerModerateIn
) -> AnswerModeratedOut:
    user = api_user(request)
    answer = access.access_answer_for_moderate(user, answer_id)
    done = services.youth_moderate(user=user, submission=answer, accept=payload.accept)
    return AnswerModeratedOut(id=done.pk, status=done.status)
