from django.urls import path

from . import translation_views, views

app_name = "resources"
urlpatterns = [
    path("", views.hub, name="hub"),
    path("search/", views.search, name="search"),
    path("download/", views.download, name="download"),
    path("dissemination/", views.dissemination, name="dissemination"),
    path("translations/", translation_views.translations, name="translations"),
    path(
        "translations/<int:item_id>/<str:language>/",
        translation_views.workspace,
        name="workspace",
    ),
    path(
        "translations/<int:item_id>/<str:language>/file/",
        translation_views.file,
        name="file",
    ),
    path(
        "translations/<int:item_id>/<str:language>/export/",
        translation_views.export,
        name="export",
    ),
]
