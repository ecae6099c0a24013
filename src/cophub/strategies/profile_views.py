"""Pages that read an assessment as a whole: the diff with the previous assessment and the
country profile (draft, validated or published), readable through any framework."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cophub.portal.pages import page_errors

from . import access, services
from .diffs import assessment_diff, previous_assessment
from .forms import SummaryForm
from .models import Framework
from .profiles import (
    PROFILE_STATUSES,
    content_framework,
    framework_view,
    gaps,
    profile_content,
    profile_update_summary,
)


@require_GET
@login_required
@page_errors
def diff_page(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.access_working_copy(request.user, pk)
    previous = previous_assessment(found.assessment)
    changes = (
        [
            c
            for c in assessment_diff(found.assessment, previous)
            if found.sees_section(c.item.section_id)
        ]
        if previous
        else []
    )
    changed_only = request.GET.get("all") != "1"
    shown = [c for c in changes if c.change != "unchanged"] if changed_only else changes
    context = {
        "assessment": found.assessment,
        "previous": previous,
        "changes": shown,
        "changed_only": changed_only,
    }
    return render(request, "strategies/diff.html", context)


@page_errors
def profile_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft (focal points) or the published profile (whoever the confidentiality lets
    see it, signed in or not for a public one), readable through any framework."""
    found, working = access.access_profile(request.user, pk)
    assessment = found.assessment
    profile = assessment.profile
    if request.method == "POST":
        manager = access.access_assessment_for_management(request.user, pk)
        form = SummaryForm(request.POST)
        if form.is_valid():
            profile_update_summary(
                assessment=manager.assessment, summary=form.cleaned_data["summary"]
            )
            messages.success(request, _("The summary was saved."))
        return redirect("strategies:profile", pk=pk)
    if working:
        content = profile.validated_content or profile_content(assessment)
    else:
        content = profile.published_content or {}
    source = content_framework(content) or assessment.framework
    frameworks = list(Framework.objects.all())
    view = next((f for f in frameworks if f.key == request.GET.get("view")), source)
    sections = framework_view(content, source, view)
    top = services.maturity_range()[1]
    context = {
        "assessment": assessment,
        "access": found,
        "working": working,
        "profile": profile,
        "status": PROFILE_STATUSES[profile.status],
        "content": content,
        "sections": sections,
        "view": view,
        "frameworks": frameworks,
        "gaps": gaps(sections, top) if view.pk == source.pk else [],
        "summary_form": SummaryForm(initial={"summary": profile.summary}) if working else None,
    }
    return render(request, "strategies/profile.html", context)
