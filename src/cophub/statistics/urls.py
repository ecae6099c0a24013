from django.urls import path

from . import views, views_contacts, views_workspace

app_name = "statistics"
urlpatterns = [
    path("statistics/", views.framework_index, name="index"),
    path("statistics/questionnaire/", views.questionnaire, name="questionnaire"),
    path(
        "statistics/questionnaire.xlsx",
        views.questionnaire_download,
        name="questionnaire_download",
    ),
    path("statistics/templates/mapping/", views.mapping_template_download, name="mapping_template"),
    path(
        "statistics/templates/aggregate/",
        views.aggregate_template_download,
        name="aggregate_template",
    ),
    path(
        "statistics/templates/contacts/",
        views.contacts_template_download,
        name="contacts_template",
    ),
    path(
        "statistics/helpline-contacts/",
        views_contacts.helpline_contacts,
        name="helpline_contacts",
    ),
    path("statistics/datasets/", views_workspace.dataset_list, name="datasets"),
    path("statistics/datasets/new/", views_workspace.dataset_new, name="dataset_new"),
    path("statistics/datasets/<int:dataset_id>/", views_workspace.dataset_detail, name="dataset"),
    path(
        "statistics/datasets/<int:dataset_id>/mapping/",
        views_workspace.dataset_mapping,
        name="dataset_mapping",
    ),
    path(
        "statistics/datasets/<int:dataset_id>/upload/",
        views_workspace.dataset_upload,
        name="dataset_upload",
    ),
    path(
        "statistics/datasets/<int:dataset_id>/preview/",
        views_workspace.dataset_preview,
        name="dataset_preview",
    ),
    path(
        "statistics/datasets/<int:dataset_id>/grants/",
        views_workspace.dataset_grant,
        name="dataset_grant",
    ),
    path(
        "statistics/datasets/<int:dataset_id>/grants/revoke/",
        views_workspace.dataset_grant_revoke,
        name="dataset_grant_revoke",
    ),
    path(
        "statistics/datasets/<int:dataset_id>/<str:action>/",
        views_workspace.dataset_action,
        name="dataset_action",
    ),
    path(
        "statistics/releases/<str:code>/withdraw/",
        views_workspace.release_withdraw,
        name="release_withdraw",
    ),
    path("statistics/<str:indicator_id>/", views.indicator_page, name="indicator"),
    path("countries/<str:iso2>/", views.country_profile, name="country"),
]
