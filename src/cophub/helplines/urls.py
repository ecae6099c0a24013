from django.urls import path

from . import coverage_views, views

app_name = "helplines"
urlpatterns = [
    path("help/", views.help_choose_country, name="help"),
    path("help/coverage/", coverage_views.coverage, name="coverage"),
    path("help/<str:country>/", views.help_country, name="help_country"),
    path("widget/<str:country>/", views.widget, name="widget"),
    path("numbers/", views.number_registry, name="numbers"),
]
