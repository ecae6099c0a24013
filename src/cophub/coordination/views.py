"""The front page of coordination: coming and past meetings and the consultations with
children and young people. The pages of each sub-topic are in its sub-package's
``views.py`` (``meetings``, ``documents``, ``liaison``, ``activities``, ``implementation``,
``youth``, ``reports``)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cophub.portal.paging import rows_page

from . import access
from .meetings import selectors
from .youth.models import YouthConsultation

LATEST = 20


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    meetings = selectors.meeting_list()
    # Coming meetings a page at a time; the latest past meetings and consultations only (all
    # of them are paged lists of the API).
    page = rows_page(request, meetings.filter(ends_on__gte=today), ordering=("starts_on",))
    return render(
        request,
        "coordination/index.html",
        {
            "upcoming": page.rows,
            "page": page,
            "past": meetings.filter(ends_on__lt=today).order_by("-starts_on")[:LATEST],
            "consultations": YouthConsultation.objects.order_by("-opens_on", "-pk")[:LATEST],
            "today": today,
            "is_secretariat": access.user_is_secretariat(request.user),
            "may_create_meetings": access.user_may_create_meetings(request.user),
        },
    )
