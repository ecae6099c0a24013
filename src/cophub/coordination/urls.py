from django.urls import path

from . import views
from .activities import views as activity_views
from .documents import views as document_views
from .implementation import views as implementation_views
from .liaison import views as liaison_views
from .meetings import views as meeting_views
from .reports import views as report_views
from .youth import views as youth_views

app_name = "coordination"
urlpatterns = [
    path("", views.index, name="index"),
    path("meetings/new/", meeting_views.meeting_create, name="meeting_create"),
    path("meetings/<int:meeting_id>/", meeting_views.meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>/manage/", meeting_views.meeting_update, name="meeting_update"),
    path(
        "meetings/<int:meeting_id>/attendance/",
        meeting_views.attendance_record,
        name="attendance",
    ),
    path(
        "meetings/<int:meeting_id>/liaison/new/",
        liaison_views.liaison_create,
        name="liaison_create",
    ),
    path(
        "meetings/<int:meeting_id>/submit/", document_views.document_submit, name="document_submit"
    ),
    path(
        "registrations/<int:registration_id>/fellowship/",
        meeting_views.fellowship_decide,
        name="fellowship",
    ),
    path("documents/<int:document_id>/", document_views.document_detail, name="document"),
    path(
        "documents/<int:document_id>/publish/",
        document_views.document_publish,
        name="document_publish",
    ),
    path(
        "documents/<int:document_id>/versions/",
        document_views.version_set,
        name="version_set",
    ),
    path(
        "documents/<int:document_id>/revise/",
        document_views.document_revise,
        name="document_revise",
    ),
    path(
        "documents/<int:document_id>/withdraw/",
        document_views.document_withdraw,
        name="document_withdraw",
    ),
    path("liaison/", liaison_views.liaison_list, name="liaison"),
    path(
        "liaison/<int:statement_id>/status/",
        liaison_views.liaison_advance,
        name="liaison_advance",
    ),
    path("implementation/", implementation_views.implementation, name="implementation"),
    path(
        "implementation/<str:clause_id>/",
        implementation_views.clause_progress_set,
        name="clause_progress",
    ),
    path("partners/", activity_views.partner_list, name="partners"),
    path("participation/", meeting_views.participation, name="participation"),
    path("activities/", report_views.activities, name="activities"),
    path("reports/", report_views.report_list, name="reports"),
    path("reports/<int:report_id>/", report_views.report_detail, name="report"),
    path("reports/<int:report_id>/texts/", report_views.report_text, name="report_text"),
    path("reports/<int:report_id>/approve/", report_views.report_approve, name="report_approve"),
    path(
        "consultations/<int:consultation_id>/",
        youth_views.consultation_detail,
        name="consultation",
    ),
    path(
        "consultations/<int:consultation_id>/summary/",
        youth_views.summary_set,
        name="consultation_summary",
    ),
    path(
        "answers/<int:answer_id>/moderation/",
        youth_views.answer_moderate,
        name="answer_moderate",
    ),
]
