from django.urls import path

from . import views

app_name = "apparatus"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("units/", views.tree, name="units"),
    path("units/<str:code>/", views.unit_detail, name="unit"),
    path("reorganizations/", views.reorganization_list, name="reorganizations"),
    path("reorganizations/new/", views.reorganization_new, name="reorganization-new"),
    path("reorganizations/<int:pk>/", views.reorganization_detail, name="reorganization"),
    path("reorganizations/<int:pk>/preview/", views.reorganization_preview, name="reorganization-preview"),
    path(
        "reorganizations/<int:pk>/dispositions/",
        views.reorganization_dispositions,
        name="reorganization-dispositions",
    ),
    path("reorganizations/<int:pk>/apply/", views.reorganization_apply, name="reorganization-apply"),
    path("reorganizations/<int:pk>/placement/", views.placement_review, name="placement"),
    path("responsibilities/", views.responsibilities, name="responsibilities"),
    path("responsibilities/gaps/", views.gaps, name="gaps"),
    path("delegations/", views.delegations, name="delegations"),
    path("delegations/who-decides/", views.who_decides, name="who-decides"),
    path("metrics/", views.metrics, name="metrics"),
    path("import/", views.import_view, name="import"),
]
