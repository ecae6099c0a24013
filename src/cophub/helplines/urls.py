from django.urls import path

from . import coverage_views, views
from .verification import views as verification

app_name = "helplines"
urlpatterns = [
    path("help/", views.help_choose_country, name="help"),
    path("help/coverage/", coverage_views.coverage, name="coverage"),
    path("help/verify/done/<str:outcome>/", verification.answer_done, name="verify_done"),
    path("help/verify/<str:token>/", verification.answer_page, name="verify"),
    path("help/verify/<str:token>/change/", verification.change_page, name="verify_change"),
    path("help/verification/", verification.campaigns_page, name="verification"),
    path("help/verification/start/", verification.campaign_start, name="verification_start"),
    path(
        "help/verification/<int:pk>/",
        verification.campaign_page,
        name="verification_campaign",
    ),
    path("help/verification/replies/<int:pk>/", verification.reply_page, name="verification_reply"),
    path(
        "help/verification/contacts/<slug:slug>/",
        verification.contacts_page,
        name="verification_contacts",
    ),
    path("help/<str:country>/", views.help_country, name="help_country"),
    path("widget/<str:country>/", views.widget, name="widget"),
    path("numbers/", views.number_registry, name="numbers"),
]
