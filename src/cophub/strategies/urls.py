from django.urls import path

from . import plan_views, profile_views, views

app_name = "strategies"
urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("assessments/new/", views.assessment_open, name="open"),
    path("assessments/<int:pk>/", views.assessment_detail, name="detail"),
    path("assessments/<int:pk>/sections/<slug:section>/", views.section_page, name="section"),
    path("assessments/<int:pk>/items/<str:item>/", views.answer_submit, name="answer"),
    path(
        "assessments/<int:pk>/evidence/<int:evidence_id>/",
        views.evidence_download,
        name="evidence",
    ),
    path(
        "assessments/<int:pk>/evidence/<int:evidence_id>/delete/",
        views.evidence_delete,
        name="evidence_delete",
    ),
    path("assessments/<int:pk>/assign/", views.assignment_create, name="assign"),
    path(
        "assessments/<int:pk>/assignments/<int:assignment_id>/remove/",
        views.assignment_delete,
        name="unassign",
    ),
    path(
        "assessments/<int:pk>/do/<slug:action>/", views.assessment_action, name="assessment_action"
    ),
    path("assessments/<int:pk>/consultation/", views.consultation_page, name="consultation"),
    path("assessments/<int:pk>/stakeholders/", views.stakeholders_page, name="stakeholders"),
    path(
        "assessments/<int:pk>/<slug:kind>/<int:part_id>/delete/",
        views.part_delete,
        name="part_delete",
    ),
    path("assessments/<int:pk>/diff/", profile_views.diff_page, name="diff"),
    path("assessments/<int:pk>/profile/", profile_views.profile_page, name="profile"),
    path("assessments/<int:pk>/plan/", plan_views.plan_page, name="plan"),
    path("assessments/<int:pk>/plan/actions/new/", plan_views.action_edit, name="action_new"),
    path(
        "assessments/<int:pk>/plan/actions/<int:action_id>/",
        plan_views.action_edit,
        name="action",
    ),
    path(
        "assessments/<int:pk>/plan/actions/<int:action_id>/progress/",
        plan_views.action_progress,
        name="action_progress",
    ),
    path("assessments/<int:pk>/plan/export/", plan_views.plan_export, name="export"),
    path("assistance/", plan_views.assistance_list, name="assistance"),
    path(
        "assistance/<int:request_id>/",
        plan_views.assistance_detail,
        name="assistance_detail",
    ),
    path("regional/", plan_views.regional_view, name="regional"),
    path("profiles/", plan_views.public_profiles, name="profiles"),
]
