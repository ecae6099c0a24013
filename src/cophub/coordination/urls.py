from django.urls import path

from . import consultation_views, report_views, secretariat_views, views

app_name = "coordination"
urlpatterns = [
    path("", views.index, name="index"),
    path("meetings/new/", secretariat_views.meeting_create, name="meeting_create"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path(
        "meetings/<int:meeting_id>/manage/", secretariat_views.meeting_update, name="meeting_update"
    ),
    path(
        "meetings/<int:meeting_id>/attendance/",
        secretariat_views.attendance_record,
        name="attendance",
    ),
    path(
        "meetings/<int:meeting_id>/liaison/new/",
        secretariat_views.liaison_create,
        name="liaison_create",
    ),
    path("meetings/<int:meeting_id>/submit/", views.document_submit, name="document_submit"),
    path(
        "registrations/<int:registration_id>/fellowship/",
        views.fellowship_decide,
        name="fellowship",
    ),
    path("documents/<int:document_id>/", views.document_detail, name="document"),
    path("documents/<int:document_id>/publish/", views.document_publish, name="document_publish"),
    path(
        "documents/<int:document_id>/versions/",
        secretariat_views.version_set,
        name="version_set",
    ),
    path(
        "documents/<int:document_id>/revise/",
        secretariat_views.document_revise,
        name="document_revise",
    ),
    path(
        "documents/<int:document_id>/withdraw/",
        secretariat_views.document_withdraw,
        name="document_withdraw",
    ),
    path("liaison/", views.liaison_list, name="liaison"),
    path("liaison/<int:statement_id>/status/", views.liaison_advance, name="liaison_advance"),
    path("implementation/", views.implementation, name="implementation"),
    path(
        "implementation/<str:clause_id>/",
        secretariat_views.clause_progress_set,
        name="clause_progress",
    ),
    path("partners/", secretariat_views.partner_list, name="partners"),
    path("participation/", views.participation, name="participation"),
    path("activities/", report_views.activities, name="activities"),
    path("reports/", report_views.report_list, name="reports"),
    path("reports/<int:report_id>/", report_views.report_detail, name="report"),
    path("reports/<int:report_id>/texts/", report_views.report_text, name="report_text"),
    path("reports/<int:report_id>/approve/", report_views.report_approve, name="report_approve"),
    path(
        "consultations/<int:consultation_id>/",
        consultation_views.consultation_detail,
        name="consultation",
    ),
    path(
        "consultations/<int:consultation_id>/summary/",
        consultation_views.summary_set,
        name="consultation_summary",
    ),
    path(
        "answers/<int:answer_id>/moderation/",
        consultation_views.answer_moderate,
        name="answer_moderate",
    ),
]
