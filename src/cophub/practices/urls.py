from django.urls import path

from . import review_views, views

app_name = "practices"
urlpatterns = [
    path("", views.index, name="index"),
    path("calls/<int:call_id>/", views.call_detail, name="call"),
    path("calls/<int:call_id>/submit/", views.submission_new, name="submission_new"),
    path("submissions/", views.submission_list, name="submissions"),
    path("submissions/<str:reference>/", review_views.submission_detail, name="submission"),
    path("submissions/<str:reference>/edit/", views.submission_edit, name="submission_edit"),
    path(
        "submissions/<str:reference>/versions/<int:number>/",
        views.version_diff,
        name="version",
    ),
    path(
        "submissions/<str:reference>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
    path("report/<str:reference>/", views.report, name="report"),
    path("reports/", review_views.reports, name="reports"),
]
