from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("communes/<str:code>/", views.commune_dashboard, name="commune"),
    path("report/", views.report, name="report"),
    path("report/export.<str:fmt>", views.report_export, name="report_export"),
    path("warnings/", views.warning_list, name="warnings"),
    path("warnings/<int:pk>/", views.warning_detail, name="warning"),
    path("warnings/<int:pk>/<str:action>/", views.warning_act, name="warning_act"),
    path("indicators/", views.indicators_view, name="indicators"),
    path("indicators/import/", views.indicator_import, name="indicator_import"),
]
