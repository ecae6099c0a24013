"""The front page of coordination: coming and past meetings and the consultations with
children and young people. The pages of each sub-topic are in its sub-package's
``views.py`` (``meetings``, ``documents``, ``liaison``, ``activities``, ``implementation``,
``youth``, ``reports``)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import access
from .meetings import selectors
from .youth.models import YouthConsultation


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    meetings = selectors.meeting_list()
    return render(
        request,
        "coordination/index.html",
        {
            "upcoming": meetings.filter(ends_on__gte=today).order_by("starts_on"),
            "past": meetings.filter(ends_on__lt=today).order_by("-starts_on")[:20],
            "consultations": YouthConsultation.objects.all(),
            "today": today,
            "is_secretariat": access.user_is_secretariat(request.user),
            "may_create_meetings": access.user_may_create_meetings(request.user),
        },
    )
